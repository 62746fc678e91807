//! The explorer's state and what each key and mouse event does to it. Nothing here touches
//! the terminal, so tests drive it with synthetic events.

use layerscope_diff::DiffReport;
use layerscope_format::text::printable;
use layerscope_report::{Reclaimable, Report};

/// A comparison of two final filesystems hides no version.
const NOTHING_HIDDEN: &Reclaimable = &Reclaimable {
    bytes: 0,
    files: Vec::new(),
};
use layerscope_tree::{ImageTree, NodeId};
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use ratatui::layout::Rect;
use regex::bytes::RegexBuilder;

use crate::ContentReader;
use crate::checks::Checks;
use crate::content::Pending;
use crate::filetree::FileTree;
use crate::findings::{Findings, FindingsView};
use crate::keymap::{Action, Keymap};
use crate::layout::{self, Areas};
use crate::overview::Overview;
use crate::rows::{Order, Sizes};
use crate::snapshot::Mark;
use crate::viewer::Viewer;

/// dive caps the filter input at this many characters.
const FILTER_MAX: usize = 200;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    Layers,
    LayerDetails,
    ImageDetails,
    Tree,
}

/// The path filter line while it is open.
#[derive(Debug, Clone, Default)]
pub struct FilterLine {
    pub text: String,
    /// Why the text is not a regex; the tree keeps its last valid filter meanwhile.
    pub error: Option<String>,
    pub focused: bool,
}

pub struct App<'t> {
    pub(crate) overview: Overview,
    pub(crate) tree: &'t ImageTree,
    pub(crate) content: ContentReader,
    /// A file being read for the viewer, off the UI thread.
    pub(crate) pending: Option<Pending>,
    pub(crate) keys: Keymap,
    pub(crate) focus: Pane,
    pub(crate) files: FileTree<'t>,
    pub(crate) layer_offset: usize,
    pub(crate) details_scroll: usize,
    pub(crate) image_cursor: usize,
    pub(crate) image_offset: usize,
    pub(crate) filter: Option<FilterLine>,
    pub(crate) viewer: Option<Viewer>,
    pub(crate) help: bool,
    pub(crate) help_scroll: usize,
    pub(crate) findings: Findings,
    /// Set while the findings list is open.
    pub(crate) findings_view: Option<FindingsView>,
    pub(crate) message: Option<String>,
    /// Digest checks running beside the explorer, when the trees were read without them.
    pub(crate) checks: Option<Checks>,
    pub(crate) area: Rect,
    quit: bool,
}

impl<'t> App<'t> {
    /// The explorer of one image.
    pub fn new(
        report: &'t Report,
        tree: &'t ImageTree,
        content: ContentReader,
        keys: Keymap,
    ) -> Self {
        let findings = Findings::of(report);
        let overview = Overview::of_image(report, tree, &findings);
        let files = FileTree::new(tree, &report.reclaimable, &keys.settings, Sizes::Dive);
        App::with(overview, tree, files, findings, content, keys)
    }

    /// The explorer of a comparison, on the tree [`layerscope_diff::Merged`] made of both
    /// images, shown at its newer side. The content reader reads layer 0 from the older image
    /// and layer 1 from the newer.
    pub fn comparing(
        diff: &DiffReport,
        tree: &'t ImageTree,
        content: ContentReader,
        keys: Keymap,
    ) -> Self {
        let overview = Overview::of_diff(diff);
        let files = FileTree::new(tree, NOTHING_HIDDEN, &keys.settings, Sizes::Change);
        let mut app = App::with(overview, tree, files, Findings::default(), content, keys);
        app.select_layer(tree.layers.len().saturating_sub(1));
        app.focus = Pane::Tree;
        app
    }

    fn with(
        overview: Overview,
        tree: &'t ImageTree,
        files: FileTree<'t>,
        findings: Findings,
        content: ContentReader,
        keys: Keymap,
    ) -> Self {
        App {
            overview,
            tree,
            content,
            pending: None,
            keys,
            focus: Pane::Layers,
            files,
            layer_offset: 0,
            details_scroll: 0,
            image_cursor: 0,
            image_offset: 0,
            filter: None,
            viewer: None,
            help: false,
            help_scroll: 0,
            findings,
            findings_view: None,
            message: None,
            checks: None,
            area: Rect::new(0, 0, 80, 24),
            quit: false,
        }
    }

    pub fn should_quit(&self) -> bool {
        self.quit
    }

    pub fn focus(&self) -> Pane {
        self.focus
    }

    pub fn selected_layer(&self) -> usize {
        self.files.layer()
    }

    pub fn is_aggregated(&self) -> bool {
        self.files.aggregated()
    }

    /// The full paths of the visible tree rows, top to bottom.
    pub fn visible_paths(&self) -> Vec<String> {
        self.files
            .visible
            .shown
            .iter()
            .map(|&r| self.tree.path(self.files.rows[r as usize].node))
            .collect()
    }

    /// The visible rows with how each compares with the layers below.
    pub fn visible_marks(&self) -> Vec<(String, Mark)> {
        self.files
            .visible
            .shown
            .iter()
            .map(|&r| {
                let row = &self.files.rows[r as usize];
                (self.tree.path(row.node), row.mark)
            })
            .collect()
    }

    /// The size shown for a visible path (dive's directory sizes).
    pub fn shown_size(&self, path: &str) -> Option<u64> {
        let node = self.tree.lookup(path)?;
        self.files
            .rows
            .iter()
            .find(|r| r.node == node)
            .map(|r| r.size)
    }

    /// The size change shown for a visible path in a comparison.
    pub fn shown_change(&self, path: &str) -> Option<i64> {
        let node = self.tree.lookup(path)?;
        self.files
            .rows
            .iter()
            .find(|r| r.node == node)
            .map(crate::rows::Row::change)
    }

    pub fn selected_path(&self) -> Option<String> {
        self.files.selected_node().map(|n| self.tree.path(n))
    }

    pub fn is_collapsed(&self, path: &str) -> bool {
        self.tree
            .lookup(path)
            .is_some_and(|n| self.files.is_collapsed(n))
    }

    pub fn sorted_by_size(&self) -> bool {
        self.files.order == Order::Size
    }

    pub fn filter_error(&self) -> Option<&str> {
        self.filter.as_ref().and_then(|f| f.error.as_deref())
    }

    /// The viewer's lines as drawn, when it is open.
    pub fn viewer_lines(&self) -> Option<Vec<String>> {
        self.viewer
            .as_ref()
            .map(|v| (0..v.line_count()).map(|i| v.line(i)).collect())
    }

    pub fn help_shown(&self) -> bool {
        self.help
    }

    pub(crate) fn areas(&self) -> Areas {
        layout::areas(self.area, self.filter.is_some())
    }

    pub(crate) fn tree_height(&self) -> usize {
        layout::body_height(self.areas().tree, 1)
    }

    fn layers_height(&self) -> usize {
        layout::body_height(self.areas().layers, 1)
    }

    pub fn resize(&mut self, width: u16, height: u16) {
        self.area = Rect::new(0, 0, width, height);
        self.keep_in_view();
    }

    fn keep_in_view(&mut self) {
        let h = self.tree_height();
        self.files.scroll_into_view(h);
        let lh = self.layers_height().max(1);
        let layer = self.files.layer();
        if layer < self.layer_offset {
            self.layer_offset = layer;
        } else if layer >= self.layer_offset + lh {
            self.layer_offset = layer + 1 - lh;
        }
    }

    /// Scrolls the image details so the selected table row shows; the figures above the
    /// table scroll away on short terminals.
    pub(crate) fn image_row_into_view(&mut self) {
        let height = layout::body_height(self.areas().image_details, 0).max(1);
        let line = self.overview.header_lines() + self.image_cursor;
        if line < self.image_offset {
            self.image_offset = line;
        } else if line >= self.image_offset + height {
            self.image_offset = line + 1 - height;
        }
    }

    pub fn handle(&mut self, event: &Event) {
        match event {
            Event::Key(key) if key.kind != KeyEventKind::Release => self.on_key(key),
            Event::Mouse(mouse) => self.on_mouse(*mouse),
            Event::Resize(w, h) => self.resize(*w, *h),
            _ => {}
        }
    }

    pub(crate) fn is(&self, action: Action, key: &KeyEvent) -> bool {
        self.keys.matches(action, key)
    }

    fn on_key(&mut self, key: &KeyEvent) {
        self.message = None;
        let hard_quit = self.is(Action::Quit, key) && key.modifiers.contains(KeyModifiers::CONTROL);
        if hard_quit {
            self.quit = true;
            return;
        }
        if self.help {
            // Arrows scroll a help taller than the terminal; any other key closes it.
            match self.step(key, 10) {
                Some(delta) => {
                    self.help_scroll = self
                        .help_scroll
                        .saturating_add_signed(delta)
                        .min(crate::keymap::ACTIONS.len());
                }
                None => self.help = false,
            }
            return;
        }
        if self.findings_view.is_some() {
            self.on_findings_key(key);
            return;
        }
        if self.viewer.is_some() {
            self.on_viewer_key(key);
            return;
        }
        if self.filter.as_ref().is_some_and(|f| f.focused) && self.on_filter_key(key) {
            return;
        }
        if self.is(Action::Quit, key) {
            self.quit = true;
        } else if self.is(Action::Help, key) {
            self.help = true;
            self.help_scroll = 0;
        } else if self.is(Action::ToggleFindings, key) {
            self.open_findings();
        } else if self.is(Action::ToggleView, key) {
            self.focus = if self.focus == Pane::Tree {
                Pane::Layers
            } else {
                Pane::Tree
            };
        } else if self.is(Action::FilterFiles, key) {
            self.filter.get_or_insert_with(FilterLine::default).focused = true;
            self.files.prepare_filter();
            self.keep_in_view();
        } else if self.is(Action::CloseFilterFiles, key) {
            self.close_filter();
        } else {
            match self.focus {
                Pane::Layers => self.on_layers_key(key),
                Pane::LayerDetails => self.on_layer_details_key(key),
                Pane::ImageDetails => self.on_image_details_key(key),
                Pane::Tree => self.on_tree_key(key),
            }
        }
    }

    fn cycle(&mut self, forward: bool) {
        const ORDER: [Pane; 3] = [Pane::Layers, Pane::LayerDetails, Pane::ImageDetails];
        let i = ORDER.iter().position(|&p| p == self.focus).unwrap_or(0);
        self.focus = ORDER[if forward { (i + 1) % 3 } else { (i + 2) % 3 }];
    }

    /// Up, down and paging as a signed step for a pane of `height` rows.
    pub(crate) fn step(&self, key: &KeyEvent, height: usize) -> Option<isize> {
        let page = isize::try_from(height.max(1)).unwrap_or(isize::MAX);
        if self.is(Action::Up, key) {
            Some(-1)
        } else if self.is(Action::Down, key) {
            Some(1)
        } else if self.is(Action::PageUp, key) {
            Some(-page)
        } else if self.is(Action::PageDown, key) {
            Some(page)
        } else if key.code == KeyCode::Home {
            Some(isize::MIN / 2)
        } else if key.code == KeyCode::End {
            Some(isize::MAX / 2)
        } else {
            None
        }
    }

    fn on_layers_key(&mut self, key: &KeyEvent) {
        if let Some(delta) = self.step(key, self.layers_height()) {
            let last = self.tree.layers.len().saturating_sub(1);
            let next = self.files.layer().saturating_add_signed(delta).min(last);
            self.select_layer(next);
        } else if self.is(Action::CompareLayer, key) {
            self.set_aggregated(false);
        } else if self.is(Action::CompareAll, key) {
            self.set_aggregated(true);
        } else if self.is(Action::Right, key) {
            self.cycle(true);
        } else if self.is(Action::Left, key) {
            self.cycle(false);
        }
    }

    fn on_layer_details_key(&mut self, key: &KeyEvent) {
        let area = self.areas().layer_details;
        let page = layout::body_height(area, 0);
        if let Some(delta) = self.step(key, page) {
            let lines = crate::panes::layer_detail_lines(self);
            let max = crate::panes::wrapped_height(&lines, area.width.saturating_sub(1))
                .saturating_sub(page);
            self.details_scroll = self.details_scroll.saturating_add_signed(delta).min(max);
        } else if self.is(Action::Right, key) {
            self.cycle(true);
        } else if self.is(Action::Left, key) {
            self.cycle(false);
        }
    }

    fn on_image_details_key(&mut self, key: &KeyEvent) {
        let rows = self.overview.table.len();
        let page = layout::body_height(self.areas().image_details, 0);
        if let Some(delta) = self.step(key, page) {
            self.image_cursor = self
                .image_cursor
                .saturating_add_signed(delta)
                .min(rows.saturating_sub(1));
            self.image_row_into_view();
        } else if self.is(Action::ViewFile, key) {
            self.jump_to_inefficient(self.image_cursor);
        } else if self.is(Action::Right, key) {
            self.cycle(true);
        } else if self.is(Action::Left, key) {
            self.cycle(false);
        }
    }

    fn on_tree_key(&mut self, key: &KeyEvent) {
        let height = self.tree_height();
        if let Some(delta) = self.step(key, height) {
            self.files.move_by(delta, height);
        } else if self.is(Action::Right, key) {
            self.files.expand();
        } else if self.is(Action::Left, key) {
            self.files.select_parent(height);
        } else if self.is(Action::ToggleCollapseDir, key) {
            self.files.toggle_collapse();
        } else if self.is(Action::ToggleCollapseAllDir, key) {
            self.files.toggle_collapse_all();
        } else if self.is(Action::ToggleSortOrder, key) {
            self.files.toggle_order();
        } else if self.is(Action::ToggleAddedFiles, key) {
            self.files.hide.added ^= true;
            self.files.refresh();
        } else if self.is(Action::ToggleRemovedFiles, key) {
            self.files.hide.removed ^= true;
            self.files.refresh();
        } else if self.is(Action::ToggleModifiedFiles, key) {
            self.files.hide.modified ^= true;
            self.files.refresh();
        } else if self.is(Action::ToggleUnmodifiedFiles, key) {
            self.files.hide.unmodified ^= true;
            self.files.refresh();
        } else if self.is(Action::ToggleAttributes, key) {
            self.files.show_attributes ^= true;
        } else if self.is(Action::ToggleHiddenFiles, key) {
            self.files.hidden_only ^= true;
            self.files.refresh();
        } else if self.is(Action::ViewFile, key) {
            self.open_viewer();
        } else if self.is(Action::ExtractFile, key) {
            self.message =
                Some("extracting is not supported; press Enter to view the file".to_owned());
        } else if self.is(Action::ToggleWrapTree, key) {
            self.message = Some("wrapping the tree is not supported".to_owned());
        }
        self.files.scroll_into_view(height);
    }

    /// Returns whether the filter line consumed the key.
    fn on_filter_key(&mut self, key: &KeyEvent) -> bool {
        let plain = !key
            .modifiers
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
        match key.code {
            KeyCode::Esc => self.close_filter(),
            KeyCode::Enter | KeyCode::Tab => {
                if let Some(f) = &mut self.filter {
                    f.focused = false;
                }
                self.focus = Pane::Tree;
            }
            KeyCode::Backspace => {
                if let Some(f) = &mut self.filter {
                    f.text.pop();
                }
                self.apply_filter();
            }
            KeyCode::Char(c) if plain => {
                if let Some(f) = &mut self.filter
                    && f.text.chars().count() < FILTER_MAX
                    && !c.is_control()
                {
                    f.text.push(c);
                }
                self.apply_filter();
            }
            KeyCode::Up | KeyCode::Down | KeyCode::PageUp | KeyCode::PageDown => {
                self.on_tree_key(key);
            }
            _ if self.is(Action::FilterFiles, key) => {
                if let Some(f) = &mut self.filter {
                    f.focused = false;
                }
            }
            _ => return false,
        }
        true
    }

    fn apply_filter(&mut self) {
        let Some(f) = &mut self.filter else { return };
        if f.text.is_empty() {
            f.error = None;
            self.files.filter = None;
        } else {
            // Multi-line, so `^` and `$` anchor each path in the filter's one-string scan.
            match RegexBuilder::new(&f.text).multi_line(true).build() {
                Ok(re) => {
                    f.error = None;
                    self.files.filter = Some(re);
                }
                Err(e) => {
                    // Keep the last good filter on screen; the error explains why it lags.
                    let text = e.to_string();
                    let last = text
                        .lines()
                        .rev()
                        .find(|l| !l.trim().is_empty())
                        .unwrap_or("invalid regex");
                    f.error =
                        Some(printable(last.trim().trim_start_matches("error: ")).into_owned());
                    return;
                }
            }
        }
        self.files.refresh();
        self.files.scroll_into_view(self.tree_height());
    }

    fn close_filter(&mut self) {
        if self.filter.take().is_some() {
            self.files.filter = None;
            self.files.refresh();
            self.keep_in_view();
        }
    }

    pub(crate) fn select_layer(&mut self, layer: usize) {
        let aggregated = self.files.aggregated();
        self.files.set_layer(layer, aggregated);
        self.details_scroll = 0;
        self.keep_in_view();
    }

    fn set_aggregated(&mut self, aggregated: bool) {
        let layer = self.files.layer();
        self.files.set_layer(layer, aggregated);
        self.keep_in_view();
    }

    /// Selects the path of a table row in the tree: at the layer that last added it (an
    /// inefficient file), or at the newer side (a comparison, where a removed path shows too).
    pub fn jump_to_inefficient(&mut self, index: usize) {
        let Some(row) = self.overview.table.get(index) else {
            return;
        };
        let layer = self
            .overview
            .comparing
            .then(|| self.tree.layers.len().saturating_sub(1));
        let path = row.path.clone();
        if self.jump_to(&path, layer) {
            self.image_cursor = index;
        }
    }

    /// Selects `layer` (by default the last layer that added `path`) and `path` in the tree,
    /// dropping any filter that hides it. Returns whether the layer was selected; otherwise the
    /// status bar says why.
    pub(crate) fn jump_to(&mut self, path: &str, layer: Option<usize>) -> bool {
        let Some(node) = self.tree.lookup(path) else {
            self.message = Some(format!(
                "{} is not in the image",
                printable(path).into_owned()
            ));
            return false;
        };
        let layer = match layer {
            Some(l) if l < self.tree.layers.len() => l,
            Some(l) => {
                self.message = Some(format!("the image has no layer {l}"));
                return false;
            }
            None => {
                let Some(l) = self.last_layer_adding(node) else {
                    self.message = Some(format!(
                        "{} is only ever deleted",
                        printable(path).into_owned()
                    ));
                    return false;
                };
                l
            }
        };
        self.select_layer(layer);
        self.focus = Pane::Tree;
        let height = self.tree_height();
        if !self.files.reveal(node, height) {
            self.message = Some(format!(
                "{} is not in layer {layer}",
                printable(path).into_owned()
            ));
        }
        true
    }

    fn last_layer_adding(&self, node: NodeId) -> Option<usize> {
        self.tree.layers.iter().rposition(|l| {
            l.entries
                .iter()
                .any(|e| e.node == node && e.kind.is_present())
        })
    }
}
