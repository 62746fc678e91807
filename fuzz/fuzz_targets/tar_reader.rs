//! The tar reader on any bytes: every header, every entry's data read or seeked past, sparse
//! files expanded, and the reader's promises about each header checked.
#![no_main]

#[path = "../../crates/layerscope-tar/tests/harness/mod.rs"]
#[allow(dead_code)]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = harness::walk(data);
});
