//! The leak report as text: secrets first, then the files later layers hid grouped by the
//! layer that hid them, then hygiene, then the leak rules. Everything the image names passes
//! through `printable` on the way out.

use std::fmt::Write as _;

use layerscope_format::{bytes, command, mode, printable};
use layerscope_report::{Report, RuleSet, SecretFinding, SecretPlace, Severity};

use crate::dive::rule_lines;
use crate::paint::{BLUE, DIM, Out, RED, RED_BOLD, YELLOW};

/// Hidden files listed per hiding layer; the JSON has them all.
pub const HIDDEN_ROWS_PER_LAYER: usize = 10;

/// Longest command shown; history lines can run to pages.
const COMMAND_CHARS: usize = 60;

pub fn write(out: &mut Out, report: &Report) {
    secrets(out, report);
    hidden(out, report);
    hygiene(out, report);
    rules(out, report);
}

/// A layer's command on one line, cut short.
fn short_command(report: &Report, layer: usize) -> String {
    command::short(report.command(layer).unwrap_or_default(), COMMAND_CHARS)
}

fn secrets(out: &mut Out, report: &Report) {
    let leaks = &report.leaks;
    let mut title = format!("Secrets: {}", leaks.secrets.len());
    if !leaks.secrets.is_empty() {
        let _ = write!(title, " ({} in hidden files)", leaks.hidden_secret_count());
    }
    if leaks.allowed_secrets > 0 {
        let _ = write!(title, ", {} allow-listed", leaks.allowed_secrets);
    }
    out.bold(&title);
    let rules: Vec<String> = leaks
        .secrets
        .iter()
        .map(|s| printable(&s.rule).into_owned())
        .collect();
    let rule_width = width(rules.iter().map(|r| r.chars().count()));
    let places: Vec<String> = leaks
        .secrets
        .iter()
        .map(|s| s.first().map(place).unwrap_or_default())
        .collect();
    let place_width = width(places.iter().map(|p| p.chars().count()));
    for ((secret, first), rule) in leaks.secrets.iter().zip(&places).zip(&rules) {
        let severity = severity(out, secret.severity);
        out.line(&format!(
            "  {severity}  {rule:rule_width$}  {first:place_width$}  {}",
            value(secret)
        ));
        for at in &secret.places {
            let mut origin = String::new();
            let here = place(at);
            if here != *first {
                let _ = write!(origin, "{here}, ");
            }
            let _ = write!(
                origin,
                "layer {} `{}`",
                at.layer,
                short_command(report, at.layer)
            );
            if let Some(by) = &at.hidden_by {
                let _ = write!(
                    origin,
                    "; {} by layer {} `{}`",
                    by.how.word(),
                    by.layer,
                    short_command(report, by.layer as usize)
                );
            }
            let origin = out.paint(DIM, &origin);
            out.line(&format!("  {:8}  {origin}", ""));
        }
    }
}

/// What a finding may show of its secret: the masked value, or what the file's name says.
fn value(secret: &SecretFinding) -> String {
    if secret.masked.is_empty() {
        format!("({})", printable(&secret.description))
    } else {
        printable(&secret.masked).into_owned()
    }
}

fn place(at: &SecretPlace) -> String {
    let path = printable(&at.path);
    if at.line == 0 {
        path.into_owned()
    } else {
        format!("{path}:{}", at.line)
    }
}

fn hidden(out: &mut Out, report: &Report) {
    let files = &report.reclaimable.files;
    out.bold(&format!(
        "Hidden Files: {} ({} that ship but cannot be seen)",
        files.len(),
        bytes(report.reclaimable.bytes)
    ));
    let size_width = width(files.iter().map(|f| bytes(f.size).len()));
    let how_width = width(files.iter().map(|f| f.hidden_by.how.word().len()));
    for group in files.chunk_by(|a, b| a.hidden_by.layer == b.hidden_by.layer) {
        let Some(first) = group.first() else {
            continue;
        };
        out.line(&format!(
            "  hidden by layer {} `{}`:",
            first.hidden_by.layer,
            short_command(report, first.hidden_by.layer as usize)
        ));
        for file in group.iter().take(HIDDEN_ROWS_PER_LAYER) {
            let link = file
                .link
                .as_ref()
                .map(|l| format!(" -> {}", printable(l)))
                .unwrap_or_default();
            out.line(&format!(
                "    {:>size_width$}  {}  {:how_width$}  {}{link}  (from layer {})",
                bytes(file.size),
                mode::permissions(file.mode, file.kind.mode_char()),
                file.hidden_by.how.word(),
                printable(&file.path.to_string()),
                file.layer
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

fn hygiene(out: &mut Out, report: &Report) {
    let findings = &report.leaks.hygiene;
    out.bold(&format!("Hygiene: {}", findings.len()));
    for finding in findings {
        let severity = severity(out, finding.severity);
        out.line(&format!(
            "  {severity}  {}  {}",
            finding.id,
            printable(&finding.message)
        ));
        let fix = out.paint(DIM, &format!("fix: {}", finding.fix));
        out.line(&format!("  {:8}  {:7}  {fix}", "", ""));
    }
}

/// The leak rules in dive's `Results:` shape, then their summary.
fn rules(out: &mut Out, report: &Report) {
    rule_block(out, report, RuleSet::Leaks, "Leak");
}

/// A set of rules in dive's `Results:` shape and its summary line, when the set ran.
pub fn rule_block(out: &mut Out, report: &Report, set: RuleSet, title: &str) {
    let Some(gate) = &report.gate else {
        return;
    };
    if gate.results(set).next().is_none() {
        return;
    }
    out.line(&format!("{title} Rules:"));
    let counts = rule_lines(out, gate, set);
    out.line(&format!(
        "{title} Result:{} [Total:{}] [Passed:{}] [Failed:{}] [Skipped:{}]",
        if counts.failed == 0 { "PASS" } else { "FAIL" },
        counts.total,
        counts.passed,
        counts.failed,
        counts.skipped,
    ));
}

/// The severity word padded to one width, so colour codes do not break the alignment.
fn severity(out: &Out, severity: Severity) -> String {
    let word = format!("{:8}", severity.as_str());
    let code = match severity {
        Severity::Critical => RED_BOLD,
        Severity::High => RED,
        Severity::Medium => YELLOW,
        Severity::Low => BLUE,
    };
    out.paint(code, &word)
}

fn width(lengths: impl Iterator<Item = usize>) -> usize {
    lengths.max().unwrap_or(0)
}
