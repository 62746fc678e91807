//! All layers of an image over one shared table of paths.

use std::hash::Hasher as _;
use std::sync::Arc;

use hashbrown::HashTable;
use rustc_hash::FxHasher;

use crate::entry::{Entry, EntryKind, NO_LINK};
use crate::paths::{Names, PathTable, TreePath};
use crate::scan::LayerScan;

/// Index of a path in the [`ImageTree`]. The root is node 0.
pub type NodeId = u32;

/// The root directory's node.
pub const ROOT: NodeId = 0;

/// One layer: its entries in tar order, each pointing at a shared path node.
#[derive(Debug, Clone, Default)]
pub struct Layer {
    pub entries: Vec<Entry>,
    /// dive's layer size: Σ of every tar header's size field.
    pub size_bytes: u64,
    /// Length of the decompressed tar.
    pub tar_bytes: u64,
}

/// Every path any layer names, as a tree of nodes, plus each layer's entries.
///
/// Names are interned once, so a path that appears in twenty layers costs one node.
#[derive(Debug, Clone)]
pub struct ImageTree {
    /// Shared with what outlives the tree (a report's paths).
    paths: Arc<PathTable>,
    links: Vec<Box<str>>,
    pub layers: Vec<Layer>,
}

/// Why the layers could not be put into one tree: a table outgrew its 32-bit indexes. Only an
/// archive built to exhaust memory gets here; checking keeps it an error, not a wrapped index.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the image has more {what} than layerscope can index ({limit})")]
pub struct TreeError {
    pub what: &'static str,
    pub limit: u64,
}

/// The largest index the tables hold; `u32::MAX` itself marks "no link".
const MAX_INDEX: u64 = u32::MAX as u64 - 1;

pub(crate) fn index(len: usize, what: &'static str) -> Result<u32, TreeError> {
    u32::try_from(len)
        .ok()
        .filter(|&i| u64::from(i) <= MAX_INDEX)
        .ok_or(TreeError {
            what,
            limit: MAX_INDEX,
        })
}

/// Builds the path table. Its two indexes hold bare ids (four bytes and a control byte a slot)
/// and read the keys from the table itself: at a million paths, maps that held their keys took
/// 40 MB, gone once the tree is built but kept by the allocator through the report's peak.
#[derive(Default)]
struct Builder {
    parent: Vec<NodeId>,
    name: Vec<u32>,
    names: Names,
    /// Name ids, by the hash of the name.
    name_ids: HashTable<u32>,
    /// Every node but the root, by the hash of its parent and name id.
    nodes: HashTable<NodeId>,
}

fn hash_name(name: &str) -> u64 {
    let mut hasher = FxHasher::default();
    hasher.write(name.as_bytes());
    hasher.finish()
}

fn hash_child(parent: NodeId, name: u32) -> u64 {
    let mut hasher = FxHasher::default();
    hasher.write_u64(u64::from(parent) << 32 | u64::from(name));
    hasher.finish()
}

impl Builder {
    fn intern_name(&mut self, name: &str) -> Result<u32, TreeError> {
        let hash = hash_name(name);
        let names = &self.names;
        if let Some(&id) = self.name_ids.find(hash, |&id| names.get(id) == name) {
            return Ok(id);
        }
        let id = self.names.push(name)?;
        let names = &self.names;
        self.name_ids
            .insert_unique(hash, id, |&id| hash_name(names.get(id)));
        Ok(id)
    }

    /// The node of `path`, created with its parents when new. Entries of one directory come
    /// together in a tar, so the last directory is remembered and most paths cost one lookup.
    fn node(&mut self, path: &str, last_dir: &mut (String, NodeId)) -> Result<NodeId, TreeError> {
        if path.is_empty() {
            return Ok(ROOT);
        }
        if let Some((dir, name)) = path.rsplit_once('/')
            && dir == last_dir.0
        {
            let parent = last_dir.1;
            return self.child(parent, name);
        }
        let node = self.walk(ROOT, path)?;
        if let Some((dir, _)) = path.rsplit_once('/') {
            last_dir.0.clear();
            last_dir.0.push_str(dir);
            last_dir.1 = self.parent[node as usize];
        }
        Ok(node)
    }

    fn child(&mut self, parent: NodeId, part: &str) -> Result<NodeId, TreeError> {
        let name = self.intern_name(part)?;
        let hash = hash_child(parent, name);
        let (parents, names) = (&self.parent, &self.name);
        let same = |&c: &NodeId| parents[c as usize] == parent && names[c as usize] == name;
        if let Some(&child) = self.nodes.find(hash, same) {
            return Ok(child);
        }
        let child = index(self.parent.len(), "paths")?;
        self.parent.push(parent);
        self.name.push(name);
        let (parents, names) = (&self.parent, &self.name);
        self.nodes.insert_unique(hash, child, |&c| {
            hash_child(parents[c as usize], names[c as usize])
        });
        Ok(child)
    }

    fn walk(&mut self, from: NodeId, path: &str) -> Result<NodeId, TreeError> {
        path.split('/')
            .try_fold(from, |node, part| self.child(node, part))
    }
}

impl ImageTree {
    /// Shares the paths of every layer's scan. Findings stay with the caller.
    pub fn from_scans<F>(scans: Vec<LayerScan<F>>) -> Result<Self, TreeError> {
        let mut b = Builder::default();
        b.parent.push(ROOT);
        let root_name = b.intern_name("")?;
        b.name.push(root_name);
        let mut links = Vec::new();
        let mut layers = Vec::with_capacity(scans.len());
        let mut last_dir = (String::new(), ROOT);
        for scan in scans {
            layers.push(scan.into_layer(|path, target| {
                let node = b.node(path, &mut last_dir)?;
                let link = match target {
                    Some(target) => {
                        let link = index(links.len(), "links")?;
                        links.push(target.into());
                        link
                    }
                    None => NO_LINK,
                };
                Ok((node, link))
            })?);
        }
        Ok(ImageTree {
            paths: Arc::new(PathTable::new(b.parent, b.name, b.names)),
            links,
            layers,
        })
    }

    pub fn node_count(&self) -> usize {
        self.paths.node_count()
    }

    pub fn parent(&self, node: NodeId) -> Option<NodeId> {
        self.paths.parent(node)
    }

    pub fn name(&self, node: NodeId) -> &str {
        self.paths.name(node)
    }

    /// Children sorted by name (byte order), as dive lists them.
    pub fn children(&self, node: NodeId) -> &[NodeId] {
        self.paths.children(node)
    }

    /// Absolute path with a leading `/`, as dive prints it.
    pub fn path(&self, node: NodeId) -> String {
        self.paths.path(node)
    }

    /// The path of `node` as a value that outlives the tree and is spelled out when printed.
    pub fn tree_path(&self, node: NodeId) -> TreePath {
        TreePath::new(Arc::clone(&self.paths), node)
    }

    /// Finds a node by path (`/etc/passwd` or `etc/passwd`).
    pub fn lookup(&self, path: &str) -> Option<NodeId> {
        let mut node = ROOT;
        for part in path.split('/').filter(|p| !p.is_empty()) {
            let kids = self.children(node);
            let i = kids
                .binary_search_by(|&c| self.name(c).as_bytes().cmp(part.as_bytes()))
                .ok()?;
            node = kids[i];
        }
        Some(node)
    }

    /// Every strict ancestor of `node`, nearest first, root last.
    pub fn ancestors(&self, node: NodeId) -> impl Iterator<Item = NodeId> + '_ {
        self.paths.ancestors(node)
    }

    /// The target of a link entry.
    pub fn link(&self, entry: &Entry) -> Option<&str> {
        (entry.link != NO_LINK).then(|| &*self.links[entry.link as usize])
    }

    /// The entry a (layer, index) pair names.
    pub fn entry(&self, at: EntryRef) -> &Entry {
        &self.layers[at.layer as usize].entries[at.index as usize]
    }

    /// Entries that stand in the filesystem, across all layers.
    pub fn version_count(&self) -> usize {
        self.layers
            .iter()
            .map(|l| l.entries.iter().filter(|e| e.kind.is_present()).count())
            .sum()
    }

    /// True when `node` lies at or below `ancestor`.
    pub fn is_within(&self, node: NodeId, ancestor: NodeId) -> bool {
        node == ancestor || self.ancestors(node).any(|a| a == ancestor)
    }
}

/// Names one entry of one layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EntryRef {
    pub layer: u32,
    pub index: u32,
}

impl EntryKind {
    pub(crate) fn is_dir(self) -> bool {
        self == EntryKind::Dir
    }
}
