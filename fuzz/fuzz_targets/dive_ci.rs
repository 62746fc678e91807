//! The `.dive-ci` rules file: YAML as serde-saphyr reads it, then every rule and the secret
//! scanner's settings taken from it.
#![no_main]

#[path = "../../crates/layerscope-gate/tests/harness/mod.rs"]
#[allow(dead_code)]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = harness::read_rules(data);
});
