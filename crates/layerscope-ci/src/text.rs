//! The CI report as text. Every line dive 0.13.1 prints comes out byte for byte as dive
//! prints it (colour aside), so scripts that read dive's output keep working; layerscope's
//! own lines (`reclaimableBytes`, `Reclaimable Files:`) sit between them.

use std::cmp::Reverse;

use layerscope_waste::{DiveFigures, Reclaimable, WasteReport};

use crate::config::ConfigOrigin;
use crate::evaluation::{Evaluation, Status};
use crate::float::go_fixed4;
use crate::humanize;
use crate::image::ImageSummary;
use crate::printable::printable;

/// How many reclaimable paths the text lists; the JSON has them all.
pub const RECLAIMABLE_ROWS: usize = 20;

const RESET: &str = "\x1b[0m";
const BOLD: &str = "\x1b[1m";
const BOLD_INVERSE_RED: &str = "\x1b[1;7;31m";
const BLUE: &str = "\x1b[34m";
const GREEN: &str = "\x1b[32m";
const RED: &str = "\x1b[31m";

/// dive's CI report plus layerscope's reclaimable figures, ending in a blank line as dive's
/// does. `color` adds dive's ANSI codes (dive always emits them; the caller decides here).
pub fn render_text(
    image: &ImageSummary,
    report: &WasteReport,
    eval: &Evaluation,
    origin: &ConfigOrigin,
    color: bool,
) -> String {
    let mut out = Out {
        text: String::new(),
        paint: Paint { color },
    };
    header(&mut out, image, origin);
    figures(&mut out, report);
    inefficient(&mut out, &report.dive);
    reclaimable(&mut out, &report.reclaimable);
    results(&mut out, eval);
    // dive ends its report with a newline and prints it with Println.
    out.line("");
    out.text
}

fn header(out: &mut Out, image: &ImageSummary, origin: &ConfigOrigin) {
    match origin {
        ConfigOrigin::Default => out.line("  Using default CI config"),
        ConfigOrigin::File(path) => out.line(&format!("  Using CI config: {}", path.display())),
    }
    let source = out.paint.wrap(BOLD, "Image Source: ");
    out.line(&format!("{source}{}", source_url(image)));
    let extracting = out.paint.wrap(
        BOLD,
        &format!("Extracting image from {}...", resolver(&image.source)),
    );
    out.line(&format!(
        "{extracting} (this can take a while for large images)"
    ));
    out.bold("Analyzing image...");
}

fn figures(out: &mut Out, report: &WasteReport) {
    let dive = &report.dive;
    out.line(&format!(
        "  efficiency: {} %",
        go_fixed4(dive.efficiency * 100.0)
    ));
    out.line(&format!(
        "  wastedBytes: {} bytes ({})",
        dive.wasted_bytes,
        humanize::bytes(dive.wasted_bytes)
    ));
    out.line(&format!(
        "  userWastedPercent: {} %",
        go_fixed4(dive.user_wasted_percent * 100.0)
    ));
    let reclaimable = report.reclaimable.bytes;
    out.line(&format!(
        "  reclaimableBytes: {reclaimable} bytes ({})",
        humanize::bytes(reclaimable)
    ));
}

fn inefficient(out: &mut Out, dive: &DiveFigures) {
    out.bold("Inefficient Files:");
    if dive.inefficient.is_empty() {
        out.line("None");
        return;
    }
    out.line(&format!(
        "{:>5}  {:>12}  {}",
        "Count", "Wasted Space", "File Path"
    ));
    for row in &dive.inefficient {
        out.line(&format!(
            "{:>5}  {:>12}  {}",
            row.count,
            humanize::bytes(row.bytes),
            printable(&row.path)
        ));
    }
}

fn reclaimable(out: &mut Out, reclaimable: &Reclaimable) {
    out.bold("Reclaimable Files:");
    if reclaimable.paths.is_empty() {
        out.line("None");
        return;
    }
    let mut paths: Vec<_> = reclaimable.paths.iter().collect();
    paths.sort_by_key(|path| Reverse(path.bytes));
    out.line(&format!(
        "{:>6}  {:>11}  {}",
        "Copies", "Reclaimable", "File Path"
    ));
    for path in paths.iter().take(RECLAIMABLE_ROWS) {
        out.line(&format!(
            "{:>6}  {:>11}  {}",
            path.copies.len(),
            humanize::bytes(path.bytes),
            printable(&path.path)
        ));
    }
    if paths.len() > RECLAIMABLE_ROWS {
        out.line(&format!(
            "  … and {} more (see --json)",
            paths.len() - RECLAIMABLE_ROWS
        ));
    }
}

fn results(out: &mut Out, eval: &Evaluation) {
    out.bold("Results:");
    for result in &eval.results {
        let word = match result.status {
            Status::Pass => result.status.word().to_owned(),
            Status::Fail => out.paint.wrap(BOLD_INVERSE_RED, result.status.word()),
            Status::Skip => out.paint.wrap(BLUE, result.status.word()),
        };
        match &result.message {
            Some(message) => out.line(&format!("  {word}: {}: {message}", result.rule)),
            None => out.line(&format!("  {word}: {}", result.rule)),
        }
    }
    let passed = eval.passed();
    let summary = format!(
        "Result:{} [Total:{}] [Passed:{}] [Failed:{}] [Warn:0] [Skipped:{}]",
        if passed { "PASS" } else { "FAIL" },
        eval.results.len(),
        eval.count(Status::Pass),
        eval.count(Status::Fail),
        eval.count(Status::Skip),
    );
    let painted = out.paint.wrap(if passed { GREEN } else { RED }, &summary);
    out.line(&painted);
}

struct Out {
    text: String,
    paint: Paint,
}

impl Out {
    fn line(&mut self, text: &str) {
        self.text.push_str(text);
        self.text.push('\n');
    }

    fn bold(&mut self, text: &str) {
        let painted = self.paint.wrap(BOLD, text);
        self.line(&painted);
    }
}

struct Paint {
    color: bool,
}

impl Paint {
    fn wrap(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("{code}{text}{RESET}")
        } else {
            text.to_owned()
        }
    }
}

fn source_url(image: &ImageSummary) -> String {
    let prefix = format!("{}://", image.source);
    if image.name.starts_with(&prefix) {
        image.name.clone()
    } else {
        format!("{prefix}{}", image.name)
    }
}

// dive names the resolver, not the source, on this line.
fn resolver(source: &str) -> &str {
    match source {
        "docker" => "docker-engine",
        other => other,
    }
}
