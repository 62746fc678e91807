//! Hands the report to the interactive explorer.

use std::sync::Arc;

use anyhow::{Context, Result};
use layerscope_diff::{DiffReport, Merged};
use layerscope_report::{Opened, Report};
use layerscope_tui::{ContentReader, Keymap};

/// Largest slice of one file the viewer reads.
const VIEW_LIMIT: u64 = 1 << 20;

/// Whether the explorer can take over: standard input and output are a terminal.
pub fn on_terminal() -> bool {
    use std::io::IsTerminal;
    std::io::stdout().is_terminal() && std::io::stdin().is_terminal()
}

/// What must hold before the image is read: a terminal, and key bindings that parse.
pub fn prepare() -> Result<Keymap> {
    if !on_terminal() {
        anyhow::bail!(
            "the explorer needs a terminal; for a report run with CI=true, `layerscope ci IMAGE` or --json -"
        );
    }
    layerscope_tui::load_keymap(None).context("key bindings")
}

/// The explorer on a comparison: the merged tree's layer 0 is read from the older image,
/// layer 1 from the newer.
pub fn run_diff(
    (old, new): (Opened, Opened),
    diff: &DiffReport,
    merged: Merged,
    keys: Keymap,
) -> Result<()> {
    let Merged { tree, sources } = merged;
    let images = [Arc::new(old.image), Arc::new(new.image)];
    let content: ContentReader = Arc::new(move |side, key, len, cancel| {
        let image = images.get(side).ok_or("no such side")?;
        let &(layer, offset) = usize::try_from(key)
            .ok()
            .and_then(|k| sources.get(side)?.get(k))
            .ok_or("no such version")?;
        image
            .read_at(layer, offset, len, VIEW_LIMIT, cancel)
            .map_err(|e| e.to_string())
    });
    drop((old.tree, new.tree));
    layerscope_tui::run_diff(diff, &tree, content, keys)?;
    Ok(())
}

/// The explorer on one image. With CHECK, its digests are checked on a thread of their own
/// once the first screen is drawn, and a mismatch ends the session with the error a CI run gives.
pub fn run(
    opened: Opened,
    report: &Report,
    keys: Keymap,
    check: Option<crate::load::Check>,
) -> Result<()> {
    let checks = check.map(|check| -> layerscope_tui::Checker {
        Box::new(move || check.run().map_err(|e| crate::output::error_line(&e)))
    });
    let Opened { image, tree, .. } = opened;
    let image = Arc::new(image);
    let content: ContentReader = Arc::new(move |layer, offset, len, cancel| {
        image
            .read_at(layer, offset, len, VIEW_LIMIT, cancel)
            .map_err(|e| e.to_string())
    });
    layerscope_tui::run(report, &tree, content, keys, checks)?;
    Ok(())
}
