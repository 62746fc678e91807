//! The file tree as a flat list: every shown path once, in display order, each subtree a
//! contiguous run. Rendering reads a window of it; filters and collapsing only recompute which
//! rows are visible, in one pass, never the rows themselves.

use layerscope_tree::{EntryKind, EntryRef, ImageTree, NodeId, ROOT};
use regex::bytes::Regex;

use crate::keymap::Hidden;
use crate::snapshot::{Mark, Snapshot};

/// Marks a row without a parent row (a child of `/`).
pub const NO_ROW: u32 = u32::MAX;

#[derive(Debug, Clone, Copy)]
pub struct Row {
    pub node: NodeId,
    pub parent: u32,
    /// One past the last row of this row's subtree.
    pub end: u32,
    pub mark: Mark,
    pub is_dir: bool,
    /// dive's size: a file's own, a directory's descendants (removed ones only if it is removed).
    /// With [`Sizes::Change`], the size change instead, in two's complement so that a
    /// directory's sum of its children is the signed sum: read it with [`Row::change`].
    pub size: u64,
}

impl Row {
    /// The size change a row shows with [`Sizes::Change`].
    #[allow(clippy::cast_possible_wrap, reason = "two's complement on purpose")]
    pub fn change(&self) -> i64 {
        self.size as i64
    }
}

/// What a row's size is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sizes {
    /// dive's sizes.
    Dive,
    /// How much each path grew from the layers it is compared with (a comparison of images).
    Change,
}

/// How siblings are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    Name,
    /// Largest first, ties by name, as dive's `ctrl+o`.
    Size,
}

/// Every path of the image depth-first in name order, computed once: laying out a layer is
/// then one forward sweep that skips absent subtrees, instead of a walk through the tree.
pub struct NameOrder {
    nodes: Vec<NodeId>,
    /// One past the last position of each position's subtree.
    ends: Vec<u32>,
    depth: Vec<u32>,
    /// Per position, `size << 1 | is_dir` when every version of the path agrees on both, or
    /// [`VARIES`]. Most paths have one version, so the sweep reads this array in order instead
    /// of chasing each path's entry through the stack.
    fixed: Vec<u64>,
}

const VARIES: u64 = u64::MAX;

/// `size << 1 | is_dir` of every path whose versions all agree, by node.
fn fixed_by_node(tree: &ImageTree) -> Vec<u64> {
    const UNSEEN: u64 = u64::MAX - 1;
    let mut fixed = vec![UNSEEN; tree.node_count()];
    for layer in &tree.layers {
        for e in layer.entries.iter().filter(|e| e.kind.is_present()) {
            let is_dir = e.kind == EntryKind::Dir;
            let packed = if is_dir { 1 } else { e.size << 1 };
            let slot = &mut fixed[e.node as usize];
            *slot = match *slot {
                UNSEEN => packed,
                same if same == packed => same,
                _ => VARIES,
            };
        }
    }
    for (node, slot) in fixed.iter_mut().enumerate() {
        let has_children = !tree.children(node as NodeId).is_empty();
        *slot = match *slot {
            // Named by no entry: a directory only its contents imply.
            UNSEEN => 1,
            // A non-directory that could also stand as an implied directory at some layer.
            v if v & 1 == 0 && has_children => VARIES,
            v => v,
        };
    }
    fixed
}

impl NameOrder {
    pub fn new(tree: &ImageTree) -> Self {
        let n = tree.node_count().saturating_sub(1);
        let mut nodes = Vec::with_capacity(n);
        let mut depth = Vec::with_capacity(n);
        let mut parent_pos = Vec::with_capacity(n);
        let mut pending: Vec<(NodeId, u32, u32)> = tree
            .children(ROOT)
            .iter()
            .rev()
            .map(|&c| (c, 0, NO_ROW))
            .collect();
        while let Some((node, d, parent)) = pending.pop() {
            let pos = nodes.len() as u32;
            nodes.push(node);
            depth.push(d);
            parent_pos.push(parent);
            pending.extend(tree.children(node).iter().rev().map(|&c| (c, d + 1, pos)));
        }
        let mut ends: Vec<u32> = (1..=nodes.len() as u32).collect();
        for i in (0..nodes.len()).rev() {
            if parent_pos[i] != NO_ROW {
                let p = parent_pos[i] as usize;
                ends[p] = ends[p].max(ends[i]);
            }
        }
        let by_node = fixed_by_node(tree);
        let fixed = nodes.iter().map(|&n| by_node[n as usize]).collect();
        NameOrder {
            nodes,
            ends,
            depth,
            fixed,
        }
    }
}

/// Memory reused from one layout to the next: the row lists are large, and fresh pages for
/// them cost more than filling them.
#[derive(Default)]
pub struct Scratch {
    /// Directories' children while they are sorted.
    kids: Vec<usize>,
    pending: Vec<(usize, u32)>,
    parents: Vec<u32>,
}

/// Lays out every shown path of the snapshot in name order into `rows`.
pub fn build(
    tree: &ImageTree,
    names: &NameOrder,
    snap: &Snapshot<'_>,
    sizes: Sizes,
    rows: &mut Vec<Row>,
    scratch: &mut Scratch,
) {
    rows.clear();
    // The row of the nearest shown ancestor at each depth; a shown path's parent is always shown.
    let parents = &mut scratch.parents;
    parents.clear();
    let mut i = 0;
    while i < names.nodes.len() {
        let node = names.nodes[i];
        if !snap.is_shown(node) {
            i = names.ends[i] as usize;
            continue;
        }
        let depth = names.depth[i];
        parents.truncate(depth as usize);
        let (is_dir, size) = match names.fixed[i] {
            VARIES => {
                let entry = snap.entry(node).map(|r| tree.entry(r));
                let is_dir = entry.is_none_or(|e| e.kind == EntryKind::Dir);
                (
                    is_dir,
                    if is_dir {
                        0
                    } else {
                        entry.map_or(0, |e| e.size)
                    },
                )
            }
            packed => (packed & 1 == 1, packed >> 1),
        };
        let size = match sizes {
            Sizes::Dive => size,
            Sizes::Change if is_dir => 0,
            #[allow(clippy::cast_sign_loss, reason = "two's complement, see Row::size")]
            Sizes::Change => change(tree, snap, node) as u64,
        };
        let index = rows.len() as u32;
        rows.push(Row {
            node,
            parent: parents.last().copied().unwrap_or(NO_ROW),
            end: index + 1,
            mark: snap.marks[node as usize],
            is_dir,
            size,
        });
        parents.push(index);
        i += 1;
    }
    finish(rows, sizes);
}

/// How much a file grew from the filesystem it is compared with.
fn change(tree: &ImageTree, snap: &Snapshot<'_>, node: NodeId) -> i64 {
    let size = |at: Option<EntryRef>| {
        at.map(|r| tree.entry(r))
            .filter(|e| e.kind != EntryKind::Dir)
            .map_or(0, |e| i64::try_from(e.size).unwrap_or(i64::MAX))
    };
    match snap.marks[node as usize] {
        Mark::Added | Mark::Modified => {
            size(snap.top.visible(node)) - size(snap.base.visible(node))
        }
        Mark::Removed => -size(snap.base.visible(node)),
        Mark::Unmodified | Mark::Absent => 0,
    }
}

/// Fills in subtree ends and directory sizes; children always follow their parent. A removed
/// directory counts everything below it, which is all removed; any other counts only what is
/// not removed. Directories' own sizes start at zero. A size change counts every child.
fn finish(rows: &mut [Row], sizes: Sizes) {
    for i in (0..rows.len()).rev() {
        let r = rows[i];
        if r.parent != NO_ROW {
            let p = &mut rows[r.parent as usize];
            if sizes == Sizes::Change {
                p.size = p.size.wrapping_add(r.size);
            } else if p.is_dir && (p.mark == Mark::Removed || r.mark != Mark::Removed) {
                p.size += r.size;
            }
            p.end = p.end.max(r.end);
        }
    }
}

/// Re-emits name-ordered `rows` into `out` with each directory's children largest first (for
/// a size change, the largest either way first).
pub fn by_size(rows: &[Row], sizes: Sizes, out: &mut Vec<Row>, scratch: &mut Scratch) {
    let Scratch { kids, pending, .. } = scratch;
    // Pushes the children of the rows `first..end` onto `pending` so the largest pops first.
    let push_children = |first: usize,
                         end: usize,
                         parent: u32,
                         kids: &mut Vec<usize>,
                         pending: &mut Vec<(usize, u32)>| {
        kids.clear();
        let mut c = first;
        while c < end {
            kids.push(c);
            c = rows[c].end as usize;
        }
        // Stable, so equal sizes keep the name order they were built in.
        match sizes {
            Sizes::Dive => kids.sort_by(|&a, &b| rows[b].size.cmp(&rows[a].size)),
            Sizes::Change => kids.sort_by(|&a, &b| {
                let (a, b) = (
                    rows[a].change().unsigned_abs(),
                    rows[b].change().unsigned_abs(),
                );
                b.cmp(&a)
            }),
        }
        pending.extend(kids.iter().rev().map(|&c| (c, parent)));
    };
    out.clear();
    pending.clear();
    push_children(0, rows.len(), NO_ROW, kids, pending);
    while let Some((old, parent)) = pending.pop() {
        let index = out.len() as u32;
        let mut row = rows[old];
        row.parent = parent;
        row.end = index + 1;
        out.push(row);
        push_children(old + 1, rows[old].end as usize, index, kids, pending);
    }
    for i in (0..out.len()).rev() {
        if out[i].parent != NO_ROW {
            let p = out[i].parent as usize;
            out[p].end = out[p].end.max(out[i].end);
        }
    }
}

/// What decides whether a row is visible, apart from collapsing.
pub struct Criteria<'a> {
    /// Per node, whether the path filter matches it.
    pub matched: Option<&'a [bool]>,
    pub hide: Hidden,
    /// Keeps only the paths this says yes to (versions a later layer hid).
    pub only: Option<&'a dyn Fn(NodeId) -> bool>,
}

impl Criteria<'_> {
    fn hides(&self, mark: Mark) -> bool {
        match mark {
            Mark::Added => self.hide.added,
            Mark::Removed => self.hide.removed,
            Mark::Modified => self.hide.modified,
            Mark::Unmodified => self.hide.unmodified,
            Mark::Absent => true,
        }
    }

    fn is_trivial(&self) -> bool {
        self.matched.is_none() && self.only.is_none() && self.hide == Hidden::default()
    }
}

/// The visible rows, and which of them closes its directory (for the tree glyphs).
#[derive(Debug, Default)]
pub struct Visible {
    pub shown: Vec<u32>,
    /// For each row, the last visible child it has (or [`NO_ROW`]); the slot past the end is `/`.
    last_child: Vec<u32>,
}

impl Visible {
    pub fn is_last(&self, rows: &[Row], row: u32) -> bool {
        let parent = rows[row as usize].parent;
        let slot = if parent == NO_ROW {
            rows.len()
        } else {
            parent as usize
        };
        self.last_child.get(slot) == Some(&row)
    }

    /// Recomputes visibility: a row is kept when it passes every criterion or a descendant does;
    /// a collapsed directory's subtree is skipped.
    pub fn refresh(
        &mut self,
        rows: &[Row],
        criteria: &Criteria<'_>,
        collapsed: impl Fn(NodeId) -> bool,
    ) {
        let n = rows.len();
        let mut keep = vec![criteria.is_trivial(); n];
        if !criteria.is_trivial() {
            for (i, row) in rows.iter().enumerate() {
                let pass = !criteria.hides(row.mark)
                    && criteria.matched.is_none_or(|m| m[row.node as usize])
                    && criteria.only.is_none_or(|only| only(row.node));
                if pass {
                    let mut at = i as u32;
                    while at != NO_ROW && !keep[at as usize] {
                        keep[at as usize] = true;
                        at = rows[at as usize].parent;
                    }
                }
            }
        }
        self.shown.clear();
        self.last_child.clear();
        self.last_child.resize(n + 1, NO_ROW);
        let mut i = 0;
        while i < n {
            let row = &rows[i];
            if !keep[i] {
                i = row.end as usize;
                continue;
            }
            self.shown.push(i as u32);
            let slot = if row.parent == NO_ROW {
                n
            } else {
                row.parent as usize
            };
            self.last_child[slot] = i as u32;
            i = if row.is_dir && collapsed(row.node) {
                row.end as usize
            } else {
                i + 1
            };
        }
    }
}

/// The full path of every path in the image, one per line by node, so a filter is one regex
/// scan over one string rather than a regex call per row. Built once, on first use, and valid
/// for every layer.
pub struct PathIndex {
    text: Vec<u8>,
    /// Where each node's line starts; one extra entry marks the end.
    starts: Vec<usize>,
}

impl PathIndex {
    pub fn new(tree: &ImageTree) -> Self {
        let n = tree.node_count();
        // Node order rather than name order: a node's name and its parent's line are then
        // mostly near the last ones read, where name order jumps all over memory.
        let parent_of = |node: NodeId| tree.parent(node).filter(|&p| p < node);
        // Line starts first, so the text is allocated once at its final size instead of
        // being copied as it grows. A line holds its parent's path, `/`, its name and `\n`.
        let mut starts = Vec::with_capacity(n + 1);
        let mut total = 0;
        for node in 0..n as NodeId {
            starts.push(total);
            total += match parent_of(node) {
                Some(p) => starts[p as usize + 1] - starts[p as usize] + 1,
                None if node == ROOT => 1,
                None => tree.path(node).len() + 1,
            } + tree.name(node).len();
        }
        starts.push(total);
        let mut text = Vec::with_capacity(total);
        for node in 0..n as NodeId {
            match parent_of(node) {
                Some(p) => {
                    let (start, end) = (starts[p as usize], starts[p as usize + 1] - 1);
                    text.extend_from_within(start..end);
                    text.push(b'/');
                    text.extend_from_slice(tree.name(node).as_bytes());
                }
                None if node == ROOT => {}
                // Only if a parent were numbered after its child.
                None => text.extend_from_slice(tree.path(node).as_bytes()),
            }
            text.push(b'\n');
        }
        PathIndex { text, starts }
    }

    /// Which nodes' paths the regex matches. The regex is built in multi-line mode, so `^`
    /// and `$` mean the ends of each path; a match that runs across a line end is checked
    /// again against its own path.
    pub fn matches(&self, re: &Regex) -> Vec<bool> {
        let lines = self.starts.len() - 1;
        let mut matched = vec![false; lines];
        let mut pos = 0;
        let mut line = 0;
        while pos < self.text.len() {
            let Some(m) = re.find_at(&self.text, pos) else {
                break;
            };
            // Matches come in order, so the line only moves forward.
            while line + 1 < lines && self.starts[line + 1] <= m.start() {
                line += 1;
            }
            let line_end = self.starts[line + 1] - 1;
            if m.end() <= line_end || re.is_match(&self.text[self.starts[line]..line_end]) {
                matched[line] = true;
            }
            pos = line_end + 1;
        }
        matched
    }
}
