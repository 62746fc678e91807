//! The findings list: what the leak analysis found, secrets first and then image-config
//! hygiene, over the explorer; `Enter` on a finding shows its file at the layer that added it.
//!
//! The list's rows are made once from the report, so drawing only reads them.

use layerscope_format::text::printable;
use layerscope_report::{HiddenBy, Report, Severity};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::app::App;
use crate::findingsview::{Geometry, Row};
use crate::keymap::Action;

/// One secret or hygiene finding as the list shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub severity: Severity,
    /// The rule's or the check's id.
    pub rule: String,
    /// The file concerned, absolute (`/app/.env`).
    pub path: Option<String>,
    /// 1-based line of a match in the file's content; `None` when the name gave it away.
    pub line: Option<u32>,
    /// The layer whose tar holds this version of the file.
    pub layer: Option<usize>,
    /// A secret's masked value or a hygiene finding's message; never a whole secret.
    pub detail: String,
    /// Set when a later layer hid this version: it ships, yet the final filesystem lacks it.
    pub hidden_by: Option<HiddenBy>,
    /// How many more places hold the same secret.
    pub more_places: usize,
    /// One line on what to change.
    pub fix: Option<String>,
}

/// Everything the list shows, each part in the order to list it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Findings {
    pub secrets: Vec<Finding>,
    pub hygiene: Vec<Finding>,
}

impl Findings {
    /// The report's findings in its order (secrets in hidden versions first), each secret at
    /// its first place.
    pub fn of(report: &Report) -> Findings {
        let secrets = report
            .leaks
            .secrets
            .iter()
            .map(|s| {
                let first = s.first();
                Finding {
                    severity: s.severity,
                    rule: s.rule.clone(),
                    path: first.map(|p| p.path.clone()),
                    line: first.map(|p| p.line).filter(|&l| l > 0),
                    layer: first.map(|p| p.layer),
                    // A file flagged by its name has no value to show, only the rule.
                    detail: if s.masked.is_empty() {
                        format!("({})", s.description)
                    } else {
                        s.masked.clone()
                    },
                    hidden_by: first.and_then(|p| p.hidden_by),
                    more_places: s.places.len().saturating_sub(1),
                    fix: None,
                }
            })
            .collect();
        let hygiene = report
            .leaks
            .hygiene
            .iter()
            .map(|h| Finding {
                severity: h.severity,
                rule: h.id.to_owned(),
                path: (h.paths.len() == 1).then(|| h.paths[0].clone()),
                line: None,
                layer: None,
                detail: h.message.clone(),
                hidden_by: None,
                more_places: 0,
                fix: Some(h.fix.to_owned()),
            })
            .collect();
        Findings { secrets, hygiene }
    }

    pub fn len(&self) -> usize {
        self.secrets.len() + self.hygiene.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Secrets are numbered first, hygiene after them, as the list shows them.
    pub fn get(&self, index: usize) -> Option<&Finding> {
        match index.checked_sub(self.secrets.len()) {
            None => self.secrets.get(index),
            Some(i) => self.hygiene.get(i),
        }
    }

    pub fn hidden_secrets(&self) -> usize {
        self.secrets
            .iter()
            .filter(|s| s.hidden_by.is_some())
            .count()
    }
}

/// Where the open list is: the selected finding and the first line shown.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct FindingsView {
    pub(crate) cursor: usize,
    pub(crate) offset: usize,
}

impl FindingsView {
    /// The first line to draw, with the selected finding in view even after a resize.
    pub(crate) fn offset_in(&self, geometry: &Geometry) -> usize {
        scrolled(
            &geometry.rows,
            self.cursor,
            self.offset,
            geometry.list_height(),
        )
    }
}

/// The first line to show so that the selected finding is in view, moving as little as
/// possible from `offset`; the headings right above a finding come into view with it.
fn scrolled(rows: &[Row], cursor: usize, offset: usize, height: usize) -> usize {
    let Some(first) = rows.iter().position(|r| r.item == Some(cursor)) else {
        return 0;
    };
    let last = rows
        .iter()
        .rposition(|r| r.item == Some(cursor))
        .unwrap_or(first);
    let mut top = first;
    while top > 0 && rows[top - 1].item.is_none() {
        top -= 1;
    }
    let height = height.max(1);
    if top < offset {
        // On a short screen the finding itself matters more than its heading.
        top.max((last + 1).saturating_sub(height)).min(first)
    } else if last >= offset + height {
        last + 1 - height
    } else {
        offset
    }
}

impl App<'_> {
    pub fn findings_shown(&self) -> bool {
        self.findings_view.is_some()
    }

    /// The selected finding's index (secrets first), while the list is open.
    pub fn findings_cursor(&self) -> Option<usize> {
        self.findings_view.map(|v| v.cursor)
    }

    pub(crate) fn open_findings(&mut self) {
        self.findings_view = Some(FindingsView::default());
    }

    pub(crate) fn on_findings_key(&mut self, key: &KeyEvent) {
        let height = Geometry::of(self.area, &self.findings).list_height();
        // A finding takes two lines or more, so a page holds half as many findings as lines.
        let step = self.step(key, height / 2);
        let close = key.code == KeyCode::Esc
            || self.is(Action::ToggleFindings, key)
            || (self.is(Action::Quit, key) && !key.modifiers.contains(KeyModifiers::CONTROL));
        let Some(view) = self.findings_view else {
            return;
        };
        if close {
            self.findings_view = None;
        } else if let Some(delta) = step {
            self.move_finding(delta);
        } else if self.is(Action::ViewFile, key) {
            self.jump_to_finding(view.cursor);
        } else if self.is(Action::Help, key) {
            self.help = true;
            self.help_scroll = 0;
        }
    }

    pub(crate) fn move_finding(&mut self, delta: isize) {
        let Some(view) = self.findings_view else {
            return;
        };
        let geometry = Geometry::of(self.area, &self.findings);
        let last = self.findings.len().saturating_sub(1);
        let cursor = view.cursor.saturating_add_signed(delta).min(last);
        let offset = scrolled(&geometry.rows, cursor, view.offset, geometry.list_height());
        self.findings_view = Some(FindingsView { cursor, offset });
    }

    /// Closes the list and shows the finding's file at the layer that added that version;
    /// a finding about no file leaves the list open and says so.
    fn jump_to_finding(&mut self, index: usize) {
        let Some(finding) = self.findings.get(index) else {
            return;
        };
        let Some(path) = finding.path.clone() else {
            self.message = Some(format!(
                "{} is about the image config, not a file",
                printable(&finding.rule).into_owned()
            ));
            return;
        };
        let layer = finding.layer;
        self.findings_view = None;
        self.jump_to(&path, layer);
    }
}

#[cfg(test)]
mod tests {
    use ratatui::text::Line;

    use super::*;

    #[test]
    fn scrolling_keeps_the_selected_finding_and_its_heading_in_view() {
        // Heading, 3 secrets of 2 lines, blank, heading, hygiene findings of 2 and 1 lines.
        let items = [
            None,
            Some(0),
            Some(0),
            Some(1),
            Some(1),
            Some(2),
            Some(2),
            None,
            None,
            Some(3),
            Some(3),
            Some(4),
        ];
        let rows: Vec<Row> = items
            .into_iter()
            .map(|item| Row {
                item,
                line: Line::raw(""),
            })
            .collect();
        assert_eq!(scrolled(&rows, 0, 0, 4), 0);
        assert_eq!(scrolled(&rows, 2, 0, 4), 3);
        // The first hygiene finding brings the blank line and its heading along.
        assert_eq!(scrolled(&rows, 3, 3, 4), 7);
        assert_eq!(scrolled(&rows, 4, 7, 4), 8);
        assert_eq!(scrolled(&rows, 0, 8, 4), 0);
        // Too short for a heading and the finding: the finding wins.
        assert_eq!(scrolled(&rows, 3, 11, 2), 9);
        let finding = |rule: &str| Finding {
            severity: Severity::High,
            rule: rule.to_owned(),
            path: None,
            line: None,
            layer: None,
            detail: String::new(),
            hidden_by: None,
            more_places: 0,
            fix: None,
        };
        let findings = Findings {
            secrets: vec![finding("a"); 3],
            hygiene: vec![finding("LS-H001")],
        };
        assert_eq!(findings.get(3), Some(&findings.hygiene[0]));
        assert_eq!(findings.get(4), None);
    }
}
