//! The data the page's script draws from, embedded once as JSON: the layers with their split
//! bytes and colours, and the two treemaps. The tables are HTML already; only what needs
//! drawing is here.

use layerscope_format::{command, printable};
use layerscope_report::Report;
use serde::Serialize;

use crate::layers::LayerBytes;
use crate::palette;
use crate::treemap::Treemap;

/// Everything the script reads.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Data {
    /// The version of this object's shape.
    pub version: u32,
    pub layers: Vec<Layer>,
    /// The final filesystem, coloured by the layer that added each file.
    pub files: Treemap,
    /// What ships but is hidden, coloured by the layer that hid each version.
    pub hidden: Treemap,
}

/// One layer, bottom first.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Layer {
    pub index: usize,
    /// Its colour in the chart and both treemaps.
    pub color: String,
    /// The instruction on one line, cut short for a label.
    pub label: String,
    /// The whole command, its line breaks kept, secret values masked; empty when the history
    /// does not say.
    pub command: String,
    pub digest: String,
    /// Σ of its entries' sizes.
    pub bytes: u64,
    #[serde(flatten)]
    pub split: LayerBytes,
    /// Versions this layer hid (of any layer), and their bytes.
    pub hid_files: u64,
    pub hid_bytes: u64,
}

/// How many characters of a command a label shows.
pub const LABEL_CHARS: usize = 72;

pub fn layers(report: &Report, split: &[LayerBytes]) -> Vec<Layer> {
    let count = report.image.layers.len();
    let mut hid = vec![(0_u64, 0_u64); count];
    for file in &report.reclaimable.files {
        if let Some((files, bytes)) = hid.get_mut(file.hidden_by.layer) {
            *files += 1;
            *bytes = bytes.saturating_add(file.size);
        }
    }
    report
        .image
        .layers
        .iter()
        .enumerate()
        .map(|(index, layer)| {
            let created_by = layer.command.as_deref().unwrap_or_default();
            let (hid_files, hid_bytes) = hid.get(index).copied().unwrap_or_default();
            Layer {
                index,
                color: palette::color(index),
                label: label(created_by),
                command: layerscope_format::text::multi_line(command::display(created_by)),
                digest: printable(&layer.digest).into_owned(),
                bytes: layer.size_bytes,
                split: split.get(index).copied().unwrap_or_default(),
                hid_files,
                hid_bytes,
            }
        })
        .collect()
}

/// A command as a bar's label: the instruction on one line, printable, cut short.
pub fn label(created_by: &str) -> String {
    if created_by.trim().is_empty() {
        return "(no command recorded)".to_owned();
    }
    command::short(created_by, LABEL_CHARS)
}
