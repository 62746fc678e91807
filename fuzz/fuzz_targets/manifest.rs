//! Finding the image: `manifest.json` or `index.json`, nested indexes, platforms, configs and
//! their digests, from NUL-separated documents (see `resolve_documents` for the format).
#![no_main]

#[path = "../../crates/layerscope-reader/tests/harness/mod.rs"]
#[allow(dead_code)]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = harness::resolve_documents(data);
});
