//! The demo image's page: the data the script draws from and the HTML Rust writes, as golden
//! snapshots, and the figures in them checked against what `testdata/README.md` says each
//! layer does.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::fmt::Write as _;

use layerscope_html::html;
use serde_json::Value;

fn demo_page() -> String {
    let (opened, report) = common::demo();
    html(&report, &opened.tree)
}

/// The data with one line per layer and per treemap row, so a change shows as the lines it
/// changes.
fn lines(data: &Value) -> String {
    let mut out = String::new();
    for (key, value) in data.as_object().unwrap() {
        match value {
            Value::Array(items) => {
                let _ = writeln!(out, "{key}:");
                for item in items {
                    let _ = writeln!(out, "  {item}");
                }
            }
            Value::Object(map) => {
                let mut head = map.clone();
                let rows = head.remove("rows").unwrap();
                let _ = writeln!(out, "{key}: {}", Value::Object(head));
                for row in rows.as_array().unwrap() {
                    let _ = writeln!(out, "  {row}");
                }
            }
            other => {
                let _ = writeln!(out, "{key}: {other}");
            }
        }
    }
    out
}

#[test]
fn the_demo_data() {
    insta::assert_snapshot!("demo_data", lines(&common::data(&demo_page())));
}

#[test]
fn the_demo_markup() {
    insta::with_settings!({filters => vec![(r"'sha256-[A-Za-z0-9+/=]+'", "'sha256-[script hash]'")]}, {
        insta::assert_snapshot!("demo_markup", common::markup(&demo_page()));
    });
}

#[test]
fn the_same_report_gives_the_same_bytes() {
    assert_eq!(demo_page(), demo_page());
}

fn layer(data: &Value, index: usize) -> (u64, u64, u64, u64) {
    let l = &data["layers"][index];
    let n = |k: &str| l[k].as_u64().unwrap();
    (n("bytes"), n("added"), n("unchanged"), n("hidden"))
}

#[test]
fn each_layer_splits_its_bytes_as_the_demo_was_built() {
    let (opened, report) = common::demo();
    let data = common::data(&html(&report, &opened.tree));
    for (index, summary) in report.image.layers.iter().enumerate() {
        let (bytes, added, unchanged, hidden) = layer(&data, index);
        assert_eq!(bytes, summary.size_bytes, "layer {index}");
        assert_eq!(added + unchanged + hidden, bytes, "layer {index}");
    }
    let hidden: u64 = (0..report.image.layers.len())
        .map(|i| layer(&data, i).3)
        .sum();
    assert_eq!(hidden, report.reclaimable.bytes);
    // Layer 3 writes /app/README.txt again, byte for byte: nothing added.
    assert_eq!(layer(&data, 3), (67, 0, 67, 0));
    // Layer 4 changes only the mode of run.sh, and layer 8 copies it up again (a hard link).
    assert_eq!(layer(&data, 4), (68, 0, 0, 68));
    // Layer 9's report.bin is deleted by layer 12; layers 10 and 11 hold the secrets layer 13
    // deletes.
    assert_eq!(layer(&data, 9), (51_200, 0, 0, 51_200));
    assert_eq!(layer(&data, 10).3, 610);
    assert_eq!(layer(&data, 11).3, 179);
    // Whiteouts weigh nothing.
    assert_eq!(layer(&data, 12), (0, 0, 0, 0));
}

#[test]
fn the_treemaps_hold_the_final_files_and_the_hidden_versions() {
    let data = common::data(&demo_page());
    let files = &data["files"];
    let rows = files["rows"].as_array().unwrap();
    // The root first, then its directories largest first: busybox's /bin leads.
    assert_eq!(rows[0][1], "d");
    assert_eq!(rows[0][3], files["bytes"]);
    assert_eq!(rows[1][2], "bin");
    assert_eq!(files["threshold"], 1, "a small image is drawn whole");
    // Every directory weighs what its boxes weigh.
    for (index, row) in rows.iter().enumerate() {
        if row[1] == "d" {
            let children: u64 = rows
                .iter()
                .filter(|r| r[0] == index)
                .map(|r| r[3].as_u64().unwrap())
                .sum();
            assert_eq!(children, row[3].as_u64().unwrap(), "row {index}");
        }
    }
    let hidden = &data["hidden"];
    let rows = hidden["rows"].as_array().unwrap();
    let report_bin = rows.iter().find(|r| r[2] == "report.bin").unwrap();
    // Coloured by the layer that hid it (12), shipped in layer 9, deleted.
    assert_eq!(report_bin[3], 51_200);
    assert_eq!(report_bin[4], 12);
    assert_eq!(report_bin[5], 9);
    assert_eq!(report_bin[6], "deleted");
    // The versions that hold the planted secrets are marked, by the rule that found them.
    let marked: Vec<&str> = hidden["secrets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| rows[s[0].as_u64().unwrap() as usize][2].as_str().unwrap())
        .collect();
    assert_eq!(marked, [".env", "id_ed25519"]);
    assert_eq!(
        files["secrets"],
        Value::Array(Vec::new()),
        "none is left visible"
    );
    let cache = rows.iter().filter(|r| r[6] == "opaqueDir").count();
    assert_eq!(
        cache, 3,
        "a.html, b.html and c.html under the opaque /app/cache"
    );
}

#[test]
fn no_secret_value_appears_whole() {
    let (opened, report) = common::demo();
    let page = html(&report, &opened.tree);
    let mut values = 0;
    for found in opened.secrets.iter().flatten() {
        let value = String::from_utf8_lossy(&found.1.value);
        if value.len() >= 8 {
            values += 1;
            assert!(
                !page.contains(&*value),
                "a secret value is on the page whole"
            );
        }
    }
    assert!(values >= 2, "the demo plants AWS keys: {values} values");
    assert!(!page.contains("npm_KLuBs8O5ba20Vo7CKU2aBIIPnYsMTsKeRNqT"));
    assert!(page.contains("npm_****************RNqT"));
    for secret in &report.leaks.secrets {
        if !secret.masked.is_empty() {
            let masked = secret.masked.replace('<', "&lt;").replace('>', "&gt;");
            assert!(page.contains(&masked), "{}", secret.masked);
        }
    }
}

#[test]
fn the_page_names_nothing_on_the_network() {
    let page = demo_page();
    let policy = page.find("Content-Security-Policy").unwrap();
    assert!(policy < page.find("<script").unwrap());
    let content = &page[policy..];
    let content = &content[content.find("content=\"").unwrap() + 9..];
    let content = &content[..content.find('"').unwrap()];
    assert!(content.starts_with("default-src 'none';"), "{content}");
    let script = content
        .split(';')
        .find(|d| d.trim().starts_with("script-src"))
        .unwrap();
    assert!(
        script.trim().starts_with("script-src 'sha256-") && !script.contains("unsafe"),
        "only the page's own script may run: {script}"
    );
    let markup = common::markup(&page);
    assert!(!markup.contains(" src="), "nothing is loaded from anywhere");
    for (at, _) in markup.match_indices("href=\"") {
        assert!(markup[at + 6..].starts_with('#'), "links stay on the page");
    }
    assert!(!page.contains("<link") && !page.contains("@import") && !page.contains("url("));
}
