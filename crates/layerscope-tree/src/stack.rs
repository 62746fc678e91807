//! The filesystem as of a layer: lower layers with upper ones applied, as overlayfs and
//! `docker export` see it. Opaque directories and whiteouts are honoured, unlike dive.

use crate::entry::EntryKind;
use crate::image::{EntryRef, ImageTree, NodeId, ROOT};

/// What stands at a path once the applied layers are stacked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    Absent,
    /// A directory that exists only because something below it does (no entry names it).
    Implied,
    Entry(EntryRef),
}

/// Why a version stopped being visible: `deleted`, `overwritten` or `opaqueDir`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "camelCase")]
pub enum Hide {
    /// A whiteout removed it or a directory above it.
    Deleted,
    /// A later entry at the same path, or a non-directory at a path above it, replaced it.
    Overwritten,
    /// An opaque whiteout on a directory above it.
    OpaqueDir,
}

impl Hide {
    /// How a report says it: `deleted`, `overwritten`, `hidden by opaque dir`.
    pub fn word(self) -> &'static str {
        match self {
            Hide::Deleted => "deleted",
            Hide::Overwritten => "overwritten",
            Hide::OpaqueDir => "hidden by opaque dir",
        }
    }
}

/// How a layer changed a path, judged against the stack below it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Change {
    Added,
    Modified,
    Unmodified,
    Removed,
}

/// Told of every effect a layer has while it is applied.
pub trait StackObserver {
    /// `version` (never a directory) is no longer visible because of layer `by`.
    fn hidden(&mut self, _version: EntryRef, _by: u32, _how: Hide) {}
    /// Layer being applied changed `node` so.
    fn changed(&mut self, _node: NodeId, _change: Change) {}
}

/// Ignores everything.
impl StackObserver for () {}

/// The stacked filesystem after some prefix of the layers.
#[derive(Debug, Clone)]
pub struct Stack<'t> {
    tree: &'t ImageTree,
    top: Vec<Slot>,
    applied: usize,
}

impl<'t> Stack<'t> {
    /// The empty filesystem: only the root directory.
    pub fn new(tree: &'t ImageTree) -> Self {
        let mut top = vec![Slot::Absent; tree.node_count()];
        top[ROOT as usize] = Slot::Implied;
        Stack {
            tree,
            top,
            applied: 0,
        }
    }

    /// The filesystem as of layer `layer` (inclusive).
    pub fn at(tree: &'t ImageTree, layer: usize) -> Self {
        let mut stack = Stack::new(tree);
        while stack.applied <= layer && stack.applied < tree.layers.len() {
            stack.apply_next(&mut ());
        }
        stack
    }

    /// How many layers are applied.
    pub fn applied(&self) -> usize {
        self.applied
    }

    pub fn slot(&self, node: NodeId) -> Slot {
        self.top[node as usize]
    }

    pub fn is_present(&self, node: NodeId) -> bool {
        self.top[node as usize] != Slot::Absent
    }

    /// The entry that provides `node`, if an entry does.
    pub fn visible(&self, node: NodeId) -> Option<EntryRef> {
        match self.top[node as usize] {
            Slot::Entry(e) => Some(e),
            _ => None,
        }
    }

    /// Applies the next layer; returns false when every layer is applied.
    pub fn apply_next(&mut self, observer: &mut impl StackObserver) -> bool {
        let Some(layer) = self.tree.layers.get(self.applied) else {
            return false;
        };
        let by = self.applied as u32;
        let tree = self.tree;
        // Markers speak of the layers beneath, so they go first; then this layer's own entries.
        for e in &layer.entries {
            if e.kind == EntryKind::Opaque && self.is_present(e.node) {
                for &child in tree.children(e.node) {
                    self.remove(child, by, Hide::OpaqueDir, observer);
                }
            }
        }
        for e in &layer.entries {
            if e.kind == EntryKind::Whiteout {
                self.remove(e.node, by, Hide::Deleted, observer);
            }
        }
        for (index, e) in layer.entries.iter().enumerate() {
            if !e.kind.is_present() {
                continue;
            }
            let new = EntryRef {
                layer: by,
                index: index as u32,
            };
            self.make_parents(e.node, by, observer);
            let change = match self.top[e.node as usize] {
                Slot::Absent => Change::Added,
                Slot::Implied => {
                    if !e.kind.is_dir() {
                        self.remove_children(e.node, by, Hide::Overwritten, observer);
                    }
                    if e.kind.is_dir() {
                        Change::Unmodified
                    } else {
                        Change::Modified
                    }
                }
                Slot::Entry(old_ref) => {
                    let old = *tree.entry(old_ref);
                    if !e.kind.is_dir() {
                        self.remove_children(e.node, by, Hide::Overwritten, observer);
                    }
                    if !old.kind.is_dir() {
                        observer.hidden(old_ref, by, Hide::Overwritten);
                    }
                    if old.same_content(e) {
                        Change::Unmodified
                    } else {
                        Change::Modified
                    }
                }
            };
            self.top[e.node as usize] = Slot::Entry(new);
            observer.changed(e.node, change);
        }
        self.applied += 1;
        true
    }

    /// Parents must be directories: absent ones appear implied, non-directories are replaced.
    fn make_parents(&mut self, node: NodeId, by: u32, observer: &mut impl StackObserver) {
        let tree = self.tree;
        let mut missing = Vec::new();
        for a in tree.ancestors(node) {
            match self.top[a as usize] {
                Slot::Absent => missing.push(a),
                Slot::Entry(r) if !tree.entry(r).kind.is_dir() => {
                    observer.hidden(r, by, Hide::Overwritten);
                    missing.push(a);
                }
                _ => break,
            }
        }
        for a in missing.into_iter().rev() {
            self.top[a as usize] = Slot::Implied;
            observer.changed(a, Change::Added);
        }
    }

    fn remove_children(&mut self, node: NodeId, by: u32, how: Hide, obs: &mut impl StackObserver) {
        for &child in self.tree.children(node) {
            self.remove(child, by, how, obs);
        }
    }

    /// Removes `node` and all below it. Absent nodes have no present descendants, so the walk
    /// stops there and costs only what was visible.
    fn remove(&mut self, node: NodeId, by: u32, how: Hide, obs: &mut impl StackObserver) {
        let mut pending = vec![node];
        while let Some(n) = pending.pop() {
            let slot = std::mem::replace(&mut self.top[n as usize], Slot::Absent);
            match slot {
                Slot::Absent => continue,
                Slot::Entry(r) if !self.tree.entry(r).kind.is_dir() => obs.hidden(r, by, how),
                _ => {}
            }
            obs.changed(n, Change::Removed);
            pending.extend_from_slice(self.tree.children(n));
        }
    }
}
