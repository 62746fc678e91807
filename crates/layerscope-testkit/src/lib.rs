//! Builders for the tests: layer tars and image archives made in code, for the edge cases no
//! real tool writes (broken digests, lying headers, hostile names). Images that real tools make
//! live in `testdata/`, beside the scripts that made them.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::missing_panics_doc)]

mod archive;
mod layer;
pub mod podman;
pub mod servers;

pub use archive::{DockerSave, Step, oci_archive, oci_dir, outer, probe};
pub use layer::{Entry, layer};

use std::path::PathBuf;

use sha2::{Digest, Sha256};

/// The hex SHA-256 of `data`.
pub fn sha256(data: &[u8]) -> String {
    let d = Sha256::digest(data);
    d.iter().fold(String::new(), |mut s, b| {
        use std::fmt::Write;
        let _ = write!(s, "{b:02x}");
        s
    })
}

pub fn gzip(data: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

/// `bytes` written to `name` in a new temporary directory, which lives as long as the guard.
pub fn write_temp(name: &str, bytes: &[u8]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    (dir, path)
}

/// Writes `text` to `path` as an executable script.
///
/// A `sh` child writes it, not this process: a file this process opens for writing is held
/// open, for a moment, by every child another test thread forks meanwhile (until that child
/// execs), and running the script in that moment fails with "Text file busy".
pub fn write_executable(path: &std::path::Path, text: &str) {
    use std::io::Write as _;
    let mut child = std::process::Command::new("sh")
        .args(["-c", r#"cat > "$0" && chmod 755 "$0""#])
        .arg(path)
        .stdin(std::process::Stdio::piped())
        .spawn()
        .expect("sh runs");
    child
        .stdin
        .take()
        .expect("stdin is piped")
        .write_all(text.as_bytes())
        .expect("sh reads the script");
    assert!(
        child.wait().expect("sh ends").success(),
        "sh wrote {}",
        path.display()
    );
}
