//! The leak report as text: secrets first, then hidden files grouped by the layer that hid them,
//! then hygiene. Everything the image names passes through [`printable`] on the way out.

use std::borrow::Cow;
use std::fmt::Write as _;

use layerscope_ci::humanize::bytes as human_bytes;
pub use layerscope_ci::printable;

use layerscope_waste::HideKind;

use crate::hidden::{HiddenFile, HiddenKind};
use crate::report::{LeakReport, SecretFinding};
use crate::rule::Severity;

/// Hidden files listed per hiding layer; the JSON has them all.
pub const HIDDEN_ROWS_PER_LAYER: usize = 10;

/// Longest command shown; history lines can run to pages.
const COMMAND_CHARS: usize = 60;

const RESET: &str = "\x1b[0m";
const BOLD: &str = "\x1b[1m";
const RED_BOLD: &str = "\x1b[1;31m";
const RED: &str = "\x1b[31m";
const YELLOW: &str = "\x1b[33m";
const BLUE: &str = "\x1b[34m";
const DIM: &str = "\x1b[2m";

/// A concise, aligned report. `color` adds ANSI codes.
pub fn render_text(report: &LeakReport, color: bool) -> String {
    let mut out = Out {
        text: String::new(),
        color,
    };
    secrets(&mut out, report);
    hidden(&mut out, report);
    hygiene(&mut out, report);
    out.text
}

fn secrets(out: &mut Out, report: &LeakReport) {
    let hidden = report.hidden_secret_count();
    let mut title = format!("Secrets: {}", report.secrets.len());
    if !report.secrets.is_empty() {
        let _ = write!(title, " ({hidden} in hidden files)");
    }
    if report.allowed_secrets > 0 {
        let _ = write!(title, ", {} allow-listed", report.allowed_secrets);
    }
    out.bold(&title);
    let rules: Vec<Cow<'_, str>> = report.secrets.iter().map(|s| printable(&s.rule)).collect();
    let rule_width = width(rules.iter().map(|r| r.chars().count()));
    let places: Vec<String> = report.secrets.iter().map(place).collect();
    let place_width = width(places.iter().map(|p| p.chars().count()));
    for ((secret, place), rule) in report.secrets.iter().zip(&places).zip(&rules) {
        let value = if secret.line == 0 {
            format!("({})", printable(&secret.description))
        } else {
            printable(&secret.masked).into_owned()
        };
        let severity = out.severity(secret.severity);
        out.line(&format!(
            "  {severity}  {rule:rule_width$}  {place:place_width$}  {value}"
        ));
        let mut origin = format!(
            "layer {} `{}`",
            secret.layer,
            short_command(&secret.command)
        );
        if let Some(by) = &secret.hidden {
            let _ = write!(
                origin,
                "; {} by layer {} `{}`",
                how(by.how),
                by.layer,
                short_command(&by.command)
            );
        }
        let origin = out.paint(DIM, &origin);
        out.line(&format!("  {:8}  {origin}", ""));
    }
}

fn place(secret: &SecretFinding) -> String {
    let path = printable(&secret.path);
    if secret.line == 0 {
        path.into_owned()
    } else {
        format!("{path}:{}", secret.line)
    }
}

fn hidden(out: &mut Out, report: &LeakReport) {
    let files = &report.hidden_files;
    out.bold(&format!(
        "Hidden Files: {} ({} that ship but cannot be seen)",
        files.len(),
        human_bytes(report.hidden_bytes)
    ));
    let size_width = width(files.iter().map(|f| human_bytes(f.size).len()));
    let how_width = width(files.iter().map(|f| how(f.hidden.how).len()));
    for group in files.chunk_by(|a, b| a.hidden.layer == b.hidden.layer) {
        let Some(first) = group.first() else {
            continue;
        };
        out.line(&format!(
            "  hidden by layer {} `{}`:",
            first.hidden.layer,
            short_command(&first.hidden.command)
        ));
        for file in group.iter().take(HIDDEN_ROWS_PER_LAYER) {
            out.line(&format!(
                "    {:>size_width$}  {}  {:how_width$}  {}{}  (from layer {})",
                human_bytes(file.size),
                mode(file),
                how(file.hidden.how),
                printable(&file.path),
                file.link
                    .as_ref()
                    .map(|l| format!(" -> {}", printable(l)))
                    .unwrap_or_default(),
                file.added.layer
            ));
        }
        if group.len() > HIDDEN_ROWS_PER_LAYER {
            out.line(&format!(
                "    … and {} more (see --json)",
                group.len() - HIDDEN_ROWS_PER_LAYER
            ));
        }
    }
}

fn how(how: HideKind) -> &'static str {
    match how {
        HideKind::Deleted => "deleted",
        HideKind::Overwritten => "overwritten",
        HideKind::OpaqueDir => "hidden (opaque dir)",
    }
}

fn mode(file: &HiddenFile) -> String {
    let kind = match file.kind {
        HiddenKind::File => '-',
        HiddenKind::Symlink => 'l',
    };
    let mut text = String::from(kind);
    for shift in [6, 3, 0] {
        let bits = (file.mode >> shift) & 0o7;
        text.push(if bits & 4 == 0 { '-' } else { 'r' });
        text.push(if bits & 2 == 0 { '-' } else { 'w' });
        text.push(if bits & 1 == 0 { '-' } else { 'x' });
    }
    text
}

fn hygiene(out: &mut Out, report: &LeakReport) {
    out.bold(&format!("Hygiene: {}", report.hygiene.len()));
    for finding in &report.hygiene {
        let severity = out.severity(finding.severity);
        out.line(&format!(
            "  {severity}  {}  {}",
            finding.id,
            printable(&finding.message)
        ));
        let fix = out.paint(DIM, &format!("fix: {}", finding.fix));
        out.line(&format!("  {:8}  {:7}  {fix}", "", ""));
    }
}

/// What dive shows of a command: the shell wrapper dropped, long ones cut.
fn short_command(command: &str) -> String {
    let command = command.trim();
    let command = command.strip_prefix("/bin/sh -c ").unwrap_or(command);
    let command = command.strip_prefix("#(nop)").unwrap_or(command).trim();
    let clean = printable(command);
    if clean.chars().count() > COMMAND_CHARS {
        let head: String = clean.chars().take(COMMAND_CHARS - 1).collect();
        format!("{head}…")
    } else {
        clean.into_owned()
    }
}

fn width(lengths: impl Iterator<Item = usize>) -> usize {
    lengths.max().unwrap_or(0)
}

struct Out {
    text: String,
    color: bool,
}

impl Out {
    fn line(&mut self, text: &str) {
        self.text.push_str(text);
        self.text.push('\n');
    }

    fn bold(&mut self, text: &str) {
        let painted = self.paint(BOLD, text);
        self.line(&painted);
    }

    fn paint(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("{code}{text}{RESET}")
        } else {
            text.to_owned()
        }
    }

    /// The severity word padded to one width, so colour codes do not break the alignment.
    fn severity(&self, severity: Severity) -> String {
        let word = format!("{:8}", severity.as_str());
        let code = match severity {
            Severity::Critical => RED_BOLD,
            Severity::High => RED,
            Severity::Medium => YELLOW,
            Severity::Low => BLUE,
        };
        self.paint(code, &word)
    }
}
