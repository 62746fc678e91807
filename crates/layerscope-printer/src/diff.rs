//! A diff of two images as text, shaped like `git diff --stat`: a summary line first, then the
//! layers where the images diverge, the figures that moved, the directories and files that moved
//! the most bytes (with the command that made each on its side), and the findings that came or
//! went. Sizes are written as dive writes them.

use std::fmt::Write as _;

use layerscope_diff::{Aspect, Change, DiffReport, FileChange};
use layerscope_format::float::go_fixed4;
use layerscope_format::{bytes, command, printable, signed_bytes};

use crate::paint::{DIM, GREEN, Out, RED, YELLOW};

/// Directories and files listed; the JSON has them all.
pub const DIFF_ROWS: usize = 15;

/// Longest command quoted.
const COMMAND_CHARS: usize = 50;

pub fn write(out: &mut Out, diff: &DiffReport) {
    summary(out, diff);
    for note in &diff.notes {
        out.line(&format!("note: {}", printable(note)));
    }
    layers(out, diff);
    figures(out, diff);
    directories(out, diff);
    files(out, diff);
    findings(out, diff);
}

fn summary(out: &mut Out, diff: &DiffReport) {
    let s = &diff.summary;
    let size = &diff.figures.size_bytes;
    let growth = i128::from(size.new) - i128::from(size.old);
    let growth = i64::try_from(growth).unwrap_or(i64::MAX);
    let line = format!(
        "{} → {}: {} ({} → {}); {} added, {} removed, {} modified ({} in, {} out of the final filesystem)",
        printable(&diff.old.name),
        printable(&diff.new.name),
        signed_bytes(growth),
        bytes(size.old),
        bytes(size.new),
        s.added,
        s.removed,
        s.modified,
        bytes(s.bytes_added),
        bytes(s.bytes_removed),
    );
    out.bold(&line);
    if diff.is_empty() {
        out.line("The images hold the same files.");
    }
}

fn layers(out: &mut Out, diff: &DiffReport) {
    let l = &diff.layers;
    if l.old_only.is_empty() && l.new_only.is_empty() {
        out.line(&format!("Layers: all {} shared", l.shared));
        return;
    }
    out.bold(&format!(
        "Layers: {} shared, then {} in OLD and {} in NEW",
        l.shared,
        l.old_only.len(),
        l.new_only.len()
    ));
    for (mark, side, old) in [("-", &l.old_only, true), ("+", &l.new_only, false)] {
        for placed in side {
            let layer = if old {
                &diff.old.layers
            } else {
                &diff.new.layers
            };
            let Some(info) = layer.get(placed.index) else {
                continue;
            };
            let moved = placed
                .in_other
                .map(|i| format!(" (layer {i} of {})", if old { "NEW" } else { "OLD" }))
                .unwrap_or_default();
            let text = format!(
                "  {mark} {:>2} {:>8}  {}{moved}",
                placed.index,
                bytes(info.size_bytes),
                command::short(info.command.as_deref().unwrap_or_default(), 70)
            );
            let painted = out.paint(if old { RED } else { GREEN }, &text);
            out.line(&painted);
        }
    }
}

fn figures(out: &mut Out, diff: &DiffReport) {
    let f = &diff.figures;
    out.line(&format!(
        "Figures: efficiency {} % → {} %, wasted {} → {}, user wasted {} % → {} %, reclaimable {} → {}",
        go_fixed4(f.efficiency.old * 100.0),
        go_fixed4(f.efficiency.new * 100.0),
        bytes(f.wasted_bytes.old),
        bytes(f.wasted_bytes.new),
        go_fixed4(f.user_wasted_percent.old * 100.0),
        go_fixed4(f.user_wasted_percent.new * 100.0),
        bytes(f.reclaimable_bytes.old),
        bytes(f.reclaimable_bytes.new),
    ));
}

fn directories(out: &mut Out, diff: &DiffReport) {
    if diff.directories.is_empty() {
        return;
    }
    out.bold("Directories:");
    let width = widest(
        diff.directories
            .iter()
            .take(DIFF_ROWS)
            .map(|d| signed_bytes(d.growth)),
    );
    for dir in diff.directories.iter().take(DIFF_ROWS) {
        out.line(&format!(
            "  {:>width$}  {} ({} changed)",
            signed_bytes(dir.growth),
            printable(&dir.path),
            dir.changes
        ));
    }
    more(out, diff.directories.len());
}

fn files(out: &mut Out, diff: &DiffReport) {
    if diff.files.is_empty() {
        return;
    }
    out.bold("Files:");
    let rows: Vec<&FileChange> = diff.files.iter().take(DIFF_ROWS).collect();
    let width = widest(rows.iter().map(|f| signed_bytes(f.delta)));
    for file in rows {
        let (mark, code) = match file.change {
            Change::Added => ("+", GREEN),
            Change::Removed => ("-", RED),
            Change::Modified => ("~", YELLOW),
        };
        let mark = out.paint(code, mark);
        let origin = origin(diff, file);
        let origin = out.paint(DIM, &origin);
        out.line(&format!(
            "  {mark} {:>width$}  {}  {origin}",
            signed_bytes(file.delta),
            printable(&file.path)
        ));
    }
    more(out, diff.files.len());
}

/// Which layer made the change on which side, and what changed about a modified path.
fn origin(diff: &DiffReport, file: &FileChange) -> String {
    let at = |old: bool, layer: Option<usize>| {
        layer.map_or_else(
            || "implied".to_owned(),
            |l| {
                format!(
                    "layer {l} `{}`",
                    command::short(diff.command(old, l).unwrap_or_default(), COMMAND_CHARS)
                )
            },
        )
    };
    let old = file.old.as_ref().map(|v| at(true, v.layer));
    let new = file.new.as_ref().map(|v| at(false, v.layer));
    let mut text = match (old, new) {
        (None, Some(new)) => format!("added by {new}"),
        (Some(old), None) => format!("removed (was {old})"),
        (Some(old), Some(new)) => format!("{old} → {new}"),
        (None, None) => String::new(),
    };
    if !file.aspects.is_empty() {
        let what: Vec<&str> = file
            .aspects
            .iter()
            .map(|a| match a {
                Aspect::Kind => "kind",
                Aspect::Content => "content",
                Aspect::Size => "size",
                Aspect::Mode => "mode",
                Aspect::Owner => "owner",
                Aspect::LinkTarget => "link target",
            })
            .collect();
        let _ = write!(text, "; {}", what.join(", "));
    }
    text
}

fn findings(out: &mut Out, diff: &DiffReport) {
    let f = &diff.findings;
    if f.new_secrets.is_empty()
        && f.gone_secrets.is_empty()
        && f.new_hygiene.is_empty()
        && f.gone_hygiene.is_empty()
    {
        return;
    }
    out.bold(&format!(
        "Findings: {} new secrets, {} gone; {} new hygiene findings, {} gone",
        f.new_secrets.len(),
        f.gone_secrets.len(),
        f.new_hygiene.len(),
        f.gone_hygiene.len()
    ));
    for (mark, secrets, old) in [("+", &f.new_secrets, false), ("-", &f.gone_secrets, true)] {
        for secret in secrets {
            let place = secret.first().map_or_else(String::new, |p| {
                format!(
                    "{} (layer {} `{}`)",
                    printable(&p.path),
                    p.layer,
                    command::short(
                        diff.command(old, p.layer).unwrap_or_default(),
                        COMMAND_CHARS
                    )
                )
            });
            out.line(&format!(
                "  {mark} {:8}  {}  {}  {place}",
                secret.severity.as_str(),
                printable(&secret.rule),
                printable(&secret.masked)
            ));
        }
    }
    for (mark, findings) in [("+", &f.new_hygiene), ("-", &f.gone_hygiene)] {
        for finding in findings {
            out.line(&format!(
                "  {mark} {:8}  {}  {}",
                finding.severity.as_str(),
                finding.id,
                printable(&finding.message)
            ));
        }
    }
}

fn more(out: &mut Out, total: usize) {
    if total > DIFF_ROWS {
        out.line(&format!("  … and {} more (see --json)", total - DIFF_ROWS));
    }
}

fn widest(texts: impl Iterator<Item = String>) -> usize {
    texts.map(|t| t.chars().count()).max().unwrap_or(0)
}
