//! Drawing the findings list: where the box goes, and each finding's lines wrapped to its width.

use std::fmt::Write as _;

use layerscope_format::text::{self, printable};
use layerscope_report::Severity;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Padding, Paragraph};

use crate::app::App;
use crate::findings::{Finding, Findings};
use crate::keymap::Action;

/// Wider lines are harder to read than wrapped ones.
const MAX_WIDTH: u16 = 120;
/// The border and a space inside it, on each side.
const FRAME: u16 = 4;
/// Where a finding's lines after the first start: under its rule id.
const INDENT: usize = 12;
const NO_FINDINGS: &str =
    "No findings: no secrets in any layer, nothing to fix in the image config.";

/// One line of the list, and which finding it belongs to (none for headings).
pub(crate) struct Row {
    pub(crate) item: Option<usize>,
    pub(crate) line: Line<'static>,
}

/// The box and its lines, shared by drawing and the keys so that paging matches the screen.
pub(crate) struct Geometry {
    pub(crate) area: Rect,
    pub(crate) rows: Vec<Row>,
}

impl Geometry {
    /// A box as narrow as its lines allow, centred over the panes above the status bar.
    pub(crate) fn of(screen: Rect, findings: &Findings) -> Geometry {
        let room = screen.height.saturating_sub(1);
        let widest = if screen.width >= 60 {
            screen.width.saturating_sub(4).min(MAX_WIDTH)
        } else {
            screen.width
        };
        let mut rows = layout(findings, usize::from(widest.saturating_sub(FRAME)));
        let used = rows.iter().map(|r| r.line.width()).max().unwrap_or(0);
        let width = u16::try_from(used).map_or(widest, |w| w.saturating_add(FRAME).min(widest));
        if width < widest {
            rows = layout(findings, usize::from(width.saturating_sub(FRAME)));
        }
        let height = u16::try_from(rows.len() + 2).map_or(room, |h| h.min(room));
        let area = Rect {
            x: screen.x + (screen.width - width) / 2,
            y: screen.y + (room - height) / 2,
            width,
            height,
        };
        Geometry { area, rows }
    }

    /// Lines of the list shown at once, inside the border.
    pub(crate) fn list_height(&self) -> usize {
        usize::from(self.area.height.saturating_sub(2))
    }
}

/// Every line of the list at `width` columns.
fn layout(findings: &Findings, width: usize) -> Vec<Row> {
    let mut rows = Vec::new();
    if findings.is_empty() {
        for piece in wrap(NO_FINDINGS, width) {
            rows.push(Row {
                item: None,
                line: Line::raw(piece),
            });
        }
        return rows;
    }
    let bold = Style::default().add_modifier(Modifier::BOLD);
    let secrets = if findings.secrets.is_empty() {
        "Secrets: none found".to_owned()
    } else {
        format!(
            "Secrets: {} ({} in hidden files)",
            findings.secrets.len(),
            findings.hidden_secrets()
        )
    };
    rows.push(Row {
        item: None,
        line: Line::styled(secrets, bold),
    });
    let secret_width = rule_width(&findings.secrets);
    for (i, secret) in findings.secrets.iter().enumerate() {
        secret_rows(&mut rows, i, secret, secret_width, width);
    }
    let hygiene = if findings.hygiene.is_empty() {
        "Hygiene: none found".to_owned()
    } else {
        format!("Hygiene: {}", findings.hygiene.len())
    };
    rows.push(Row {
        item: None,
        line: Line::raw(""),
    });
    rows.push(Row {
        item: None,
        line: Line::styled(hygiene, bold),
    });
    let check_width = rule_width(&findings.hygiene);
    for (n, check) in findings.hygiene.iter().enumerate() {
        let i = findings.secrets.len() + n;
        hygiene_rows(&mut rows, i, check, check_width, width);
    }
    rows
}

fn rule_width(section: &[Finding]) -> usize {
    section
        .iter()
        .map(|f| printable(&f.rule).chars().count())
        .max()
        .unwrap_or(0)
}

fn severity_style(severity: Severity) -> Style {
    match severity {
        Severity::Critical => Style::default().fg(Color::Red).add_modifier(Modifier::BOLD),
        Severity::High => Style::default().fg(Color::Red),
        Severity::Medium => Style::default().fg(Color::Yellow),
        Severity::Low => Style::default().fg(Color::Blue),
    }
}

/// The marker column (where the selection's `>` goes), the severity and the rule id.
fn head(finding: &Finding, rule_width: usize) -> Vec<Span<'static>> {
    let rule = printable(&finding.rule);
    vec![
        Span::raw("  "),
        Span::styled(
            format!("{:<8}", finding.severity.as_str()),
            severity_style(finding.severity),
        ),
        Span::raw(format!("  {rule:<rule_width$}  ")),
    ]
}

/// Where a secret is: `/app/.env:3`, or the path alone when its name gave it away.
fn place(finding: &Finding) -> String {
    let path = finding.path.as_deref().map(printable).unwrap_or_default();
    let mut place = match finding.line {
        Some(line) if line > 0 => format!("{path}:{line}"),
        _ => path.into_owned(),
    };
    if finding.more_places > 0 {
        let _ = write!(place, " (+{} more)", finding.more_places);
    }
    place
}

/// Who shipped a secret, and whether the final filesystem still shows it.
fn origin(finding: &Finding) -> String {
    let added = finding.layer.map_or_else(
        || "layer unknown".to_owned(),
        |l| format!("added in layer {l}"),
    );
    let fate = finding.hidden_by.as_ref().map_or_else(
        || "visible in the final image".to_owned(),
        |h| format!("{} in layer {}", h.how.word(), h.layer),
    );
    format!("{added} · {fate}")
}

fn secret_rows(rows: &mut Vec<Row>, i: usize, secret: &Finding, rule_width: usize, width: usize) {
    push_wrapped(
        rows,
        i,
        head(secret, rule_width),
        &place(secret),
        Style::default(),
        width,
    );
    let dim = Style::default().add_modifier(Modifier::DIM);
    let origin = origin(secret);
    let value = text::one_line(&secret.detail);
    let indent = || vec![Span::raw(" ".repeat(INDENT))];
    let together = INDENT + origin.chars().count() + 3 + value.chars().count();
    if together <= width {
        let mut spans = indent();
        spans.push(Span::styled(format!("{origin} · "), dim));
        spans.push(Span::raw(value));
        rows.push(Row {
            item: Some(i),
            line: Line::from(spans),
        });
    } else {
        push_wrapped(rows, i, indent(), &origin, dim, width);
        push_wrapped(rows, i, indent(), &value, Style::default(), width);
    }
}

fn hygiene_rows(rows: &mut Vec<Row>, i: usize, check: &Finding, rule_width: usize, width: usize) {
    let message = text::one_line(&check.detail);
    push_wrapped(
        rows,
        i,
        head(check, rule_width),
        &message,
        Style::default(),
        width,
    );
    if let Some(fix) = &check.fix {
        let fix = format!("fix: {}", text::one_line(fix));
        let dim = Style::default().add_modifier(Modifier::DIM);
        push_wrapped(
            rows,
            i,
            vec![Span::raw(" ".repeat(INDENT))],
            &fix,
            dim,
            width,
        );
    }
}

/// `first` then `text`, the text wrapped under itself when the line would pass `width`.
fn push_wrapped(
    rows: &mut Vec<Row>,
    item: usize,
    first: Vec<Span<'static>>,
    text: &str,
    style: Style,
    width: usize,
) {
    let indent: usize = first.iter().map(Span::width).sum();
    let mut prefix = first;
    for piece in wrap(text, width.saturating_sub(indent)) {
        prefix.push(Span::styled(piece, style));
        rows.push(Row {
            item: Some(item),
            line: Line::from(std::mem::take(&mut prefix)),
        });
        prefix = vec![Span::raw(" ".repeat(indent))];
    }
}

/// Breaks at spaces into lines of at most `width` characters, cutting words that are longer;
/// below a usable width the text stays whole and the border clips it.
fn wrap(text: &str, width: usize) -> Vec<String> {
    if width < 16 {
        return vec![text.to_owned()];
    }
    let mut out = Vec::new();
    let mut line = String::new();
    let mut len = 0;
    for word in text.split(' ') {
        let n = word.chars().count();
        if len > 0 && len + 1 + n > width {
            out.push(std::mem::take(&mut line));
            len = 0;
        } else if len > 0 {
            line.push(' ');
            len += 1;
        }
        for c in word.chars() {
            if len == width {
                out.push(std::mem::take(&mut line));
                len = 0;
            }
            line.push(c);
            len += 1;
        }
    }
    out.push(line);
    out
}

/// Draws the open list over the screen.
pub fn overlay(frame: &mut Frame<'_>, app: &App<'_>, screen: Rect) {
    let Some(view) = app.findings_view else {
        return;
    };
    let geometry = Geometry::of(screen, &app.findings);
    let area = geometry.area;
    if area.width < 3 || area.height < 3 {
        return;
    }
    let offset = view.offset_in(&geometry);
    let selected = Style::default().add_modifier(Modifier::REVERSED);
    let mut marked = false;
    let lines: Vec<Line<'static>> = geometry
        .rows
        .into_iter()
        .skip(offset)
        .take(usize::from(area.height - 2))
        .map(|row| {
            if row.item != Some(view.cursor) {
                return row.line;
            }
            let mut line = row.line.patch_style(selected);
            // The marker shows the selection where colours do not (a screen capture, a
            // monochrome terminal); the finding's first line holds the marker column.
            if !marked && row.item.is_some() {
                if let Some(first) = line.spans.first_mut()
                    && first.content == "  "
                {
                    first.content = "> ".into();
                }
                marked = true;
            }
            line
        })
        .collect();
    let title = format!(
        " Findings ({} jump to the file, Esc or {} close) ",
        app.keys.label(Action::ViewFile),
        app.keys.label(Action::ToggleFindings)
    );
    frame.render_widget(Clear, area);
    let block = Block::default()
        .borders(Borders::ALL)
        .padding(Padding::horizontal(1))
        .title(printable(&title).into_owned());
    frame.render_widget(Paragraph::new(lines).block(block), area);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_at_spaces_and_cuts_long_words() {
        assert_eq!(
            wrap("add a HEALTHCHECK instruction (or `HEALTHCHECK NONE`)", 20),
            [
                "add a HEALTHCHECK",
                "instruction (or",
                "`HEALTHCHECK NONE`)"
            ]
        );
        assert_eq!(
            wrap("AWS_SECRET_ACCESS_KEY=wJal****************EKEY", 20),
            ["AWS_SECRET_ACCESS_KE", "Y=wJal**************", "**EKEY"]
        );
        assert_eq!(wrap("short", 80), ["short"]);
        assert_eq!(wrap("too narrow to wrap", 5), ["too narrow to wrap"]);
    }
}
