//! The interactive layer explorer: dive's panes and keys over layerscope's trees.
//!
//! [`run`] takes over the terminal until the user quits. The state machine ([`App`]) and the
//! renderer ([`draw`]) are separate from the terminal, so tests drive them with synthetic
//! events and render into ratatui's `TestBackend`.

mod app;
mod config;
mod content;
mod draw;
mod filetree;
mod findings;
mod findingsview;
mod keymap;
mod layout;
mod mouse;
mod panes;
mod rows;
mod size;
mod snapshot;
mod terminal;
mod text;
mod treeview;
mod viewer;

use layerscope_tree::ImageTree;
use layerscope_waste::WasteReport;

pub use app::{App, Pane};
pub use config::{ConfigDirs, ConfigError, load_keymap, load_keymap_from};
pub use draw::draw;
pub use findings::{Finding, Findings, HiddenBy};
pub use keymap::{Action, Key, Keymap};
pub use snapshot::Mark;
pub use terminal::TuiError;

/// One layer as the image's config and manifest describe it.
#[derive(Debug, Clone, Default)]
pub struct LayerInfo {
    /// The layer's diff id (`sha256:…`).
    pub digest: String,
    pub size_bytes: u64,
    /// The history's whole `created_by`.
    pub command: String,
    /// The layer id dive shows (`FROM <id>` uses its first 15 characters).
    pub id: String,
}

/// What the explorer shows about the image as a whole.
#[derive(Debug, Clone, Default)]
pub struct ImageInfo {
    pub name: String,
    pub tags: Vec<String>,
    pub layers: Vec<LayerInfo>,
}

/// Reads `len` bytes of one layer's uncompressed tar at `offset`, for the file viewer.
/// Errors come back as text to show in the viewer.
pub type ContentReader = Box<dyn Fn(usize, u64, u64) -> Result<Vec<u8>, String> + Send + Sync>;

/// Runs the explorer on the terminal until the user quits; the terminal is restored on every
/// way out, panics included.
pub fn run(
    image: ImageInfo,
    tree: &ImageTree,
    report: &WasteReport,
    content: ContentReader,
    keys: Keymap,
    findings: Findings,
) -> Result<(), TuiError> {
    let mut app = App::new(image, tree, report, content, keys, findings);
    terminal::run_app(&mut app)
}
