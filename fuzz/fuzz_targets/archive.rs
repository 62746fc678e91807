//! The layer pipeline on a whole image archive: indexing or streaming it (plain, gzip, zstd),
//! resolving the image, decompressing and walking every layer, reading a file back.
#![no_main]

#[path = "../../crates/layerscope-reader/tests/harness/mod.rs"]
#[allow(dead_code)]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = harness::open_archive(data);
});
