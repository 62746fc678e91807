//! Hostile and broken archives: each gets one line on stderr naming the archive and what is wrong,
//! and exit code 2 — never a panic, a hang or a partial report.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "util/archive.rs"]
mod archive;
#[path = "util/mod.rs"]
mod util;

use std::path::Path;

use archive::layer;
use layerscope_testkit::{DockerSave, Entry, Step, gzip, oci_archive, outer, sha256};
use util::{ci, stderr, stdout};

fn write(dir: &Path, name: &str, bytes: &[u8]) -> String {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path.to_str().unwrap().to_owned()
}

/// Runs CI mode on `bytes` and returns stderr, asserting the error contract.
fn fails(bytes: &[u8], extra: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "image.tar", bytes);
    let mut args: Vec<&str> = extra.to_vec();
    args.push(&path);
    let o = ci(dir.path(), &args);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "stderr: {err}");
    assert_eq!(err.lines().count(), 1, "one line: {err}");
    assert!(
        err.starts_with("layerscope: ") && err.contains("image.tar"),
        "names the archive: {err}"
    );
    assert!(!err.contains("panicked"), "{err}");
    assert!(stdout(&o).is_empty(), "no partial report");
    err
}

fn good_layers() -> Vec<Vec<u8>> {
    vec![
        layer(&[("etc/", b""), ("etc/a", b"hello")]),
        layer(&[("etc/a", b"changed")]),
    ]
}

#[test]
fn missing_file() {
    let dir = tempfile::tempdir().unwrap();
    let o = ci(dir.path(), &["nope.tar"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("nope.tar: cannot open"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn not_a_tar() {
    let err = fails(
        &b"this is not an archive at all, just text\n".repeat(40),
        &[],
    );
    assert!(err.contains("not an image archive"), "{err}");
}

#[test]
fn truncated_archive() {
    let bytes = DockerSave::new(good_layers()).build();
    let err = fails(&bytes[..bytes.len() / 3], &[]);
    assert!(err.contains("truncated"), "{err}");
}

#[test]
fn corrupt_gzip_layer() {
    let mut gz = gzip(&good_layers()[0]);
    let mid = gz.len() / 2;
    gz[mid..].iter_mut().for_each(|b| *b ^= 0x5a);
    let mut save = DockerSave::new(vec![gz]);
    save.diff_ids = Some(vec![format!("sha256:{}", sha256(&good_layers()[0]))]);
    let err = fails(&save.build(), &[]);
    assert!(err.contains("layer 0 (`layer0/layer.tar`)"), "{err}");
}

#[test]
fn diff_id_mismatch() {
    let mut save = DockerSave::new(good_layers());
    save.diff_ids = Some(vec![
        format!("sha256:{}", sha256(b"x")),
        format!("sha256:{}", sha256(&good_layers()[1])),
    ]);
    let err = fails(&save.build(), &[]);
    assert!(
        err.contains("layer 0 (`layer0/layer.tar`): diff_id digest mismatch"),
        "{err}"
    );
}

#[test]
fn diff_ids_do_not_match_the_layers() {
    let mut save = DockerSave::new(good_layers());
    save.diff_ids = Some(vec![format!("sha256:{}", sha256(&good_layers()[0]))]);
    let err = fails(&save.build(), &[]);
    assert!(
        err.contains("lists 1 layer diff_ids but the manifest names 2 layers"),
        "{err}"
    );
}

#[test]
fn no_manifest_or_config() {
    let err = fails(&outer(&[("readme.txt".into(), b"hi".to_vec())]), &[]);
    assert!(err.contains("no manifest.json or index.json"), "{err}");
}

#[test]
fn manifest_names_a_missing_blob() {
    let save = DockerSave::new(good_layers());
    let config = save.config();
    let mut save = DockerSave::new(good_layers());
    save.manifest = Some(
        serde_json::to_vec(&serde_json::json!([{
            "Config": format!("{}.json", sha256(&config)),
            "Layers": ["layer0/layer.tar", "missing/layer.tar"],
        }]))
        .unwrap(),
    );
    let err = fails(&save.build(), &[]);
    assert!(err.contains("no entry `missing/layer.tar`"), "{err}");
}

#[test]
fn an_artifact_is_not_an_image() {
    let err = fails(
        &oci_archive(&good_layers(), "application/vnd.cncf.helm.config.v1+json"),
        &[],
    );
    assert!(
        err.contains("OCI artifact (application/vnd.cncf.helm.config.v1+json)"),
        "{err}"
    );
}

#[test]
fn json_nesting_bomb_is_refused() {
    let mut save = DockerSave::new(good_layers());
    save.manifest = Some("[".repeat(100_000).into_bytes());
    let err = fails(&save.build(), &[]);
    assert!(err.contains("`manifest.json` is not valid JSON"), "{err}");
}

#[test]
fn json_size_bomb_is_refused() {
    let mut save = DockerSave::new(good_layers());
    save.manifest = Some(vec![b' '; 17 << 20]);
    let err = fails(&save.build(), &[]);
    assert!(
        err.contains("manifest.json") && err.contains("refused"),
        "{err}"
    );
}

#[test]
fn decompression_bomb_is_refused() {
    let zeros = layer(&[("zero.bin", &vec![0u8; 4 << 20])]);
    let mut save = DockerSave::new(vec![gzip(&zeros)]);
    save.diff_ids = Some(vec![format!("sha256:{}", sha256(&zeros))]);
    let err = fails(&save.build(), &["--max-layer-size", "1MB"]);
    assert!(err.contains("decompression bomb"), "{err}");
}

#[test]
fn wrong_platform_lists_the_available_ones() {
    let err = fails(
        &oci_archive(&good_layers(), "application/vnd.oci.image.config.v1+json"),
        &["--platform", "nonsense"],
    );
    assert!(err.contains("bad platform `nonsense`"), "{err}");
    let dir = tempfile::tempdir().unwrap();
    let multi = util::testdata("tiny/multi-platform.oci.tar");
    let o = ci(
        dir.path(),
        &["--platform", "linux/s390x", multi.to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o)
            .contains("no image for platform linux/s390x; available: linux/amd64, linux/arm64"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_platform_the_index_names_but_the_archive_lacks_is_an_error() {
    // The containerd image store saves one platform's image and an index naming them all.
    let dir = tempfile::tempdir().unwrap();
    let archive = util::testdata("tiny/containerd-store.tar");
    let o = ci(
        dir.path(),
        &["--platform", "linux/arm64", archive.to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("containerd-store.tar: the index names platform linux/arm64 but the archive does not hold its image")
            && err.contains("it has: linux/amd64"),
        "{err}"
    );
    assert!(stdout(&o).is_empty());
    // An archive of one image of another platform is not shown in its place either.
    let single = util::testdata("tiny/docker-archive.tar");
    let o = ci(
        dir.path(),
        &["--platform", "linux/arm64", single.to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("no image for platform linux/arm64; available: linux/amd64"),
        "{}",
        stderr(&o)
    );
    // The platform it has opens, with a note on the one it skipped.
    let o = ci(
        dir.path(),
        &["--platform", "linux/amd64", archive.to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains(
            "the index also names linux/arm64, whose images the archive does not hold; skipped"
        ),
        "{}",
        stderr(&o)
    );
}

#[test]
fn history_longer_than_the_layers_is_paired_and_noted() {
    let mut save = DockerSave::new(good_layers());
    save.history.push(Step::layer("/bin/sh -c phantom"));
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "image.tar", &save.build());
    let o = ci(dir.path(), &[&path]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "analysed; dive's default rules fail it"
    );
    assert!(
        stderr(&o).contains("history describes 3 layers but the image has 2"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn pax_global_headers_are_read() {
    let mut builder = tar::Builder::new(Vec::new());
    let mut g = tar::Header::new_ustar();
    g.set_entry_type(tar::EntryType::XGlobalHeader);
    let rec = b"52 comment=0123456789012345678901234567890123456789\n";
    g.set_size(rec.len() as u64);
    builder
        .append_data(&mut g, "pax_global_header", &rec[..])
        .unwrap();
    let mut h = tar::Header::new_ustar();
    h.set_size(5);
    builder.append_data(&mut h, "app/a", &b"hello"[..]).unwrap();
    let with_global = builder.into_inner().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "image.tar",
        &DockerSave::new(vec![with_global, good_layers()[1].clone()]).build(),
    );
    let o = ci(dir.path(), &["--json", "-", &path]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["image"]["layers"][0]["sizeBytes"], 5);
}

#[test]
fn hostile_names_are_contained_and_printed_safely() {
    let evil = "app/\u{1b}]0;pwned\u{7}\u{1b}[2J.txt";
    let layers = vec![
        layer(&[(evil, b"one"), ("../../etc/passwd", b"root")]),
        layer(&[(evil, b"two")]),
    ];
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "image.tar", &DockerSave::new(layers).build());
    let o = ci(dir.path(), &[&path]);
    let out = stdout(&o);
    assert!(out.contains("/app/"), "{out}");
    assert!(
        !out.contains('\u{1b}') && !out.contains('\u{7}'),
        "no control characters reach the terminal: {out:?}"
    );
    let json = stdout(&ci(dir.path(), &["--json", "-", &path]));
    assert!(
        !json.contains("../"),
        "`..` cannot climb out of the image: {json}"
    );
}

#[test]
fn lying_headers_cannot_make_a_failing_image_pass() {
    // The same 1000-byte file in two layers wastes every byte above the base: dive's default
    // rules fail it. Directories, links and devices claiming exabytes used to wrap the sums
    // and print a passing score; header-only entries weigh nothing.
    let file = vec![b'x'; 1000];
    let lies = [
        Entry::File("app/data", &file, 0o644),
        // The largest size a tar header can hold (GNU tar and Go refuse anything past i64).
        Entry::Lying("app/", b'5', i64::MAX.unsigned_abs()),
        Entry::Lying("app/link", b'2', i64::MAX.unsigned_abs() / 2),
        Entry::Lying("dev/null", b'3', 1 << 62),
        Entry::Lying("run/fifo", b'6', 0o77_777_777_777),
    ];
    let save = DockerSave::new(vec![
        layer(&[("app/data", &file)]),
        layerscope_testkit::layer(&lies),
    ]);
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "forged.tar", &save.build());
    let o = ci(dir.path(), &[&path]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(1), "{out}{}", stderr(&o));
    assert!(out.contains("  efficiency: 50.0000 %\n"), "{out}");
    assert!(
        out.contains("  wastedBytes: 2000 bytes (2.0 kB)\n"),
        "{out}"
    );
    assert!(out.contains("  userWastedPercent: 200.0000 %\n"), "{out}");
    assert!(out.contains("Result:FAIL"), "{out}");
}
