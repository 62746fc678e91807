//! The data the page's script draws from, embedded once as JSON: the layers with their split
//! bytes and colours, and the two treemaps. The tables are HTML already; only what needs
//! drawing is here.

use std::cmp::Reverse;

use layerscope_format::{command, printable};
use layerscope_report::{HiddenFile, Hide, Report};
use layerscope_tree::ImageTree;
use serde::Serialize;

use crate::layers::{LARGEST, LayerBytes, LayerSplit, Part};
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
    /// Its largest versions, largest first: `[path, bytes, part]`, the part `added` or
    /// `unchanged`, or `[path, bytes, "hidden", layer that hid it, how]`.
    pub largest: Vec<Largest>,
    /// The largest versions it hid: `[path, bytes, layer that ships it, how]`.
    pub hid: Vec<(String, u64, usize, Hide)>,
}

/// One of a layer's largest versions, and the part it counts in.
#[derive(Debug, Clone)]
pub struct Largest(String, u64, Part);

impl Serialize for Largest {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let Largest(path, bytes, part) = self;
        let hidden = matches!(part, Part::Hidden(..));
        let mut seq = s.serialize_seq(Some(if hidden { 5 } else { 3 }))?;
        seq.serialize_element(path)?;
        seq.serialize_element(bytes)?;
        match *part {
            Part::Added => seq.serialize_element("added")?,
            Part::Unchanged => seq.serialize_element("unchanged")?,
            Part::Hidden(by, how) => {
                seq.serialize_element("hidden")?;
                seq.serialize_element(&by)?;
                seq.serialize_element(&how)?;
            }
        }
        seq.end()
    }
}

/// How many characters of a command a label shows.
pub const LABEL_CHARS: usize = 72;

/// Every layer as the script reads it: the report's command and size, the replay's split and
/// largest versions, and what it hid, from the reclaimable files.
pub fn layers(report: &Report, tree: &ImageTree, splits: &[LayerSplit]) -> Vec<Layer> {
    let count = report.image.layers.len();
    let mut hid = vec![(0_u64, 0_u64, Vec::new()); count];
    for file in &report.reclaimable.files {
        if let Some((files, bytes, list)) = hid.get_mut(file.hidden_by.layer as usize) {
            *files += 1;
            *bytes = bytes.saturating_add(file.size);
            if file.size > 0 {
                list.push(file);
            }
        }
    }
    for (_, _, list) in &mut hid {
        let order = |a: &&HiddenFile, b: &&HiddenFile| {
            (Reverse(a.size), &a.path, a.layer).cmp(&(Reverse(b.size), &b.path, b.layer))
        };
        if list.len() > LARGEST {
            list.select_nth_unstable_by(LARGEST, order);
            list.truncate(LARGEST);
        }
        list.sort_by(order);
    }
    report
        .image
        .layers
        .iter()
        .enumerate()
        .map(|(index, layer)| {
            let created_by = layer.command.as_deref().unwrap_or_default();
            let (hid_files, hid_bytes, hid_list) = hid.get(index).cloned().unwrap_or_default();
            let split = splits.get(index).cloned().unwrap_or_default();
            let largest = split
                .largest
                .iter()
                .filter_map(|&(at, part)| {
                    let entry = tree.layers.get(index)?.entries.get(at as usize)?;
                    let path = printable(&tree.path(entry.node)).into_owned();
                    Some(Largest(path, entry.size, part))
                })
                .collect();
            Layer {
                index,
                color: palette::color(index),
                label: label(created_by),
                command: layerscope_format::text::multi_line(command::display(created_by)),
                digest: printable(&layer.digest).into_owned(),
                bytes: layer.size_bytes,
                split: split.bytes,
                hid_files,
                hid_bytes,
                largest,
                hid: hid_list
                    .iter()
                    .map(|f| {
                        let path = printable(&f.path.to_string()).into_owned();
                        (path, f.size, f.layer as usize, f.hidden_by.how)
                    })
                    .collect(),
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
