//! dive's CI text, byte for byte as dive 0.13.1 printed it for the `probe` image, and what
//! layerscope prints after it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{dive_block, probe, report_of};
use layerscope_printer::ci_text;
use layerscope_report::{Status, TreePath};

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

/// What layerscope prints after dive's block, for the probe.
const OURS: &str = "Layerscope Analysis:
  reclaimableBytes: 12500 bytes (12 kB)
Reclaimable Files:
Copies  Reclaimable  File Path
     1        10 kB  /data/big.bin
     1       2.0 kB  /app/file.txt
     1        500 B  /etc/config.txt
";

#[test]
fn the_text_opens_with_dives_block_byte_for_byte() {
    let text = ci_text(&probe("probe.tar"), false);
    assert!(text.starts_with(DIVE_DEFAULT), "{text}");
    assert_eq!(dive_block(&text), DIVE_DEFAULT);
    assert!(text[DIVE_DEFAULT.len()..].starts_with(OURS), "{text}");
}

#[test]
fn colours_are_dives() {
    let text = ci_text(&probe("probe.tar"), true);
    assert!(text.starts_with(DIVE_DEFAULT_COLOR), "{text}");
    assert!(
        text[DIVE_DEFAULT_COLOR.len()..]
            .starts_with("\x1b[1mLayerscope Analysis:\x1b[0m\n  reclaimableBytes: 12500")
    );
    assert!(!ci_text(&probe("probe.tar"), false).contains('\x1b'));
}

#[test]
fn nothing_of_layerscopes_sits_inside_dives_block() {
    // A script that reads dive's rows until `Results:` must read only dive's rows.
    let text = ci_text(&probe("probe.tar"), false);
    let block = dive_block(&text);
    assert!(!block.contains("reclaimable"), "{block}");
    assert!(!block.contains("Reclaimable"), "{block}");
    assert_eq!(text.matches("\nResult:").count(), 1);
}

#[test]
fn a_passing_config_prints_dives_block_byte_for_byte() {
    let report = report_of(
        &layerscope_testkit::probe(),
        "../probe.tar",
        Some(PASSING_CONFIG),
    );
    assert!(report.passed());
    let text = ci_text(&report, false);
    assert_eq!(dive_block(&text), DIVE_PASSING);
    let colored = ci_text(&report, true);
    assert!(colored.contains(
        "\x1b[32mResult:PASS [Total:3] [Passed:2] [Failed:0] [Warn:0] [Skipped:1]\x1b[0m\n\n"
    ));
}

#[test]
fn empty_lists_print_none() {
    let mut report = probe("probe.tar");
    report.dive.inefficient.clear();
    report.reclaimable = layerscope_report::Reclaimable::default();
    report.gate.as_mut().unwrap().config = Some("ci/rules.yaml".into());
    let text = ci_text(&report, false);
    assert!(text.starts_with("  Using CI config: ci/rules.yaml\n"));
    assert!(
        text.contains("\nInefficient Files:\nNone\nResults:\n"),
        "{text}"
    );
    assert!(text.contains("\nReclaimable Files:\nNone\n"), "{text}");
}

#[test]
fn no_user_bytes_prints_nan_and_passes() {
    // One layer: all of it is the base, so dive divides by zero user bytes.
    let save = layerscope_testkit::DockerSave::with_commands(&[(
        "ADD rootfs.tar /",
        layerscope_testkit::layer(&[layerscope_testkit::Entry::File("a", b"abc", 0o644)]),
    )]);
    let report = common::report_of(&save, "one.tar", None);
    assert!(report.dive.user_wasted_percent.is_nan());
    assert!(report.passed());
    let text = ci_text(&report, false);
    assert!(text.contains("\n  efficiency: 100.0000 %\n"));
    assert!(text.contains("\n  userWastedPercent: NaN %\n"));
    assert!(text.contains("\n  PASS: highestUserWastedPercent\n"));
}

#[test]
fn long_reclaimable_lists_are_cut_at_twenty() {
    let template = probe("probe.tar").reclaimable.files[0].clone();
    let mut report = probe("probe.tar");
    report.reclaimable.files = (0..25_u64)
        .flat_map(|i| {
            let mut file = template.clone();
            file.path = TreePath::standalone(&format!("/f{i:02}"));
            file.size = 100 + i;
            [file.clone(), file]
        })
        .collect();
    let text = ci_text(&report, false);
    let section: Vec<&str> = text
        .lines()
        .skip_while(|l| *l != "Reclaimable Files:")
        .take_while(|l| !l.starts_with("Secrets:"))
        .collect();
    assert_eq!(section.len(), 1 + 1 + 20 + 1, "{section:?}");
    // Most bytes first, whatever order the report came in.
    assert_eq!(section[2], "     2        248 B  /f24");
    assert_eq!(section[21], "     2        210 B  /f05");
    assert_eq!(section[22], "  … and 5 more (see --json)");
}

#[test]
fn control_characters_in_paths_cannot_forge_lines() {
    let mut report = probe("probe.tar");
    report.dive.inefficient[0].path = TreePath::standalone("/x\nResult:PASS [Total:3]");
    report.reclaimable.files[0].path = TreePath::standalone("/y\r\tz");
    let text = ci_text(&report, false);
    assert!(text.contains("    2         10 kB  /x\\nResult:PASS [Total:3]\n"));
    assert!(text.contains("  /y\\r\\tz\n"), "{text}");
    assert_eq!(text.lines().filter(|l| l.starts_with("Result:")).count(), 1);
}

#[test]
fn leak_rules_follow_with_their_own_summary() {
    let report = report_of(
        &layerscope_testkit::probe(),
        "probe.tar",
        Some("rules:\n  disallowRootUser: true\n  maxHiddenBytes: 20kB\n"),
    );
    let gate = report.gate.as_ref().unwrap();
    let statuses: Vec<_> = gate
        .results(layerscope_report::RuleSet::Leaks)
        .map(|r| (r.rule.as_str(), r.status))
        .collect();
    assert_eq!(
        statuses,
        [
            ("disallowRootUser", Status::Fail),
            ("maxHiddenBytes", Status::Pass),
            ("maxSecretFindings", Status::Skip),
            ("requireHealthcheck", Status::Skip),
        ]
    );
    let text = ci_text(&report, false);
    let rules = &text[text.find("Leak Rules:\n").unwrap()..];
    assert_eq!(
        rules,
        "Leak Rules:
  FAIL: disallowRootUser: image runs as root (set USER to a non-zero uid)
  PASS: maxHiddenBytes
  SKIP: maxSecretFindings: rule disabled
  SKIP: requireHealthcheck: rule disabled
Leak Result:FAIL [Total:4] [Passed:1] [Failed:1] [Skipped:2]
"
    );
}
