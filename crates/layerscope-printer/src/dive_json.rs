//! The JSON dive 0.13.1 writes with `-j`, key for key, so scripts written for dive's export
//! keep working: each layer with its tree as dive lists it, and dive's figures. Its file lists
//! are the layers' own trees, which the report does not hold, so this view reads the trees too.

use std::collections::HashMap;

use layerscope_format::command;
use layerscope_report::{EntryKind, Report};
use layerscope_tree::{Entry, ImageTree, ROOT};
use serde_json::{Value, json};

// Go's `os.FileMode` bits, which dive writes as `fileMode`.
const MODE_DIR: u32 = 1 << 31;
const MODE_SYMLINK: u32 = 1 << 27;
const MODE_DEVICE: u32 = 1 << 26;
const MODE_NAMED_PIPE: u32 = 1 << 25;
const MODE_SETUID: u32 = 1 << 23;
const MODE_SETGID: u32 = 1 << 22;
const MODE_CHAR_DEVICE: u32 = 1 << 21;
const MODE_STICKY: u32 = 1 << 20;

/// dive's export of the image.
pub fn dive_json(report: &Report, tree: &ImageTree) -> Value {
    let layers: Vec<Value> = report
        .image
        .layers
        .iter()
        .zip(&tree.layers)
        .map(|(info, layer)| {
            json!({
                "index": info.index,
                "id": info.id,
                "digestId": info.digest,
                "sizeBytes": info.size_bytes,
                "command": command::display(info.command.as_deref().unwrap_or_default()),
                "fileList": file_list(tree, &layer.entries),
            })
        })
        .collect();
    let dive = &report.dive;
    let references: Vec<Value> = dive
        .inefficient
        .iter()
        .map(|row| json!({ "count": row.count, "sizeBytes": row.bytes, "file": row.path }))
        .collect();
    json!({
        "layer": layers,
        "image": {
            "sizeBytes": dive.size_bytes,
            "inefficientBytes": dive.wasted_bytes,
            "efficiencyScore": dive.efficiency,
            "fileReference": references,
        },
    })
}

/// One node of a layer's tree as dive builds it: whiteouts under their marker names, opaque
/// markers dropped (their directory stays), directories the layer only implies present with
/// no data.
struct Node<'t> {
    name: String,
    entry: Option<&'t Entry>,
    children: Vec<usize>,
}

fn file_list(tree: &ImageTree, entries: &[Entry]) -> Vec<Value> {
    let mut nodes = vec![Node {
        name: String::new(),
        entry: None,
        children: Vec::new(),
    }];
    let mut index: HashMap<(usize, String), usize> = HashMap::new();
    for entry in entries {
        // The chain of names from the root down to this entry.
        let mut chain: Vec<String> = tree
            .ancestors(entry.node)
            .filter(|&n| n != ROOT)
            .map(|n| tree.name(n).to_owned())
            .collect();
        chain.reverse();
        match entry.kind {
            EntryKind::Opaque => {
                if entry.node != ROOT {
                    chain.push(tree.name(entry.node).to_owned());
                }
            }
            EntryKind::Whiteout => chain.push(format!(".wh.{}", tree.name(entry.node))),
            _ => chain.push(tree.name(entry.node).to_owned()),
        }
        let mut at = 0;
        for name in chain {
            at = *index.entry((at, name.clone())).or_insert_with(|| {
                nodes.push(Node {
                    name,
                    entry: None,
                    children: Vec::new(),
                });
                let child = nodes.len() - 1;
                nodes[at].children.push(child);
                child
            });
        }
        // The last entry for a path wins, as in dive; an opaque marker only names its directory.
        if entry.kind != EntryKind::Opaque && at != 0 {
            nodes[at].entry = Some(entry);
        }
    }
    let mut out = Vec::new();
    list(tree, &nodes, 0, "", &mut out);
    out
}

/// Children before their parent, names in byte order: dive's depth-first walk.
fn list(tree: &ImageTree, nodes: &[Node<'_>], at: usize, path: &str, out: &mut Vec<Value>) {
    let mut children = nodes[at].children.clone();
    children.sort_by(|&a, &b| nodes[a].name.as_bytes().cmp(nodes[b].name.as_bytes()));
    for child in children {
        let child_path = if path.is_empty() {
            nodes[child].name.clone()
        } else {
            format!("{path}/{}", nodes[child].name)
        };
        list(tree, nodes, child, &child_path, out);
        out.push(match nodes[child].entry {
            Some(entry) => file(tree, entry, &child_path),
            None => json!({
                "path": "", "typeFlag": 0, "linkName": "", "size": 0,
                "fileMode": 0, "uid": 0, "gid": 0, "isDir": false,
            }),
        });
    }
}

fn file(tree: &ImageTree, entry: &Entry, path: &str) -> Value {
    json!({
        "path": path,
        "typeFlag": entry.kind.type_flag(),
        "linkName": tree.link(entry).unwrap_or_default(),
        "size": entry.size,
        "fileMode": go_mode(entry),
        "uid": entry.uid,
        "gid": entry.gid,
        "isDir": entry.kind == EntryKind::Dir,
    })
}

/// The mode as Go's archive/tar gives it: the permission bits, the set-id and sticky bits
/// moved to Go's places, and the type bit of the entry's kind.
fn go_mode(entry: &Entry) -> u32 {
    let mut mode = entry.mode & 0o777;
    for (bit, go) in [
        (0o4000, MODE_SETUID),
        (0o2000, MODE_SETGID),
        (0o1000, MODE_STICKY),
    ] {
        if entry.mode & bit != 0 {
            mode |= go;
        }
    }
    mode | match entry.kind {
        EntryKind::Dir => MODE_DIR,
        EntryKind::Symlink => MODE_SYMLINK,
        EntryKind::Char => MODE_DEVICE | MODE_CHAR_DEVICE,
        EntryKind::Block => MODE_DEVICE,
        EntryKind::Fifo => MODE_NAMED_PIPE,
        EntryKind::File | EntryKind::Hardlink | EntryKind::Whiteout | EntryKind::Opaque => 0,
    }
}
