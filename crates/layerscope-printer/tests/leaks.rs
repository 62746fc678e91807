//! The leak report as text: what `layerscope leaks` prints and the CI text ends with.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::Path;

use common::report_of;
use layerscope_gate::{Applies, GateConfig};
use layerscope_leaks::SecretScanner;
use layerscope_printer::leaks_text;
use layerscope_report::Report;
use layerscope_testkit::{DockerSave, Entry, layer};

/// `testdata/demo.tar` as `layerscope leaks` reports it.
fn demo() -> Report {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/demo.tar");
    let scanner = SecretScanner::new().unwrap();
    let opened = layerscope_report::open(
        &path,
        &layerscope_reader::Options::default(),
        Some(&scanner),
    )
    .unwrap();
    let mut report = Report::build("testdata/demo.tar", &opened, &scanner);
    let rules = GateConfig::defaults().rules(Applies::Leaks).unwrap();
    report.gate = Some(rules.evaluate(&report, Applies::Leaks, None, None));
    report
}

#[test]
fn the_demo_reads_well_and_prints_no_secret_whole() {
    let text = leaks_text(&demo(), false);
    for secret in [
        "npm_KLuBs8O5ba20Vo7CKU2aBIIPnYsMTsKeRNqT",
        "AKIA2FH2JM2HSYM7IFDD",
        "0t9mlbfqhgrse9LKdJmcPQji4MVPWgzv8hQm1kjk",
    ] {
        assert!(!text.contains(secret), "{secret}:\n{text}");
    }
    insta::assert_snapshot!("demo", text);
}

#[test]
fn every_command_a_finding_masks_is_masked_in_its_context_lines() {
    // The token is recorded in layer 2's command; the key that layer deletes is reported with
    // that command as its hider.
    let token = "npm_abcdefghij0123456789ABCDEFGHIJ012345";
    let mut save = DockerSave::with_commands(&[
        (
            "COPY key /root/key",
            layer(&[Entry::File(
                "root/.npmrc",
                format!("//r/:_authToken={token}\n").as_bytes(),
                0o600,
            )]),
        ),
        ("COPY . /app", layer(&[Entry::File("app/x", b"x", 0o644)])),
        (
            &format!("|1 NPM_TOKEN={token} /bin/sh -c rm /root/.npmrc"),
            layer(&[Entry::File("root/.wh..npmrc", b"", 0o644)]),
        ),
    ]);
    save.tags = vec!["leaky:latest".to_owned()];
    let report = report_of(&save, "leaky.tar", None);
    let text = format!(
        "{}{}",
        leaks_text(&report, false),
        layerscope_printer::json(&report)
    );
    assert!(!text.contains(token), "{text}");
    assert!(text.contains("npm_****************2345"), "{text}");
    // One secret, found in a file and in the history: one finding each, no repeats.
    assert_eq!(report.leaks.secrets.len(), 1, "{:#?}", report.leaks.secrets);
    let history: Vec<_> = report
        .leaks
        .hygiene
        .iter()
        .filter(|h| h.id == "LS-H003")
        .collect();
    assert_eq!(history.len(), 1, "{history:#?}");
}

#[test]
fn names_that_try_to_drive_the_terminal_are_escaped() {
    let save = DockerSave::new(vec![
        layer(&[
            Entry::Dir("app/", 0o755),
            Entry::RawName(b"app/\x1b[2Jevil\n.env", b"A=1\n", 0o644),
        ]),
        layer(&[Entry::RawName(b"app/.wh.\x1b[2Jevil\n.env", b"", 0o644)]),
    ]);
    let report = report_of(&save, "evil.tar", None);
    let plain = leaks_text(&report, false);
    assert!(!plain.contains('\x1b'), "{plain}");
    assert!(plain.contains("\\u{1b}[2Jevil\\n.env"), "{plain}");
    assert!(leaks_text(&report, true).contains("\x1b[1m"));
}

#[test]
fn allow_listed_findings_are_counted() {
    let save = DockerSave::new(vec![layer(&[
        Entry::Dir("app/", 0o755),
        Entry::File("app/.env", b"TOKEN=1\n", 0o644),
    ])]);
    let report = report_of(
        &save,
        "allowed.tar",
        Some("leaks:\n  allowFingerprints: ['dotenv-file:/app/.env:1']\n"),
    );
    assert!(leaks_text(&report, false).starts_with("Secrets: 0, 1 allow-listed\n"));
}
