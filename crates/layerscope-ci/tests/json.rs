//! The JSON report's shape, pinned by snapshots.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{probe_image, probe_report};
use layerscope_ci::{Rules, SCHEMA_VERSION, evaluate, render_json};
use serde_json::Value;

// Sorted keys keep the snapshots stable whether or not serde_json preserves insertion order.
fn snapshot(name: &str, json: &Value) {
    insta::with_settings!({ sort_maps => true }, {
        insta::assert_json_snapshot!(name, json);
    });
}

#[test]
fn report_with_rules() {
    let report = probe_report();
    let eval = evaluate(&Rules::default(), &report.dive);
    let json = render_json(&probe_image("probe.tar"), &report, Some(&eval));
    assert_eq!(json["schemaVersion"], SCHEMA_VERSION);
    assert_eq!(json["passed"], false);
    snapshot("probe_with_rules", &json);
}

#[test]
fn report_without_rules_has_no_rule_keys() {
    let report = probe_report();
    let json = render_json(&probe_image("probe.tar"), &report, None);
    let mut keys: Vec<&str> = json
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(keys, ["dive", "image", "reclaimable", "schemaVersion"]);
    snapshot("probe_without_rules", &json);
}

#[test]
fn non_finite_figures_become_null() {
    let mut report = probe_report();
    report.dive.user_wasted_percent = f64::NAN;
    let eval = evaluate(&Rules::default(), &report.dive);
    let json = render_json(&probe_image("probe.tar"), &report, Some(&eval));
    assert_eq!(json["dive"]["userWastedPercent"], Value::Null);
    let rule = &json["rules"][0];
    assert_eq!(rule["name"], "highestUserWastedPercent");
    assert_eq!(rule["status"], "pass");
    assert_eq!(rule["actual"], Value::Null);
    assert_eq!(rule["threshold"], 0.1);
    assert_eq!(rule["message"], Value::Null);
    // The document stays valid JSON text.
    let text = serde_json::to_string(&json).unwrap();
    assert!(!text.contains("NaN"));
}

#[test]
fn copies_name_unknown_layers_with_null_commands() {
    let report = probe_report();
    let mut image = probe_image("probe.tar");
    image.layers.truncate(1);
    let json = render_json(&image, &report, None);
    let copy = &json["reclaimable"]["paths"][0]["copies"][0];
    assert_eq!(copy["command"], "ADD rootfs.tar /");
    assert_eq!(copy["hiddenByCommand"], Value::Null);
}
