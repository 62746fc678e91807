//! Printing: exit codes, colour, closed pipes, files and names that must not drive the terminal.

use std::io::{IsTerminal, Write};

use std::time::Duration;

use anyhow::{Context, Result};
use layerscope_report::{Opened, Report};

/// How the process ends: 0 pass, 1 a CI rule failed, 2 an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Success,
    RuleFailed,
}

/// Colour only on a terminal and never with `NO_COLOR` set.
pub fn color_stdout() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stdout().is_terminal()
}

/// A name or message safe to print: control characters and bidirectional overrides escaped,
/// so a hostile file name cannot move the cursor, retitle the terminal or forge a report line.
pub fn clean(s: &str) -> String {
    layerscope_format::printable(s).into_owned()
}

/// Whether the run is a GitHub Actions job, read as the runner sets it.
pub fn github_actions() -> bool {
    std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true")
}

/// `--verbose`: what was read and how long each step took, on standard error.
pub fn describe(report: &Report, opened: &Opened, read: Duration, analyse: Duration) {
    let image = &report.image;
    eprintln!(
        "layerscope: {} ({}, {}): {} layers, {} file versions, {} paths, {}",
        clean(&image.name),
        image.source.as_str(),
        image.platform,
        image.layers.len(),
        opened.tree.version_count(),
        opened.tree.node_count(),
        layerscope_format::bytes(report.dive.size_bytes)
    );
    eprintln!(
        "layerscope: read and scanned in {:.2} s, analysed in {:.2} s",
        read.as_secs_f64(),
        analyse.as_secs_f64()
    );
}

/// Writes to stdout; a reader that went away (`| head`) is not an error.
pub fn print(text: &str) -> Result<()> {
    print_with(|out| out.write_all(text.as_bytes()))
}

/// As [`print`], for text that `make` writes as it is made.
fn print_with(make: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> Result<()> {
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    match make(&mut out).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => std::process::exit(0),
        other => Ok(other?),
    }
}

/// Writes a document to a file (truncating it, unlike dive, so a shorter report never leaves
/// stale bytes behind) or, for `-`, to standard output.
pub fn write(target: &str, text: &str) -> Result<()> {
    write_with(target, |out| out.write_all(text.as_bytes()))
}

/// As [`write`], for a document that `make` writes as it is made.
pub fn write_with(
    target: &str,
    make: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<()> {
    if target == "-" {
        return print_with(make);
    }
    std::fs::File::create(target)
        .and_then(|file| {
            let mut out = std::io::BufWriter::new(file);
            make(&mut out)?;
            out.flush()
        })
        .with_context(|| format!("cannot write {}", clean(target)))
}

/// The error and its causes on one line. Library errors often spell their cause out already, so
/// a cause whose text is already said is not said twice.
pub fn error_line(e: &anyhow::Error) -> String {
    let mut line = String::new();
    for cause in e.chain() {
        let text = clean(&cause.to_string().replace('\n', " "));
        if line.contains(&text) {
            continue;
        }
        if !line.is_empty() {
            line.push_str(": ");
        }
        line.push_str(&text);
    }
    line
}
