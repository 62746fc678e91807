//! dive 0.13.1's efficiency score, wasted bytes and inefficient-file list, computed as dive
//! computes them so that existing thresholds keep their meaning — but in one linear pass, where
//! dive restacks every lower layer for each whiteout.
//!
//! dive's model differs from the real filesystem on purpose here: each layer is its own tree whose
//! leaves are counted (an empty directory is a leaf, a directory with children is not), opaque
//! markers are dropped, a directory that a layer names only implicitly loses its directory flag in
//! dive's stacked view, and a whited-out directory weighs what stood below it.

use layerscope_tree::{EntryKind, ImageTree, Layer, NodeId};

use crate::report::{DiveFigures, InefficientPath};

#[derive(Clone, Copy)]
struct Seen {
    count: u32,
    cumulative: u64,
    min: u64,
}

/// One node of dive's stacked view: present, flagged as a directory, with its header size.
#[derive(Clone, Copy, Default)]
struct DiveNode {
    present: bool,
    is_dir: bool,
    size: u64,
}

/// Computes dive's figures for the whole image.
pub fn dive_figures(tree: &ImageTree) -> DiveFigures {
    let mut walk = DiveWalk::new(tree);
    for (i, layer) in tree.layers.iter().enumerate() {
        let stamp = i as u32 + 1;
        walk.mark(layer, stamp);
        walk.weigh_leaves(layer, stamp);
        walk.stack(layer, stamp);
    }
    summarize(tree, &walk.seen)
}

/// State of the one pass over the layers. Per-layer scratch arrays are stamped with the layer
/// number, so nothing is cleared between layers.
struct DiveWalk<'t> {
    tree: &'t ImageTree,
    seen: Vec<Seen>,
    stacked: Vec<DiveNode>,
    /// This layer has an entry for the node (not a marker).
    explicit: Vec<u32>,
    /// Index of this layer's last entry for the node: duplicates keep the last, as dive does.
    last_entry: Vec<u32>,
    /// The node has something below it in this layer's tree, so it is not a leaf.
    has_child: Vec<u32>,
    weighed: Vec<u32>,
    whiteout_weighed: Vec<u32>,
    applied: Vec<u32>,
    scratch: Vec<NodeId>,
}

impl<'t> DiveWalk<'t> {
    fn new(tree: &'t ImageTree) -> Self {
        let n = tree.node_count();
        DiveWalk {
            tree,
            seen: vec![
                Seen {
                    count: 0,
                    cumulative: 0,
                    min: u64::MAX
                };
                n
            ],
            stacked: vec![DiveNode::default(); n],
            explicit: vec![0; n],
            last_entry: vec![0; n],
            has_child: vec![0; n],
            weighed: vec![0; n],
            whiteout_weighed: vec![0; n],
            applied: vec![0; n],
            scratch: Vec::new(),
        }
    }

    fn mark(&mut self, layer: &Layer, stamp: u32) {
        for (index, e) in layer.entries.iter().enumerate() {
            if e.kind.is_present() {
                self.explicit[e.node as usize] = stamp;
                self.last_entry[e.node as usize] = index as u32;
            }
            mark_ancestors(self.tree, e.node, stamp, &mut self.has_child);
        }
    }

    /// The leaves of this layer's tree, each weighed as dive weighs it.
    fn weigh_leaves(&mut self, layer: &Layer, stamp: u32) {
        for e in &layer.entries {
            let node = e.node as usize;
            let size = match e.kind {
                EntryKind::Whiteout => {
                    if self.whiteout_weighed[node] == stamp {
                        continue;
                    }
                    self.whiteout_weighed[node] = stamp;
                    let below = self.stacked[node];
                    if !below.present {
                        // dive aborts the rest of the layer and subtracts a byte here; a
                        // whiteout of nothing removes nothing, so it weighs nothing.
                        continue;
                    }
                    if below.is_dir {
                        subtree_size(self.tree, e.node, &self.stacked, &mut self.scratch)
                    } else {
                        0
                    }
                }
                EntryKind::Opaque => {
                    // The marker is dropped, but the directory it sits in is still a node; it is
                    // a leaf of its own (size 0) when nothing else in the layer names it.
                    if self.explicit[node] == stamp
                        || self.has_child[node] == stamp
                        || self.weighed[node] == stamp
                    {
                        continue;
                    }
                    self.weighed[node] = stamp;
                    0
                }
                _ => {
                    if self.has_child[node] == stamp || self.weighed[node] == stamp {
                        continue;
                    }
                    self.weighed[node] = stamp;
                    layer.entries[self.last_entry[node] as usize].size
                }
            };
            let s = &mut self.seen[node];
            // Sizes are header figures: saturating sums keep a forged archive's figures
            // within range instead of wrapping them into a passing score.
            s.count = s.count.saturating_add(1);
            s.cumulative = s.cumulative.saturating_add(size);
            s.min = s.min.min(size);
        }
    }

    /// Stacks this layer onto dive's view: removals first, then every node of the layer's tree;
    /// a node the layer names only implicitly loses its directory flag, as in dive.
    fn stack(&mut self, layer: &Layer, stamp: u32) {
        for e in &layer.entries {
            if e.kind == EntryKind::Whiteout && self.stacked[e.node as usize].present {
                remove_subtree(self.tree, e.node, &mut self.stacked, &mut self.scratch);
            }
        }
        for e in &layer.entries {
            let start = if e.kind == EntryKind::Whiteout {
                self.tree.parent(e.node)
            } else {
                Some(e.node)
            };
            let mut node = start;
            while let Some(cur) = node {
                let c = cur as usize;
                if self.applied[c] == stamp {
                    break;
                }
                self.applied[c] = stamp;
                self.stacked[c] = if self.explicit[c] == stamp {
                    let last = &layer.entries[self.last_entry[c] as usize];
                    DiveNode {
                        present: true,
                        is_dir: last.kind == EntryKind::Dir,
                        size: last.size,
                    }
                } else {
                    DiveNode {
                        present: true,
                        is_dir: false,
                        size: 0,
                    }
                };
                node = self.tree.parent(cur);
            }
        }
    }
}

fn mark_ancestors(tree: &ImageTree, node: NodeId, stamp: u32, has_child: &mut [u32]) {
    for a in tree.ancestors(node) {
        if has_child[a as usize] == stamp {
            break;
        }
        has_child[a as usize] = stamp;
    }
}

fn subtree_size(
    tree: &ImageTree,
    node: NodeId,
    stacked: &[DiveNode],
    stack: &mut Vec<NodeId>,
) -> u64 {
    let mut total: u64 = 0;
    stack.clear();
    stack.push(node);
    while let Some(n) = stack.pop() {
        let d = stacked[n as usize];
        if !d.present {
            continue;
        }
        total = total.saturating_add(d.size);
        stack.extend_from_slice(tree.children(n));
    }
    total
}

fn remove_subtree(
    tree: &ImageTree,
    node: NodeId,
    stacked: &mut [DiveNode],
    stack: &mut Vec<NodeId>,
) {
    stack.clear();
    stack.push(node);
    while let Some(n) = stack.pop() {
        if !stacked[n as usize].present {
            continue;
        }
        stacked[n as usize] = DiveNode::default();
        stack.extend_from_slice(tree.children(n));
    }
}

/// Σ that stops at `u64::MAX` instead of wrapping.
pub(crate) fn saturating_sum(values: impl IntoIterator<Item = u64>) -> u64 {
    values.into_iter().fold(0_u64, u64::saturating_add)
}

fn summarize(tree: &ImageTree, seen: &[Seen]) -> DiveFigures {
    let mut min_sum: u64 = 0;
    let mut cumulative_sum: u64 = 0;
    // Sized first: at a million paths a doubling vector would hold twice what it needs.
    let mut inefficient = Vec::with_capacity(seen.iter().filter(|s| s.count >= 2).count());
    for (node, s) in seen.iter().enumerate() {
        if s.count == 0 {
            continue;
        }
        min_sum = min_sum.saturating_add(s.min);
        cumulative_sum = cumulative_sum.saturating_add(s.cumulative);
        if s.count >= 2 {
            inefficient.push(InefficientPath {
                path: tree.tree_path(node as NodeId),
                count: s.count,
                bytes: s.cumulative,
            });
        }
    }
    // Paths are unique, so the order is total and an in-place sort gives the stable one's.
    inefficient.sort_unstable_by(|a, b| b.bytes.cmp(&a.bytes).then_with(|| a.path.cmp(&b.path)));
    let efficiency = if cumulative_sum == 0 {
        1.0
    } else {
        min_sum as f64 / cumulative_sum as f64
    };
    let wasted_bytes = saturating_sum(inefficient.iter().map(|p| p.bytes));
    let size_bytes = saturating_sum(tree.layers.iter().map(|l| l.size_bytes));
    let user_size_bytes = saturating_sum(tree.layers.iter().skip(1).map(|l| l.size_bytes));
    DiveFigures {
        efficiency,
        wasted_bytes,
        user_wasted_percent: wasted_bytes as f64 / user_size_bytes as f64,
        size_bytes,
        user_size_bytes,
        inefficient,
    }
}
