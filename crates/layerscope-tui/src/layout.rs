//! Where each pane goes, in dive's arrangement; shared by drawing and mouse handling so a
//! click lands on what was drawn.

use ratatui::layout::{Constraint, Layout, Position, Rect};

/// dive narrows the layer column below this width.
pub const NARROW_WIDTH: u16 = 90;
/// dive hides the attribute columns when the tree pane is narrower than this.
pub const ATTRIBUTES_MIN_WIDTH: u16 = 60;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Areas {
    pub layers: Rect,
    pub layer_details: Rect,
    pub image_details: Rect,
    pub tree: Rect,
    pub filter: Option<Rect>,
    pub status: Rect,
    pub narrow: bool,
}

pub fn areas(area: Rect, filter_shown: bool) -> Areas {
    let [body, filter, status] = Layout::vertical([
        Constraint::Min(1),
        Constraint::Length(u16::from(filter_shown)),
        Constraint::Length(1),
    ])
    .areas(area);
    let narrow = area.width < NARROW_WIDTH;
    let left_width = if narrow {
        Constraint::Length(8)
    } else {
        Constraint::Percentage(50)
    };
    let [left, tree] = Layout::horizontal([left_width, Constraint::Min(1)]).areas(body);
    let [layers, layer_details, image_details] =
        Layout::vertical([Constraint::Ratio(1, 3); 3]).areas(left);
    Areas {
        layers,
        layer_details,
        image_details,
        tree,
        filter: filter_shown.then_some(filter),
        status,
        narrow,
    }
}

/// Rows of content under a pane's title line and `skip` header lines.
pub fn body_height(pane: Rect, skip: u16) -> usize {
    usize::from(pane.height.saturating_sub(1 + skip))
}

pub fn contains(rect: Rect, column: u16, row: u16) -> bool {
    rect.contains(Position { x: column, y: row })
}
