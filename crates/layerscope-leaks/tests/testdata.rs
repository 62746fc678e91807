//! The repository's real images (built with buildah and skopeo): the demo plants an SSH key and
//! an AWS `.env` and deletes both; the tiny image is clean. Archives are unpacked here with the
//! tar crate, since this crate does not depend on the reader.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::collections::HashMap;
use std::io::Read;
use std::path::PathBuf;

use layerscope_leaks::{HistoryStep, HygieneInput, LeakReport, SecretScanner};
use layerscope_waste::Hide;
use serde_json::Value;

fn testdata(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../testdata")
        .join(name)
}

fn files(name: &str) -> HashMap<String, Vec<u8>> {
    let file = std::fs::File::open(testdata(name)).unwrap();
    let mut archive = tar::Archive::new(file);
    let mut out = HashMap::new();
    for entry in archive.entries().unwrap() {
        let mut entry = entry.unwrap();
        if entry.header().entry_type().is_file() {
            let path = entry
                .path()
                .unwrap()
                .to_string_lossy()
                .trim_start_matches("./")
                .to_owned();
            let mut bytes = Vec::new();
            entry.read_to_end(&mut bytes).unwrap();
            out.insert(path, bytes);
        }
    }
    out
}

/// Layer tars (decompressed) and the config, from a docker-archive or an OCI archive.
fn unpack(name: &str) -> (Vec<Vec<u8>>, Value) {
    let files = files(name);
    let json = |path: &str| -> Value { serde_json::from_slice(&files[path]).unwrap() };
    let blob = |digest: &Value| {
        format!(
            "blobs/sha256/{}",
            digest.as_str().unwrap().trim_start_matches("sha256:")
        )
    };
    if files.contains_key("manifest.json") {
        let manifest = json("manifest.json");
        let layers = manifest[0]["Layers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| files[l.as_str().unwrap()].clone())
            .collect();
        (layers, json(manifest[0]["Config"].as_str().unwrap()))
    } else {
        let index = json("index.json");
        let manifest = json(&blob(&index["manifests"][0]["digest"]));
        let layers = manifest["layers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| {
                let bytes = &files[&blob(&l["digest"])];
                let mut out = Vec::new();
                flate2::read::GzDecoder::new(bytes.as_slice())
                    .read_to_end(&mut out)
                    .unwrap();
                out
            })
            .collect();
        (layers, json(&blob(&manifest["config"]["digest"])))
    }
}

fn leak_report(name: &str) -> LeakReport {
    let (tars, config) = unpack(name);
    let scanner = SecretScanner::new().unwrap();
    let (tree, secrets) = support::scan_tars(&tars, &scanner);
    let history: Vec<HistoryStep> = config["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| HistoryStep {
            created_by: h["created_by"].as_str().unwrap_or_default().to_owned(),
            empty_layer: h["empty_layer"].as_bool().unwrap_or(false),
        })
        .collect();
    assert_eq!(
        history.iter().filter(|h| !h.empty_layer).count(),
        tree.layers.len()
    );
    let c = &config["config"];
    let strings = |v: &Value| -> Vec<String> {
        v.as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|s| s.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    };
    let image = HygieneInput {
        user: c["User"].as_str().map(str::to_owned),
        env: strings(&c["Env"]),
        healthcheck: c.get("Healthcheck").map(|h| strings(&h["Test"])),
        history,
    };
    support::report_from(&tree, &secrets, &image, &scanner).0
}

type Row = (String, String, usize, Option<(u32, Hide)>);

fn summary(report: &LeakReport) -> Vec<Row> {
    report
        .secrets
        .iter()
        .flat_map(|s| s.places.iter().map(move |p| (s, p)))
        .map(|(s, p)| {
            (
                s.rule.clone(),
                p.path.clone(),
                p.layer,
                p.hidden_by.map(|h| (h.layer, h.how)),
            )
        })
        .collect()
}

fn assert_demo(report: &LeakReport) {
    let deleted = Some((13, Hide::Deleted));
    let expected = [
        ("private-key-openssh", "/root/.ssh/id_ed25519", 10, deleted),
        ("aws-secret-access-key", "/app/.env", 11, deleted),
        ("ssh-private-key-file", "/root/.ssh/id_ed25519", 10, deleted),
        ("aws-access-key-id", "/app/.env", 11, deleted),
        ("dotenv-file", "/app/.env", 11, deleted),
    ]
    .map(|(r, p, l, h)| (r.to_owned(), p.to_owned(), l, h));
    assert_eq!(summary(report), expected, "{:#?}", report.secrets);
    let hygiene: Vec<(&str, &str)> = report
        .hygiene
        .iter()
        .map(|h| (h.id, h.message.as_str()))
        .collect();
    assert_eq!(
        hygiene,
        [
            (
                "LS-H003",
                "history entry 16: ARG NPM_TOKEN = npm_****************RNqT"
            ),
            (
                "LS-H001",
                "the config sets no USER, so processes run as root"
            ),
            ("LS-H004", "the image config has no HEALTHCHECK"),
        ]
    );
}

#[test]
fn demo_reports_both_planted_secrets_with_the_layers_that_added_and_deleted_them() {
    assert_demo(&leak_report("demo.tar"));
}

#[test]
fn demo_built_with_vfs_reports_the_same() {
    assert_demo(&leak_report("demo-vfs.oci.tar"));
}

#[test]
fn tiny_images_are_clean() {
    for name in [
        "tiny/docker-archive.tar",
        "tiny/oci-archive-gzip.tar",
        "tiny/docker25.tar",
    ] {
        let report = leak_report(name);
        assert!(report.secrets.is_empty(), "{name}: {:#?}", report.secrets);
        assert!(
            report
                .hygiene
                .iter()
                .all(|h| ["LS-H001", "LS-H004"].contains(&h.id)),
            "{name}: {:#?}",
            report.hygiene
        );
    }
}
