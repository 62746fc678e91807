//! The text report against dive 0.13.1's real output on the `probe` image.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::Path;

use common::{probe_image, probe_report};
use layerscope_ci::{ConfigOrigin, Rules, evaluate, render_text};
use layerscope_waste::{HiddenCopy, HiddenPath, HideKind, WasteReport};

/// dive 0.13.1 on probe.tar with no `.dive-ci`, colour codes removed.
const DIVE_DEFAULT: &str = "  Using default CI config
Image Source: docker-archive://probe.tar
Extracting image from docker-archive... (this can take a while for large images)
Analyzing image...
  efficiency: 21.7391 %
  wastedBytes: 15100 bytes (15 kB)
  userWastedPercent: 328.2609 %
Inefficient Files:
Count  Wasted Space  File Path
    2         10 kB  /data/big.bin
    2        4.0 kB  /app/file.txt
    2        1.1 kB  /etc/config.txt
    2           0 B  /tmp
Results:
  FAIL: highestUserWastedPercent: too many bytes wasted, relative to the user bytes added (%-user-wasted-bytes=3.282608695652174 > threshold=0.1)
  SKIP: highestWastedBytes: rule disabled
  FAIL: lowestEfficiency: image efficiency is too low (efficiency=0.21739130434782608 < threshold=0.9)
Result:FAIL [Total:3] [Passed:0] [Failed:2] [Warn:0] [Skipped:1]

";

/// The same run with dive's colour codes.
const DIVE_DEFAULT_COLOR: &str = "  Using default CI config
\x1b[1mImage Source: \x1b[0mdocker-archive://probe.tar
\x1b[1mExtracting image from docker-archive...\x1b[0m (this can take a while for large images)
\x1b[1mAnalyzing image...\x1b[0m
  efficiency: 21.7391 %
  wastedBytes: 15100 bytes (15 kB)
  userWastedPercent: 328.2609 %
\x1b[1mInefficient Files:\x1b[0m
Count  Wasted Space  File Path
    2         10 kB  /data/big.bin
    2        4.0 kB  /app/file.txt
    2        1.1 kB  /etc/config.txt
    2           0 B  /tmp
\x1b[1mResults:\x1b[0m
  \x1b[1;7;31mFAIL\x1b[0m: highestUserWastedPercent: too many bytes wasted, relative to the user bytes added (%-user-wasted-bytes=3.282608695652174 > threshold=0.1)
  \x1b[34mSKIP\x1b[0m: highestWastedBytes: rule disabled
  \x1b[1;7;31mFAIL\x1b[0m: lowestEfficiency: image efficiency is too low (efficiency=0.21739130434782608 < threshold=0.9)
\x1b[31mResult:FAIL [Total:3] [Passed:0] [Failed:2] [Warn:0] [Skipped:1]\x1b[0m

";

/// dive 0.13.1 with a `.dive-ci` that passes, run from a subdirectory, colour removed.
const DIVE_PASSING: &str = "  Using CI config: .dive-ci
Image Source: docker-archive://../probe.tar
Extracting image from docker-archive... (this can take a while for large images)
Analyzing image...
  efficiency: 21.7391 %
  wastedBytes: 15100 bytes (15 kB)
  userWastedPercent: 328.2609 %
Inefficient Files:
Count  Wasted Space  File Path
    2         10 kB  /data/big.bin
    2        4.0 kB  /app/file.txt
    2        1.1 kB  /etc/config.txt
    2           0 B  /tmp
Results:
  SKIP: highestUserWastedPercent: rule disabled
  PASS: highestWastedBytes
  PASS: lowestEfficiency
Result:PASS [Total:3] [Passed:2] [Failed:0] [Warn:0] [Skipped:1]

";

const PASSING_CONFIG: &str = "rules:
  lowestEfficiency: 0.21739130434782608
  highestWastedBytes: 15100
  highestUserWastedPercent: disabled
";

fn default_run(color: bool) -> String {
    let report = probe_report();
    let eval = evaluate(&Rules::default(), &report.dive);
    assert!(!eval.passed());
    render_text(
        &probe_image("probe.tar"),
        &report,
        &eval,
        &ConfigOrigin::Default,
        color,
    )
}

#[test]
fn default_config_prints_dive_lines_byte_for_byte() {
    assert_eq!(dive_lines_only(&default_run(false)), DIVE_DEFAULT);
}

#[test]
fn default_config_prints_dive_colours() {
    assert_eq!(dive_lines_only(&default_run(true)), DIVE_DEFAULT_COLOR);
}

#[test]
fn default_config_adds_the_reclaimable_figures() {
    let expected = "  Using default CI config
Image Source: docker-archive://probe.tar
Extracting image from docker-archive... (this can take a while for large images)
Analyzing image...
  efficiency: 21.7391 %
  wastedBytes: 15100 bytes (15 kB)
  userWastedPercent: 328.2609 %
  reclaimableBytes: 12500 bytes (12 kB)
Inefficient Files:
Count  Wasted Space  File Path
    2         10 kB  /data/big.bin
    2        4.0 kB  /app/file.txt
    2        1.1 kB  /etc/config.txt
    2           0 B  /tmp
Reclaimable Files:
Copies  Reclaimable  File Path
     1        10 kB  /data/big.bin
     1       2.0 kB  /app/file.txt
     1        500 B  /etc/config.txt
Results:
  FAIL: highestUserWastedPercent: too many bytes wasted, relative to the user bytes added (%-user-wasted-bytes=3.282608695652174 > threshold=0.1)
  SKIP: highestWastedBytes: rule disabled
  FAIL: lowestEfficiency: image efficiency is too low (efficiency=0.21739130434782608 < threshold=0.9)
Result:FAIL [Total:3] [Passed:0] [Failed:2] [Warn:0] [Skipped:1]

";
    assert_eq!(default_run(false), expected);
}

#[test]
fn colour_wraps_only_what_dive_colours_and_the_new_header() {
    let text = default_run(true);
    assert!(text.contains("  reclaimableBytes: 12500 bytes (12 kB)\n"));
    assert!(text.contains("\n\x1b[1mReclaimable Files:\x1b[0m\nCopies  Reclaimable  File Path\n"));
    assert!(!default_run(false).contains('\x1b'));
}

#[test]
fn passing_config_prints_dive_lines_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(".dive-ci"), PASSING_CONFIG).unwrap();
    let (rules, origin) = Rules::load(None, dir.path()).unwrap();
    assert_eq!(origin, ConfigOrigin::File(".dive-ci".into()));
    let report = probe_report();
    let eval = evaluate(&rules, &report.dive);
    assert!(eval.passed());
    let text = render_text(&probe_image("../probe.tar"), &report, &eval, &origin, false);
    assert_eq!(dive_lines_only(&text), DIVE_PASSING);
    let colored = render_text(&probe_image("../probe.tar"), &report, &eval, &origin, true);
    assert!(colored.ends_with(
        "\x1b[32mResult:PASS [Total:3] [Passed:2] [Failed:0] [Warn:0] [Skipped:1]\x1b[0m\n\n"
    ));
}

#[test]
fn empty_lists_print_none() {
    let mut report = probe_report();
    report.dive.inefficient.clear();
    report.reclaimable = layerscope_waste::Reclaimable::default();
    let eval = evaluate(&Rules::default(), &report.dive);
    let text = render_text(
        &probe_image("probe.tar"),
        &report,
        &eval,
        &ConfigOrigin::File(Path::new("ci/rules.yaml").into()),
        false,
    );
    assert!(text.starts_with("  Using CI config: ci/rules.yaml\n"));
    assert!(text.contains("\nInefficient Files:\nNone\nReclaimable Files:\nNone\nResults:\n"));
}

#[test]
fn no_user_bytes_prints_nan_and_passes() {
    let mut report = probe_report();
    report.dive.user_wasted_percent = f64::NAN;
    report.dive.efficiency = 1.0;
    let eval = evaluate(&Rules::default(), &report.dive);
    assert!(eval.passed());
    let text = render_text(
        &probe_image("probe.tar"),
        &report,
        &eval,
        &ConfigOrigin::Default,
        false,
    );
    assert!(text.contains("\n  efficiency: 100.0000 %\n"));
    assert!(text.contains("\n  userWastedPercent: NaN %\n"));
    assert!(text.contains("\n  PASS: highestUserWastedPercent\n"));
    report.dive.user_wasted_percent = f64::INFINITY;
    let text = render_text(
        &probe_image("probe.tar"),
        &report,
        &evaluate(&Rules::default(), &report.dive),
        &ConfigOrigin::Default,
        false,
    );
    assert!(text.contains("\n  userWastedPercent: +Inf %\n"));
    assert!(text.contains("(%-user-wasted-bytes=+Inf > threshold=0.1)\n"));
}

#[test]
fn long_reclaimable_lists_are_cut_at_twenty() {
    let mut report: WasteReport = probe_report();
    report.reclaimable.paths = (0..25_u64)
        .map(|i| HiddenPath {
            path: format!("/f{i:02}"),
            bytes: 100 + i,
            copies: vec![
                HiddenCopy {
                    layer: 0,
                    size: 100 + i,
                    hidden_by: 1,
                    how: HideKind::Deleted,
                };
                2
            ],
        })
        .collect();
    let eval = evaluate(&Rules::default(), &report.dive);
    let text = render_text(
        &probe_image("probe.tar"),
        &report,
        &eval,
        &ConfigOrigin::Default,
        false,
    );
    let section: Vec<&str> = text
        .lines()
        .skip_while(|l| *l != "Reclaimable Files:")
        .take_while(|l| *l != "Results:")
        .collect();
    assert_eq!(section.len(), 1 + 1 + 20 + 1);
    // Most bytes first, whatever order the report came in.
    assert_eq!(section[2], "     2        124 B  /f24");
    assert_eq!(section[21], "     2        105 B  /f05");
    assert_eq!(section[22], "  … and 5 more (see --json)");
}

#[test]
fn control_characters_in_paths_cannot_forge_lines() {
    let mut report = probe_report();
    report.dive.inefficient[0].path = "/x\nResult:PASS [Total:3]".to_owned();
    report.reclaimable.paths[0].path = "/y\r\tz".to_owned();
    let eval = evaluate(&Rules::default(), &report.dive);
    let text = render_text(
        &probe_image("probe.tar"),
        &report,
        &eval,
        &ConfigOrigin::Default,
        false,
    );
    assert!(text.contains("    2         10 kB  /x\\nResult:PASS [Total:3]\n"));
    assert!(text.contains("     1        10 kB  /y\\r\\tz\n"));
    assert_eq!(text.lines().filter(|l| l.starts_with("Result:")).count(), 1);
}

#[test]
fn docker_source_names_the_engine_resolver() {
    let mut image = probe_image("alpine:3.20");
    image.source = "docker".to_owned();
    let report = probe_report();
    let eval = evaluate(&Rules::default(), &report.dive);
    let text = render_text(&image, &report, &eval, &ConfigOrigin::Default, false);
    assert!(text.contains("\nImage Source: docker://alpine:3.20\n"));
    assert!(text.contains("\nExtracting image from docker-engine... (this can take"));
}

#[test]
fn a_name_that_already_carries_its_source_is_not_prefixed_twice() {
    let image = probe_image("docker-archive://probe.tar");
    let report = probe_report();
    let eval = evaluate(&Rules::default(), &report.dive);
    let text = render_text(&image, &report, &eval, &ConfigOrigin::Default, false);
    assert!(text.contains("\nImage Source: docker-archive://probe.tar\n"));
}

/// The text without layerscope's own lines: what dive 0.13.1 prints.
pub fn dive_lines_only(text: &str) -> String {
    let mut kept = String::new();
    let mut in_reclaimable = false;
    for line in text.split_inclusive('\n') {
        if line.contains("Reclaimable Files:") {
            in_reclaimable = true;
        } else if line.contains("Results:") {
            in_reclaimable = false;
        }
        if in_reclaimable || line.starts_with("  reclaimableBytes:") {
            continue;
        }
        kept.push_str(line);
    }
    kept
}
