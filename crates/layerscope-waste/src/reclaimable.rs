//! The honest waste figure: bytes that ship in some layer's tar but that the final filesystem
//! cannot show, because a later layer deleted, replaced or hid them.

use std::collections::BTreeMap;

use layerscope_tree::{EntryKind, EntryRef, Hide, ImageTree, NodeId, Stack, StackObserver};

use crate::report::{HiddenCopy, HiddenPath, HideKind, Reclaimable};

/// One hidden version with the layer that hid it; the raw material for reports and leak scans.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HiddenVersion {
    pub version: EntryRef,
    pub hidden_by: u32,
    pub how: HideKind,
}

/// Every version (any kind but directories) that the top of the image no longer shows.
pub fn hidden_versions(tree: &ImageTree) -> Vec<HiddenVersion> {
    struct Collect(Vec<HiddenVersion>);
    impl StackObserver for Collect {
        fn hidden(&mut self, version: EntryRef, by: u32, how: Hide) {
            self.0.push(HiddenVersion {
                version,
                hidden_by: by,
                how: match how {
                    Hide::Deleted => HideKind::Deleted,
                    Hide::Overwritten => HideKind::Overwritten,
                    Hide::OpaqueDir => HideKind::OpaqueDir,
                },
            });
        }
    }
    let mut collect = Collect(Vec::new());
    let mut stack = Stack::new(tree);
    while stack.apply_next(&mut collect) {}
    collect.0
}

/// Groups the hidden regular files by path, most bytes first.
pub fn reclaimable(tree: &ImageTree, hidden: &[HiddenVersion]) -> Reclaimable {
    let mut by_path: BTreeMap<NodeId, Vec<HiddenCopy>> = BTreeMap::new();
    for h in hidden {
        let entry = tree.entry(h.version);
        if entry.kind != EntryKind::File || entry.size == 0 {
            continue;
        }
        by_path.entry(entry.node).or_default().push(HiddenCopy {
            layer: h.version.layer as usize,
            size: entry.size,
            hidden_by: h.hidden_by as usize,
            how: h.how,
        });
    }
    let mut paths: Vec<HiddenPath> = by_path
        .into_iter()
        .map(|(node, mut copies)| {
            copies.sort_by_key(|c| (c.layer, c.hidden_by));
            HiddenPath {
                path: tree.path(node),
                bytes: copies.iter().map(|c| c.size).sum(),
                copies,
            }
        })
        .collect();
    paths.sort_by(|a, b| b.bytes.cmp(&a.bytes).then_with(|| a.path.cmp(&b.path)));
    Reclaimable {
        bytes: paths.iter().map(|p| p.bytes).sum(),
        paths,
    }
}
