//! Inputs the `tar_reader` fuzz target once broke the reader with, kept in
//! `testdata/fuzz-regressions/tar_reader/` and replayed through the target's own code: each
//! must end quickly with `Ok` or `Err`, and never panic.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod harness;

use std::path::PathBuf;
use std::time::{Duration, Instant};

fn inputs(folder: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../testdata")
        .join(folder);
    // A target with nothing saved yet has no folder.
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file() && p.extension().is_none_or(|e| e != "md"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap();
            (p, bytes)
        })
        .collect()
}

#[test]
fn saved_fuzz_inputs_end_cleanly() {
    for (path, bytes) in inputs("fuzz-regressions/tar_reader") {
        let start = Instant::now();
        let _ = harness::walk(&bytes);
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "{}: {:?}",
            path.display(),
            start.elapsed()
        );
    }
}

/// The target's checks hold on every real archive, so what it reports on mutated ones is real.
#[test]
fn the_harness_accepts_real_archives() {
    for (path, bytes) in inputs("conformance")
        .into_iter()
        .filter(|(p, _)| p.extension().is_some_and(|e| e == "tar"))
    {
        let result = harness::walk(&bytes);
        let truncated =
            path.ends_with("gnu-multivolume-1.tar") || path.ends_with("gnu-multivolume-2.tar");
        assert!(
            result.is_ok() || truncated,
            "{}: {result:?}",
            path.display()
        );
    }
}
