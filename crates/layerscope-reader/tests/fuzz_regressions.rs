//! Inputs the `archive` and `manifest` fuzz targets once broke the reader with, kept in
//! `testdata/fuzz-regressions/<target>/` and replayed through the targets' own code: each must
//! end quickly with `Ok` or `Err`, and never panic.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod harness;

use std::path::PathBuf;
use std::time::{Duration, Instant};

fn replay<T, E>(target: &str, run: impl Fn(&[u8]) -> Result<T, E>) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../testdata/fuzz-regressions")
        .join(target);
    // A target with nothing saved yet has no folder.
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return;
    };
    let mut files: Vec<PathBuf> = entries
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file() && p.extension().is_none_or(|e| e != "md"))
        .collect();
    files.sort();
    for path in files {
        let bytes = std::fs::read(&path).unwrap();
        let start = Instant::now();
        let _ = run(&bytes);
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "{}: {:?}",
            path.display(),
            start.elapsed()
        );
    }
}

#[test]
fn saved_archive_inputs_end_cleanly() {
    replay("archive", harness::open_archive);
}

#[test]
fn saved_manifest_inputs_end_cleanly() {
    replay("manifest", harness::resolve_documents);
}

/// The targets read real images, so what they report on mutated ones is real.
#[test]
fn the_harness_reads_real_images() {
    let tiny = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../testdata/tiny");
    for name in [
        "docker-archive.tar",
        "docker-archive.tar.gz",
        "oci-archive-zstd.tar",
    ] {
        let bytes = std::fs::read(tiny.join(name)).unwrap();
        // Even and odd lengths take the verified and unverified paths.
        let layers = harness::open_archive(&bytes).unwrap();
        assert_eq!(layers, 8, "{name}");
    }
}

/// The documents format the `manifest` target reads: `@N` stands for document N's digest,
/// `@L` for the harness's layer.
#[test]
fn the_harness_resolves_documents() {
    let mut input =
        br#"[{"Config":"@1.json","RepoTags":["x:latest"],"Layers":["@L/layer.tar"]}]"#.to_vec();
    input.push(0);
    input.extend(br#"{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":["sha256:@L"]},"history":[{"created_by":"x"}]}"#);
    // The last byte picks no --image and no --platform.
    input.push(0);
    assert_eq!(harness::resolve_documents(&input).unwrap(), 1);
}
