//! The pipeline formats: dive's own export, SARIF, `JUnit`, Markdown and Actions annotations,
//! each a view of the same report.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::Path;

use layerscope_gate::{Applies, GateConfig};
use layerscope_leaks::SecretScanner;
use layerscope_reader::Options;
use layerscope_report::{Opened, Report, TreePath};
use serde_json::Value;

fn testdata(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../testdata")
        .join(name)
}

/// An archive from testdata, named as its golden was recorded, gated by dive's defaults.
fn open(name: &str) -> (Opened, Report) {
    let scanner = SecretScanner::new().unwrap();
    let opened =
        layerscope_report::open(&testdata(name), &Options::default(), Some(&scanner)).unwrap();
    let mut report = Report::build(name, &opened, &scanner);
    let rules = GateConfig::defaults().rules(Applies::All).unwrap();
    report.gate = Some(rules.evaluate(&report, Applies::All, None, None));
    (opened, report)
}

/// dive's export as layerscope writes it on purpose, and nothing else changed:
/// - the layer ids are left out: dive's goldens were recorded from copies whose layers sit
///   under `<v1id>/layer.tar` (see testdata/golden/README.md);
/// - the build argument's token is masked in the command, as in every report layerscope writes;
/// - a whiteout's link name is dropped: buildah leaves one in some whiteout headers, which dive
///   copies out and layerscope does not keep (a whiteout links nothing).
fn normalised(mut json: Value) -> Value {
    for layer in json["layer"].as_array_mut().unwrap() {
        layer.as_object_mut().unwrap().remove("id");
        let command = layer["command"].as_str().unwrap().replace(
            "npm_KLuBs8O5ba20Vo7CKU2aBIIPnYsMTsKeRNqT",
            "npm_****************RNqT",
        );
        layer["command"] = Value::String(command);
        for file in layer["fileList"].as_array_mut().unwrap() {
            if file["path"]
                .as_str()
                .unwrap()
                .rsplit('/')
                .next()
                .unwrap()
                .starts_with(".wh.")
            {
                file["linkName"] = Value::String(String::new());
            }
        }
    }
    json
}

#[test]
fn dives_export_equals_dives_own() {
    for (archive, golden) in [
        ("demo.tar", "golden/demo.dive.json"),
        (
            "tiny/docker-archive.tar",
            "golden/tiny-docker-archive.dive.json",
        ),
    ] {
        let (opened, report) = open(archive);
        let ours: Value =
            serde_json::from_str(&layerscope_printer::dive_json(&report, &opened.tree)).unwrap();
        let dive: Value =
            serde_json::from_str(&std::fs::read_to_string(testdata(golden)).unwrap()).unwrap();
        let (ours, dive) = (normalised(ours), normalised(dive));
        for (i, (a, b)) in ours["layer"]
            .as_array()
            .unwrap()
            .iter()
            .zip(dive["layer"].as_array().unwrap())
            .enumerate()
        {
            assert_eq!(a, b, "{archive}: layer {i}");
        }
        assert_eq!(ours["image"], dive["image"], "{archive}");
        assert_eq!(ours, dive, "{archive}");
    }
}

#[test]
fn sarif_is_valid_and_names_layers_commands_and_paths() {
    let (_, report) = open("demo.tar");
    let text = layerscope_printer::sarif(&report);
    let sarif: Value = serde_json::from_str(&text).unwrap();
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(testdata("sarif-2.1.0.schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&sarif)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let run = &sarif["runs"][0];
    let rules: Vec<&str> = run["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    for id in [
        "lowestEfficiency",
        "maxSecretFindings",
        "private-key-openssh",
        "LS-H001",
        "LS-H009",
    ] {
        assert!(rules.contains(&id), "{id} in {rules:?}");
    }
    let results = run["results"].as_array().unwrap();
    let failed = results
        .iter()
        .find(|r| r["ruleId"] == "highestUserWastedPercent")
        .unwrap();
    assert_eq!(failed["level"], "error");
    let key = results
        .iter()
        .find(|r| r["ruleId"] == "private-key-openssh")
        .unwrap();
    assert_eq!(
        key["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "root/.ssh/id_ed25519"
    );
    assert_eq!(
        key["locations"][0]["physicalLocation"]["region"]["startLine"],
        1
    );
    let message = key["message"]["text"].as_str().unwrap();
    assert!(
        message.contains("added in layer 10 by `COPY file:"),
        "{message}"
    );
    assert!(
        message
            .contains("deleted by layer 13 `rm /root/.ssh/id_ed25519 /app/.env` but still shipped"),
        "{message}"
    );
    let index = key["ruleIndex"].as_u64().unwrap() as usize;
    assert_eq!(rules[index], "private-key-openssh");
    for secret in [
        "npm_KLuBs8O5ba20Vo7CKU2aBIIPnYsMTsKeRNqT",
        "AKIA2FH2JM2HSYM7IFDD",
        "0t9mlbfqhgrse9LKdJmcPQji4MVPWgzv8hQm1kjk",
    ] {
        assert!(!text.contains(secret), "{secret}");
    }
}

#[test]
fn junit_lists_a_case_per_rule_in_a_suite_per_set() {
    let (_, report) = open("demo.tar");
    let xml = layerscope_printer::junit(&report);
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    assert_eq!(root.attribute("tests"), Some("7"));
    assert_eq!(root.attribute("failures"), Some("1"));
    let suites: Vec<_> = root
        .children()
        .filter(|n| n.has_tag_name("testsuite"))
        .collect();
    let names: Vec<_> = suites
        .iter()
        .map(|s| s.attribute("name").unwrap())
        .collect();
    assert_eq!(names, ["dive", "leaks"]);
    let cases: Vec<_> = suites[0]
        .children()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    assert_eq!(cases.len(), 3);
    let failure = cases
        .iter()
        .find(|c| c.attribute("name") == Some("highestUserWastedPercent"))
        .and_then(|c| c.children().find(|n| n.has_tag_name("failure")))
        .unwrap();
    assert!(
        failure
            .attribute("message")
            .unwrap()
            .starts_with("too many bytes wasted, relative to the user bytes added")
    );
    assert_eq!(
        suites[1]
            .children()
            .filter(|n| n.has_tag_name("testcase"))
            .count(),
        4
    );
    let skipped = suites[1]
        .children()
        .filter(|n| n.children().any(|c| c.has_tag_name("skipped")))
        .count();
    assert_eq!(skipped, 4);
}

#[test]
fn markdown_summarises_and_cannot_be_broken_by_a_name() {
    let (_, report) = open("demo.tar");
    let md = layerscope_printer::markdown(&report);
    assert!(
        md.starts_with("### layerscope: `demo.tar` ❌ failed\n"),
        "{md}"
    );
    assert!(md.contains("| efficiency (dive) | 97.4324 % |"), "{md}");
    assert!(
        md.contains("| `highestUserWastedPercent` | ❌ fail | too many bytes wasted"),
        "{md}"
    );
    assert!(
        md.contains("| `/app/data/report.bin` | 2 | 51 kB |"),
        "{md}"
    );
    assert!(
        md.contains("| `/app/data/report.bin` | 1 | 51 kB | 12 |"),
        "{md}"
    );
    let mut hostile = report.clone();
    hostile.dive.inefficient[0].path = TreePath::standalone("/x|y`</table><script>\nz");
    let md = layerscope_printer::markdown(&hostile);
    let row = md.lines().find(|l| l.contains("/x")).unwrap();
    assert_eq!(row.matches(" | ").count(), 2, "{row}");
    assert!(!md.contains("`</table>") && !md.contains("\nz"), "{md}");
}

#[test]
fn actions_annotations_are_escaped_workflow_commands() {
    let (_, mut report) = open("demo.tar");
    report.image.name = "evil,name: x\n::warning::injected".to_owned();
    let lines = layerscope_printer::annotations(&report);
    assert_eq!(lines.lines().count(), 1, "{lines}");
    let line = lines.lines().next().unwrap();
    assert!(line.starts_with("::error title=layerscope highestUserWastedPercent%3A evil%2Cname%3A x%0A%3A%3Awarning%3A%3Ainjected::too many bytes wasted"), "{line}");
}
