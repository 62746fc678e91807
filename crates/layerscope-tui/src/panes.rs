//! The left column: layers, layer details and image details.

use layerscope_format::bytes;
use layerscope_format::text::printable;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::app::{App, Pane};
use crate::draw::{left_body as body, title};
use crate::overview::DETAIL_LABELS;

fn selected_style(focused: bool) -> Style {
    if focused {
        Style::default().add_modifier(Modifier::REVERSED | Modifier::BOLD)
    } else {
        Style::default().add_modifier(Modifier::REVERSED)
    }
}

pub fn layers(frame: &mut Frame<'_>, app: &App<'_>, area: Rect, narrow: bool) {
    let focused = app.focus == Pane::Layers && app.viewer.is_none();
    title(frame, area, "Layers", focused);
    let inner = body(area);
    if inner.height == 0 {
        return;
    }
    let header = if narrow {
        "Layer"
    } else {
        "Cmp   Size  Command"
    };
    let mut lines = vec![Line::styled(
        header,
        Style::default().add_modifier(Modifier::BOLD),
    )];
    let selected = app.files.layer();
    let aggregated = app.files.aggregated();
    let shown = usize::from(inner.height.saturating_sub(1));
    for index in app.layer_offset..(app.layer_offset + shown).min(app.tree.layers.len()) {
        // dive's compare bar: green under the stacked (bottom) layers, magenta on the compared ones.
        let bar = if selected == 0 {
            (index == 0).then_some(Color::Magenta)
        } else if aggregated {
            match index {
                0 => Some(Color::Green),
                i if i <= selected => Some(Color::Magenta),
                _ => None,
            }
        } else if index < selected {
            Some(Color::Green)
        } else if index == selected {
            Some(Color::Magenta)
        } else {
            None
        };
        let bar = Span::styled(
            "  ",
            bar.map_or_else(Style::default, |c| Style::default().bg(c)),
        );
        let Some(line) = app.overview.layers.get(index) else {
            break;
        };
        let rest = if narrow {
            format!(" {index:<4}")
        } else {
            format!(" {:>7}  {}", bytes(line.size), line.listed)
        };
        let style = if index == selected {
            selected_style(focused)
        } else {
            Style::default()
        };
        lines.push(Line::from(vec![bar, Span::styled(rest, style)]));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

/// The layer details as lines before wrapping (the command keeps its own line breaks).
pub fn layer_detail_lines(app: &App<'_>) -> Vec<String> {
    app.overview
        .layers
        .get(app.files.layer())
        .map(|l| l.details.clone())
        .unwrap_or_default()
}

/// How many screen lines the details take at this width once wrapped.
pub fn wrapped_height(lines: &[String], width: u16) -> usize {
    let width = usize::from(width.max(1));
    lines
        .iter()
        .map(|l| l.chars().count().div_ceil(width).max(1))
        .sum()
}

/// Cuts a line into pieces of `width` characters: digests and ids have no spaces for a word
/// wrap to break at, and a word wrap would push them whole onto the next line.
fn pieces(line: &str, width: usize) -> Vec<String> {
    let chars: Vec<char> = line.chars().collect();
    if chars.is_empty() {
        return vec![String::new()];
    }
    chars
        .chunks(width.max(1))
        .map(|c| c.iter().collect())
        .collect()
}

pub fn layer_details(frame: &mut Frame<'_>, app: &App<'_>, area: Rect) {
    let focused = app.focus == Pane::LayerDetails && app.viewer.is_none();
    title(frame, area, "Layer Details", focused);
    let inner = body(area);
    let bold = Style::default().add_modifier(Modifier::BOLD);
    let mut lines: Vec<Line<'_>> = Vec::new();
    for (i, line) in layer_detail_lines(app).into_iter().enumerate() {
        // The first lines are `Label: value`; only the label is bold.
        let label_len = if i < DETAIL_LABELS {
            line.find(':').map_or(0, |c| c + 1)
        } else {
            0
        };
        let mut seen = 0;
        for piece in pieces(&line, usize::from(inner.width)) {
            let len = piece.len();
            let cut = label_len.saturating_sub(seen).min(len);
            let (label, value) = piece.split_at(cut);
            lines.push(Line::from(vec![
                Span::styled(label.to_owned(), bold),
                Span::raw(value.to_owned()),
            ]));
            seen += len;
        }
    }
    let scroll = app.details_scroll.min(lines.len());
    lines.drain(..scroll);
    frame.render_widget(Paragraph::new(lines), inner);
}

/// One row of dive's inefficient-files table: `%5s  %12s  %s`, the first column wider when
/// its words are.
fn table_row(count: &str, space: &str, path: &str, width: usize) -> String {
    format!("{count:>width$}  {space:>12}  {path}")
}

pub fn image_details(frame: &mut Frame<'_>, app: &App<'_>, area: Rect) {
    let focused = app.focus == Pane::ImageDetails && app.viewer.is_none();
    title(frame, area, "Image Details", focused);
    let inner = body(area);
    let overview = &app.overview;
    let bold = Style::default().add_modifier(Modifier::BOLD);
    let mut lines: Vec<Line<'_>> = overview
        .figures
        .iter()
        .map(|(label, value)| {
            Line::from(vec![Span::styled(*label, bold), Span::raw(value.as_str())])
        })
        .collect();
    let [count, space, path] = overview.table_header;
    let width = overview
        .table
        .iter()
        .map(|r| r.count.chars().count())
        .chain([5])
        .max()
        .unwrap_or(5);
    lines.push(Line::raw(""));
    lines.push(Line::styled(table_row(count, space, path, width), bold));
    let height = usize::from(inner.height);
    let last = (app.image_offset + height).saturating_sub(overview.header_lines());
    for (i, row) in overview.table.iter().enumerate().take(last) {
        let line = table_row(&row.count, &row.space, &printable(&row.path), width);
        let style = if focused && i == app.image_cursor {
            selected_style(true)
        } else {
            Style::default()
        };
        lines.push(Line::styled(line, style));
    }
    let visible: Vec<Line<'_>> = lines
        .into_iter()
        .skip(app.image_offset)
        .take(height)
        .collect();
    frame.render_widget(Paragraph::new(visible), inner);
}
