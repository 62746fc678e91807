//! A real Podman: `podman system service` on a socket of the test's own, with storage of its
//! own seeded by `podman load` of testdata, and the podman command with the same storage and
//! no socket. Needs Debian's `podman` (run as root, as CI is).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::collections::HashMap;
use std::io::Read;

use layerscope_engine::{Endpoint, Engine, EngineError, ImageInfo, Kind};
use support::podman::{DEMO, Storage};
use support::{line, read_all};

/// Reads an exported archive as a tar and checks it is the image: `manifest.json` names the
/// config by the image's id, and every layer it lists is in the archive.
fn check_archive(archive: impl Read, info: &ImageInfo, tags: &[&str]) {
    let hex = info.id.strip_prefix("sha256:").unwrap();
    let mut names = Vec::new();
    let mut manifest = None;
    let mut tar = tar::Archive::new(archive);
    for entry in tar.entries().unwrap() {
        let mut entry = entry.unwrap();
        let name = entry.path().unwrap().to_string_lossy().into_owned();
        if name == "manifest.json" {
            let mut bytes = Vec::new();
            entry.read_to_end(&mut bytes).unwrap();
            manifest = Some(serde_json::from_slice::<serde_json::Value>(&bytes).unwrap());
        }
        names.push(name);
    }
    let manifest = manifest.expect("no manifest.json in the export");
    let image = &manifest[0];
    let config = image["Config"].as_str().unwrap();
    // `<hex>.json` as podman writes it, `blobs/sha256/<hex>` as Docker 25+ does.
    assert!(
        config == format!("{hex}.json") || config == format!("blobs/sha256/{hex}"),
        "manifest.json names the config {config}, the image is {}",
        info.id
    );
    assert!(
        names.iter().any(|n| n == config),
        "no {config} in the export"
    );
    let layers = image["Layers"].as_array().unwrap();
    assert_eq!(layers.len(), 14, "the demo image has 14 layers");
    for layer in layers {
        let layer = layer.as_str().unwrap();
        assert!(names.iter().any(|n| n == layer), "no {layer} in the export");
    }
    let repo_tags: Vec<&str> = image["RepoTags"]
        .as_array()
        .map(|tags| tags.iter().filter_map(serde_json::Value::as_str).collect())
        .unwrap_or_default();
    assert_eq!(repo_tags, tags);
}

fn check_demo(info: &ImageInfo, storage: &Storage) {
    assert_eq!(
        info.id,
        format!("sha256:{}", storage.format(DEMO, "{{.Id}}"))
    );
    assert_eq!(info.repo_tags, [DEMO]);
    assert_eq!(info.os, "linux");
    assert_eq!(info.architecture, storage.format(DEMO, "{{.Architecture}}"));
}

#[test]
fn inspect_and_export_through_podmans_service() {
    if !support::need("podman", "podman") {
        return;
    }
    let storage = Storage::new();
    storage.load(&support::testdata("demo.tar"));
    let service = storage.serve();
    let mut env = support::env(&storage);
    env.vars.insert("CONTAINER_HOST".into(), service.host());
    let engine = Engine::find(Kind::Podman, &env).unwrap();
    assert_eq!(engine.endpoint(), &Endpoint::Unix(service.socket.clone()));
    let describe = format!("the Podman engine at {}", service.host());
    assert_eq!(engine.describe(), describe);

    let info = engine.inspect("layerscope-demo").unwrap();
    check_demo(&info, &storage);
    // Every way of naming it, each percent-encoded whole (`/`, `:` and `@` too), is one
    // podman finds.
    let digest = storage.format(DEMO, "{{index .RepoDigests 0}}");
    let hex = info.id.strip_prefix("sha256:").unwrap().to_owned();
    for reference in [
        DEMO,
        "layerscope-demo:latest",
        &info.id,
        &hex[..12],
        &digest,
    ] {
        assert_eq!(engine.inspect(reference).unwrap(), info, "{reference}");
    }

    check_archive(engine.export(DEMO, None).unwrap(), &info, &[DEMO]);
    // By digest, podman's archive names no tag.
    check_archive(engine.export(&digest, None).unwrap(), &info, &[]);

    let missing = format!(
        "{describe} has no image nope:latest (layerscope never pulls: podman pull it first, or name a registry with registry://)"
    );
    assert_eq!(line(&engine.inspect("nope:latest").unwrap_err()), missing);
    assert_eq!(
        line(&engine.export("nope:latest", None).err().unwrap()),
        missing
    );
    assert_eq!(
        line(&engine.inspect("UPPER:case").unwrap_err()),
        format!(
            "{describe} answered HTTP 500 to the inspection of UPPER:case: normalizing image: normalizing name for compat API: repository name must be lowercase"
        )
    );

    // Docker's discovery reaches the same service through DOCKER_HOST.
    let docker = Engine::find(
        Kind::Docker,
        &layerscope_engine::Env {
            vars: HashMap::from([("DOCKER_HOST".to_owned(), service.host())]),
            home: None,
        },
    )
    .unwrap();
    assert_eq!(docker.inspect(DEMO).unwrap(), info);
    let (bytes, error) = read_all(docker.export(DEMO, None).unwrap());
    assert!(error.is_none(), "{error:?}");
    assert_eq!(&bytes[257..262], b"ustar", "not a tar");
}

#[test]
fn inspect_and_export_through_the_podman_command() {
    if !support::need("podman", "podman") {
        return;
    }
    let storage = Storage::new();
    storage.load(&support::testdata("demo.tar"));
    // No CONTAINER_HOST and no socket in XDG_RUNTIME_DIR: the command on PATH, unless this
    // machine runs rootful Podman's socket, which discovery would take first.
    let engine = match Engine::find(Kind::Podman, &support::env(&storage)).unwrap() {
        engine if matches!(engine.endpoint(), Endpoint::PodmanCli(_)) => engine,
        _ => Engine::at(
            Kind::Podman,
            Endpoint::PodmanCli("/usr/bin/podman".into()),
            &support::env(&storage),
        ),
    };
    assert_eq!(engine.describe(), "podman (the podman command)");

    let info = engine.inspect("layerscope-demo").unwrap();
    check_demo(&info, &storage);
    assert_eq!(engine.inspect(&info.id).unwrap(), info);
    check_archive(
        engine.export("layerscope-demo", None).unwrap(),
        &info,
        &[DEMO],
    );

    assert_eq!(
        line(&engine.inspect("nope:latest").unwrap_err()),
        "podman (the podman command) has no image nope:latest (layerscope never pulls: podman pull it first, or name a registry with registry://)"
    );
    let error = engine.export("nope:latest", None).err().unwrap();
    assert!(error.is_no_such_image());
    // A reference that looks like an option is still a reference (not `--help`'s text).
    let error = engine.inspect("--help").unwrap_err();
    assert!(matches!(error, EngineError::Podman { .. }));
    assert_eq!(
        line(&error),
        "podman (the podman command) failed at the inspection of --help: exit status 125: Error: invalid reference format"
    );

    // A reader dropped early stops podman; nothing waits for it to write the rest.
    let mut reader = engine.export(DEMO, None).unwrap();
    let mut start = [0u8; 4096];
    reader.read_exact(&mut start).unwrap();
    drop(reader);
}
