//! The report as text and JSON. One report, many printers: each function here only formats a
//! [`Report`]; none computes a figure or decides a rule.
//!
//! - [`ci_text`]: dive's CI report byte for byte, then layerscope's own figures, then the leak
//!   report, for `CI=true layerscope IMAGE`;
//! - [`leaks_text`]: the leak report alone, for `layerscope leaks IMAGE`;
//! - [`json`]: the whole report as the JSON document the schema describes;
//! - [`dive_json`]: the JSON dive's `-j` writes;
//! - [`sarif`], [`junit`], [`markdown`]: for code scanning, test reports and job summaries;
//! - [`annotations`]: GitHub Actions `::error` lines for the failed rules.

mod actions;
mod diff;
mod dive;
mod dive_json;
mod junit;
mod leaks;
mod markdown;
mod paint;
mod reclaimable;
mod sarif;

use layerscope_report::Report;
use layerscope_tree::ImageTree;

pub use actions::annotations;
pub use diff::DIFF_ROWS;
pub use junit::junit;
pub use leaks::HIDDEN_ROWS_PER_LAYER;
pub use markdown::markdown;
pub use reclaimable::RECLAIMABLE_ROWS;

/// The CI gate's text: dive's block exactly as dive prints it (so scripts that read dive's
/// output read this), then what layerscope adds. `color` adds dive's ANSI codes.
pub fn ci_text(report: &Report, color: bool) -> String {
    let mut out = paint::Out::new(color);
    dive::write(&mut out, report);
    reclaimable::write(&mut out, report);
    leaks::write(&mut out, report);
    out.text
}

/// The CI text of an image gated against its baseline: the CI text, then the diff from the
/// baseline and the baseline rules.
pub fn ci_text_with_baseline(
    report: &Report,
    diff: &layerscope_diff::DiffReport,
    color: bool,
) -> String {
    let mut out = paint::Out::new(color);
    dive::write(&mut out, report);
    reclaimable::write(&mut out, report);
    leaks::write(&mut out, report);
    out.bold("Baseline:");
    diff::write(&mut out, diff);
    leaks::rule_block(
        &mut out,
        report,
        layerscope_report::RuleSet::Baseline,
        "Baseline",
    );
    out.text
}

/// Only the leak report: secrets, hidden files, hygiene and the leak rules.
pub fn leaks_text(report: &Report, color: bool) -> String {
    let mut out = paint::Out::new(color);
    leaks::write(&mut out, report);
    out.text
}

/// The whole report as pretty JSON, ending in a newline.
pub fn json(report: &Report) -> String {
    let mut bytes = Vec::new();
    // A report is plain data (strings, numbers, lists): it always serialises, and a `Vec`
    // takes every byte.
    let _ = write_json(report, &mut bytes);
    String::from_utf8(bytes).unwrap_or_default()
}

/// [`json`] written as it is made: at a million paths the document is 170 MB that need not be
/// held.
pub fn write_json(report: &Report, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, report)?;
    out.write_all(b"\n")
}

/// dive's `-j` export, pretty, ending in a newline. dive's file lists are the layers' trees.
pub fn dive_json(report: &Report, tree: &ImageTree) -> String {
    pretty(&dive_json::dive_json(report, tree))
}

/// The report as SARIF 2.1.0, pretty, ending in a newline.
pub fn sarif(report: &Report) -> String {
    pretty(&sarif::sarif(report))
}

fn pretty(value: &serde_json::Value) -> String {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.push('\n');
    text
}

/// A diff of two images as text, `git diff --stat`-shaped.
pub fn diff_text(diff: &layerscope_diff::DiffReport, color: bool) -> String {
    let mut out = paint::Out::new(color);
    diff::write(&mut out, diff);
    out.text
}

/// A diff of two images as pretty JSON, ending in a newline.
pub fn diff_json(diff: &layerscope_diff::DiffReport) -> String {
    let mut text = serde_json::to_string_pretty(diff).unwrap_or_default();
    text.push('\n');
    text
}
