//! The layer-merge invariants, checked on random layers against a plain reference model.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;

use layerscope_tree::{
    EntryKind, ImageTree, NoInspector, ROOT, Slot, Stack, TarLimits, scan_layer,
};
use proptest::prelude::*;

const PATHS: [&str; 7] = ["a", "a/b", "a/c", "a/b/d", "a/b/e", "f", "f/g"];

#[derive(Debug, Clone, Copy)]
enum Op {
    File(usize, u8),
    Dir(usize),
    Whiteout(usize),
    Opaque(usize),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (0..PATHS.len(), any::<u8>()).prop_map(|(p, c)| Op::File(p, c)),
        2 => (0..PATHS.len()).prop_map(Op::Dir),
        1 => (0..PATHS.len()).prop_map(Op::Whiteout),
        1 => (0..PATHS.len()).prop_map(Op::Opaque),
    ]
}

fn tar_of(ops: &[Op]) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    for op in ops {
        let mut h = tar::Header::new_gnu();
        h.set_mode(0o644);
        let (name, kind, data): (String, tar::EntryType, Vec<u8>) = match *op {
            Op::File(p, c) => (PATHS[p].to_owned(), tar::EntryType::Regular, vec![c; 3]),
            Op::Dir(p) => (format!("{}/", PATHS[p]), tar::EntryType::Directory, vec![]),
            Op::Whiteout(p) => {
                let (dir, name) = PATHS[p].rsplit_once('/').unwrap_or(("", PATHS[p]));
                let name = if dir.is_empty() {
                    format!(".wh.{name}")
                } else {
                    format!("{dir}/.wh.{name}")
                };
                (name, tar::EntryType::Regular, vec![])
            }
            Op::Opaque(p) => (
                format!("{}/.wh..wh..opq", PATHS[p]),
                tar::EntryType::Regular,
                vec![],
            ),
        };
        h.set_entry_type(kind);
        h.set_size(data.len() as u64);
        b.append_data(&mut h, &name, data.as_slice()).unwrap();
    }
    b.into_inner().unwrap()
}

fn tree_of(layers: &[Vec<Op>]) -> ImageTree {
    ImageTree::from_scans(
        layers
            .iter()
            .map(|ops| {
                scan_layer(tar_of(ops).as_slice(), TarLimits::default(), &NoInspector).unwrap()
            })
            .collect(),
    )
    .unwrap()
}

/// What each path holds in the reference model: (layer, entry index) or an implied directory.
type Model = BTreeMap<String, Option<(u32, u32)>>;

fn below(path: &str, ancestor: &str) -> bool {
    path.starts_with(ancestor) && path.as_bytes().get(ancestor.len()) == Some(&b'/')
}

/// Applies layers the way overlayfs does, written as plainly as possible.
fn model(tree: &ImageTree) -> Model {
    let mut m: Model = BTreeMap::new();
    for (l, layer) in tree.layers.iter().enumerate() {
        for e in layer.entries.iter().filter(|e| e.kind == EntryKind::Opaque) {
            let d = tree.path(e.node);
            m.retain(|p, _| !below(p, &d));
        }
        for e in layer
            .entries
            .iter()
            .filter(|e| e.kind == EntryKind::Whiteout)
        {
            let p = tree.path(e.node);
            m.retain(|q, _| *q != p && !below(q, &p));
        }
        for (i, e) in layer
            .entries
            .iter()
            .enumerate()
            .filter(|(_, e)| e.kind.is_present())
        {
            let p = tree.path(e.node);
            for a in tree.ancestors(e.node).filter(|&a| a != ROOT) {
                let ap = tree.path(a);
                let is_dir = match m.get(&ap) {
                    Some(Some((l, i))) => {
                        tree.layers[*l as usize].entries[*i as usize].kind == EntryKind::Dir
                    }
                    Some(None) => true,
                    None => false,
                };
                if !is_dir {
                    m.insert(ap, None);
                }
            }
            if e.kind != EntryKind::Dir {
                m.retain(|q, _| !below(q, &p));
            }
            m.insert(p, Some((l as u32, i as u32)));
        }
    }
    m
}

fn stacked(tree: &ImageTree) -> Model {
    let stack = Stack::at(tree, tree.layers.len() - 1);
    let mut m = BTreeMap::new();
    for node in 1..tree.node_count() as u32 {
        match stack.slot(node) {
            Slot::Absent => {}
            Slot::Implied => {
                m.insert(tree.path(node), None);
            }
            Slot::Entry(r) => {
                m.insert(tree.path(node), Some((r.layer, r.index)));
            }
        }
    }
    m
}

proptest! {
    #[test]
    fn stacking_layer_by_layer_equals_the_reference(layers in prop::collection::vec(prop::collection::vec(op(), 0..8), 1..6)) {
        let tree = tree_of(&layers);
        prop_assert_eq!(stacked(&tree), model(&tree));
    }

    #[test]
    fn a_whiteout_removes_every_descendant(lower in prop::collection::vec(op(), 0..10), target in 0..PATHS.len()) {
        let tree = tree_of(&[lower, vec![Op::Whiteout(target)]]);
        let top = stacked(&tree);
        let p = format!("/{}", PATHS[target]);
        prop_assert!(top.keys().all(|q| *q != p && !below(q, &p)), "{:?}", top);
    }

    #[test]
    fn an_opaque_directory_hides_everything_below_it(lower in prop::collection::vec(op(), 0..10), dir in 0..PATHS.len(), upper in prop::collection::vec(op(), 0..4)) {
        let mut top_layer = vec![Op::Dir(dir), Op::Opaque(dir)];
        top_layer.extend(upper);
        let tree = tree_of(&[lower, top_layer]);
        let top = stacked(&tree);
        let d = format!("/{}", PATHS[dir]);
        for (p, held) in &top {
            if below(p, &d) && let Some((layer, _)) = held {
                prop_assert_eq!(*layer, 1, "{} survives from a lower layer", p);
            }
        }
    }
}
