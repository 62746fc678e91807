//! Images read straight from a registry, through the real binary: Debian's `docker-registry` on
//! a free loopback port, seeded by `skopeo` from the archives in testdata, gives the same
//! figures and report as the archive; every fault is one line and exit 2.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "util/mod.rs"]
mod util;

use std::process::Command;

use layerscope_testkit::servers::{Certs, Registry, Setup, base64, docker_config, need};
use util::{ci, figures, stderr, stdout, testdata};

fn tools() -> bool {
    need("docker-registry", "docker-registry") && need("skopeo", "skopeo")
}

fn archive(name: &str) -> String {
    format!("docker-archive:{}", testdata(name).display())
}

/// The report's JSON without what names where the image was read from (and the config's
/// digest: a copy converted to OCI has its config written anew).
fn contents(json: &str) -> serde_json::Value {
    let mut v: serde_json::Value = serde_json::from_str(json).unwrap();
    let image = v["image"].as_object_mut().unwrap();
    for key in ["name", "source", "manifestDigest", "tags", "configDigest"] {
        image.remove(key);
    }
    for layer in image["layers"].as_array_mut().unwrap() {
        layer.as_object_mut().unwrap().remove("blobDigest");
        layer.as_object_mut().unwrap().remove("id");
    }
    v
}

#[test]
fn a_registry_image_reports_as_its_archive_does() {
    if !tools() {
        return;
    }
    let registry = Registry::start(&Setup::default());
    let plain = ["--dest-tls-verify=false"];
    registry.seed(&archive("demo.tar"), "demo:latest", &plain);
    registry.seed(
        &archive("demo.tar"),
        "demo:zstd",
        &[
            "--dest-tls-verify=false",
            "--format",
            "oci",
            "--dest-compress-format",
            "zstd",
        ],
    );
    let dir = tempfile::tempdir().unwrap();
    let local = ci(
        dir.path(),
        &["--json", "-", testdata("demo.tar").to_str().unwrap()],
    );
    let expected = contents(&stdout(&local));
    let text = stdout(&ci(dir.path(), &[testdata("demo.tar").to_str().unwrap()]));
    for reference in [
        format!("{}/demo:latest", registry.host),
        format!("registry://{}/demo:latest", registry.host),
        format!("registry://{}/demo:zstd", registry.host),
    ] {
        let o = ci(dir.path(), &[&reference]);
        assert_eq!(o.status.code(), Some(1), "{reference}: {}", stderr(&o));
        let out = stdout(&o);
        let shown = reference.trim_start_matches("registry://");
        assert!(
            out.contains(&format!("Image Source: registry://{shown}\n")),
            "{out}"
        );
        assert_eq!(figures(&out), figures(&text), "{reference}");
        let o = ci(dir.path(), &["--json", "-", &reference]);
        let json: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
        assert_eq!(json["image"]["source"], "registry");
        assert!(
            json["image"]["manifestDigest"]
                .as_str()
                .unwrap()
                .starts_with("sha256:")
        );
        assert_eq!(contents(&stdout(&o)), expected, "{reference}");
    }
}

#[test]
fn an_index_in_a_registry_is_resolved_by_platform() {
    if !tools() {
        return;
    }
    let registry = Registry::start(&Setup::default());
    registry.seed(
        &format!(
            "oci-archive:{}",
            testdata("tiny/multi-platform.oci.tar").display()
        ),
        "multi:latest",
        &["--dest-tls-verify=false", "--all"],
    );
    let dir = tempfile::tempdir().unwrap();
    let reference = format!("registry://{}/multi:latest", registry.host);
    for platform in ["linux/amd64", "linux/arm64"] {
        let o = ci(
            dir.path(),
            &["--platform", platform, "--json", "-", &reference],
        );
        let json: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
        assert_eq!(json["image"]["platform"], platform, "{}", stderr(&o));
    }
    let o = ci(dir.path(), &["--platform", "linux/s390x", &reference]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("no image for platform linux/s390x"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn registry_faults_are_one_line_naming_the_reference_and_host() {
    if !tools() {
        return;
    }
    let registry = Registry::start(&Setup::default());
    registry.seed(
        &archive("tiny/docker-archive.tar"),
        "tiny:latest",
        &["--dest-tls-verify=false"],
    );
    let dir = tempfile::tempdir().unwrap();
    let one_line = |args: &[&str], needles: &[&str]| {
        let o = ci(dir.path(), args);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert_eq!(err.lines().count(), 1, "one line: {err}");
        for needle in needles {
            assert!(err.contains(needle), "{needle} in {err}");
        }
        assert!(stdout(&o).is_empty(), "no partial report");
    };
    let host = registry.host.clone();
    one_line(
        &[&format!("registry://{host}/tiny:nope")],
        &[&host, "has no manifest `nope`", "404"],
    );
    // Nothing listens on a port taken and released.
    let gone = format!("127.0.0.1:{}", layerscope_testkit::servers::free_port());
    one_line(
        &[&format!("registry://{gone}/tiny:latest")],
        &[&gone, "not reachable"],
    );
    // A layer whose stored bytes were changed behind the registry's back.
    let blob = registry.corrupt_a_layer();
    one_line(
        &[&format!("registry://{host}/tiny:latest")],
        &["digest mismatch", &blob],
    );
}

#[test]
fn a_password_protected_registry_over_tls_with_credentials_from_docker_config() {
    if !tools() || !need("htpasswd", "apache2-utils") || !need("openssl", "openssl") {
        return;
    }
    let certs = Certs::make();
    let htpasswd = certs.dir.path().join("htpasswd");
    let made = Command::new("htpasswd")
        .args(["-Bbn", "reader", "s3cret-pass"])
        .output()
        .unwrap();
    std::fs::write(&htpasswd, made.stdout).unwrap();
    let registry = Registry::start(&Setup {
        tls: Some((certs.cert.clone(), certs.key.clone())),
        htpasswd: Some(htpasswd),
        ..Setup::default()
    });
    let ca_dir = certs.ca_dir.to_str().unwrap().to_owned();
    registry.seed(
        &archive("tiny/docker-archive.tar"),
        "tiny:latest",
        &[
            "--dest-cert-dir",
            &ca_dir,
            "--dest-creds",
            "reader:s3cret-pass",
        ],
    );
    let dir = tempfile::tempdir().unwrap();
    let reference = format!("registry://{}/tiny:latest", registry.host);
    let run = |config: Option<&std::path::Path>| {
        let mut cmd = util::layerscope(dir.path());
        cmd.env("CI", "true").env("SSL_CERT_FILE", &certs.ca);
        if let Some(config) = config {
            cmd.env("DOCKER_CONFIG", config);
        }
        cmd.arg(&reference).output().unwrap()
    };
    let refused = run(None);
    assert_eq!(refused.status.code(), Some(2));
    let err = stderr(&refused);
    assert!(err.contains("401") && err.contains(&registry.host), "{err}");
    let auth = base64("reader:s3cret-pass");
    let config = docker_config(&format!(
        r#"{{"auths":{{"{}":{{"auth":"{auth}"}}}}}}"#,
        registry.host
    ));
    let o = run(Some(config.path()));
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let text = stdout(&ci(
        dir.path(),
        &[testdata("tiny/docker-archive.tar").to_str().unwrap()],
    ));
    assert_eq!(figures(&stdout(&o)), figures(&text));
    assert!(!stdout(&o).contains("s3cret") && !stderr(&o).contains("s3cret"));
}

#[test]
fn the_viewer_reads_a_file_of_a_registry_image_again() {
    if !tools() {
        return;
    }
    let registry = Registry::start(&Setup::default());
    registry.seed(
        &archive("demo.tar"),
        "demo:latest",
        &["--dest-tls-verify=false"],
    );
    let located = layerscope_source::locate(&layerscope_source::Request {
        input: format!("registry://{}/demo:latest", registry.host),
        ..Default::default()
    })
    .unwrap();
    let (input, _) = located.into_input();
    let opened =
        layerscope_report::open_input(&input, &layerscope_reader::Options::default(), None)
            .unwrap();
    let bytes = util::read_back(&opened, "/root/.ssh/id_ed25519").unwrap();
    assert!(bytes.starts_with(b"-----BEGIN OPENSSH PRIVATE KEY-----"));
}
