//! Hands an analysed image to the interactive explorer.

use std::sync::Arc;

use anyhow::{Context, Result};
use layerscope_leaks::LeakReport;
use layerscope_tui::{ContentReader, ImageInfo, LayerInfo};
use layerscope_waste::WasteReport;

use crate::load::Opened;
use crate::output;

/// Largest slice of one file the viewer reads.
const VIEW_LIMIT: u64 = 1 << 20;

pub fn run(opened: Opened, report: &WasteReport, leaks: &LeakReport) -> Result<()> {
    let _ = leaks;
    let keys = layerscope_tui::load_keymap(None).context("key bindings")?;
    let Opened {
        image, tree, name, ..
    } = opened;
    let info = ImageInfo {
        name: output::clean(&name),
        tags: image.tags.iter().map(|t| output::clean(t)).collect(),
        layers: image
            .layers
            .iter()
            .zip(&tree.layers)
            .map(|(l, layer)| LayerInfo {
                digest: l.blob.diff_id.to_string(),
                size_bytes: layer.size_bytes,
                command: output::clean(&l.command),
                id: layer_id(&l.blob.name, &l.blob.diff_id.hex),
            })
            .collect(),
    };
    let image = Arc::new(image);
    let content: ContentReader = Box::new(move |layer, offset, len| {
        image
            .read_at(layer, offset, len, VIEW_LIMIT)
            .map_err(|e| e.to_string())
    });
    layerscope_tui::run(info, &tree, report, content, keys)?;
    Ok(())
}

/// dive's layer id: the first component of the layer's name in the archive, or the digest when
/// the name is a blob path.
fn layer_id(name: &str, hex: &str) -> String {
    match name.split_once('/') {
        Some((first, _)) if first != "blobs" => first.to_owned(),
        _ => hex.to_owned(),
    }
}
