//! Where each layer's bytes went: one replay of the layers splits every layer's bytes into what
//! a later layer hid, what only repeated the file below, and the rest, which it added.

use std::cmp::Reverse;

use layerscope_report::{Hide, Report};
use layerscope_tree::{Change, ImageTree, NodeId, Stack, StackObserver};

/// One layer's bytes (Σ of its entries' sizes, as dive sizes a layer), split three ways. The
/// three add up to the layer's size.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct LayerBytes {
    /// Versions this layer ships that the final filesystem cannot show: a later layer (or a
    /// later entry of this one) deleted, overwrote or hid them. The image's reclaimable bytes,
    /// by the layer that ships them.
    pub hidden: u64,
    /// Versions still visible at the end that are the same file as the one below them (type,
    /// content, mode and owner): a rewrite that changed nothing.
    pub unchanged: u64,
    /// Everything else this layer ships: new files, and files whose content or metadata it
    /// changed, still visible at the end.
    pub added: u64,
}

/// Remembers, for the layer being applied, the last change the stack reported at each path.
struct LastChange {
    layer: u32,
    /// Per node: the layer (plus one) that last changed it, and how.
    last: Vec<(u32, Change)>,
}

impl StackObserver for LastChange {
    fn changed(&mut self, node: NodeId, change: Change) {
        if let Some(slot) = self.last.get_mut(node as usize) {
            *slot = (self.layer + 1, change);
        }
    }
}

/// Which of the three parts a version counts in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Added,
    Unchanged,
    /// By this layer, so.
    Hidden(u32, Hide),
}

/// One layer's split, and its largest versions with the part each counts in.
#[derive(Debug, Clone, Default)]
pub struct LayerSplit {
    pub bytes: LayerBytes,
    /// Up to [`LARGEST`] of its entries, largest first: (entry index, part).
    pub largest: Vec<(u32, Part)>,
}

/// How many of each layer's largest versions the page lists.
pub const LARGEST: usize = 8;

/// Splits every layer's bytes and returns them with the final filesystem, from one replay.
///
/// A version is hidden when the report lists it among the reclaimable files. Otherwise it is
/// the version its path shows after its layer (an earlier entry of the same path in the same
/// layer would be hidden), so the last change the stack reported at that path in that layer is
/// this entry's own: unchanged when that is [`Change::Unmodified`].
pub fn replay<'t>(report: &Report, tree: &'t ImageTree) -> (Vec<LayerSplit>, Stack<'t>) {
    let mut hidden: Vec<Vec<Option<(u32, Hide)>>> = tree
        .layers
        .iter()
        .map(|l| vec![None; l.entries.len()])
        .collect();
    for file in &report.reclaimable.files {
        let at = file.version;
        if let Some(slot) = hidden
            .get_mut(at.layer as usize)
            .and_then(|l| l.get_mut(at.index as usize))
        {
            *slot = Some((file.hidden_by.layer, file.hidden_by.how));
        }
    }
    let mut observer = LastChange {
        layer: 0,
        last: vec![(0, Change::Added); tree.node_count()],
    };
    let mut stack = Stack::new(tree);
    let mut splits = Vec::with_capacity(tree.layers.len());
    let mut sized = Vec::new();
    for (index, layer) in tree.layers.iter().enumerate() {
        observer.layer = index as u32;
        stack.apply_next(&mut observer);
        let mut split = LayerSplit::default();
        sized.clear();
        for (at, (entry, &hider)) in layer.entries.iter().zip(&hidden[index]).enumerate() {
            let part = if let Some((by, how)) = hider {
                Part::Hidden(by, how)
            } else if entry.kind.is_present()
                && observer.last.get(entry.node as usize)
                    == Some(&(index as u32 + 1, Change::Unmodified))
            {
                Part::Unchanged
            } else {
                Part::Added
            };
            let bucket = match part {
                Part::Added => &mut split.bytes.added,
                Part::Unchanged => &mut split.bytes.unchanged,
                Part::Hidden(..) => &mut split.bytes.hidden,
            };
            *bucket = bucket.saturating_add(entry.size);
            if entry.size > 0 {
                sized.push((Reverse(entry.size), at as u32, part));
            }
        }
        // The largest few, in a linear selection: a layer may hold a million entries.
        if sized.len() > LARGEST {
            sized.select_nth_unstable_by_key(LARGEST, |&(size, at, _)| (size, at));
            sized.truncate(LARGEST);
        }
        sized.sort_unstable_by_key(|&(size, at, _)| (size, at));
        split.largest = sized.iter().map(|&(_, at, part)| (at, part)).collect();
        splits.push(split);
    }
    (splits, stack)
}
