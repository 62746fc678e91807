//! Files that ship in a layer but that the final filesystem no longer shows.

use std::sync::Arc;

use layerscope_tree::{EntryKind, ImageTree};
use layerscope_waste::{HiddenVersion, HideKind};
use serde::Serialize;

/// A layer and the history command that made it. The command is shared: an image with half a
/// million hidden files has a dozen commands, not a million copies of them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LayerRef {
    pub layer: usize,
    pub command: Arc<str>,
}

/// The layer that made a version invisible, and how.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HiddenBy {
    pub layer: usize,
    pub command: Arc<str>,
    pub how: HideKind,
}

/// What a hidden version is; directories are never reported (their files are).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum HiddenKind {
    File,
    Symlink,
}

/// One version of one path that ships in `added.layer` but cannot be seen at the top.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HiddenFile {
    pub path: String,
    pub kind: HiddenKind,
    pub size: u64,
    /// Permission bits from the tar header (`0o600`).
    pub mode: u32,
    /// The target, for a symlink.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    pub added: LayerRef,
    pub hidden: HiddenBy,
}

/// Every hidden regular file and symlink, ordered by the layer that hid it, then by the layer
/// that added it, then by path. `layer_commands[i]` is layer `i`'s `created_by`.
pub fn hidden_files(
    tree: &ImageTree,
    hidden: &[HiddenVersion],
    layer_commands: &[String],
) -> Vec<HiddenFile> {
    let layer_commands = shared(layer_commands);
    let layer_commands = layer_commands.as_slice();
    let mut files: Vec<HiddenFile> = hidden
        .iter()
        .filter_map(|h| {
            let entry = tree.entry(h.version);
            let kind = match entry.kind {
                EntryKind::File => HiddenKind::File,
                EntryKind::Symlink => HiddenKind::Symlink,
                _ => return None,
            };
            Some(HiddenFile {
                path: tree.path(entry.node),
                kind,
                size: entry.size,
                mode: entry.mode,
                link: tree.link(entry).map(str::to_owned),
                added: layer_ref(h.version.layer as usize, layer_commands),
                hidden: hidden_by(h, layer_commands),
            })
        })
        .collect();
    files.sort_by(|a, b| {
        (a.hidden.layer, a.added.layer, &a.path).cmp(&(b.hidden.layer, b.added.layer, &b.path))
    });
    files
}

pub(crate) fn layer_ref(layer: usize, layer_commands: &[Arc<str>]) -> LayerRef {
    LayerRef {
        layer,
        command: command(layer, layer_commands),
    }
}

pub(crate) fn hidden_by(h: &HiddenVersion, layer_commands: &[Arc<str>]) -> HiddenBy {
    let layer = h.hidden_by as usize;
    HiddenBy {
        layer,
        command: command(layer, layer_commands),
        how: h.how,
    }
}

fn command(layer: usize, layer_commands: &[Arc<str>]) -> Arc<str> {
    layer_commands
        .get(layer)
        .cloned()
        .unwrap_or_else(|| Arc::from(""))
}

/// The commands once each, to be shared by every record that names them.
pub(crate) fn shared(layer_commands: &[String]) -> Vec<Arc<str>> {
    layer_commands
        .iter()
        .map(|c| Arc::from(c.as_str()))
        .collect()
}
