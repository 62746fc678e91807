//! Figures no header can forge: a header-only entry (directory, link, device, fifo) weighs
//! nothing whatever size it claims, and every sum saturates. A CI gate compares these figures,
//! so a kilobyte of lying headers must not make a failing image pass.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use layerscope_testkit::{Entry, layer};
use layerscope_tree::{ImageTree, NoInspector, TarLimits, scan_layer};
use layerscope_waste::{dive_figures, hidden_versions, reclaimable};
use proptest::prelude::*;

const NAMES: [&str; 6] = ["a", "b", "a/x", "a/y", "b/z", "a/x/q"];

#[derive(Debug, Clone)]
enum Op {
    File(usize, usize),
    Whiteout(usize),
    /// A header-only entry of this type flag claiming this many bytes.
    Lie(usize, u8, u64),
}

/// The largest size a tar header holds: GNU tar and Go refuse a base-256 size past i64, and so
/// does layerscope's tar reader.
const LARGEST: u64 = i64::MAX.unsigned_abs();

fn op() -> impl Strategy<Value = Op> {
    let name = 0..NAMES.len();
    let claimed = prop_oneof![
        Just(0_u64),
        1_u64..4096,
        Just(LARGEST),
        // Past 8 GiB: written base-256, as GNU tar writes big sizes.
        (1_u64 << 33)..=LARGEST,
    ];
    prop_oneof![
        (name.clone(), 0_usize..3000).prop_map(|(n, s)| Op::File(n, s)),
        name.clone().prop_map(Op::Whiteout),
        (
            name,
            prop::sample::select(vec![b'1', b'2', b'3', b'4', b'5', b'6']),
            claimed
        )
            .prop_map(|(n, f, s)| Op::Lie(n, f, s)),
    ]
}

fn tar_of(ops: &[Op]) -> Vec<u8> {
    let data = vec![b'd'; 3000];
    let whiteouts: Vec<String> = ops
        .iter()
        .map(|op| match op {
            Op::Whiteout(n) => {
                let path = NAMES[*n];
                match path.rsplit_once('/') {
                    Some((dir, name)) => format!("{dir}/.wh.{name}"),
                    None => format!(".wh.{path}"),
                }
            }
            _ => String::new(),
        })
        .collect();
    let entries: Vec<Entry> = ops
        .iter()
        .zip(&whiteouts)
        .map(|(op, whiteout)| match *op {
            Op::File(n, size) => Entry::File(NAMES[n], &data[..size], 0o644),
            Op::Whiteout(_) => Entry::File(whiteout, b"", 0o644),
            Op::Lie(n, flag, size) => Entry::Lying(NAMES[n], flag, size),
        })
        .collect();
    layer(&entries)
}

fn tree_of(layers: &[Vec<Op>]) -> ImageTree {
    let scans = layers
        .iter()
        .map(|ops| scan_layer(tar_of(ops).as_slice(), TarLimits::default(), &NoInspector).unwrap())
        .collect();
    ImageTree::from_scans(scans).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn no_header_can_push_a_figure_out_of_range(
        layers in prop::collection::vec(prop::collection::vec(op(), 0..12), 1..5)
    ) {
        let tree = tree_of(&layers);
        let dive = dive_figures(&tree);
        let held: u64 = tree.layers.iter().map(|l| l.tar_bytes).sum();
        prop_assert!(dive.efficiency.is_finite(), "{}", dive.efficiency);
        prop_assert!((0.0..=1.0).contains(&dive.efficiency), "{}", dive.efficiency);
        // The image's size is what its layers really hold, never what a header claims.
        prop_assert!(dive.size_bytes <= held, "{} > {held}", dive.size_bytes);
        // dive counts every copy of a path seen twice, and a whited-out directory weighs what
        // stood below it again, so its waste may pass the size, but only by what the
        // whiteouts weigh: each byte is counted as its own copy and once per whiteout above it.
        let whiteouts = layers.iter().flatten().filter(|o| matches!(o, Op::Whiteout(_))).count() as u64;
        prop_assert!(
            dive.wasted_bytes <= dive.size_bytes.saturating_mul(1 + whiteouts),
            "{} > {} × {}", dive.wasted_bytes, dive.size_bytes, 1 + whiteouts
        );
        let hidden = reclaimable(&tree, hidden_versions(&tree));
        prop_assert!(hidden.bytes <= dive.size_bytes);
        prop_assert!(dive.user_size_bytes <= dive.size_bytes);
    }
}

#[test]
fn lying_headers_weigh_nothing() {
    // What made a failing image pass: directories and links claiming exabytes.
    let honest = vec![Op::File(0, 100)];
    let tree = tree_of(&[
        honest.clone(),
        vec![
            Op::File(0, 100),
            Op::Lie(1, b'5', LARGEST),
            Op::Lie(4, b'2', 1 << 62),
        ],
        vec![Op::Lie(1, b'5', LARGEST), Op::Lie(5, b'3', 1 << 40)],
    ]);
    let dive = dive_figures(&tree);
    assert_eq!(dive.size_bytes, 200);
    assert_eq!(dive.user_size_bytes, 100);
    assert_eq!(dive.wasted_bytes, 200, "only /a, twice");
    assert!((dive.efficiency - 0.5).abs() < 1e-12, "{}", dive.efficiency);
}
