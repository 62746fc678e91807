//! The filesystem shown for one layer: which paths stand, how each differs from the layers it
//! is compared with, and the stacked filesystems behind that, replayed from cached checkpoints
//! instead of being built for every layer up front.

use layerscope_tree::{
    Change, EntryKind, EntryRef, ImageTree, NodeId, ROOT, Slot, Stack, StackObserver,
};

/// How a path compares with the layers below (dive's diff types), or that it is not shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mark {
    Absent,
    Unmodified,
    Modified,
    Added,
    Removed,
}

impl Mark {
    /// dive's merge of a directory's type with a child's: equal stays, anything else is Modified.
    fn merge(self, child: Mark) -> Mark {
        if self == child { self } else { Mark::Modified }
    }
}

/// Stacked filesystems at some layers, kept so that reaching any layer replays only a few.
pub struct Stacks<'t> {
    tree: &'t ImageTree,
    /// `saved[j]` is the filesystem with layers `0..=j` applied, kept every `stride` layers.
    saved: Vec<Option<Stack<'t>>>,
    stride: usize,
}

impl<'t> Stacks<'t> {
    pub fn new(tree: &'t ImageTree) -> Self {
        let layers = tree.layers.len();
        // About √n checkpoints bound both the memory kept and the layers replayed per jump.
        let stride = (layers as f64).sqrt().ceil().max(1.0) as usize;
        Stacks {
            tree,
            saved: vec![None; layers],
            stride,
        }
    }

    /// The filesystem with layers `0..=layer` applied, replayed from the nearest checkpoint or
    /// from one of `near` (the stacks on screen, since users mostly step one layer at a time).
    pub fn at(&mut self, layer: usize, near: &[&Stack<'t>]) -> Stack<'t> {
        let layer = layer.min(self.tree.layers.len().saturating_sub(1));
        let mut start: Option<&Stack<'t>> = (0..=layer)
            .rev()
            .find_map(|j| self.saved.get(j).and_then(Option::as_ref));
        for &s in near {
            if s.applied() <= layer + 1 && start.is_none_or(|k| k.applied() < s.applied()) {
                start = Some(s);
            }
        }
        let mut stack = start.map_or_else(|| Stack::new(self.tree), Clone::clone);
        let mut next = stack.applied();
        while next <= layer {
            if !stack.apply_next(&mut ()) {
                break;
            }
            if next % self.stride == 0 && self.saved.get(next).is_some_and(Option::is_none) {
                self.saved[next] = Some(stack.clone());
            }
            next += 1;
        }
        stack
    }
}

/// Collects the paths one layer touches while it is applied.
struct Touched(Vec<NodeId>);

impl StackObserver for Touched {
    fn changed(&mut self, node: NodeId, _: Change) {
        self.0.push(node);
    }
}

/// What the tree pane shows for one layer in one mode.
pub struct Snapshot<'t> {
    pub layer: usize,
    pub aggregated: bool,
    /// The filesystem as of the layer.
    pub top: Stack<'t>,
    /// What it is compared with: the layers below (per-layer) or layer 0 (aggregated).
    pub base: Stack<'t>,
    pub marks: Vec<Mark>,
}

impl<'t> Snapshot<'t> {
    pub fn build(
        tree: &'t ImageTree,
        stacks: &mut Stacks<'t>,
        layer: usize,
        aggregated: bool,
    ) -> Self {
        let base = stacks.at(0, &[]);
        let mut snap = Snapshot {
            layer: 0,
            aggregated,
            top: base.clone(),
            base,
            marks: Vec::new(),
        };
        snap.rebuild(tree, stacks, layer, aggregated);
        snap
    }

    /// Shows another layer or mode. The stacks on screen are moved or replayed from rather
    /// than copied whenever they already hold what is needed: each copy is megabytes.
    pub fn rebuild(
        &mut self,
        tree: &'t ImageTree,
        stacks: &mut Stacks<'t>,
        layer: usize,
        aggregated: bool,
    ) {
        self.layer = layer;
        self.aggregated = aggregated;
        let n = tree.node_count();
        self.marks.clear();
        self.marks.resize(n, Mark::Absent);
        if aggregated || layer == 0 {
            if self.base.applied() != 1 {
                self.base = stacks.at(0, &[&self.top, &self.base]);
            }
            if layer == 0 {
                self.top = self.base.clone();
                // Both sides are one filesystem: whatever stands is unmodified.
                for (node, mark) in self.marks.iter_mut().enumerate() {
                    if self.top.is_present(node as NodeId) {
                        *mark = Mark::Unmodified;
                    }
                }
                return;
            }
            if self.top.applied() != layer + 1 {
                self.top = stacks.at(layer, &[&self.top, &self.base]);
            }
            let mut changed = Vec::new();
            for node in 0..n as NodeId {
                let m = classify(tree, &self.top, &self.base, node);
                self.marks[node as usize] = m;
                if matches!(m, Mark::Added | Mark::Modified | Mark::Removed) {
                    changed.push(node);
                }
            }
            propagate(tree, &mut self.marks, &changed);
            return;
        }
        if self.top.applied() == layer {
            // One layer up: the filesystem on top is the new one below.
            std::mem::swap(&mut self.base, &mut self.top);
        } else if self.base.applied() != layer {
            self.base = stacks.at(layer - 1, &[&self.top, &self.base]);
        }
        self.top = self.base.clone();
        let mut touched = Touched(Vec::new());
        self.top.apply_next(&mut touched);
        for (node, mark) in self.marks.iter_mut().enumerate() {
            if self.top.is_present(node as NodeId) {
                *mark = Mark::Unmodified;
            }
        }
        let mut changed = Vec::new();
        for &node in &touched.0 {
            let m = classify(tree, &self.top, &self.base, node);
            self.marks[node as usize] = m;
            if matches!(m, Mark::Added | Mark::Modified | Mark::Removed) {
                changed.push(node);
            }
        }
        propagate(tree, &mut self.marks, &changed);
    }

    /// The version shown for a path: the one below for a removed path, else the current one.
    pub fn entry(&self, node: NodeId) -> Option<EntryRef> {
        match self.marks[node as usize] {
            Mark::Removed => self.base.visible(node),
            _ => self.top.visible(node),
        }
    }

    pub fn is_shown(&self, node: NodeId) -> bool {
        node != ROOT && self.marks[node as usize] != Mark::Absent
    }
}

/// Compares one path across the two filesystems as dive does: type, content, mode and owner.
fn classify(tree: &ImageTree, top: &Stack<'_>, base: &Stack<'_>, node: NodeId) -> Mark {
    let is_dir = |r: EntryRef| tree.entry(r).kind == EntryKind::Dir;
    match (top.slot(node), base.slot(node)) {
        (Slot::Absent, Slot::Absent) => Mark::Absent,
        (Slot::Absent, _) => Mark::Removed,
        (_, Slot::Absent) => Mark::Added,
        (Slot::Implied, Slot::Implied) => Mark::Unmodified,
        (Slot::Entry(a), Slot::Entry(b)) => {
            if a == b || tree.entry(a).same_content(tree.entry(b)) {
                Mark::Unmodified
            } else {
                Mark::Modified
            }
        }
        (Slot::Entry(r), Slot::Implied) | (Slot::Implied, Slot::Entry(r)) => {
            if is_dir(r) {
                Mark::Unmodified
            } else {
                Mark::Modified
            }
        }
    }
}

/// Folds each change into the directories above it, so a directory with a changed child is
/// marked Modified unless everything in it changed the same way.
fn propagate(tree: &ImageTree, marks: &mut [Mark], changed: &[NodeId]) {
    for &node in changed {
        let mut child = marks[node as usize];
        for a in tree.ancestors(node) {
            if a == ROOT {
                break;
            }
            let old = marks[a as usize];
            let new = old.merge(child);
            if new == old {
                // Whatever made it so already carried the change further up.
                break;
            }
            marks[a as usize] = new;
            child = new;
        }
    }
}
