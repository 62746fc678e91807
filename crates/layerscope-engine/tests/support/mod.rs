//! What the engine tests share: a scripted fake engine on a unix socket (`fake`), a real Podman
//! service with its own storage (`podman`), and the rule for a missing tool.
#![allow(dead_code)]

pub mod fake;

use std::path::{Path, PathBuf};

use layerscope_engine::{EngineError, Env};
// Each test file uses its own part of these.
#[allow(unused_imports)]
pub use layerscope_testkit::podman::{self, DEMO, Storage};
#[allow(unused_imports)]
pub use layerscope_testkit::servers::need;

/// The environment that points the engine crate at STORAGE, as it points podman.
pub fn env(storage: &Storage) -> Env {
    Env {
        vars: storage.vars.clone(),
        home: Some(storage.home.clone()),
    }
}

/// A file of the workspace's `testdata/`.
pub fn testdata(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../testdata")
        .join(name)
}

/// An error's one line, checked to be one line.
pub fn line(error: &EngineError) -> String {
    let line = error.to_string();
    assert!(
        !line.contains('\n') && !line.contains('\r'),
        "not one line: {line:?}"
    );
    line
}

/// The `EngineError` inside an `io::Error` from an export, and its line.
pub fn inner_line(error: &std::io::Error) -> String {
    let inner = EngineError::from_io(error)
        .unwrap_or_else(|| panic!("no EngineError inside the io::Error: {error}"));
    assert_eq!(inner.to_string(), error.to_string());
    line(inner)
}

/// Reads a stream to its end or its first error: the bytes before the error, and the error.
pub fn read_all(mut reader: impl std::io::Read) -> (Vec<u8>, Option<std::io::Error>) {
    let mut bytes = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match reader.read(&mut buf) {
            Ok(0) => return (bytes, None),
            Ok(n) => bytes.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return (bytes, Some(e)),
        }
    }
}
