//! The JSON Schema of the report, checked in beside the crate, is the one the types give.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

#[test]
fn the_checked_in_schema_is_current() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("report.schema.json");
    let mut generated = serde_json::to_string_pretty(&layerscope_report::json_schema()).unwrap();
    generated.push('\n');
    if std::env::var_os("LAYERSCOPE_UPDATE_SCHEMA").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let checked_in = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        checked_in == generated,
        "report.schema.json is out of date: run `LAYERSCOPE_UPDATE_SCHEMA=1 cargo test -p layerscope-report --test schema`"
    );
}

#[test]
fn the_schema_names_every_part_of_the_report() {
    let schema = layerscope_report::json_schema();
    let properties = schema["properties"].as_object().unwrap();
    for key in [
        "schemaVersion",
        "image",
        "dive",
        "reclaimable",
        "leaks",
        "gate",
    ] {
        assert!(properties.contains_key(key), "{key}");
    }
    let required: Vec<&str> = schema["required"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(
        !required.contains(&"gate"),
        "a report without a gate is valid"
    );
}
