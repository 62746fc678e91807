//! Both final filesystems as one two-layer tree, for the explorer: layer 0 is OLD's final
//! filesystem, layer 1 turns it into NEW's (every path added or modified, a whiteout for every
//! path removed). Seen at layer 1 against layer 0, each path is then marked added, removed,
//! modified or unmodified between the images, with the explorer's own machinery.

use std::hash::{DefaultHasher, Hash, Hasher};

use layerscope_tree::{
    EntryKind, EntryRef, ImageTree, LayerScan, NodeId, ROOT, RawEntry, Slot, Stack, TreeError,
};

use crate::types::{Change, DiffReport};

/// The merged tree, and where each of its versions' bytes are in its own image.
#[derive(Debug, Clone)]
pub struct Merged {
    pub tree: ImageTree,
    /// Per merged layer, by the `data_offset` its entries carry: the layer of that side's image
    /// that holds the bytes, and where in that layer's tar they start.
    pub sources: [Vec<(usize, u64)>; 2],
}

impl Merged {
    /// The merged layer that shows OLD, and the one that shows NEW.
    pub const OLD: usize = 0;
    pub const NEW: usize = 1;

    /// OLD and NEW (each an image's tree) with DIFF, the report that compared them.
    pub fn build(old: &ImageTree, new: &ImageTree, diff: &DiffReport) -> Result<Self, TreeError> {
        let mut sources = [Vec::new(), Vec::new()];
        let mut base = Vec::new();
        let stack = Stack::at(old, old.layers.len().saturating_sub(1));
        let mut path = String::new();
        present(old, &stack, ROOT, &mut path, &mut |path, at| {
            base.push(raw(old, at, path, &mut sources[Self::OLD]));
        });
        let mut removed = Vec::new();
        let mut changed = Vec::new();
        for file in &diff.files {
            let path = file.path.trim_start_matches('/');
            match (file.change, &file.new) {
                (Change::Removed, _) => removed.push(whiteout(path)),
                (_, Some(version)) => {
                    if let (Some(layer), Some(index)) = (version.layer, version.entry) {
                        let at = EntryRef {
                            layer: u32::try_from(layer).unwrap_or(u32::MAX),
                            index,
                        };
                        changed.push(raw(new, at, path, &mut sources[Self::NEW]));
                    } else {
                        // A directory only its contents imply, where OLD had something else.
                        changed.push(implied_dir(path));
                    }
                }
                (_, None) => {}
            }
        }
        // Deletions first, as a layer's markers speak of the layers beneath.
        removed.extend(changed);
        Self::layers(base, removed).map(|tree| Merged { tree, sources })
    }

    fn layers(base: Vec<RawEntry>, top: Vec<RawEntry>) -> Result<ImageTree, TreeError> {
        let scan = |mut entries: Vec<RawEntry>| {
            // A hard link's bytes are those of a file before it in its layer.
            entries.sort_by_key(|e| e.kind == EntryKind::Hardlink);
            let mut scan = LayerScan::<()>::default();
            scan.size_bytes = entries.iter().map(|e| e.size).sum();
            for entry in &entries {
                scan.push(entry)?;
            }
            Ok::<_, TreeError>(scan)
        };
        ImageTree::from_scans(vec![scan(base)?, scan(top)?])
    }
}

/// Calls ON with every path standing in the filesystem STACK, parents before children.
fn present(
    tree: &ImageTree,
    stack: &Stack<'_>,
    node: NodeId,
    path: &mut String,
    on: &mut impl FnMut(&str, EntryRef),
) {
    for &child in tree.children(node) {
        let slot = stack.slot(child);
        if slot == Slot::Absent {
            continue;
        }
        let before = path.len();
        if !path.is_empty() {
            path.push('/');
        }
        path.push_str(tree.name(child));
        if let Slot::Entry(at) = slot {
            on(path, at);
        }
        present(tree, stack, child, path, on);
        path.truncate(before);
    }
}

/// The version AT of TREE at PATH, its bytes recorded in SOURCES.
fn raw(tree: &ImageTree, at: EntryRef, path: &str, sources: &mut Vec<(usize, u64)>) -> RawEntry {
    let e = tree.entry(at);
    let link = tree.link(e);
    // Two links are the same link when they name the same target.
    let hash = link.map_or(e.hash, |target| {
        let mut h = DefaultHasher::new();
        target.hash(&mut h);
        h.finish()
    });
    let data_offset = sources.len() as u64;
    sources.push((at.layer as usize, e.data_offset));
    RawEntry {
        path: path.into(),
        kind: e.kind,
        mode: e.mode,
        uid: e.uid,
        gid: e.gid,
        size: e.size,
        hash,
        link: link.map(Into::into),
        data_offset,
    }
}

fn whiteout(path: &str) -> RawEntry {
    RawEntry {
        path: path.into(),
        kind: EntryKind::Whiteout,
        mode: 0,
        uid: 0,
        gid: 0,
        size: 0,
        hash: 0,
        link: None,
        data_offset: 0,
    }
}

fn implied_dir(path: &str) -> RawEntry {
    RawEntry {
        kind: EntryKind::Dir,
        mode: 0o755,
        ..whiteout(path)
    }
}
