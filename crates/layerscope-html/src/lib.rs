//! The report as one self-contained HTML page, for a CI artifact anyone opens in a browser:
//! the image's figures and the gate's rules, a bar per layer of what it added, left unchanged
//! and shipped hidden, a zoomable treemap of the final filesystem (or of what ships hidden),
//! the leak findings and the file tables.
//!
//! Like every view it only formats: the figures come from the [`Report`], and the tree gives
//! what only the tree knows, the final filesystem and how each layer changed it. Everything is
//! inlined (style, script, data), the page loads nothing from the network and its policy
//! forbids it, and the summary, the chart and the tables are HTML, so they read with scripts
//! off. Every name is escaped where it is written ([`escape`](crate::escape)); the script
//! builds its elements with `textContent` only. The output is a function of its input: the
//! same report gives the same bytes.

mod chart;
mod data;
mod escape;
mod findings;
mod layers;
mod number;
mod page;
mod palette;
mod summary;
mod tables;
mod treemap;

use layerscope_report::Report;
use layerscope_tree::ImageTree;

pub use layers::LayerBytes;
pub use tables::ROWS;
pub use treemap::BUDGET;

/// The page for `report`, whose image `tree` holds (the one the report was built from).
pub fn html(report: &Report, tree: &ImageTree) -> String {
    let (split, stack) = layers::replay(report, tree);
    let data = data::Data {
        version: 1,
        layers: data::layers(report, tree, &split),
        files: treemap::final_files(tree, &stack, report),
        hidden: treemap::hidden_files(tree, report),
    };
    page::write(report, &data)
}
