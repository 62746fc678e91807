//! The honest figure: what ships but cannot be seen, and who hid it.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use layerscope_tree::ImageTree;
use layerscope_waste::{Hide, Reclaimable, dive_figures, hidden_versions, reclaimable};

use support::E::{D, F};
use support::image;

fn analyze(tree: &ImageTree) -> Reclaimable {
    reclaimable(tree, hidden_versions(tree))
}

fn copies(report: &Reclaimable, path: &str) -> Vec<(u32, u64, u32, Hide)> {
    report
        .files
        .iter()
        .filter(|f| f.path == path)
        .map(|f| (f.layer, f.size, f.hidden_by.layer, f.hidden_by.how))
        .collect()
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
    let r = analyze(&tree);
    assert_eq!(copies(&r, "/app/key.pem"), [(0, 100, 2, Hide::Deleted)]);
    assert_eq!(copies(&r, "/app/conf"), [(0, 10, 1, Hide::Overwritten)]);
    assert_eq!(copies(&r, "/cache/a"), [(0, 30, 1, Hide::OpaqueDir)]);
    assert!(copies(&r, "/keep").is_empty() && copies(&r, "/cache/b").is_empty());
    assert_eq!(r.bytes, 140);
    let order: Vec<String> = r.files.iter().map(|f| f.path.to_string()).collect();
    assert_eq!(
        order,
        ["/app/conf", "/cache/a", "/app/key.pem"],
        "ordered by the layer that hid them"
    );
}

#[test]
fn a_duplicate_entry_in_one_layer_hides_the_first_copy() {
    let tree = image(&[&[F("x", 100), F("x", 300)]]);
    let r = analyze(&tree);
    assert_eq!(copies(&r, "/x"), [(0, 100, 0, Hide::Overwritten)]);
}

#[test]
fn a_file_replacing_a_directory_hides_its_contents() {
    let tree = image(&[&[D("d"), F("d/a", 40)], &[F("d", 1)]]);
    let r = analyze(&tree);
    assert_eq!(copies(&r, "/d/a"), [(0, 40, 1, Hide::Overwritten)]);
}

#[test]
fn links_are_listed_but_hold_no_bytes() {
    let tree = image(&[&[F("a", 10), support::E::Sym("b", "a")], &[F(".wh.b", 0)]]);
    let r = analyze(&tree);
    assert_eq!(copies(&r, "/b"), [(0, 0, 1, Hide::Deleted)]);
    assert_eq!(r.files[0].link.as_deref(), Some("a"));
    assert_eq!(r.bytes, 0);
}

#[test]
fn dive_and_honest_figures_disagree_where_dive_is_wrong() {
    // rm -rf of a directory: dive sees no waste, the bytes still ship.
    let tree = image(&[
        &[D("opt"), F("opt/a", 100), F("opt/b", 200)],
        &[F(".wh.opt", 0)],
    ]);
    assert_eq!(dive_figures(&tree).wasted_bytes, 0);
    assert_eq!(analyze(&tree).bytes, 300);
}
