//! Real servers for the tests: Debian's `docker-registry` seeded by `skopeo`, certificates made
//! by `openssl`, and a scripted HTTP server for the faults no real registry makes on demand.
#![allow(dead_code)]

pub mod fake;

// Each test file uses its own part of the servers.
#[allow(unused_imports)]
pub use layerscope_testkit::servers::{
    Certs, Registry, Setup, docker_config, free_port, need, openssl,
};

use std::fmt::Write as _;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::AtomicU64;
use std::time::Duration;

use layerscope_registry::Options;

/// The registry tools every real-server test needs.
pub fn need_registry_tools() -> bool {
    need("docker-registry", "docker-registry") && need("skopeo", "skopeo")
}

/// `skopeo copy` one of testdata's tiny oci-archives into REGISTRY as NAME.
pub fn seed(registry: &Registry, archive: &str, name: &str, extra: &[&str]) {
    registry.seed(
        &format!("oci-archive:{}", testdata(archive).display()),
        name,
        extra,
    );
}

pub fn testdata(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../testdata/tiny")
        .join(name)
}

/// Options that look at nothing on this machine and retry without real waits.
pub fn quiet_options() -> Options {
    Options {
        retries: 3,
        backoff: Duration::from_millis(1),
        max_backoff: Duration::from_millis(5),
        progress: Some(Arc::new(AtomicU64::new(0))),
        ..Options::default()
    }
}

pub fn base64(s: &str) -> String {
    base64_bytes(s.as_bytes())
}

pub fn base64_bytes(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

pub fn sha256(bytes: &[u8]) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(bytes);
    let mut out = String::from("sha256:");
    for b in digest {
        let _ = write!(out, "{b:02x}");
    }
    out
}

/// Runs one test of this binary in a child process with `env` set (the tests cannot change
/// their own environment), and asserts it passed.
pub fn run_child(test: &str, env: &[(&str, &std::ffi::OsStr)]) {
    let exe = std::env::current_exe().unwrap();
    let mut command = Command::new(exe);
    command
        .args(["--exact", test, "--nocapture", "--test-threads=1"])
        .env("LAYERSCOPE_TEST_CHILD", "1")
        .stdin(Stdio::null());
    for (key, value) in env {
        command.env(key, value);
    }
    let output = command.output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success() && stdout.contains("1 passed"),
        "child test {test} failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Whether this process is a child started by [`run_child`].
pub fn in_child() -> bool {
    std::env::var_os("LAYERSCOPE_TEST_CHILD").is_some()
}
