//! What the mouse does: the wheel scrolls the pane under the pointer, a click focuses a pane
//! and selects the row under it.

use ratatui::crossterm::event::{MouseButton, MouseEvent, MouseEventKind};

use crate::app::{App, Pane};
use crate::layout;

impl App<'_> {
    pub(crate) fn on_mouse(&mut self, mouse: MouseEvent) {
        let areas = self.areas();
        let (x, y) = (mouse.column, mouse.row);
        let pane = [
            (areas.layers, Pane::Layers),
            (areas.layer_details, Pane::LayerDetails),
            (areas.image_details, Pane::ImageDetails),
            (areas.tree, Pane::Tree),
        ]
        .into_iter()
        .find(|(r, _)| layout::contains(*r, x, y));
        let Some((rect, pane)) = pane else { return };
        let wheel = match mouse.kind {
            MouseEventKind::ScrollDown => Some(1),
            MouseEventKind::ScrollUp => Some(-1),
            _ => None,
        };
        if self.help {
            self.help = false;
            return;
        }
        if self.findings_view.is_some() {
            // The list covers the panes; only the wheel means something over it.
            if let Some(delta) = wheel {
                self.move_finding(delta);
            }
            return;
        }
        if let Some(v) = &mut self.viewer
            && pane == Pane::Tree
        {
            if let Some(delta) = wheel {
                v.scroll(delta * 3, layout::body_height(rect, 0));
            }
            return;
        }
        if let Some(delta) = wheel {
            match pane {
                Pane::Layers => {
                    let last = self.tree.layers.len().saturating_sub(1);
                    self.select_layer(self.files.layer().saturating_add_signed(delta).min(last));
                }
                Pane::LayerDetails => {
                    self.details_scroll = self.details_scroll.saturating_add_signed(delta);
                }
                Pane::ImageDetails => {
                    let rows = self.overview.table.len();
                    self.image_cursor = self
                        .image_cursor
                        .saturating_add_signed(delta)
                        .min(rows.saturating_sub(1));
                    self.image_row_into_view();
                }
                Pane::Tree => self.files.move_by(delta, self.tree_height()),
            }
            return;
        }
        if mouse.kind != MouseEventKind::Down(MouseButton::Left) {
            return;
        }
        if self.viewer.is_none() {
            self.focus = pane;
        }
        // Rows start under the title line and one column-header line.
        let line = usize::from(y.saturating_sub(rect.y));
        match pane {
            Pane::Layers if line >= 2 => {
                let layer = self.layer_offset + line - 2;
                if layer < self.tree.layers.len() {
                    self.select_layer(layer);
                }
            }
            Pane::Tree if line >= 2 => {
                let index = self.files.offset + line - 2;
                let height = self.tree_height();
                if index == self.files.cursor {
                    self.files.toggle_collapse();
                } else {
                    self.files.select_index(index, height);
                }
            }
            Pane::ImageDetails if line >= 1 => {
                let content = self.image_offset + line - 1;
                if let Some(index) = content.checked_sub(self.overview.header_lines())
                    && index < self.overview.table.len()
                {
                    self.image_cursor = index;
                }
            }
            _ => {}
        }
    }
}
