//! Layer tars from (path, content) pairs, for the tests of broken and hostile archives; the
//! archives around them come from the test kit.
#![allow(dead_code)]

use layerscope_testkit::Entry;

/// A layer tar; a path ending in `/` is a directory. Names go into the headers byte for byte,
/// so hostile names (control characters, `..`) reach the reader unchanged.
pub fn layer(files: &[(&str, &[u8])]) -> Vec<u8> {
    let entries: Vec<Entry> = files
        .iter()
        .map(|(path, data)| {
            if path.ends_with('/') {
                Entry::Dir(path, 0o755)
            } else {
                Entry::RawName(path.as_bytes(), data, 0o644)
            }
        })
        .collect();
    layerscope_testkit::layer(&entries)
}
