//! The file viewer's side of the app: what opening a file reads, and the keys while it is open.

use layerscope_tree::{Entry, EntryKind, EntryRef};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::app::App;
use crate::keymap::Action;
use crate::layout;
use crate::viewer::{self, Viewer};

impl App<'_> {
    pub(crate) fn open_viewer(&mut self) {
        let Some(row) = self.files.selected().copied() else {
            return;
        };
        if row.is_dir {
            self.files.toggle_collapse();
            return;
        }
        let path = crate::text::clean(&self.tree.path(row.node));
        let Some(version) = self.files.snapshot.entry(row.node) else {
            return;
        };
        let entry = *self.tree.entry(version);
        let title = format!(
            "{path} (layer {}, {})",
            version.layer,
            crate::size::bytes(entry.size)
        );
        let target = self
            .tree
            .link(&entry)
            .map(crate::text::clean)
            .unwrap_or_default();
        let viewer = match entry.kind {
            EntryKind::File => {
                Some(self.read(title, version.layer as usize, entry.data_offset, entry.size))
            }
            EntryKind::Hardlink => self.hardlink_data(version).map(|data| {
                self.read(
                    title.clone(),
                    version.layer as usize,
                    data.data_offset,
                    data.size,
                )
            }),
            EntryKind::Symlink => {
                Some(Viewer::message(title, format!("symbolic link to {target}")))
            }
            _ => Some(Viewer::message(
                title,
                "this entry has no content to show".to_owned(),
            )),
        };
        self.viewer = Some(viewer.unwrap_or_else(|| {
            Viewer::message(
                format!("{path} (layer {})", version.layer),
                format!("hard link to {target}, whose data is not in this layer"),
            )
        }));
    }

    /// A hard link's bytes are those of the file it names earlier in the same layer's tar.
    fn hardlink_data(&self, version: EntryRef) -> Option<Entry> {
        let entry = self.tree.entry(version);
        let target = self.tree.lookup(self.tree.link(entry)?)?;
        let layer = self.tree.layers.get(version.layer as usize)?;
        layer.entries[..version.index as usize]
            .iter()
            .rev()
            .find(|e| e.node == target && e.kind == EntryKind::File)
            .copied()
    }

    fn read(&self, title: String, layer: usize, offset: u64, size: u64) -> Viewer {
        let len = size.min(viewer::CAP);
        Viewer::open(title, (self.content)(layer, offset, len), size)
    }

    fn viewer_height(&self) -> usize {
        layout::body_height(self.areas().tree, 0)
    }

    pub(crate) fn on_viewer_key(&mut self, key: &KeyEvent) {
        let height = self.viewer_height();
        let step = self.step(key, height);
        let close = key.code == KeyCode::Esc
            || (self.is(Action::Quit, key) && !key.modifiers.contains(KeyModifiers::CONTROL));
        let help = self.is(Action::Help, key);
        let right = key.code == KeyCode::Right;
        let left = key.code == KeyCode::Left;
        let Some(v) = &mut self.viewer else { return };
        if close {
            self.viewer = None;
        } else if let Some(delta) = step {
            v.scroll(delta, height);
        } else if right {
            v.scroll_sideways(8);
        } else if left {
            v.scroll_sideways(-8);
        } else if help {
            self.help = true;
        }
    }
}
