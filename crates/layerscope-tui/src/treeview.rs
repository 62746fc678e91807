//! The right column: the file tree, or the file viewer when it is open.

use layerscope_format::mode::permissions as mode_text;
use layerscope_format::text::printable;
use layerscope_report::HiddenBy;
use layerscope_tree::EntryKind;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::app::{App, Pane};
use crate::draw::{body, title};
use crate::layout::ATTRIBUTES_MIN_WIDTH;
use crate::rows::{NO_ROW, Row, Sizes};
use crate::snapshot::Mark;
use layerscope_format::{bytes, signed_bytes};

fn mark_style(mark: Mark) -> Style {
    match mark {
        Mark::Added => Style::default().fg(Color::Green),
        Mark::Removed => Style::default().fg(Color::Red),
        Mark::Modified => Style::default().fg(Color::Yellow),
        Mark::Unmodified | Mark::Absent => Style::default(),
    }
}

/// `drwxr-xr-x` with set-id and sticky bits as `ls` shows them; dive marks only directories.
pub fn permissions(mode: u32, dir: bool) -> String {
    mode_text(mode, if dir { 'd' } else { '-' })
}

/// The `│   ├─` glyphs in front of a name, from whether each ancestor closes its directory.
fn prefix(app: &App<'_>, index: u32, row: &Row) -> String {
    let rows = &app.files.rows;
    let mut parts = Vec::new();
    let mut at = row.parent;
    while at != NO_ROW {
        parts.push(if app.files.visible.is_last(rows, at) {
            "    "
        } else {
            "│   "
        });
        at = rows[at as usize].parent;
    }
    let mut out: String = parts.iter().rev().copied().collect();
    out.push_str(if app.files.visible.is_last(rows, index) {
        "└─"
    } else {
        "├─"
    });
    out.push_str(if row.is_dir && app.files.is_collapsed(row.node) {
        "⊕ "
    } else {
        "─ "
    });
    out
}

fn hidden_note(by: HiddenBy) -> String {
    format!("  [{} in layer {}]", by.how.word(), by.layer)
}

pub fn tree(frame: &mut Frame<'_>, app: &App<'_>, area: Rect) {
    let focused = app.focus == Pane::Tree;
    let files = &app.files;
    let mut heading = if files.aggregated() {
        "Aggregated Layer Contents"
    } else {
        "Current Layer Contents"
    }
    .to_owned();
    if files.hidden_only {
        heading.push_str(" (hidden by later layers)");
    }
    title(frame, area, &heading, focused);
    let inner = body(area);
    if inner.height == 0 {
        return;
    }
    let attributes = files.show_attributes && area.width >= ATTRIBUTES_MIN_WIDTH;
    let header = if attributes {
        format!(
            "{:<10} {:>11} {:>10}  Filetree",
            "Permission",
            "UID:GID",
            match files.sizes {
                Sizes::Dive => "Size",
                Sizes::Change => "Change",
            }
        )
    } else {
        "Filetree".to_owned()
    };
    let mut lines = vec![Line::styled(
        header,
        Style::default().add_modifier(Modifier::BOLD),
    )];
    let height = usize::from(inner.height - 1);
    // The handler keeps the cursor in view; clamping again keeps a stale offset harmless.
    let len = files.visible.shown.len();
    let offset = files.offset.min(len.saturating_sub(height));
    for (pos, &index) in files
        .visible
        .shown
        .iter()
        .enumerate()
        .skip(offset)
        .take(height)
    {
        let row = &files.rows[index as usize];
        let version = files.snapshot.entry(row.node);
        let entry = version.map(|r| app.tree.entry(r));
        let mut spans = Vec::new();
        if attributes {
            let (mode, uid, gid) = entry.map_or((0, 0, 0), |e| (e.mode, e.uid, e.gid));
            spans.push(Span::raw(format!(
                "{} {:>11} {:>10}  ",
                permissions(mode, row.is_dir),
                format!("{uid}:{gid}"),
                match files.sizes {
                    Sizes::Dive => bytes(row.size),
                    Sizes::Change => signed_bytes(row.change()),
                }
            )));
        }
        spans.push(Span::raw(prefix(app, index, row)));
        let mut name = printable(app.tree.name(row.node)).into_owned();
        if let Some(e) = entry
            && matches!(e.kind, EntryKind::Symlink | EntryKind::Hardlink)
            && let Some(target) = app.tree.link(e)
        {
            name.push_str(" → ");
            name.push_str(&printable(target));
        }
        if files.hidden_only
            && let Some(by) = version.and_then(|r| files.hidden_info(r))
        {
            name.push_str(&hidden_note(by));
        }
        spans.push(Span::raw(name));
        let mut style = mark_style(row.mark);
        if pos == files.cursor {
            style = style.add_modifier(if focused {
                Modifier::REVERSED
            } else {
                Modifier::BOLD
            });
        }
        lines.push(Line::from(spans).style(style));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

pub fn viewer(frame: &mut Frame<'_>, app: &App<'_>, area: Rect) {
    let Some(v) = &app.viewer else { return };
    let mut heading = v.title.clone();
    if v.truncated {
        heading.push_str(" — first 1 MiB");
    }
    title(frame, area, &heading, true);
    let inner = body(area);
    let height = usize::from(inner.height);
    let offset = v.offset.min(v.line_count().saturating_sub(height.max(1)));
    let lines: Vec<Line<'_>> = (offset..(offset + height).min(v.line_count()))
        .map(|i| Line::raw(v.line(i).chars().skip(v.column).collect::<String>()))
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}
