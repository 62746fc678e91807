//! The JSON Schema of the diff report, checked in beside the crate, is the one the types give.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

#[test]
fn the_checked_in_schema_is_current() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("diff.schema.json");
    let mut generated = serde_json::to_string_pretty(&layerscope_diff::json_schema()).unwrap();
    generated.push('\n');
    if std::env::var_os("LAYERSCOPE_UPDATE_SCHEMA").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let checked_in = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        checked_in == generated,
        "diff.schema.json is out of date: run `LAYERSCOPE_UPDATE_SCHEMA=1 cargo test -p layerscope-diff --test schema`"
    );
}
