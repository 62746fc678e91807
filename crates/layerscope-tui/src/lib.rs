//! The interactive layer explorer: dive's panes and keys over layerscope's trees.
//!
//! [`run`] takes over the terminal until the user quits. The state machine ([`App`]) and the
//! renderer ([`draw`]) are separate from the terminal, so tests drive them with synthetic
//! events and render into ratatui's `TestBackend`.

mod app;
mod checks;
mod config;
mod content;
mod draw;
mod filetree;
mod findings;
mod findingsview;
mod keymap;
mod layout;
mod mouse;
mod overview;
mod panes;
mod rows;
mod snapshot;
mod terminal;
mod treeview;
mod viewer;

use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use layerscope_diff::DiffReport;
use layerscope_report::Report;
use layerscope_tree::ImageTree;

pub use app::{App, Pane};
pub use checks::{CheckAnswer, Checker, Digests};
pub use config::{ConfigDirs, ConfigError, load_keymap, load_keymap_from};
pub use draw::draw;
pub use keymap::{Action, Key, Keymap};
pub use snapshot::Mark;
pub use terminal::TuiError;

/// Reads `len` bytes of one layer's uncompressed tar at `offset`, for the file viewer. It runs
/// off the UI thread; setting the flag asks it to stop early. Errors come back as text to show
/// in the viewer.
pub type ContentReader =
    Arc<dyn Fn(usize, u64, u64, &AtomicBool) -> Result<Vec<u8>, String> + Send + Sync>;

/// Runs the explorer on the terminal until the user quits; the terminal is restored on every
/// way out, panics included. With CHECKS, the trees' digests are still to be checked: they start
/// on a thread of their own once the first screen is drawn, the status bar says so until the
/// answer comes, and a failed check ends the session with its error.
pub fn run(
    report: &Report,
    tree: &ImageTree,
    content: ContentReader,
    keys: Keymap,
    checks: Option<Checker>,
) -> Result<(), TuiError> {
    let mut app = App::new(report, tree, content, keys);
    terminal::run_app(&mut app, checks)
}

/// Runs the explorer on a comparison of two images: the tree [`layerscope_diff::Merged`]
/// made of both, coloured by what changed between them. CONTENT reads layer 0 from the older
/// image and layer 1 from the newer.
pub fn run_diff(
    diff: &DiffReport,
    merged: &ImageTree,
    content: ContentReader,
    keys: Keymap,
) -> Result<(), TuiError> {
    let mut app = App::comparing(diff, merged, content, keys);
    terminal::run_app(&mut app, None)
}
