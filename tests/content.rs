//! Reading one file's bytes again on demand, from every kind of source, without holding layers.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;
use std::sync::atomic::AtomicBool;

use layerscope_reader::Options;
use layerscope_tree::{EntryKind, ImageTree};

fn open(path: &Path) -> (layerscope_reader::Image, ImageTree) {
    let opened = layerscope_report::open(path, &Options::default(), None).expect("image loads");
    (opened.image, opened.tree)
}

fn read(path: &str, file: &str) -> Vec<(usize, Vec<u8>)> {
    let full = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata")
        .join(path);
    let (image, tree) = open(&full);
    let node = tree.lookup(file).expect("path exists");
    let mut versions = Vec::new();
    for (i, layer) in tree.layers.iter().enumerate() {
        for e in layer
            .entries
            .iter()
            .filter(|e| e.node == node && e.kind == EntryKind::File)
        {
            let bytes = image
                .read_at(i, e.data_offset, e.size, 1 << 20, &AtomicBool::new(false))
                .expect("readable");
            assert_eq!(bytes.len() as u64, e.size);
            assert_eq!(
                twox_hash::XxHash3_64::oneshot(&bytes),
                e.hash,
                "the bytes hash as opened"
            );
            versions.push((i, bytes));
        }
    }
    versions
}

#[test]
fn every_version_of_a_file_reads_back_from_every_source() {
    let expected = read("tiny/docker-archive.tar", "/etc/hostname");
    assert!(!expected.is_empty());
    for source in [
        "tiny/docker-archive.tar.gz",
        "tiny/oci-archive-gzip.tar",
        "tiny/oci-archive-zstd.tar",
        "tiny/oci-dir",
        "tiny/docker25.tar",
        "tiny/containerd-store.tar",
        "tiny/dir",
    ] {
        assert_eq!(read(source, "/etc/hostname"), expected, "{source}");
    }
}

#[test]
fn a_deleted_secret_still_reads_from_its_layer() {
    let versions = read("demo.tar", "/root/.ssh/id_ed25519");
    assert_eq!(versions.len(), 1);
    assert_eq!(versions[0].0, 10);
    assert!(
        versions[0]
            .1
            .starts_with(b"-----BEGIN OPENSSH PRIVATE KEY-----")
    );
}

#[test]
fn a_cancelled_read_stops_with_an_error() {
    for source in ["tiny/docker-archive.tar.gz", "tiny/oci-archive-gzip.tar"] {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("testdata")
            .join(source);
        let (image, tree) = open(&path);
        let last = tree.layers.len() - 1;
        let error = image
            .read_at(last, 0, 512, 1 << 20, &AtomicBool::new(true))
            .expect_err("a cancelled read fails");
        assert!(error.to_string().contains("cancelled"), "{source}: {error}");
    }
}
