//! The table of every path the layers name, and a path of it that is spelled out only when
//! printed.
//!
//! The table is shared (behind an `Arc`) by the image tree and whatever outlives the tree, such
//! as a report's lists of a million paths: each costs a node index there, not a string.

use std::cmp::Ordering;
use std::fmt;
use std::sync::Arc;

use crate::image::{NodeId, ROOT, TreeError, index};

/// Every path as a tree of interned names, with each node's children sorted by name.
#[derive(Debug, Default)]
pub struct PathTable {
    parent: Vec<NodeId>,
    name: Vec<u32>,
    names: Names,
    /// Children of each node sorted by name: `children[child_start[n]..child_start[n + 1]]`.
    child_start: Vec<u32>,
    children: Vec<NodeId>,
    /// Each node's place when the full paths are sorted as strings.
    rank: Vec<u32>,
}

/// Every distinct file name once, end to end in one string: a million names cost their bytes
/// plus four bytes each, not an allocation each.
#[derive(Debug, Clone, Default)]
pub(crate) struct Names {
    text: String,
    ends: Vec<u32>,
}

impl Names {
    pub(crate) fn get(&self, id: u32) -> &str {
        let end = self.ends[id as usize] as usize;
        let start = if id == 0 {
            0
        } else {
            self.ends[id as usize - 1] as usize
        };
        &self.text[start..end]
    }

    pub(crate) fn push(&mut self, name: &str) -> Result<u32, TreeError> {
        let id = index(self.ends.len(), "file names")?;
        let end = index(self.text.len() + name.len(), "bytes of file names")?;
        self.text.push_str(name);
        self.ends.push(end);
        Ok(id)
    }
}

impl PathTable {
    /// The table of nodes whose parent and name id are `parent[n]` and `name[n]`; node 0 is
    /// the root.
    pub(crate) fn new(mut parent: Vec<NodeId>, mut name: Vec<u32>, mut names: Names) -> PathTable {
        // Grown by doubling while the layers were read; the table is kept as long as the report.
        parent.shrink_to_fit();
        name.shrink_to_fit();
        names.text.shrink_to_fit();
        names.ends.shrink_to_fit();
        let (child_start, children) = sorted_children(&parent, &name, &names);
        let mut table = PathTable {
            parent,
            name,
            names,
            child_start,
            children,
            rank: Vec::new(),
        };
        table.rank = table.ranks();
        table
    }

    pub fn node_count(&self) -> usize {
        self.parent.len()
    }

    pub fn parent(&self, node: NodeId) -> Option<NodeId> {
        (node != ROOT).then(|| self.parent[node as usize])
    }

    pub fn name(&self, node: NodeId) -> &str {
        self.names.get(self.name[node as usize])
    }

    /// Children sorted by name (byte order), as dive lists them.
    pub fn children(&self, node: NodeId) -> &[NodeId] {
        let start = self.child_start[node as usize] as usize;
        let end = self.child_start[node as usize + 1] as usize;
        &self.children[start..end]
    }

    /// Every strict ancestor of `node`, nearest first, root last.
    pub fn ancestors(&self, node: NodeId) -> impl Iterator<Item = NodeId> + '_ {
        let mut n = node;
        std::iter::from_fn(move || {
            if n == ROOT {
                return None;
            }
            n = self.parent[n as usize];
            Some(n)
        })
    }

    /// Absolute path with a leading `/`, as dive prints it.
    pub fn path(&self, node: NodeId) -> String {
        let parts = self.parts(node);
        if parts.is_empty() {
            return "/".to_owned();
        }
        // Sized exactly: a grown string keeps its slack.
        let mut out = String::with_capacity(parts.iter().map(|p| p.len() + 1).sum());
        for part in parts.iter().rev() {
            out.push('/');
            out.push_str(part);
        }
        out
    }

    /// The names from `node` up to the root's child, nearest first.
    fn parts(&self, node: NodeId) -> Vec<&str> {
        let mut parts = Vec::new();
        let mut n = node;
        while n != ROOT {
            parts.push(self.name(n));
            n = self.parent[n as usize];
        }
        parts
    }

    /// Each node's place in the byte order of the full paths.
    ///
    /// Walking the children in name order is not quite that order: `/a/b` sorts after `/a-c`,
    /// as `-` comes before `/`. So among siblings a node stands for two keys, its name (itself)
    /// and its name followed by `/` (everything below it), and the walk takes them in key order.
    fn ranks(&self) -> Vec<u32> {
        #[derive(Clone, Copy)]
        enum Key {
            Node(NodeId),
            Below(NodeId),
        }
        let key_bytes = |key: Key| {
            let (node, slash) = match key {
                Key::Node(n) => (n, None),
                Key::Below(n) => (n, Some(b'/')),
            };
            self.name(node).bytes().chain(slash)
        };
        let below = |node: NodeId, pending: &mut Vec<Key>| {
            let start = pending.len();
            for &child in self.children(node) {
                pending.push(Key::Node(child));
                if !self.children(child).is_empty() {
                    pending.push(Key::Below(child));
                }
            }
            // Taken from the end, so sorted last key first.
            pending[start..].sort_unstable_by(|&a, &b| key_bytes(b).cmp(key_bytes(a)));
        };
        let mut rank = vec![0; self.node_count()];
        let mut next = 1;
        let mut pending = Vec::new();
        below(ROOT, &mut pending);
        while let Some(key) = pending.pop() {
            match key {
                Key::Node(node) => {
                    rank[node as usize] = next;
                    next += 1;
                }
                Key::Below(node) => below(node, &mut pending),
            }
        }
        rank
    }
}

fn sorted_children(parent: &[NodeId], name: &[u32], names: &Names) -> (Vec<u32>, Vec<NodeId>) {
    let n = parent.len();
    let mut count = vec![0u32; n + 1];
    for &p in &parent[1..] {
        count[p as usize] += 1;
    }
    let mut start = vec![0u32; n + 1];
    for i in 0..n {
        start[i + 1] = start[i] + count[i];
    }
    let mut fill = start.clone();
    let mut children = vec![0; n.saturating_sub(1)];
    for (child, &p) in parent.iter().enumerate().skip(1) {
        children[fill[p as usize] as usize] = child as NodeId;
        fill[p as usize] += 1;
    }
    for i in 0..n {
        let slice = &mut children[start[i] as usize..start[i + 1] as usize];
        slice.sort_unstable_by(|&a, &b| {
            names
                .get(name[a as usize])
                .as_bytes()
                .cmp(names.get(name[b as usize]).as_bytes())
        });
    }
    (start, children)
}

/// One absolute path of a [`PathTable`]: a node index and the shared table, spelled out
/// (`/etc/passwd`) when displayed or serialised. Paths compare as their strings do.
#[derive(Clone)]
pub struct TreePath {
    table: Arc<PathTable>,
    node: NodeId,
}

// A report holds a million of these: a node index beside the shared table.
const _: () = assert!(size_of::<TreePath>() == 16);

impl TreePath {
    pub fn new(table: Arc<PathTable>, node: NodeId) -> TreePath {
        TreePath { table, node }
    }

    /// A path no image tree holds, in a table of its own (`/x/y` or `x/y`).
    pub fn standalone(path: &str) -> TreePath {
        let relative = path.strip_prefix('/').unwrap_or(path);
        let mut names = Names::default();
        let mut parent = vec![ROOT];
        let mut name = Vec::new();
        // Neither push can fail: one name, far below the 32-bit limits.
        name.push(names.push("").unwrap_or_default());
        if !relative.is_empty() {
            parent.push(ROOT);
            name.push(names.push(relative).unwrap_or_default());
        }
        let node = (parent.len() - 1) as NodeId;
        TreePath {
            table: Arc::new(PathTable::new(parent, name, names)),
            node,
        }
    }

    pub fn node(&self) -> NodeId {
        self.node
    }
}

impl fmt::Display for TreePath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts = self.table.parts(self.node);
        if parts.is_empty() {
            return f.write_str("/");
        }
        for part in parts.iter().rev() {
            f.write_str("/")?;
            f.write_str(part)?;
        }
        Ok(())
    }
}

impl fmt::Debug for TreePath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.to_string(), f)
    }
}

impl Ord for TreePath {
    fn cmp(&self, other: &Self) -> Ordering {
        if Arc::ptr_eq(&self.table, &other.table) {
            let rank = &self.table.rank;
            rank[self.node as usize].cmp(&rank[other.node as usize])
        } else {
            self.to_string().cmp(&other.to_string())
        }
    }
}

impl PartialOrd for TreePath {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for TreePath {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for TreePath {}

impl PartialEq<str> for TreePath {
    fn eq(&self, other: &str) -> bool {
        let parts = self.table.parts(self.node);
        if parts.is_empty() {
            return other == "/";
        }
        let mut rest = other;
        for part in parts.iter().rev() {
            match rest.strip_prefix('/').and_then(|r| r.strip_prefix(part)) {
                Some(r) => rest = r,
                None => return false,
            }
        }
        rest.is_empty()
    }
}

impl PartialEq<&str> for TreePath {
    fn eq(&self, other: &&str) -> bool {
        *self == **other
    }
}

impl serde::Serialize for TreePath {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl schemars::JsonSchema for TreePath {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        String::schema_name()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        String::json_schema(generator)
    }

    fn inline_schema() -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(paths: &[&str]) -> (Arc<PathTable>, Vec<NodeId>) {
        let mut parent = vec![ROOT];
        let mut names = Names::default();
        let mut name = vec![names.push("").unwrap()];
        let mut nodes = Vec::new();
        for path in paths {
            let mut at = ROOT;
            for part in path.trim_start_matches('/').split('/') {
                let existing = (0..parent.len())
                    .find(|&n| n != 0 && parent[n] == at && names.get(name[n]) == part);
                at = existing.map_or_else(
                    || {
                        parent.push(at);
                        name.push(names.push(part).unwrap());
                        (parent.len() - 1) as NodeId
                    },
                    |n| n as NodeId,
                );
            }
            nodes.push(at);
        }
        (Arc::new(PathTable::new(parent, name, names)), nodes)
    }

    #[test]
    fn paths_sort_as_their_strings_do() {
        let paths = [
            "/a/b", "/a-c", "/a", "/a/b/c", "/a.d/e", "/a!", "/b", "/a0/z", "/a/b-", "/é",
        ];
        let (table, nodes) = table(&paths);
        let mut refs: Vec<TreePath> = nodes
            .iter()
            .map(|&n| TreePath::new(table.clone(), n))
            .collect();
        refs.sort();
        let mut strings: Vec<&str> = paths.to_vec();
        strings.sort_unstable();
        let spelled: Vec<String> = refs.iter().map(ToString::to_string).collect();
        assert_eq!(spelled, strings);
    }

    #[test]
    fn a_standalone_path_reads_back_and_compares_by_its_string() {
        let x = TreePath::standalone("/x\nResult:PASS");
        assert_eq!(x.to_string(), "/x\nResult:PASS");
        assert_eq!(TreePath::standalone("/").to_string(), "/");
        assert_eq!(TreePath::standalone("etc/passwd"), "/etc/passwd");
        assert_ne!(TreePath::standalone("etc/passwd"), "/etc/passw");
        assert_ne!(TreePath::standalone("etc/passwd"), "/etc/passwdx");
        assert_eq!(TreePath::standalone(""), "/");
        assert!(TreePath::standalone("/a/b") > TreePath::standalone("/a-c"));
        assert_eq!(
            serde_json::to_string(&TreePath::standalone("/a\"b")).unwrap(),
            r#""/a\"b""#
        );
    }

    proptest::proptest! {
        #[test]
        fn any_paths_sort_as_their_strings_do(
            paths in proptest::collection::btree_set("/[a!./0-]{1,3}(/[a!./0-]{1,3}){0,3}", 1..40)
        ) {
            let paths: Vec<String> = paths
                .into_iter()
                .map(|p| p.split('/').filter(|s| !s.is_empty()).collect::<Vec<_>>().join("/"))
                .filter(|p| !p.is_empty())
                .map(|p| format!("/{p}"))
                .collect();
            let borrowed: Vec<&str> = paths.iter().map(String::as_str).collect();
            let (table, nodes) = table(&borrowed);
            let mut refs: Vec<TreePath> =
                nodes.iter().map(|&n| TreePath::new(table.clone(), n)).collect();
            refs.sort();
            refs.dedup();
            let mut strings = borrowed.clone();
            strings.sort_unstable();
            strings.dedup();
            let spelled: Vec<String> = refs.iter().map(ToString::to_string).collect();
            proptest::prop_assert_eq!(spelled, strings);
        }
    }
}
