//! dive 0.13.1's efficiency score, wasted bytes and inefficient-file list, computed as dive
//! computes them so that existing thresholds keep their meaning — but in one linear pass, where
//! dive restacks every lower layer for each whiteout.
//!
//! dive's model differs from the real filesystem on purpose here: each layer is its own tree whose
//! leaves are counted (an empty directory is a leaf, a directory with children is not), opaque
//! markers are dropped, a directory that a layer names only implicitly loses its directory flag in
//! dive's stacked view, and a whited-out directory weighs what stood below it.

use layerscope_tree::{EntryKind, ImageTree, NodeId};

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
    let n = tree.node_count();
    let mut seen: Vec<Seen> = vec![
        Seen {
            count: 0,
            cumulative: 0,
            min: u64::MAX
        };
        n
    ];
    let mut stacked = vec![DiveNode::default(); n];
    // Per-layer scratch, stamped with the layer number so nothing is cleared between layers.
    let mut explicit = vec![0u32; n];
    let mut last_entry = vec![0u32; n];
    let mut has_child = vec![0u32; n];
    let mut visited = vec![0u32; n];
    let mut whiteout_seen = vec![0u32; n];
    let mut applied = vec![0u32; n];
    let mut subtree = Vec::new();

    for (i, layer) in tree.layers.iter().enumerate() {
        let stamp = i as u32 + 1;
        for (index, e) in layer.entries.iter().enumerate() {
            match e.kind {
                EntryKind::Whiteout => mark_ancestors(tree, e.node, stamp, &mut has_child),
                EntryKind::Opaque => mark_ancestors(tree, e.node, stamp, &mut has_child),
                _ => {
                    explicit[e.node as usize] = stamp;
                    last_entry[e.node as usize] = index as u32;
                    mark_ancestors(tree, e.node, stamp, &mut has_child);
                }
            }
        }

        // The leaves of this layer's tree, each weighed as dive weighs it.
        for e in &layer.entries {
            let node = e.node as usize;
            let size = match e.kind {
                EntryKind::Whiteout => {
                    if whiteout_seen[node] == stamp {
                        continue;
                    }
                    whiteout_seen[node] = stamp;
                    let below = stacked[node];
                    if !below.present {
                        // dive aborts the rest of the layer and subtracts a byte here; a
                        // whiteout of nothing removes nothing, so it weighs nothing.
                        continue;
                    }
                    if below.is_dir {
                        subtree_size(tree, e.node, &stacked, &mut subtree)
                    } else {
                        0
                    }
                }
                EntryKind::Opaque => {
                    // The marker is dropped, but the directory it sits in is still a node; it is
                    // a leaf of its own (size 0) when nothing else in the layer names it.
                    if explicit[node] == stamp || has_child[node] == stamp || visited[node] == stamp
                    {
                        continue;
                    }
                    visited[node] = stamp;
                    0
                }
                _ => {
                    if has_child[node] == stamp || visited[node] == stamp {
                        continue;
                    }
                    visited[node] = stamp;
                    layer.entries[last_entry[node] as usize].size
                }
            };
            let s = &mut seen[node];
            s.count += 1;
            s.cumulative += size;
            s.min = s.min.min(size);
        }

        // Stack this layer onto dive's view: removals first, then every node of the layer's tree.
        for e in &layer.entries {
            if e.kind == EntryKind::Whiteout && stacked[e.node as usize].present {
                remove_subtree(tree, e.node, &mut stacked, &mut subtree);
            }
        }
        for e in &layer.entries {
            let mut chain_start = e.node;
            if e.kind == EntryKind::Whiteout {
                match tree.parent(e.node) {
                    Some(p) => chain_start = p,
                    None => continue,
                }
            }
            let mut node = Some(chain_start);
            while let Some(cur) = node {
                if applied[cur as usize] == stamp {
                    break;
                }
                applied[cur as usize] = stamp;
                stacked[cur as usize] = if explicit[cur as usize] == stamp {
                    let last = &layer.entries[last_entry[cur as usize] as usize];
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
                node = tree.parent(cur);
            }
        }
    }

    summarize(tree, &seen)
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
    let mut total = 0;
    stack.clear();
    stack.push(node);
    while let Some(n) = stack.pop() {
        let d = stacked[n as usize];
        if !d.present {
            continue;
        }
        total += d.size;
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

fn summarize(tree: &ImageTree, seen: &[Seen]) -> DiveFigures {
    let mut min_sum: u64 = 0;
    let mut cumulative_sum: u64 = 0;
    let mut inefficient = Vec::new();
    for (node, s) in seen.iter().enumerate() {
        if s.count == 0 {
            continue;
        }
        min_sum += s.min;
        cumulative_sum += s.cumulative;
        if s.count >= 2 {
            inefficient.push(InefficientPath {
                path: tree.path(node as NodeId),
                count: s.count,
                bytes: s.cumulative,
            });
        }
    }
    inefficient.sort_by(|a, b| b.bytes.cmp(&a.bytes).then_with(|| a.path.cmp(&b.path)));
    let efficiency = if cumulative_sum == 0 {
        1.0
    } else {
        min_sum as f64 / cumulative_sum as f64
    };
    let wasted_bytes = inefficient.iter().map(|p| p.bytes).sum();
    let size_bytes: u64 = tree.layers.iter().map(|l| l.size_bytes).sum();
    let user_size_bytes: u64 = tree.layers.iter().skip(1).map(|l| l.size_bytes).sum();
    DiveFigures {
        efficiency,
        wasted_bytes,
        user_wasted_percent: wasted_bytes as f64 / user_size_bytes as f64,
        size_bytes,
        user_size_bytes,
        inefficient,
    }
}
