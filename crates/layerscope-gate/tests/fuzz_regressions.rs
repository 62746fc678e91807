//! Inputs the `dive_ci` fuzz target is seeded with or once broke the gate with, kept in
//! `testdata/fuzz-regressions/dive_ci/` and replayed through the target's own code: each must
//! end with `Ok` or `Err`, never a panic.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod harness;

use std::path::PathBuf;

#[test]
fn saved_rules_files_end_cleanly() {
    let dir =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../testdata/fuzz-regressions/dive_ci");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return;
    };
    for entry in entries {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "md") {
            continue;
        }
        let _ = harness::read_rules(&std::fs::read(&path).unwrap());
    }
}

/// The harness reads real rules files, so what it says of mutated ones is real.
#[test]
fn the_harness_reads_the_example_rules() {
    let example = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../.dive-ci.example.yaml");
    harness::read_rules(&std::fs::read(example).unwrap()).unwrap();
    assert!(harness::read_rules(b"rules:\n  lowestEfficiency: 2\n").is_err());
}
