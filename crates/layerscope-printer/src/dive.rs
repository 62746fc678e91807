//! dive's CI report, byte for byte as dive 0.13.1 prints it (colour aside), so scripts that
//! read dive's output read layerscope's: from `Using … CI config` to the `Result:` line and
//! the blank line after it. Nothing of layerscope's own is printed inside it.

use layerscope_format::float::go_fixed4;
use layerscope_format::{bytes, printable};
use layerscope_report::{GateReport, Report, RuleSet, Source, Status};

use crate::paint::{BLUE, BOLD, BOLD_INVERSE_RED, GREEN, Out, RED};

pub fn write(out: &mut Out, report: &Report) {
    header(out, report);
    figures(out, report);
    inefficient(out, report);
    if let Some(gate) = &report.gate {
        results(out, gate);
    }
    // dive ends its report with a newline and prints it with Println.
    out.line("");
}

fn header(out: &mut Out, report: &Report) {
    match report.gate.as_ref().and_then(|g| g.config.as_ref()) {
        None => out.line("  Using default CI config"),
        Some(path) => out.line(&format!(
            "  Using CI config: {}",
            printable(&path.display().to_string())
        )),
    }
    let image = &report.image;
    let source = image.source.as_str();
    let label = out.paint(BOLD, "Image Source: ");
    out.line(&format!("{label}{source}://{}", printable(&image.name)));
    // dive names the engine's resolver `docker-engine`.
    let resolver = match image.source {
        Source::Docker => "docker-engine",
        other => other.as_str(),
    };
    let extracting = out.paint(BOLD, &format!("Extracting image from {resolver}..."));
    out.line(&format!(
        "{extracting} (this can take a while for large images)"
    ));
    out.bold("Analyzing image...");
}

fn figures(out: &mut Out, report: &Report) {
    let dive = &report.dive;
    out.line(&format!(
        "  efficiency: {} %",
        go_fixed4(dive.efficiency * 100.0)
    ));
    out.line(&format!(
        "  wastedBytes: {} bytes ({})",
        dive.wasted_bytes,
        bytes(dive.wasted_bytes)
    ));
    out.line(&format!(
        "  userWastedPercent: {} %",
        go_fixed4(dive.user_wasted_percent * 100.0)
    ));
}

fn inefficient(out: &mut Out, report: &Report) {
    let rows = &report.dive.inefficient;
    out.bold("Inefficient Files:");
    if rows.is_empty() {
        out.line("None");
        return;
    }
    out.line(&format!(
        "{:>5}  {:>12}  {}",
        "Count", "Wasted Space", "File Path"
    ));
    for row in rows {
        out.line(&format!(
            "{:>5}  {:>12}  {}",
            row.count,
            bytes(row.bytes),
            printable(&row.path.to_string())
        ));
    }
}

fn results(out: &mut Out, gate: &GateReport) {
    out.bold("Results:");
    let counts = rule_lines(out, gate, RuleSet::Dive);
    let passed = counts.failed == 0;
    let summary = format!(
        "Result:{} [Total:{}] [Passed:{}] [Failed:{}] [Warn:0] [Skipped:{}]",
        if passed { "PASS" } else { "FAIL" },
        counts.total,
        counts.passed,
        counts.failed,
        counts.skipped,
    );
    let painted = out.paint(if passed { GREEN } else { RED }, &summary);
    out.line(&painted);
}

/// How many rules of a set ended each way.
pub struct Counts {
    pub total: usize,
    pub passed: usize,
    pub failed: usize,
    pub skipped: usize,
}

/// One line per rule of a set, as dive prints its own: `  FAIL: rule: message`, or
/// `  PASS: rule` for a pass.
pub fn rule_lines(out: &mut Out, gate: &GateReport, set: RuleSet) -> Counts {
    let mut counts = Counts {
        total: 0,
        passed: 0,
        failed: 0,
        skipped: 0,
    };
    for result in gate.results(set) {
        counts.total += 1;
        match result.status {
            Status::Pass => counts.passed += 1,
            Status::Fail => counts.failed += 1,
            Status::Skip => counts.skipped += 1,
        }
        let word = status_word(out, result.status);
        match &result.message {
            Some(message) => out.line(&format!("  {word}: {}: {message}", result.rule)),
            None => out.line(&format!("  {word}: {}", result.rule)),
        }
    }
    counts
}

/// `PASS`, `FAIL` or `SKIP`, painted as dive paints it.
fn status_word(out: &Out, status: Status) -> String {
    match status {
        Status::Pass => status.word().to_owned(),
        Status::Fail => out.paint(BOLD_INVERSE_RED, status.word()),
        Status::Skip => out.paint(BLUE, status.word()),
    }
}
