//! Drawing the whole screen from the app state; nothing here changes state.

use layerscope_format::text::printable;
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use crate::app::{App, Pane};
use crate::keymap::{ACTIONS, Action};
use crate::{findingsview, panes, treeview};

/// Draws everything: the panes, the filter line, the status bar and any overlay.
pub fn draw(frame: &mut Frame<'_>, app: &App<'_>) {
    let areas = crate::layout::areas(frame.area(), app.filter.is_some());
    panes::layers(frame, app, areas.layers, areas.narrow);
    panes::layer_details(frame, app, areas.layer_details);
    panes::image_details(frame, app, areas.image_details);
    if app.viewer.is_some() {
        treeview::viewer(frame, app, areas.tree);
    } else {
        treeview::tree(frame, app, areas.tree);
    }
    if let Some(area) = areas.filter {
        filter_line(frame, app, area);
    }
    status_bar(frame, app, areas.status);
    findingsview::overlay(frame, app, frame.area());
    if app.help {
        help(frame, app, frame.area());
    }
}

/// dive's pane header: `┃ ● Title ┣━━━` when focused, `│ Title ├───` otherwise.
pub fn title(frame: &mut Frame<'_>, area: Rect, text: &str, focused: bool) {
    if area.height == 0 {
        return;
    }
    let head = if focused {
        format!("┃ ● {text} ┣")
    } else {
        format!("│ {text} ├")
    };
    let used = head.chars().count();
    let fill = if focused { "━" } else { "─" };
    let tail = fill.repeat(usize::from(area.width).saturating_sub(used));
    let style = if focused {
        Style::default().add_modifier(Modifier::BOLD)
    } else {
        Style::default()
    };
    let line = Line::from(vec![Span::styled(head, style), Span::styled(tail, style)]);
    frame.render_widget(Paragraph::new(line), Rect { height: 1, ..area });
}

/// The area under a pane's title line, one column short on the left so that text there
/// never runs into the tree pane.
pub fn left_body(area: Rect) -> Rect {
    let inner = body(area);
    Rect {
        width: inner.width.saturating_sub(1),
        ..inner
    }
}

/// The area under a pane's title line.
pub fn body(area: Rect) -> Rect {
    Rect {
        y: area.y.saturating_add(1),
        height: area.height.saturating_sub(1),
        ..area
    }
}

fn filter_line(frame: &mut Frame<'_>, app: &App<'_>, area: Rect) {
    let Some(f) = &app.filter else { return };
    let label = "Path Filter: ";
    let mut spans = vec![
        Span::styled(label, Style::default().add_modifier(Modifier::BOLD)),
        Span::raw(f.text.clone()),
    ];
    if let Some(err) = &f.error {
        spans.push(Span::styled(
            format!("  invalid regex: {err}"),
            Style::default().fg(Color::Red),
        ));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
    if f.focused {
        let x = area.x
            + (label.len() + f.text.chars().count()).min(usize::from(area.width.saturating_sub(1)))
                as u16;
        frame.set_cursor_position(Position { x, y: area.y });
    }
}

fn status_bar(frame: &mut Frame<'_>, app: &App<'_>, area: Rect) {
    if let Some(m) = &app.message {
        let line = Line::styled(
            printable(m).into_owned(),
            Style::default().fg(Color::Yellow),
        );
        frame.render_widget(Paragraph::new(line), area);
        return;
    }
    let mut items: Vec<(String, &str, bool)> = Vec::new();
    let k = |a: Action| app.keys.label(a);
    if app.findings_view.is_some() {
        items.push(("↑↓ PgUp PgDn".to_owned(), "Move", false));
        items.push((k(Action::ViewFile), "Jump to file", false));
        items.push(("Esc".to_owned(), "Close", false));
        items.push((k(Action::Help), "Help", false));
        items.push((k(Action::Quit), "Quit", false));
    } else if app.viewer.is_some() {
        items.push(("Esc".to_owned(), "Close", false));
        items.push(("↑↓ PgUp PgDn".to_owned(), "Scroll", false));
        items.push(("←→".to_owned(), "Pan", false));
        items.push((k(Action::Quit), "Quit", false));
    } else if app.filter.as_ref().is_some_and(|f| f.focused) {
        items.push(("Enter".to_owned(), "Done", false));
        items.push(("Esc".to_owned(), "Clear filter", false));
        items.push((k(Action::Quit), "Quit", false));
    } else {
        items.push((k(Action::Quit), "Quit", false));
        items.push((k(Action::ToggleView), "Switch view", false));
        items.push((k(Action::FilterFiles), "Filter", false));
        items.push((k(Action::Help), "Help", false));
        items.push((k(Action::ToggleFindings), "Findings", false));
        match app.focus {
            Pane::Layers => {
                items.push((
                    k(Action::CompareLayer),
                    "Show layer changes",
                    !app.files.aggregated(),
                ));
                items.push((
                    k(Action::CompareAll),
                    "Show aggregated changes",
                    app.files.aggregated(),
                ));
            }
            Pane::ImageDetails => items.push((k(Action::ViewFile), "Jump to path", false)),
            Pane::LayerDetails => {}
            Pane::Tree => {
                let f = &app.files;
                items.push((k(Action::ToggleCollapseDir), "Collapse dir", false));
                items.push((k(Action::ToggleCollapseAllDir), "Collapse all dir", false));
                items.push((k(Action::ToggleSortOrder), "Toggle sort order", false));
                items.push((k(Action::ViewFile), "View", false));
                items.push((k(Action::ToggleAddedFiles), "Added", !f.hide.added));
                items.push((k(Action::ToggleRemovedFiles), "Removed", !f.hide.removed));
                items.push((k(Action::ToggleModifiedFiles), "Modified", !f.hide.modified));
                items.push((
                    k(Action::ToggleUnmodifiedFiles),
                    "Unmodified",
                    !f.hide.unmodified,
                ));
                items.push((k(Action::ToggleAttributes), "Attributes", f.show_attributes));
                items.push((k(Action::ToggleHiddenFiles), "Hidden only", f.hidden_only));
            }
        }
    }
    let long: usize = items
        .iter()
        .map(|(k, l, _)| k.chars().count() + l.chars().count() + 3)
        .sum();
    if long + 1 > usize::from(area.width) {
        for item in &mut items {
            item.1 = short_label(item.1);
        }
    }
    let mut spans = Vec::new();
    for (key, label, on) in items {
        spans.push(Span::raw("▏"));
        let style = if on {
            Style::default().bg(Color::Magenta)
        } else {
            Style::default()
        };
        spans.push(Span::styled(format!("{key} {label} "), style));
    }
    spans.push(Span::raw("▏"));
    if let Some(label) = app.digests().label() {
        spans.push(Span::styled(
            format!(" {label}"),
            Style::default().fg(Color::DarkGray),
        ));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// The status bar's words when the full ones do not fit the terminal.
fn short_label(long: &str) -> &str {
    match long {
        "Switch view" => "Switch",
        "Show layer changes" => "Layer",
        "Show aggregated changes" => "Aggregated",
        "Collapse dir" => "Fold",
        "Collapse all dir" => "Fold all",
        "Toggle sort order" => "Sort",
        "Added" => "Add",
        "Removed" => "Rem",
        "Modified" => "Mod",
        "Unmodified" => "Unmod",
        "Attributes" => "Attrs",
        "Hidden only" => "Hidden",
        "Jump to path" | "Jump to file" => "Jump",
        "Clear filter" => "Clear",
        other => other,
    }
}

fn help(frame: &mut Frame<'_>, app: &App<'_>, area: Rect) {
    let rows: Vec<(String, &str)> = ACTIONS
        .iter()
        .map(|a| (app.keys.labels(a.action), a.help))
        .collect();
    let key_width = rows
        .iter()
        .map(|(k, _)| k.chars().count())
        .max()
        .unwrap_or(0);
    let mut lines: Vec<Line<'_>> = rows
        .iter()
        .map(|(k, h)| {
            Line::from(vec![
                Span::styled(
                    format!(" {k:<key_width$}  "),
                    Style::default().add_modifier(Modifier::BOLD),
                ),
                Span::raw(*h),
            ])
        })
        .collect();
    lines.push(Line::raw(
        " Mouse: wheel scrolls, click selects; in the viewer Esc or q closes",
    ));
    let width =
        (lines.iter().map(Line::width).max().unwrap_or(0) + 3).min(usize::from(area.width)) as u16;
    let height = (lines.len() + 2).min(usize::from(area.height)) as u16;
    let room = usize::from(height.saturating_sub(2));
    let scroll = app.help_scroll.min(lines.len().saturating_sub(room));
    let title = if room < lines.len() {
        " Keys (↑↓ scroll, any other key closes) "
    } else {
        " Keys (any key closes) "
    };
    let popup = Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    };
    frame.render_widget(Clear, popup);
    let block = Block::default().borders(Borders::ALL).title(title);
    let scroll = u16::try_from(scroll).unwrap_or(0);
    frame.render_widget(
        Paragraph::new(lines).block(block).scroll((scroll, 0)),
        popup,
    );
}
