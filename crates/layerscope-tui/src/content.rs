//! The file viewer's side of the app: what opening a file reads, and the keys while it is open.
//!
//! A file is read on a thread of its own, as gitui's asyncgit does its work: reading one file
//! of a compressed archive can mean decompressing a large part of it, and the screen stays
//! live meanwhile. The viewer says it is reading; Esc closes it and calls the read off.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, TryRecvError};

use layerscope_format::text::printable;
use layerscope_tree::{Entry, EntryKind, EntryRef};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::app::App;
use crate::keymap::Action;
use crate::layout;
use crate::viewer::{self, Viewer};

/// A file being read for the viewer.
pub(crate) struct Pending {
    title: String,
    size: u64,
    cancel: Arc<AtomicBool>,
    result: Receiver<Result<Vec<u8>, String>>,
}

impl Drop for Pending {
    // A read nobody waits for any more stops at its next chunk.
    fn drop(&mut self) {
        self.cancel.store(true, Ordering::Relaxed);
    }
}

impl App<'_> {
    pub(crate) fn open_viewer(&mut self) {
        let Some(row) = self.files.selected().copied() else {
            return;
        };
        if row.is_dir {
            self.files.toggle_collapse();
            return;
        }
        let path = printable(&self.tree.path(row.node)).into_owned();
        let Some(version) = self.files.snapshot.entry(row.node) else {
            return;
        };
        let entry = *self.tree.entry(version);
        let title = format!(
            "{path} (layer {}, {})",
            version.layer,
            layerscope_format::bytes(entry.size)
        );
        let target = self
            .tree
            .link(&entry)
            .map(|t| printable(t).into_owned())
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

    /// Starts reading the file on its own thread; the viewer says so until the bytes come.
    fn read(&mut self, title: String, layer: usize, offset: u64, size: u64) -> Viewer {
        let len = size.min(viewer::CAP);
        let cancel = Arc::new(AtomicBool::new(false));
        let (send, result) = mpsc::channel();
        let content = Arc::clone(&self.content);
        let stop = Arc::clone(&cancel);
        std::thread::spawn(move || {
            // The receiver is gone when the viewer was closed: nothing is waiting.
            let _ = send.send(content(layer, offset, len, &stop));
        });
        let reading = Viewer::reading(title.clone());
        self.pending = Some(Pending {
            title,
            size,
            cancel,
            result,
        });
        reading
    }

    /// True while a file is being read for the viewer.
    pub fn is_reading(&self) -> bool {
        self.pending.is_some()
    }

    /// Shows the file once its bytes have come; returns whether the screen changed.
    pub fn poll_content(&mut self) -> bool {
        let Some(pending) = &self.pending else {
            return false;
        };
        let result = match pending.result.try_recv() {
            Ok(result) => result,
            Err(TryRecvError::Empty) => return false,
            Err(TryRecvError::Disconnected) => Err("the read stopped".to_owned()),
        };
        self.show_content(result);
        true
    }

    /// Waits for the file being read, then shows it.
    pub fn wait_for_content(&mut self) {
        let Some(pending) = &self.pending else {
            return;
        };
        let result = pending
            .result
            .recv()
            .unwrap_or_else(|_| Err("the read stopped".to_owned()));
        self.show_content(result);
    }

    fn show_content(&mut self, result: Result<Vec<u8>, String>) {
        if let Some(pending) = self.pending.take() {
            let title = pending.title.clone();
            self.viewer = Some(Viewer::open(title, result, pending.size));
        }
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
            self.pending = None;
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
