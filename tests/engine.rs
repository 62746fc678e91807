//! Images read out of an engine, through the real binary: a real `podman system service` on a
//! socket in a temp dir (Docker's API, as `docker://` speaks it, and `podman://`), and the
//! podman command with no socket at all, each with storage of its own holding the demo image.
//! Same figures and report as the archive; never a pull; every fault one line and exit 2.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "util/mod.rs"]
mod util;

use std::path::Path;
use std::process::Output;

use layerscope_testkit::podman::{DEMO, Storage};
use layerscope_testkit::servers::need;
use util::{ci, figures, stderr, stdout, testdata};

/// The binary in CI mode with only STORAGE's environment and VARS: no engine of this machine's
/// is in reach.
fn run(dir: &Path, storage: &Storage, vars: &[(&str, &str)], args: &[&str]) -> Output {
    let mut cmd = util::layerscope(dir);
    cmd.env_clear().env("CI", "true").env("NO_COLOR", "1");
    cmd.envs(&storage.vars);
    // No Docker socket of this machine's: DOCKER_HOST always names one of the test's.
    cmd.env("DOCKER_HOST", "unix:///nonexistent/docker.sock");
    cmd.envs(vars.iter().copied());
    cmd.args(args).output().unwrap()
}

fn loaded() -> Option<Storage> {
    if !need("podman", "podman") {
        return None;
    }
    let storage = Storage::new();
    storage.load(&testdata("demo.tar"));
    Some(storage)
}

fn archive_report(dir: &Path) -> (String, serde_json::Value) {
    let demo = testdata("demo.tar");
    let text = stdout(&ci(dir, &[demo.to_str().unwrap()]));
    let json = stdout(&ci(dir, &["--json", "-", demo.to_str().unwrap()]));
    (text, comparable(&json))
}

/// The report without what names where it was read from.
fn comparable(json: &str) -> serde_json::Value {
    let mut v: serde_json::Value = serde_json::from_str(json).unwrap();
    let image = v["image"].as_object_mut().unwrap();
    for key in ["name", "source", "tags", "manifestDigest"] {
        image.remove(key);
    }
    for layer in image["layers"].as_array_mut().unwrap() {
        let layer = layer.as_object_mut().unwrap();
        layer.remove("id");
        layer.remove("blobDigest");
    }
    v
}

#[test]
fn docker_and_podman_sources_report_as_the_archive_does() {
    let Some(storage) = loaded() else { return };
    let service = storage.serve();
    let host = service.host();
    let dir = tempfile::tempdir().unwrap();
    let (text, json) = archive_report(dir.path());
    for (vars, reference, source) in [
        (
            vec![("DOCKER_HOST", host.as_str())],
            format!("docker://{DEMO}"),
            "docker",
        ),
        (
            vec![("CONTAINER_HOST", host.as_str())],
            format!("podman://{DEMO}"),
            "podman",
        ),
        // A bare reference that is no file: the Docker engine is asked first.
        (
            vec![("DOCKER_HOST", host.as_str())],
            DEMO.to_owned(),
            "docker",
        ),
        // --source as dive takes it.
        (
            vec![("CONTAINER_HOST", host.as_str())],
            DEMO.to_owned(),
            "podman",
        ),
    ] {
        let mut args = vec![];
        if reference == DEMO && source == "podman" {
            args.extend(["--source", "podman"]);
        }
        args.push(reference.as_str());
        let o = run(dir.path(), &storage, &vars, &args);
        assert_eq!(o.status.code(), Some(1), "{reference}: {}", stderr(&o));
        let out = stdout(&o);
        assert!(
            out.contains(&format!("Image Source: {source}://{DEMO}\n")),
            "{out}"
        );
        assert_eq!(figures(&out), figures(&text), "{reference}");
        args.splice(0..0, ["--json", "-"]);
        let o = run(dir.path(), &storage, &vars, &args);
        let report: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
        assert_eq!(report["image"]["source"], source);
        assert_eq!(comparable(&stdout(&o)), json, "{reference}");
    }
}

#[test]
fn the_podman_command_serves_when_there_is_no_socket() {
    let Some(storage) = loaded() else { return };
    let dir = tempfile::tempdir().unwrap();
    let (text, _) = archive_report(dir.path());
    let o = run(dir.path(), &storage, &[], &[&format!("podman://{DEMO}")]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stdout(&o).contains(&format!("Image Source: podman://{DEMO}\n")));
    assert_eq!(figures(&stdout(&o)), figures(&text));
}

#[test]
fn engine_faults_are_one_line_and_nothing_is_pulled() {
    let Some(storage) = loaded() else { return };
    let service = storage.serve();
    let host = service.host();
    let dir = tempfile::tempdir().unwrap();
    let one_line = |o: &Output, needles: &[&str]| {
        let err = stderr(o);
        assert_eq!(o.status.code(), Some(2), "{err}");
        assert_eq!(err.lines().count(), 1, "one line: {err}");
        for needle in needles {
            assert!(err.contains(needle), "{needle} in {err}");
        }
        assert!(stdout(o).is_empty());
    };
    // The engine is not running.
    let o = run(dir.path(), &storage, &[], &["docker://alpine:3"]);
    one_line(&o, &["/nonexistent/docker.sock", "alpine:3"]);
    // It does not have the image, and layerscope does not pull it.
    let o = run(
        dir.path(),
        &storage,
        &[("DOCKER_HOST", &host)],
        &["docker://docker.io/library/alpine:3"],
    );
    one_line(&o, &["has no image", "alpine:3", &host]);
    let images = storage.podman(&["images", "--format", "{{.Repository}}"]);
    assert!(
        !String::from_utf8_lossy(&images.stdout).contains("alpine"),
        "nothing was pulled"
    );
    // A bare reference no source has: one line saying what each answered.
    let o = run(
        dir.path(),
        &storage,
        &[("DOCKER_HOST", &host), ("CONTAINER_HOST", &host)],
        &["127.0.0.1:9/nothing:here"],
    );
    one_line(
        &o,
        &[
            "no source has it",
            "the Docker engine:",
            "podman:",
            "the registry:",
        ],
    );
}

#[test]
fn the_viewer_asks_the_engine_again_for_a_file() {
    use std::sync::Arc;

    use layerscope_engine::{Endpoint, Engine, Env, Kind};
    use layerscope_reader::{Input, Opener, Origin, Stream};

    let Some(storage) = loaded() else { return };
    let service = storage.serve();
    let env = Env {
        vars: storage.vars.clone(),
        home: Some(storage.home.clone()),
    };
    let engine = Engine::at(Kind::Docker, Endpoint::Unix(service.socket.clone()), &env);
    let open: Arc<Opener> = Arc::new(move |_| {
        engine
            .export(DEMO, None)
            .map_err(|e| Box::new(e) as layerscope_reader::SourceError)
    });
    let input = Input::Stream(Stream {
        origin: Origin::Docker,
        open,
    });
    let opened =
        layerscope_report::open_input(&input, &layerscope_reader::Options::default(), None)
            .unwrap();
    let bytes = util::read_back(&opened, "/root/.ssh/id_ed25519").unwrap();
    assert!(bytes.starts_with(b"-----BEGIN OPENSSH PRIVATE KEY-----"));
    // Gone, the engine's stream cannot be asked for again: the viewer says so.
    drop(service);
    let error = util::read_back(&opened, "/root/.ssh/id_ed25519").unwrap_err();
    assert!(error.to_string().contains("podman.sock"), "{error}");
}
