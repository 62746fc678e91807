//! The hand-built scenarios whose figures dive 0.13.1 printed (reference §1.4), reproduced.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use layerscope_waste::{DiveFigures, dive_figures};
use support::E::{D, F, Filled, Hard, Mode, Sym};
use support::image;

fn rows(f: &DiveFigures) -> Vec<(u32, u64, String)> {
    f.inefficient
        .iter()
        .map(|p| (p.count, p.bytes, p.path.to_string()))
        .collect()
}

fn owned(rows: &[(u32, u64, &str)]) -> Vec<(u32, u64, String)> {
    rows.iter().map(|&(c, b, p)| (c, b, p.to_owned())).collect()
}

fn pct(f: &DiveFigures) -> String {
    format!("{:.4}", f.efficiency * 100.0)
}

#[test]
fn probe() {
    let tree = image(&[
        &[
            D("bin"),
            F("bin/sh", 1000),
            D("etc"),
            F("etc/config.txt", 500),
            D("data"),
            F("data/big.bin", 10000),
            D("tmp"),
        ],
        &[
            D("etc"),
            F("etc/config.txt", 600),
            D("data"),
            F("data/.wh.big.bin", 0),
            D("app"),
            F("app/file.txt", 2000),
            D("tmp"),
        ],
        &[D("app"), F("app/file.txt", 2000)],
    ]);
    let f = dive_figures(&tree);
    assert_eq!(pct(&f), "21.7391");
    assert!((f.efficiency - 3500.0 / 16100.0).abs() < f64::EPSILON);
    assert_eq!(f.wasted_bytes, 15100);
    assert_eq!(f.user_size_bytes, 4600);
    assert_eq!(format!("{:.4}", f.user_wasted_percent * 100.0), "328.2609");
    assert_eq!(
        rows(&f),
        owned(&[
            (2, 10000, "/data/big.bin"),
            (2, 4000, "/app/file.txt"),
            (2, 1100, "/etc/config.txt"),
            (2, 0, "/tmp")
        ])
    );
}

#[test]
fn s2_removing_a_directory_goes_uncounted() {
    let tree = image(&[
        &[D("opt"), F("opt/a", 100), F("opt/b", 200)],
        &[F(".wh.opt", 0)],
    ]);
    let f = dive_figures(&tree);
    assert_eq!(pct(&f), "100.0000");
    assert_eq!(f.wasted_bytes, 0);
    assert!(f.inefficient.is_empty());
}

#[test]
fn s3_removing_a_once_empty_directory_counts_its_subtree() {
    let tree = image(&[
        &[D("opt")],
        &[D("opt"), F("opt/a", 100), F("opt/b", 200)],
        &[F(".wh.opt", 0)],
    ]);
    let f = dive_figures(&tree);
    assert_eq!(pct(&f), "50.0000");
    assert_eq!(f.wasted_bytes, 300);
    assert_eq!(rows(&f), owned(&[(2, 300, "/opt")]));
}

#[test]
fn s4_opaque_markers_are_ignored_by_the_score() {
    let tree = image(&[
        &[D("app"), F("app/old", 5000)],
        &[D("app"), F("app/.wh..wh..opq", 0), F("app/new", 100)],
    ]);
    let f = dive_figures(&tree);
    assert_eq!(pct(&f), "100.0000");
    assert_eq!(f.wasted_bytes, 0);
}

#[test]
fn s5_relinked_links_are_zero_byte_rows() {
    let tree = image(&[
        &[
            D("bin"),
            F("bin/busybox", 4000),
            Hard("bin/ls", "bin/busybox"),
            Sym("bin/sh", "busybox"),
        ],
        &[
            D("bin"),
            Hard("bin/ls", "bin/busybox"),
            Sym("bin/sh", "busybox"),
        ],
    ]);
    let f = dive_figures(&tree);
    assert_eq!(pct(&f), "100.0000");
    assert_eq!(f.wasted_bytes, 0);
    let mut r = rows(&f);
    r.sort_unstable();
    assert_eq!(r, owned(&[(2, 0, "/bin/ls"), (2, 0, "/bin/sh")]));
    assert!(f.user_wasted_percent.is_nan());
}

#[test]
fn s6_duplicates_in_one_layer_count_twice_in_its_size_once_in_its_tree() {
    let tree = image(&[&[F("x", 100), F("x", 300)], &[F("y", 10)]]);
    let f = dive_figures(&tree);
    assert_eq!(pct(&f), "100.0000");
    assert_eq!(f.wasted_bytes, 0);
    assert_eq!(tree.layers[0].size_bytes, 400);
}

#[test]
fn s7_dot_slash_names_are_the_same_path() {
    let tree = image(&[&[F("./etc/a", 100)], &[F("./etc/a", 200)]]);
    let f = dive_figures(&tree);
    assert_eq!(pct(&f), "33.3333");
    assert_eq!(rows(&f), owned(&[(2, 300, "/etc/a")]));
}

#[test]
fn s8_a_whiteout_of_nothing_weighs_nothing() {
    // dive skips the rest of the layer and subtracts a byte (99.3333 %); layerscope counts the
    // layer's other files and nothing for the orphan whiteout.
    let tree = image(&[
        &[F("a", 100)],
        &[F(".wh.nonexistent", 0), F("zz", 50)],
        &[F("zz", 50)],
    ]);
    let f = dive_figures(&tree);
    assert_eq!(pct(&f), "75.0000");
    assert_eq!(rows(&f), owned(&[(2, 100, "/zz")]));
}

#[test]
fn s12_identical_content_is_still_counted() {
    let tree = image(&[&[Filled("same", 1000, b'q')], &[Filled("same", 1000, b'q')]]);
    let f = dive_figures(&tree);
    assert_eq!(pct(&f), "50.0000");
    assert_eq!(f.wasted_bytes, 2000);
}

#[test]
fn s18_deleted_then_re_added_scores_zero() {
    let tree = image(&[&[F("x", 100)], &[F(".wh.x", 0)], &[F("x", 100)]]);
    let f = dive_figures(&tree);
    assert_eq!(pct(&f), "0.0000");
    assert_eq!(rows(&f), owned(&[(3, 200, "/x")]));
}

#[test]
fn s19_chmod_only_change_counts_the_whole_file() {
    let tree = image(&[&[Mode("run.sh", 700, 0o644)], &[Mode("run.sh", 700, 0o755)]]);
    let f = dive_figures(&tree);
    assert_eq!(f.wasted_bytes, 1400);
}

#[test]
fn empty_image_is_fully_efficient() {
    let tree = image(&[&[]]);
    let f = dive_figures(&tree);
    assert!((f.efficiency - 1.0).abs() < f64::EPSILON);
    assert!(f.user_wasted_percent.is_nan());
}
