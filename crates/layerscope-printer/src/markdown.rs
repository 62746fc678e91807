//! The report as Markdown, for a pull request comment or a CI job summary: the figures, the
//! rules, the files that waste the most and the versions that ship hidden.

use std::cmp::Reverse;
use std::collections::BTreeMap;
use std::fmt::Write as _;

use layerscope_format::float::go_fixed4;
use layerscope_format::{bytes, command};
use layerscope_report::{EntryKind, Report, Status, TreePath};

/// Rows of each table; the JSON has them all.
const ROWS: usize = 10;

pub fn markdown(report: &Report) -> String {
    let mut out = String::new();
    let image = &report.image;
    let verdict = match &report.gate {
        Some(g) if g.passed => " ✅ passed",
        Some(_) => " ❌ failed",
        None => "",
    };
    let _ = writeln!(out, "### layerscope: `{}`{verdict}\n", code(&image.name));
    let dive = &report.dive;
    out.push_str("| figure | value |\n|---|---|\n");
    let _ = writeln!(
        out,
        "| image size | {} ({} layers) |",
        bytes(dive.size_bytes),
        image.layers.len()
    );
    let _ = writeln!(
        out,
        "| efficiency (dive) | {} % |",
        go_fixed4(dive.efficiency * 100.0)
    );
    let _ = writeln!(
        out,
        "| wasted bytes (dive) | {} |",
        bytes(dive.wasted_bytes)
    );
    let _ = writeln!(
        out,
        "| user wasted (dive) | {} % |",
        go_fixed4(dive.user_wasted_percent * 100.0)
    );
    let _ = writeln!(
        out,
        "| shipped but hidden | {} |",
        bytes(report.reclaimable.bytes)
    );
    let _ = writeln!(
        out,
        "| secrets | {} ({} in hidden files) |",
        report.leaks.secrets.len(),
        report.leaks.hidden_secret_count()
    );
    let _ = writeln!(out, "| hygiene findings | {} |", report.leaks.hygiene.len());
    if let Some(gate) = &report.gate {
        out.push_str("\n| rule | result | detail |\n|---|---|---|\n");
        for rule in &gate.rules {
            let word = match rule.status {
                Status::Pass => "✅ pass",
                Status::Fail => "❌ fail",
                Status::Skip => "➖ skip",
            };
            let detail = if rule.status == Status::Fail {
                cell(rule.message.as_deref().unwrap_or_default())
            } else {
                String::new()
            };
            let _ = writeln!(out, "| `{}` | {word} | {detail} |", rule.rule);
        }
    }
    if !dive.inefficient.is_empty() {
        out.push_str("\n**Files that waste the most** (dive's count)\n\n| path | copies | wasted |\n|---|---|---|\n");
        for row in dive.inefficient.iter().take(ROWS) {
            let _ = writeln!(
                out,
                "| `{}` | {} | {} |",
                code(&row.path.to_string()),
                row.count,
                bytes(row.bytes)
            );
        }
    }
    hidden(&mut out, report);
    if !report.leaks.secrets.is_empty() {
        out.push_str("\n**Secrets** (values masked)\n\n| severity | rule | where | layer |\n|---|---|---|---|\n");
        for secret in report.leaks.secrets.iter().take(ROWS) {
            let Some(first) = secret.first() else {
                continue;
            };
            let fate = first
                .hidden_by
                .map(|h| format!(", {} by layer {}", h.how.word(), h.layer))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "| {} | `{}` | `{}` | {} `{}`{fate} |",
                secret.severity.as_str(),
                code(&secret.rule),
                code(&first.path),
                first.layer,
                code(&command::short(
                    report.command(first.layer).unwrap_or_default(),
                    50
                )),
            );
        }
    }
    out
}

fn hidden(out: &mut String, report: &Report) {
    let mut by_path: BTreeMap<&TreePath, (usize, u64, u32)> = BTreeMap::new();
    for file in &report.reclaimable.files {
        if file.kind == EntryKind::File && file.size > 0 {
            let (copies, total, hider) = by_path.entry(&file.path).or_default();
            *copies += 1;
            *total = total.saturating_add(file.size);
            *hider = file.hidden_by.layer;
        }
    }
    if by_path.is_empty() {
        return;
    }
    let mut paths: Vec<_> = by_path.into_iter().collect();
    paths.sort_by_key(|&(path, (_, total, _))| (Reverse(total), path));
    out.push_str("\n**Shipped but hidden** (reclaimable)\n\n| path | copies | bytes | hidden by layer |\n|---|---|---|---|\n");
    for (path, (copies, total, hider)) in paths.iter().take(ROWS) {
        let _ = writeln!(
            out,
            "| `{}` | {copies} | {} | {hider} |",
            code(&path.to_string()),
            bytes(*total)
        );
    }
}

/// Text inside a code span in a table: printable, no backtick to end the span, no `|` to
/// end the cell.
fn code(text: &str) -> String {
    layerscope_format::printable(text)
        .replace('`', "'")
        .replace('|', "\\|")
}

/// Plain text in a table cell: printable, with markup and cell ends neutralised.
fn cell(text: &str) -> String {
    layerscope_format::printable(text)
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('|', "\\|")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_text_cannot_break_out() {
        assert_eq!(code("a`b|c\nd"), "a'b\\|c\\nd");
        assert_eq!(cell("<script>|"), "&lt;script&gt;\\|");
    }
}
