//! The JSON report: the report's own serialisation, valid against its checked-in schema.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::Path;

use common::probe;
use layerscope_report::SCHEMA_VERSION;
use serde_json::Value;

fn schema() -> Value {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../layerscope-report/report.schema.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn assert_valid(json: &Value) {
    let validator = jsonschema::validator_for(&schema()).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(json)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

#[test]
fn the_probe_report_is_valid_and_stable() {
    let text = layerscope_printer::json(&probe("probe.tar"));
    let json: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(json["schemaVersion"], SCHEMA_VERSION);
    assert_eq!(json["gate"]["passed"], false);
    assert_eq!(json["image"]["platform"], "linux/amd64");
    assert_eq!(json["image"]["source"], "docker-archive");
    assert_valid(&json);
    insta::with_settings!({ sort_maps => true }, {
        insta::assert_json_snapshot!("probe", json);
    });
}

#[test]
fn non_finite_figures_become_null_and_stay_valid() {
    let mut report = probe("probe.tar");
    report.dive.user_wasted_percent = f64::NAN;
    let rules = layerscope_gate::Rules::default();
    report.gate = Some(rules.evaluate(&report, layerscope_gate::Applies::All, None, None));
    let text = layerscope_printer::json(&report);
    assert!(!text.contains("NaN"));
    let json: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(json["dive"]["userWastedPercent"], Value::Null);
    let rule = &json["gate"]["rules"][0];
    assert_eq!(rule["rule"], "highestUserWastedPercent");
    assert_eq!(rule["status"], "pass");
    assert_eq!(rule["actual"], Value::Null);
    assert_eq!(rule["threshold"], 0.1);
    assert_eq!(rule["message"], Value::Null);
    assert_valid(&json);
}

#[test]
fn a_report_full_of_findings_is_valid() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/secrets.oci.tar");
    let scanner = layerscope_leaks::SecretScanner::new().unwrap();
    let opened = layerscope_report::open(
        &path,
        &layerscope_reader::Options::default(),
        Some(&scanner),
    )
    .unwrap();
    let report = layerscope_report::Report::build("secrets.oci.tar", &opened, &scanner);
    assert!(report.leaks.secrets.len() >= 7);
    assert!(!report.leaks.hygiene.is_empty());
    let json: Value = serde_json::from_str(&layerscope_printer::json(&report)).unwrap();
    assert!(json.get("gate").is_none(), "no gate ran");
    assert_valid(&json);
}
