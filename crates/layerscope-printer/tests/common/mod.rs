//! Reports made the way the binary makes them: a real archive, read, analysed and gated.
#![allow(dead_code, clippy::unwrap_used)]

use std::path::Path;

use layerscope_gate::{Applies, GateConfig};
use layerscope_leaks::SecretScanner;
use layerscope_reader::Options;
use layerscope_report::Report;
use layerscope_testkit::{DockerSave, write_temp};

/// The report of `save`, named `name`, gated by `rules` (a `.dive-ci` text; dive's defaults
/// when `None`).
pub fn report_of(save: &DockerSave, name: &str, rules: Option<&str>) -> Report {
    let (_dir, path) = write_temp("image.tar", &save.build());
    let config = match rules {
        Some(text) => GateConfig::parse(text, Path::new(".dive-ci")).unwrap(),
        None => GateConfig::defaults(),
    };
    let scanner = SecretScanner::with_settings(&config.scan_settings().unwrap()).unwrap();
    let opened = layerscope_report::open(&path, &Options::default(), Some(&scanner)).unwrap();
    let mut report = Report::build(name, &opened, &scanner);
    let rules = config.rules(Applies::All).unwrap();
    report.gate = Some(rules.evaluate(&report, Applies::All, config.file.as_deref(), None));
    report
}

/// dive's reference `probe` image under dive's default rules.
pub fn probe(name: &str) -> Report {
    report_of(&layerscope_testkit::probe(), name, None)
}

/// dive's block: everything up to and including the blank line after its `Result:` line.
pub fn dive_block(text: &str) -> &str {
    let result = text.find("\nResult:").unwrap();
    let end = text[result + 1..].find("\n\n").unwrap() + result + 3;
    &text[..end]
}
