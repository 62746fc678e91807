//! The honest waste figure: bytes that ship in some layer's tar but that the final filesystem
//! cannot show, because a later layer deleted, replaced or hid them.

use layerscope_tree::{EntryKind, EntryRef, Hide, ImageTree, Stack, StackObserver};

use crate::efficiency::saturating_sum;
use crate::report::{HiddenBy, HiddenFile, Reclaimable};

/// One hidden version with the layer that hid it; the raw material for reports and leak scans.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HiddenVersion {
    pub version: EntryRef,
    pub hidden_by: u32,
    pub how: Hide,
}

/// Every version (any kind but directories) that the top of the image no longer shows.
pub fn hidden_versions(tree: &ImageTree) -> Vec<HiddenVersion> {
    struct Collect(Vec<HiddenVersion>);
    impl StackObserver for Collect {
        fn hidden(&mut self, version: EntryRef, by: u32, how: Hide) {
            self.0.push(HiddenVersion {
                version,
                hidden_by: by,
                how,
            });
        }
    }
    let mut collect = Collect(Vec::new());
    let mut stack = Stack::new(tree);
    while stack.apply_next(&mut collect) {}
    // Kept while the report is built, its largest moment.
    collect.0.shrink_to_fit();
    collect.0
}

/// Every hidden version but directories, with the bytes they ship. The list of hidden
/// versions is used up: it is given back as the files are made, since this is the report's
/// largest moment (at a million versions the list alone is 7.5 MB).
pub fn reclaimable(tree: &ImageTree, mut hidden: Vec<HiddenVersion>) -> Reclaimable {
    /// Versions taken between two returns of the list's spare room.
    const RELEASE: usize = 1 << 16;
    let listed = |h: &HiddenVersion| {
        let kind = tree.entry(h.version).kind;
        kind.is_present() && kind != EntryKind::Dir
    };
    // Sized first: at a million versions a doubling vector would hold twice what it needs.
    let mut files: Vec<HiddenFile> =
        Vec::with_capacity(hidden.iter().filter(|h| listed(h)).count());
    while let Some(h) = hidden.pop() {
        if hidden.len().is_multiple_of(RELEASE) {
            hidden.shrink_to_fit();
        }
        if !listed(&h) {
            continue;
        }
        let entry = tree.entry(h.version);
        files.push(HiddenFile {
            path: tree.tree_path(entry.node),
            kind: entry.kind,
            size: entry.size,
            mode: entry.mode,
            link: tree.link(entry).map(Into::into),
            layer: h.version.layer,
            hidden_by: HiddenBy {
                layer: h.hidden_by,
                how: h.how,
            },
            version: h.version,
        });
    }
    // The version breaks the last ties (a path twice in one tar), so the order is total and
    // an in-place sort, which needs no second buffer, is deterministic.
    files.sort_unstable_by(|a, b| {
        (a.hidden_by.layer, a.layer, &a.path, a.version).cmp(&(
            b.hidden_by.layer,
            b.layer,
            &b.path,
            b.version,
        ))
    });
    Reclaimable {
        bytes: saturating_sum(files.iter().map(|f| f.size)),
        files,
    }
}
