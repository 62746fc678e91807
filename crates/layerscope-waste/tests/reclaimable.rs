//! The honest figure: what ships but cannot be seen, and who hid it.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use layerscope_waste::{HideKind, analyze};
use support::E::{D, F};
use support::image;

fn copies(
    report: &layerscope_waste::Reclaimable,
    path: &str,
) -> Vec<(usize, u64, usize, HideKind)> {
    report
        .paths
        .iter()
        .find(|p| p.path == path)
        .map(|p| {
            p.copies
                .iter()
                .map(|c| (c.layer, c.size, c.hidden_by, c.how))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn deleted_overwritten_and_opaque_hidden_copies_are_each_attributed() {
    let tree = image(&[
        &[
            D("app"),
            F("app/key.pem", 100),
            F("app/conf", 10),
            D("cache"),
            F("cache/a", 30),
            F("keep", 5),
        ],
        &[
            D("app"),
            F("app/conf", 20),
            D("cache"),
            F("cache/.wh..wh..opq", 0),
            F("cache/b", 7),
        ],
        &[D("app"), F("app/.wh.key.pem", 0)],
    ]);
    let r = analyze(&tree).reclaimable;
    assert_eq!(copies(&r, "/app/key.pem"), [(0, 100, 2, HideKind::Deleted)]);
    assert_eq!(copies(&r, "/app/conf"), [(0, 10, 1, HideKind::Overwritten)]);
    assert_eq!(copies(&r, "/cache/a"), [(0, 30, 1, HideKind::OpaqueDir)]);
    assert!(copies(&r, "/keep").is_empty() && copies(&r, "/cache/b").is_empty());
    assert_eq!(r.bytes, 140);
    assert_eq!(r.paths[0].path, "/app/key.pem", "most bytes first");
}

#[test]
fn a_duplicate_entry_in_one_layer_hides_the_first_copy() {
    let tree = image(&[&[F("x", 100), F("x", 300)]]);
    let r = analyze(&tree).reclaimable;
    assert_eq!(copies(&r, "/x"), [(0, 100, 0, HideKind::Overwritten)]);
}

#[test]
fn a_file_replacing_a_directory_hides_its_contents() {
    let tree = image(&[&[D("d"), F("d/a", 40)], &[F("d", 1)]]);
    let r = analyze(&tree).reclaimable;
    assert_eq!(copies(&r, "/d/a"), [(0, 40, 1, HideKind::Overwritten)]);
}

#[test]
fn dive_and_honest_figures_disagree_where_dive_is_wrong() {
    // rm -rf of a directory: dive sees no waste, the bytes still ship.
    let tree = image(&[
        &[D("opt"), F("opt/a", 100), F("opt/b", 200)],
        &[F(".wh.opt", 0)],
    ]);
    let report = analyze(&tree);
    assert_eq!(report.dive.wasted_bytes, 0);
    assert_eq!(report.reclaimable.bytes, 300);
}
