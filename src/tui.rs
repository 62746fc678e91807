//! Hands the report to the interactive explorer.

use std::sync::Arc;

use anyhow::{Context, Result};
use layerscope_report::{Opened, Report};
use layerscope_tui::{ContentReader, Keymap};

/// Largest slice of one file the viewer reads.
const VIEW_LIMIT: u64 = 1 << 20;

/// What must hold before the image is read: a terminal, and key bindings that parse.
pub fn prepare() -> Result<Keymap> {
    use std::io::IsTerminal;
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        anyhow::bail!(
            "the explorer needs a terminal; for a report run with CI=true, `layerscope ci IMAGE` or --json -"
        );
    }
    layerscope_tui::load_keymap(None).context("key bindings")
}

pub fn run(opened: Opened, report: &Report, keys: Keymap) -> Result<()> {
    let Opened { image, tree, .. } = opened;
    let image = Arc::new(image);
    let content: ContentReader = Arc::new(move |layer, offset, len, cancel| {
        image
            .read_at(layer, offset, len, VIEW_LIMIT, cancel)
            .map_err(|e| e.to_string())
    });
    layerscope_tui::run(report, &tree, content, keys)?;
    Ok(())
}
