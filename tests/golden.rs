//! layerscope's dive figures against what dive 0.13.1 printed for the same archives
//! (`testdata/golden`, made by `testdata/make-goldens.sh`), and the same figures from every
//! layout and compression of one image.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "util/mod.rs"]
mod util;

use util::{ci, figures, stdout, testdata};

fn golden(name: &str) -> String {
    std::fs::read_to_string(testdata(&format!("golden/{name}.dive.txt"))).expect("golden exists")
}

/// Runs from `testdata/` with the archive's relative path, as the goldens were recorded.
fn run(archive: &str) -> (String, Option<i32>) {
    let dir = tempfile::tempdir().unwrap();
    let o = ci(dir.path(), &[testdata(archive).to_str().unwrap()]);
    let text = stdout(&o).replace(testdata("").to_str().unwrap(), "");
    (text, o.status.code())
}

#[test]
fn demo_opens_with_dives_report_byte_for_byte() {
    let (ours, code) = run("demo.tar");
    assert_eq!(code, Some(1), "dive's default rules fail this image");
    let dive = golden("demo");
    assert!(ours.starts_with(&dive), "{ours}");
    assert!(
        ours[dive.len()..].starts_with("Layerscope Analysis:\n"),
        "layerscope's own lines come after dive's: {ours}"
    );
}

#[test]
fn tiny_equals_dive_in_both_docker_layouts() {
    for (archive, gold) in [
        ("tiny/docker-archive.tar", "tiny-docker-archive"),
        ("tiny/docker25.tar", "tiny-docker25"),
    ] {
        let (ours, _) = run(archive);
        assert_eq!(figures(&ours), figures(&golden(gold)), "{archive}");
    }
}

#[test]
fn first_image_of_a_two_image_archive_equals_dive() {
    let (ours, _) = run("tiny/two-images.tar");
    assert_eq!(figures(&ours), figures(&golden("two-images")));
}

#[test]
fn every_layout_and_compression_gives_the_same_figures() {
    let expected = figures(&golden("tiny-docker-archive"));
    assert!(
        !expected.1.is_empty(),
        "the golden has an inefficient table"
    );
    for archive in [
        "tiny/docker-archive.tar.gz",
        "tiny/oci-archive-gzip.tar",
        "tiny/oci-archive-zstd.tar",
        "tiny/oci-archive-plain.tar",
        "tiny/oci-dir",
        "tiny/multi-platform.oci.tar",
        "tiny/containerd-store.tar",
        "tiny/dir",
    ] {
        let (ours, code) = run(archive);
        assert_eq!(code, Some(1), "{archive}");
        assert_eq!(figures(&ours), expected, "{archive}");
    }
}

#[test]
fn transport_prefixes_open_the_same_image() {
    let expected = figures(&golden("tiny-docker-archive"));
    let dir = tempfile::tempdir().unwrap();
    for arg in [
        format!(
            "docker-archive:{}",
            testdata("tiny/docker-archive.tar").display()
        ),
        format!(
            "docker-archive://{}",
            testdata("tiny/docker-archive.tar").display()
        ),
        format!(
            "oci-archive:{}",
            testdata("tiny/oci-archive-gzip.tar").display()
        ),
        format!("oci:{}", testdata("tiny/oci-dir").display()),
        format!("oci:{}:latest", testdata("tiny/oci-dir").display()),
        format!("dir:{}", testdata("tiny/dir").display()),
    ] {
        let o = ci(dir.path(), &[&arg]);
        assert_eq!(figures(&stdout(&o)), expected, "{arg}");
    }
}

#[test]
fn opaque_and_per_file_whiteouts_hide_the_same_files() {
    // The same Containerfile built with the overlay driver (one opaque whiteout) and the vfs
    // driver (a whiteout per file): the trees agree on what is hidden under /app/cache.
    let dir = tempfile::tempdir().unwrap();
    let overlay = stdout(&ci(
        dir.path(),
        &["--json", "-", testdata("demo.tar").to_str().unwrap()],
    ));
    let vfs = stdout(&ci(
        dir.path(),
        &[
            "--json",
            "-",
            testdata("demo-vfs.oci.tar").to_str().unwrap(),
        ],
    ));
    let hidden = |json: &str| -> Vec<String> {
        let v: serde_json::Value = serde_json::from_str(json).unwrap();
        let mut paths: Vec<String> = v["reclaimable"]["files"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["path"].as_str().unwrap().to_owned())
            .filter(|p| p.starts_with("/app/cache/"))
            .collect();
        paths.sort();
        paths
    };
    assert_eq!(
        hidden(&overlay),
        [
            "/app/cache/a.html",
            "/app/cache/b.html",
            "/app/cache/c.html"
        ]
    );
    assert_eq!(hidden(&overlay), hidden(&vfs));
}
