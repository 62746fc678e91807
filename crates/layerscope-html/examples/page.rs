//! Writes the HTML report of an image, gated by dive's default rules, and says how long each
//! step took and how large the page is:
//!
//! ```text
//! cargo run --release -p layerscope-html --example page -- IMAGE OUT.html
//! ```

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use layerscope_gate::{Applies, GateConfig};
use layerscope_leaks::SecretScanner;
use layerscope_reader::Options;
use layerscope_report::Report;

fn main() -> ExitCode {
    let mut args = std::env::args_os().skip(1).map(PathBuf::from);
    let (Some(image), Some(out)) = (args.next(), args.next()) else {
        eprintln!("usage: page IMAGE OUT.html");
        return ExitCode::from(2);
    };
    match run(&image, &out) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("page: {e}");
            ExitCode::from(2)
        }
    }
}

fn run(image: &std::path::Path, out: &std::path::Path) -> Result<(), Box<dyn std::error::Error>> {
    let start = Instant::now();
    let scanner = SecretScanner::new()?;
    let opened = layerscope_report::open(image, &Options::default(), Some(&scanner))?;
    let read = start.elapsed();
    let start = Instant::now();
    let mut report = Report::build(&image.display().to_string(), &opened, &scanner);
    let rules = GateConfig::defaults().rules(Applies::All)?;
    report.gate = Some(rules.evaluate(&report, Applies::All, None, None));
    let analysed = start.elapsed();
    let start = Instant::now();
    let page = layerscope_html::html(&report, &opened.tree);
    let made = start.elapsed();
    std::fs::write(out, &page)?;
    eprintln!(
        "read {:.2} s, report {:.2} s, page {:.3} s: {} bytes ({:.1} MB) for {} file versions",
        read.as_secs_f64(),
        analysed.as_secs_f64(),
        made.as_secs_f64(),
        page.len(),
        page.len() as f64 / 1e6,
        opened.tree.version_count()
    );
    Ok(())
}
