//! The two final filesystems compared path by path. Both trees keep each directory's children
//! sorted by name, so one walk down both at once pairs every path with its counterpart, and
//! only the paths that changed ever become strings.

use std::cmp::Ordering;

use layerscope_tree::{EntryKind, ImageTree, NodeId, ROOT, Slot, Stack};

use crate::types::{Aspect, Change, DirectoryGrowth, FileChange, Summary, Version};

/// A side's final filesystem.
pub(crate) struct Filesystem<'t> {
    pub tree: &'t ImageTree,
    pub stack: Stack<'t>,
}

impl<'t> Filesystem<'t> {
    pub fn of(tree: &'t ImageTree) -> Self {
        let stack = Stack::at(tree, tree.layers.len().saturating_sub(1));
        Filesystem { tree, stack }
    }

    fn version(&self, node: NodeId) -> Option<Version> {
        match self.stack.slot(node) {
            Slot::Absent => None,
            // A directory no entry names: there, with nothing said of it.
            Slot::Implied => Some(Version {
                kind: EntryKind::Dir,
                size: 0,
                mode: 0,
                uid: 0,
                gid: 0,
                link: None,
                layer: None,
                entry: None,
            }),
            Slot::Entry(at) => {
                let e = self.tree.entry(at);
                Some(Version {
                    kind: e.kind,
                    size: e.size,
                    mode: e.mode & 0o7777,
                    uid: e.uid,
                    gid: e.gid,
                    link: self.tree.link(e).map(str::to_owned),
                    layer: Some(at.layer as usize),
                    entry: Some(at.index),
                })
            }
        }
    }

    fn hash(&self, node: NodeId) -> u64 {
        self.stack
            .visible(node)
            .map_or(0, |at| self.tree.entry(at).hash)
    }

    /// The children present in the final filesystem, in name order.
    fn present(&self, node: Option<NodeId>) -> Vec<NodeId> {
        node.map(|n| {
            self.tree
                .children(n)
                .iter()
                .copied()
                .filter(|&c| self.stack.is_present(c))
                .collect()
        })
        .unwrap_or_default()
    }
}

/// What the walk finds.
#[derive(Default)]
pub(crate) struct Found {
    pub files: Vec<FileChange>,
    pub directories: Vec<DirectoryGrowth>,
    pub summary: Summary,
}

/// Compares the two final filesystems.
pub(crate) fn compare(old: &Filesystem<'_>, new: &Filesystem<'_>) -> Found {
    let mut found = Found::default();
    let mut path = String::new();
    // The root's own growth is the summary's; the list names the directories below it.
    let (growth, _) = walk(old, new, Some(ROOT), Some(ROOT), &mut path, &mut found);
    found.summary.growth = growth;
    found.files.sort_by(|a, b| {
        b.delta
            .unsigned_abs()
            .cmp(&a.delta.unsigned_abs())
            .then_with(|| a.path.cmp(&b.path))
    });
    found.directories.sort_by(|a, b| {
        b.growth
            .unsigned_abs()
            .cmp(&a.growth.unsigned_abs())
            .then_with(|| a.path.cmp(&b.path))
    });
    found
}

/// Walks the directory `old_dir` of OLD and `new_dir` of NEW together (either may be missing); returns the
/// bytes its subtree grew by and how many paths in it changed.
fn walk(
    old: &Filesystem<'_>,
    new: &Filesystem<'_>,
    old_dir: Option<NodeId>,
    new_dir: Option<NodeId>,
    path: &mut String,
    found: &mut Found,
) -> (i64, usize) {
    let (left, right) = (old.present(old_dir), new.present(new_dir));
    let (mut at_old, mut at_new) = (0, 0);
    let (mut growth, mut changes) = (0_i64, 0_usize);
    while at_old < left.len() || at_new < right.len() {
        let order = match (left.get(at_old), right.get(at_new)) {
            (Some(&l), Some(&r)) => old.tree.name(l).as_bytes().cmp(new.tree.name(r).as_bytes()),
            (Some(_), None) => Ordering::Less,
            (None, _) => Ordering::Greater,
        };
        let (old_node, new_node) = match order {
            Ordering::Less => (left.get(at_old).copied(), None),
            Ordering::Greater => (None, right.get(at_new).copied()),
            Ordering::Equal => (left.get(at_old).copied(), right.get(at_new).copied()),
        };
        if old_node.is_some() {
            at_old += 1;
        }
        if new_node.is_some() {
            at_new += 1;
        }
        let name = old_node.map_or_else(
            || new.tree.name(new_node.unwrap_or(ROOT)),
            |node| old.tree.name(node),
        );
        let before = path.len();
        path.push('/');
        path.push_str(name);
        let (sub_growth, sub_changes) = pair(old, new, old_node, new_node, path, found);
        growth = growth.saturating_add(sub_growth);
        changes += sub_changes;
        path.truncate(before);
    }
    (growth, changes)
}

/// One path of either side, and below it when it is a directory.
fn pair(
    old: &Filesystem<'_>,
    new: &Filesystem<'_>,
    old_node: Option<NodeId>,
    new_node: Option<NodeId>,
    path: &mut String,
    found: &mut Found,
) -> (i64, usize) {
    let (va, vb) = (
        old_node.and_then(|n| old.version(n)),
        new_node.and_then(|n| new.version(n)),
    );
    let is_dir = |v: &Option<Version>| v.as_ref().is_some_and(|v| v.kind == EntryKind::Dir);
    let weight = |v: &Option<Version>| {
        v.as_ref()
            .filter(|v| v.kind != EntryKind::Dir)
            .map_or(0, |v| v.size)
    };
    let delta = i64::try_from(weight(&vb)).unwrap_or(i64::MAX)
        - i64::try_from(weight(&va)).unwrap_or(i64::MAX);
    let change = match (&va, &vb) {
        (None, Some(_)) => Some((Change::Added, Vec::new())),
        (Some(_), None) => Some((Change::Removed, Vec::new())),
        (Some(before), Some(after)) => {
            let aspects = aspects(
                before,
                after,
                old.hash(old_node.unwrap_or(ROOT)),
                new.hash(new_node.unwrap_or(ROOT)),
            );
            (!aspects.is_empty()).then_some((Change::Modified, aspects))
        }
        (None, None) => None,
    };
    let mut changes = 0;
    if let Some((change, aspects)) = change {
        changes += 1;
        match delta.cmp(&0) {
            Ordering::Greater => {
                found.summary.bytes_added = found
                    .summary
                    .bytes_added
                    .saturating_add(delta.unsigned_abs());
            }
            Ordering::Less => {
                found.summary.bytes_removed = found
                    .summary
                    .bytes_removed
                    .saturating_add(delta.unsigned_abs());
            }
            Ordering::Equal => {}
        }
        match change {
            Change::Added => found.summary.added += 1,
            Change::Removed => found.summary.removed += 1,
            Change::Modified => found.summary.modified += 1,
        }
        found.files.push(FileChange {
            path: path.clone(),
            change,
            delta,
            aspects,
            old: va.clone(),
            new: vb.clone(),
        });
    }
    let mut growth = delta;
    if is_dir(&va) || is_dir(&vb) {
        let (sub_growth, sub_changes) = walk(
            old,
            new,
            old_node.filter(|_| is_dir(&va)),
            new_node.filter(|_| is_dir(&vb)),
            path,
            found,
        );
        growth = growth.saturating_add(sub_growth);
        changes += sub_changes;
        if sub_changes > 0 {
            found.directories.push(DirectoryGrowth {
                path: path.clone(),
                growth: sub_growth,
                changes: sub_changes,
            });
        }
    }
    (growth, changes)
}

/// What differs between two versions of a path. Directories are compared by kind, mode and
/// owner only: their contents are their children.
fn aspects(a: &Version, b: &Version, hash_a: u64, hash_b: u64) -> Vec<Aspect> {
    let mut out = Vec::new();
    if a.kind != b.kind {
        out.push(Aspect::Kind);
    }
    if a.kind == EntryKind::File
        && b.kind == EntryKind::File
        && (hash_a != hash_b || a.size != b.size)
    {
        out.push(Aspect::Content);
    }
    if a.size != b.size && a.kind != EntryKind::Dir && b.kind != EntryKind::Dir {
        out.push(Aspect::Size);
    }
    // A directory only implied on one side has no mode or owner to compare.
    let named = a.layer.is_some() && b.layer.is_some();
    if named && a.mode != b.mode {
        out.push(Aspect::Mode);
    }
    if named && (a.uid != b.uid || a.gid != b.gid) {
        out.push(Aspect::Owner);
    }
    if a.link != b.link {
        out.push(Aspect::LinkTarget);
    }
    out
}
