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

use crate::snapshot::Mark;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::app::App;
use crate::keymap::Action;
use crate::layout;
use crate::viewer::{self, Viewer};

/// What one read returns: the bytes, or why not as text to show.
type Read = Result<Vec<u8>, String>;

/// A file being read for the viewer: one version, or in a comparison the old one and the new.
pub(crate) struct Pending {
    title: String,
    /// Each version's label (empty for a lone version) and full size.
    parts: Vec<(String, u64)>,
    cancel: Arc<AtomicBool>,
    result: Receiver<Vec<Read>>,
}

/// One version to read: its label, and where its bytes are.
struct Part {
    label: String,
    layer: usize,
    offset: u64,
    size: u64,
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
        if self.overview.comparing
            && row.mark == Mark::Modified
            && let Some(old) = self.files.snapshot.base.visible(row.node)
        {
            let parts: Vec<Part> = [("old image", old), ("new image", version)]
                .into_iter()
                .filter_map(|(label, at)| self.part(label, at))
                .collect();
            if parts.len() == 2 {
                self.viewer = Some(self.read(format!("{path} (both images)"), parts));
                return;
            }
        }
        let entry = *self.tree.entry(version);
        let at = if self.overview.comparing {
            match (version.layer as usize, row.mark) {
                (0, Mark::Unmodified) => "both images".to_owned(),
                (0, _) => "old image".to_owned(),
                _ => "new image".to_owned(),
            }
        } else {
            format!("layer {}", version.layer)
        };
        let title = format!("{path} ({at}, {})", layerscope_format::bytes(entry.size));
        let target = self
            .tree
            .link(&entry)
            .map(|t| printable(t).into_owned())
            .unwrap_or_default();
        let viewer = match entry.kind {
            EntryKind::File | EntryKind::Hardlink => self
                .part(String::new(), version)
                .map(|part| self.read(title.clone(), vec![part])),
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
                format!("{path} ({at})"),
                format!("hard link to {target}, whose data is not in this layer"),
            )
        }));
    }

    /// Where the bytes of the version AT are: a file's own, or for a hard link those of the
    /// file it names; `None` for a link whose file is not in the layer, or no file at all.
    fn part(&self, label: impl Into<String>, at: EntryRef) -> Option<Part> {
        let entry = *self.tree.entry(at);
        let data = match entry.kind {
            EntryKind::File => entry,
            EntryKind::Hardlink => self.hardlink_data(at)?,
            _ => return None,
        };
        Some(Part {
            label: label.into(),
            layer: at.layer as usize,
            offset: data.data_offset,
            size: data.size,
        })
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
    fn read(&mut self, title: String, parts: Vec<Part>) -> Viewer {
        let cancel = Arc::new(AtomicBool::new(false));
        let (send, result) = mpsc::channel();
        let content = Arc::clone(&self.content);
        let stop = Arc::clone(&cancel);
        let wanted: Vec<(usize, u64, u64)> = parts
            .iter()
            .map(|p| (p.layer, p.offset, p.size.min(viewer::CAP)))
            .collect();
        std::thread::spawn(move || {
            let read = wanted
                .into_iter()
                .map(|(layer, offset, len)| content(layer, offset, len, &stop))
                .collect();
            // The receiver is gone when the viewer was closed: nothing is waiting.
            let _ = send.send(read);
        });
        let reading = Viewer::reading(title.clone());
        self.pending = Some(Pending {
            title,
            parts: parts.into_iter().map(|p| (p.label, p.size)).collect(),
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
            Err(TryRecvError::Disconnected) => Vec::new(),
        };
        self.show_content(result);
        true
    }

    /// Waits for the file being read, then shows it.
    pub fn wait_for_content(&mut self) {
        let Some(pending) = &self.pending else {
            return;
        };
        let result = pending.result.recv().unwrap_or_default();
        self.show_content(result);
    }

    fn show_content(&mut self, mut reads: Vec<Read>) {
        let Some(pending) = self.pending.take() else {
            return;
        };
        let title = pending.title.clone();
        // A read thread that died sent nothing: each part says so.
        reads.resize_with(pending.parts.len(), || Err("the read stopped".to_owned()));
        self.viewer = Some(match pending.parts.as_slice() {
            [(_, size)] => Viewer::open(title, reads.remove(0), *size),
            parts => Viewer::parts(
                title,
                parts
                    .iter()
                    .zip(reads)
                    .map(|((label, size), read)| (label.as_str(), read, *size)),
            ),
        });
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
