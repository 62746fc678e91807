//! The treemaps' data: a tree of directories and files by size, small enough for a page.
//!
//! A million files cannot each be a box: the page would weigh hundreds of megabytes and no
//! screen shows them. So at most [`BUDGET`] directories and files keep a box of their own, the
//! largest ones; the rest of each directory (its small files, and its small subdirectories
//! whole) becomes one "N small files" box. The threshold is the size the budget leaves: every
//! directory and file of at least that many bytes is drawn, every smaller one is counted in its
//! directory's small-files box. An image with fewer items than the budget keeps them all.
//! Files of 0 bytes have no area and are only counted.

use std::cmp::Reverse;

use layerscope_report::{Hide, Report};
use layerscope_tree::{ImageTree, NodeId, ROOT, Stack};
use rustc_hash::FxHashMap;
use serde::Serialize;
use serde::ser::{SerializeSeq, Serializer};

/// How many directories and files keep a box of their own, per treemap.
pub const BUDGET: usize = 20_000;

/// One file version to place: what it is, where, and the layer it is coloured by.
#[derive(Debug, Clone, Copy)]
pub struct Leaf {
    pub node: NodeId,
    pub size: u64,
    /// The layer whose colour it takes.
    pub layer: u32,
    /// For a hidden version: the layer that ships it and how it was hidden.
    pub shipped: Option<(u32, Hide)>,
    /// The secret finding (its index in the report) this version holds, if any.
    pub secret: Option<u32>,
}

/// A treemap, as the page's script reads it.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Treemap {
    /// Σ of the sizes of every file in it.
    pub bytes: u64,
    /// Files of more than 0 bytes in it.
    pub files: u64,
    /// Files of 0 bytes, which have no area.
    pub empty_files: u64,
    /// Directories and files under this many bytes are drawn in their directory's
    /// small-files box; 1 when nothing is aggregated.
    pub threshold: u64,
    /// Files drawn in small-files boxes, and how many such boxes there are.
    pub small_files: u64,
    pub small_boxes: u64,
    /// The boxes, breadth first from the root, each directory's children by size (largest
    /// first) then name, so a parent always comes before its children. Each row is an array:
    /// - directory: `[parent, "d", name, bytes, layer, files]`
    /// - file: `[parent, "f", name, bytes, layer]`, and for a hidden version also
    ///   `shipped, how` (the layer whose tar holds it; `deleted`, `overwritten`, `opaqueDir`)
    /// - small files: `[parent, "s", "", bytes, layer, files]`
    ///
    /// `parent` is the row index of the directory (-1 for the root), `layer` the colour: for a
    /// file the layer that added it (hid it, in the hidden map), for a directory or a
    /// small-files box the layer that contributed most of its bytes. Names are printable.
    pub rows: Vec<Row>,
    /// The file boxes that hold a secret: `[row, rule]`.
    pub secrets: Vec<(usize, String)>,
}

/// One box of a treemap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The row of its directory; `None` for the root.
    pub parent: Option<usize>,
    pub kind: Kind,
    pub name: String,
    pub bytes: u64,
    pub layer: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Dir {
        files: u64,
    },
    File {
        shipped: Option<(u32, Hide)>,
        /// Not written with the row: [`Treemap::secrets`] lists the rows that hold one.
        secret: Option<u32>,
    },
    Small {
        files: u64,
    },
}

impl Serialize for Row {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let len = match self.kind {
            Kind::File {
                shipped: Some(_), ..
            } => 7,
            Kind::File { shipped: None, .. } => 5,
            Kind::Dir { .. } | Kind::Small { .. } => 6,
        };
        let mut seq = s.serialize_seq(Some(len))?;
        match self.parent {
            Some(parent) => seq.serialize_element(&parent)?,
            None => seq.serialize_element(&-1)?,
        }
        seq.serialize_element(match self.kind {
            Kind::Dir { .. } => "d",
            Kind::File { .. } => "f",
            Kind::Small { .. } => "s",
        })?;
        seq.serialize_element(&self.name)?;
        seq.serialize_element(&self.bytes)?;
        seq.serialize_element(&self.layer)?;
        match self.kind {
            Kind::Dir { files } | Kind::Small { files } => seq.serialize_element(&files)?,
            Kind::File {
                shipped: Some((layer, how)),
                ..
            } => {
                seq.serialize_element(&layer)?;
                seq.serialize_element(&how)?;
            }
            Kind::File { shipped: None, .. } => {}
        }
        seq.end()
    }
}

/// The versions that hold a secret, by (path, layer whose tar holds it), to the finding.
fn secrets(tree: &ImageTree, report: &Report) -> FxHashMap<(NodeId, u32), u32> {
    let mut places = FxHashMap::default();
    for (index, finding) in report.leaks.secrets.iter().enumerate() {
        for place in &finding.places {
            if let Some(node) = tree.lookup(&place.path) {
                places
                    .entry((node, place.layer as u32))
                    .or_insert(index as u32);
            }
        }
    }
    places
}

/// The final filesystem: every file the top of the image shows, coloured by the layer that
/// added the version it shows.
pub fn final_files(tree: &ImageTree, stack: &Stack<'_>, report: &Report) -> Treemap {
    let secrets = secrets(tree, report);
    let leaves = (0..tree.node_count() as NodeId)
        .filter(|&node| node != ROOT)
        .filter_map(|node| {
            let at = stack.visible(node)?;
            let entry = tree.entry(at);
            (entry.kind != layerscope_report::EntryKind::Dir).then_some(Leaf {
                node,
                size: entry.size,
                layer: at.layer,
                shipped: None,
                secret: secrets.get(&(node, at.layer)).copied(),
            })
        })
        .collect();
    with_rules(build(tree, leaves, BUDGET), report)
}

/// What ships but is hidden: every reclaimable version at its path, coloured by the layer that
/// hid it.
pub fn hidden_files(tree: &ImageTree, report: &Report) -> Treemap {
    let secrets = secrets(tree, report);
    let leaves = report
        .reclaimable
        .files
        .iter()
        .filter_map(|file| {
            let entries = &tree.layers.get(file.version.layer as usize)?.entries;
            let node = entries.get(file.version.index as usize)?.node;
            (node != ROOT).then_some(Leaf {
                node,
                size: file.size,
                layer: file.hidden_by.layer,
                shipped: Some((file.layer, file.hidden_by.how)),
                secret: secrets.get(&(node, file.layer)).copied(),
            })
        })
        .collect();
    with_rules(build(tree, leaves, BUDGET), report)
}

/// Names the secret of each box that holds one by its finding's rule.
fn with_rules(mut map: Treemap, report: &Report) -> Treemap {
    map.secrets = map
        .rows
        .iter()
        .enumerate()
        .filter_map(|(row, r)| match r.kind {
            Kind::File {
                secret: Some(finding),
                ..
            } => {
                let rule = &report.leaks.secrets.get(finding as usize)?.rule;
                Some((row, layerscope_format::printable(rule).into_owned()))
            }
            _ => None,
        })
        .collect();
    map
}

/// One directory with a box of its own, while the tree is put together.
#[derive(Default)]
struct Dir {
    bytes: u64,
    files: u64,
    /// Bytes per colouring layer, of all files below it.
    by_layer: FxHashMap<u32, u64>,
    /// Its small-files box: bytes, files, bytes per layer.
    small: (u64, u64, FxHashMap<u32, u64>),
    children: Vec<Child>,
}

#[derive(Clone, Copy)]
enum Child {
    Dir(NodeId),
    Leaf(usize),
}

/// The directories with a box of their own, found by node.
struct Kept {
    /// Per node, its index in `dirs`; `u32::MAX` for a node without a box.
    slot: Vec<u32>,
    dirs: Vec<Dir>,
}

impl Kept {
    fn get(&self, node: NodeId) -> Option<&Dir> {
        self.dirs.get(*self.slot.get(node as usize)? as usize)
    }

    fn get_mut(&mut self, node: NodeId) -> Option<&mut Dir> {
        self.dirs.get_mut(*self.slot.get(node as usize)? as usize)
    }
}

/// Lays `leaves` out as a tree of at most `budget` directories and files.
pub fn build(tree: &ImageTree, leaves: Vec<Leaf>, budget: usize) -> Treemap {
    let (leaves, empty): (Vec<Leaf>, Vec<Leaf>) = leaves.into_iter().partition(|l| l.size > 0);
    // Every directory's size and file count, from each file up through its ancestors. Arrays
    // over every node: a million files make a few million steps, each an index, not a hash.
    let nodes = tree.node_count();
    let mut bytes = vec![0_u64; nodes];
    let mut files = vec![0_u64; nodes];
    let mut seen = Vec::new();
    for leaf in &leaves {
        for dir in tree.ancestors(leaf.node) {
            let d = dir as usize;
            if files[d] == 0 {
                seen.push(dir);
            }
            bytes[d] = bytes[d].saturating_add(leaf.size);
            files[d] += 1;
        }
    }
    let threshold = threshold(
        leaves
            .iter()
            .map(|l| l.size)
            .chain(seen.iter().map(|&d| bytes[d as usize]))
            .collect(),
        budget,
    );
    // The root always has a box; a directory has one when it weighs at least the threshold
    // (a node no file lies below weighs 0, and the threshold is at least 1).
    let is_kept = |node: NodeId| node == ROOT || bytes[node as usize] >= threshold;
    seen.retain(|&d| d != ROOT && is_kept(d));
    seen.sort_unstable();
    let mut kept = Kept {
        slot: vec![u32::MAX; nodes],
        dirs: Vec::with_capacity(seen.len() + 1),
    };
    for node in std::iter::once(ROOT).chain(seen.iter().copied()) {
        kept.slot[node as usize] = kept.dirs.len() as u32;
        kept.dirs.push(Dir {
            bytes: bytes[node as usize],
            files: files[node as usize],
            ..Dir::default()
        });
    }
    drop((bytes, files));
    let mut small_files = 0;
    for (index, leaf) in leaves.iter().enumerate() {
        // The nearest directory with a box of its own takes the file: as a box, or in its
        // small-files box. A kept file's directory is always kept, being at least as large.
        let mut home = tree.parent(leaf.node).unwrap_or(ROOT);
        while kept.get(home).is_none() {
            home = tree.parent(home).unwrap_or(ROOT);
        }
        let tally = |d: &mut Dir| {
            let bytes = d.by_layer.entry(leaf.layer).or_default();
            *bytes = bytes.saturating_add(leaf.size);
        };
        if let Some(d) = kept.get_mut(home) {
            if leaf.size >= threshold {
                d.children.push(Child::Leaf(index));
            } else {
                small_files += 1;
                d.small.0 = d.small.0.saturating_add(leaf.size);
                d.small.1 += 1;
                let bytes = d.small.2.entry(leaf.layer).or_default();
                *bytes = bytes.saturating_add(leaf.size);
            }
            tally(d);
        }
        for dir in tree.ancestors(home) {
            if let Some(d) = kept.get_mut(dir) {
                tally(d);
            }
        }
    }
    for &node in &seen {
        if let Some(d) = kept.get_mut(tree.parent(node).unwrap_or(ROOT)) {
            d.children.push(Child::Dir(node));
        }
    }
    let rows = rows(tree, &leaves, &mut kept);
    Treemap {
        bytes: kept.get(ROOT).map_or(0, |d| d.bytes),
        files: leaves.len() as u64,
        empty_files: empty.len() as u64,
        threshold,
        small_files,
        small_boxes: rows
            .iter()
            .filter(|r| matches!(r.kind, Kind::Small { .. }))
            .count() as u64,
        rows,
        secrets: Vec::new(),
    }
}

/// The size under which a box goes to its directory's small-files box: one more than the
/// largest size left out when only the `budget` largest are kept (ties are left out together,
/// so at most `budget` stay).
fn threshold(mut sizes: Vec<u64>, budget: usize) -> u64 {
    if sizes.len() <= budget {
        return 1;
    }
    let (_, nth, _) = sizes.select_nth_unstable_by_key(budget, |&s| Reverse(s));
    nth.saturating_add(1)
}

/// The layer with the most bytes; the lowest of those tied, so the output never depends on
/// the order of a hash map.
fn dominant(by_layer: &FxHashMap<u32, u64>) -> u32 {
    by_layer
        .iter()
        .max_by_key(|&(&layer, &bytes)| (bytes, Reverse(layer)))
        .map_or(0, |(&layer, _)| layer)
}

/// The rows, breadth first. A queue of (node, its row) walks the kept directories.
fn rows(tree: &ImageTree, leaves: &[Leaf], dirs: &mut Kept) -> Vec<Row> {
    let mut rows = Vec::new();
    let Some(root) = dirs.get(ROOT) else {
        return rows;
    };
    rows.push(Row {
        parent: None,
        kind: Kind::Dir { files: root.files },
        name: "/".to_owned(),
        bytes: root.bytes,
        layer: dominant(&root.by_layer),
    });
    let mut queue = std::collections::VecDeque::from([(ROOT, 0_usize)]);
    while let Some((node, at)) = queue.pop_front() {
        let Some(dir) = dirs.get_mut(node) else {
            continue;
        };
        let children = std::mem::take(&mut dir.children);
        let small = std::mem::take(&mut dir.small);
        let mut boxes: Vec<(Row, Option<NodeId>)> = Vec::with_capacity(children.len() + 1);
        for child in children {
            match child {
                Child::Dir(child) => {
                    if let Some(d) = dirs.get(child) {
                        boxes.push((
                            Row {
                                parent: Some(at),
                                kind: Kind::Dir { files: d.files },
                                name: layerscope_format::printable(tree.name(child)).into_owned(),
                                bytes: d.bytes,
                                layer: dominant(&d.by_layer),
                            },
                            Some(child),
                        ));
                    }
                }
                Child::Leaf(index) => {
                    let leaf = leaves[index];
                    boxes.push((
                        Row {
                            parent: Some(at),
                            kind: Kind::File {
                                shipped: leaf.shipped,
                                secret: leaf.secret,
                            },
                            name: layerscope_format::printable(tree.name(leaf.node)).into_owned(),
                            bytes: leaf.size,
                            layer: leaf.layer,
                        },
                        None,
                    ));
                }
            }
        }
        if small.0 > 0 {
            boxes.push((
                Row {
                    parent: Some(at),
                    kind: Kind::Small { files: small.1 },
                    name: String::new(),
                    bytes: small.0,
                    layer: dominant(&small.2),
                },
                None,
            ));
        }
        boxes.sort_by(|(a, _), (b, _)| order(a, b));
        for (row, dir) in boxes {
            if let Some(dir) = dir {
                queue.push_back((dir, rows.len()));
            }
            rows.push(row);
        }
    }
    rows
}

/// Largest first, then by name; the rest only breaks ties between versions of one path.
fn order(a: &Row, b: &Row) -> std::cmp::Ordering {
    let rank = |row: &Row| match row.kind {
        Kind::Dir { .. } => (0, None),
        Kind::File { shipped, .. } => (1, shipped),
        Kind::Small { .. } => (2, None),
    };
    b.bytes
        .cmp(&a.bytes)
        .then_with(|| a.name.cmp(&b.name))
        .then_with(|| rank(a).cmp(&rank(b)))
        .then_with(|| a.layer.cmp(&b.layer))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use layerscope_testkit::{DockerSave, Entry, layer, write_temp};

    use super::*;

    /// One large file, a directory of many small ones, and a few small files at the root.
    fn tree() -> ImageTree {
        let big = vec![7_u8; 10_000];
        let small = [1_u8; 10];
        let names: Vec<String> = (0..50).map(|i| format!("many/f{i:02}")).collect();
        let mut entries = vec![
            Entry::File("big/blob", &big, 0o644),
            Entry::File("a", &small[..3], 0o644),
            Entry::File("b", &small[..4], 0o644),
            Entry::File("empty", b"", 0o644),
        ];
        entries.extend(names.iter().map(|n| Entry::File(n, &small, 0o644)));
        let save = DockerSave::new(vec![layer(&entries)]);
        let (_dir, path) = write_temp("image.tar", &save.build());
        let options = layerscope_reader::Options::default();
        layerscope_report::open(&path, &options, None).unwrap().tree
    }

    fn map(tree: &ImageTree, budget: usize) -> Treemap {
        let stack = Stack::at(tree, 0);
        let leaves = (0..tree.node_count() as NodeId)
            .filter_map(|node| {
                let at = stack.visible(node)?;
                let entry = tree.entry(at);
                (entry.kind == layerscope_report::EntryKind::File).then_some(Leaf {
                    node,
                    size: entry.size,
                    layer: at.layer,
                    shipped: None,
                    secret: None,
                })
            })
            .collect();
        build(tree, leaves, budget)
    }

    /// What holds for any budget: the budget is kept, sizes add up, every file is counted once.
    fn check(map: &Treemap, budget: usize) {
        let boxes = map
            .rows
            .iter()
            .filter(|r| !matches!(r.kind, Kind::Small { .. }))
            .count();
        assert!(
            boxes <= budget.max(1),
            "{boxes} boxes for a budget of {budget}"
        );
        assert_eq!(map.rows[0].bytes, map.bytes);
        let mut kept_files = 0;
        for (index, row) in map.rows.iter().enumerate() {
            let children = map.rows.iter().filter(|r| r.parent == Some(index));
            match row.kind {
                Kind::Dir { files } => {
                    let (bytes, counted) = children.fold((0, 0), |(b, f), r| {
                        let n = match r.kind {
                            Kind::Dir { files } | Kind::Small { files } => files,
                            Kind::File { .. } => 1,
                        };
                        (b + r.bytes, f + n)
                    });
                    assert_eq!((bytes, counted), (row.bytes, files), "{}", row.name);
                }
                Kind::File { .. } => kept_files += 1,
                Kind::Small { .. } => assert!(row.bytes < map.threshold * 50),
            }
            if index > 0 && !matches!(row.kind, Kind::Small { .. }) {
                assert!(
                    row.bytes >= map.threshold,
                    "{} under the threshold",
                    row.name
                );
            }
        }
        assert_eq!(kept_files + map.small_files, map.files);
    }

    #[test]
    fn a_small_tree_is_drawn_whole() {
        let tree = tree();
        let map = map(&tree, BUDGET);
        check(&map, BUDGET);
        assert_eq!((map.threshold, map.small_files, map.small_boxes), (1, 0, 0));
        assert_eq!((map.files, map.empty_files), (53, 1));
        assert_eq!(map.bytes, 10_000 + 3 + 4 + 500);
        let names: Vec<&str> = map.rows.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(&names[..5], ["/", "big", "many", "b", "a"]);
    }

    #[test]
    fn small_files_go_to_their_directory_box() {
        let tree = tree();
        for budget in [1, 2, 3, 4, 5, 8, 20, 50, 60] {
            check(&map(&tree, budget), budget);
        }
        // Room for the root, big/, its blob and many/: the fifty files of many/ and the two
        // at the root become one box each.
        let map = map(&tree, 4);
        assert_eq!(map.threshold, 11);
        assert_eq!((map.small_files, map.small_boxes), (52, 2));
        let small: Vec<(usize, u64, u64)> = map
            .rows
            .iter()
            .filter_map(|r| match r.kind {
                Kind::Small { files } => Some((r.parent.unwrap(), files, r.bytes)),
                _ => None,
            })
            .collect();
        assert_eq!(small, [(0, 2, 7), (2, 50, 500)]);
    }
}
