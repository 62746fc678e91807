//! Where each layer's bytes went: one replay of the layers splits every layer's bytes into what
//! a later layer hid, what only repeated the file below, and the rest, which it added.

use layerscope_report::Report;
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

/// Splits every layer's bytes and returns them with the final filesystem, from one replay.
///
/// A version is hidden when the report lists it among the reclaimable files. Otherwise it is
/// the version its path shows after its layer (an earlier entry of the same path in the same
/// layer would be hidden), so the last change the stack reported at that path in that layer is
/// this entry's own: unchanged when that is [`Change::Unmodified`].
pub fn replay<'t>(report: &Report, tree: &'t ImageTree) -> (Vec<LayerBytes>, Stack<'t>) {
    let mut hidden: Vec<Vec<bool>> = tree
        .layers
        .iter()
        .map(|l| vec![false; l.entries.len()])
        .collect();
    for file in &report.reclaimable.files {
        let at = file.version;
        if let Some(flag) = hidden
            .get_mut(at.layer as usize)
            .and_then(|l| l.get_mut(at.index as usize))
        {
            *flag = true;
        }
    }
    let mut observer = LastChange {
        layer: 0,
        last: vec![(0, Change::Added); tree.node_count()],
    };
    let mut stack = Stack::new(tree);
    let mut split = Vec::with_capacity(tree.layers.len());
    for (index, layer) in tree.layers.iter().enumerate() {
        observer.layer = index as u32;
        stack.apply_next(&mut observer);
        let mut bytes = LayerBytes::default();
        for (entry, &is_hidden) in layer.entries.iter().zip(&hidden[index]) {
            let bucket = if is_hidden {
                &mut bytes.hidden
            } else if entry.kind.is_present()
                && observer.last.get(entry.node as usize)
                    == Some(&(index as u32 + 1, Change::Unmodified))
            {
                &mut bytes.unchanged
            } else {
                &mut bytes.added
            };
            *bucket = bucket.saturating_add(entry.size);
        }
        split.push(bytes);
    }
    (split, stack)
}
