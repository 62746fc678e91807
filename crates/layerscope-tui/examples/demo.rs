//! Opens `testdata/demo.tar` in the explorer, to try the interface on its own:
//! `cargo run -p layerscope-tui --example demo`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../tests/support/mod.rs"]
mod support;

fn main() {
    let f = support::Fixture::testdata_demo();
    let keys = layerscope_tui::load_keymap(None).unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(2);
    });
    if let Err(e) = layerscope_tui::run(&f.report, &f.tree, f.reader(), keys, None) {
        eprintln!("{e}");
        std::process::exit(2);
    }
}
