//! Applying the rules, with dive's strict comparisons and dive's messages.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use layerscope_gate::{Applies, Limit, Rules};
use layerscope_leaks::SecretScanner;
use layerscope_reader::Options;
use layerscope_report::{DiveFigures, Report, RuleId, Status};
use layerscope_testkit::{probe, write_temp};

/// dive's reference probe image, with its figures replaced.
fn report(efficiency: f64, wasted_bytes: u64, user_wasted_percent: f64) -> Report {
    let (_dir, path) = write_temp("probe.tar", &probe().build());
    let scanner = SecretScanner::new().unwrap();
    let opened = layerscope_report::open(&path, &Options::default(), Some(&scanner)).unwrap();
    let mut report = Report::build("probe.tar", &opened, &scanner);
    report.dive = DiveFigures {
        efficiency,
        wasted_bytes,
        user_wasted_percent,
        ..report.dive
    };
    report
}

fn rules(efficiency: f64, bytes: u64, user: f64) -> Rules {
    Rules {
        lowest_efficiency: Limit::Threshold(efficiency),
        highest_wasted_bytes: Limit::Threshold(bytes),
        highest_user_wasted_percent: Limit::Threshold(user),
        ..Rules::default()
    }
}

fn dive_statuses(rules: &Rules, report: &Report) -> Vec<(RuleId, Status)> {
    rules
        .evaluate(report, Applies::All, None, None)
        .results(layerscope_report::RuleSet::Dive)
        .map(|r| (r.rule, r.status))
        .collect()
}

// Neighbouring floats of a positive value.
fn up(v: f64) -> f64 {
    f64::from_bits(v.to_bits() + 1)
}

fn down(v: f64) -> f64 {
    f64::from_bits(v.to_bits() - 1)
}

const EFFICIENCY: f64 = 3500.0 / 16100.0;
const USER: f64 = 15100.0 / 4600.0;

#[test]
fn a_figure_at_its_threshold_passes_and_just_past_it_fails() {
    let image = report(EFFICIENCY, 15_100, USER);
    let at = rules(EFFICIENCY, 15_100, USER).evaluate(&image, Applies::All, None, None);
    assert!(at.passed);
    let past = rules(up(EFFICIENCY), 15_099, down(USER)).evaluate(&image, Applies::All, None, None);
    assert!(!past.passed);
    assert_eq!(
        past.results(layerscope_report::RuleSet::Dive)
            .map(|r| r.status)
            .collect::<Vec<_>>(),
        [Status::Fail; 3]
    );
    assert_eq!(
        past.rules[1].message.as_deref(),
        Some("too many bytes wasted (wasted-bytes=15100 > threshold=15099)")
    );
    let inside =
        rules(down(EFFICIENCY), 15_101, up(USER)).evaluate(&image, Applies::All, None, None);
    assert!(
        inside.passed
            && inside
                .results(layerscope_report::RuleSet::Dive)
                .all(|r| r.message.is_none())
    );
}

#[test]
fn disabled_rules_are_skipped_and_never_fail() {
    let disabled = Rules {
        lowest_efficiency: Limit::Disabled,
        highest_wasted_bytes: Limit::Disabled,
        highest_user_wasted_percent: Limit::Disabled,
        ..Rules::default()
    };
    let gate = disabled.evaluate(
        &report(0.0, u64::MAX, f64::INFINITY),
        Applies::All,
        None,
        None,
    );
    assert!(gate.passed);
    assert!(gate.rules.iter().all(|r| r.status == Status::Skip
        && r.threshold.is_none()
        && r.message.as_deref() == Some("rule disabled")));
}

#[test]
fn nan_user_wasted_passes_and_infinity_fails() {
    assert!(
        Rules::default()
            .evaluate(&report(1.0, 0, f64::NAN), Applies::All, None, None)
            .passed
    );
    let gate = rules(0.0, u64::MAX, 1.0).evaluate(
        &report(1.0, 10, f64::INFINITY),
        Applies::All,
        None,
        None,
    );
    assert_eq!(
        gate.rules[0].message.as_deref(),
        Some(
            "too many bytes wasted, relative to the user bytes added \
             (%-user-wasted-bytes=+Inf > threshold=1)"
        )
    );
}

#[test]
fn dives_defaults_fail_the_probe_with_dives_messages() {
    let statuses = dive_statuses(&Rules::default(), &report(EFFICIENCY, 15_100, USER));
    assert_eq!(
        statuses,
        [
            (RuleId::HighestUserWastedPercent, Status::Fail),
            (RuleId::HighestWastedBytes, Status::Skip),
            (RuleId::LowestEfficiency, Status::Fail),
        ]
    );
    let gate =
        Rules::default().evaluate(&report(EFFICIENCY, 15_100, USER), Applies::All, None, None);
    assert_eq!(
        gate.rules[2].message.as_deref(),
        Some("image efficiency is too low (efficiency=0.21739130434782608 < threshold=0.9)")
    );
}

#[test]
fn the_leak_report_applies_only_the_leak_rules() {
    let image = report(EFFICIENCY, 15_100, USER);
    let strict = Rules {
        disallow_root_user: true,
        max_hidden_bytes: Limit::Threshold(12_499),
        max_secret_findings: Limit::Threshold(0),
        require_healthcheck: true,
        ..Rules::default()
    };
    let gate = strict.evaluate(&image, Applies::Leaks, None, None);
    let names: Vec<(&str, Status)> = gate
        .rules
        .iter()
        .map(|r| (r.rule.as_str(), r.status))
        .collect();
    assert_eq!(
        names,
        [
            ("disallowRootUser", Status::Fail),
            ("maxHiddenBytes", Status::Fail),
            ("maxSecretFindings", Status::Pass),
            ("requireHealthcheck", Status::Fail),
        ]
    );
    assert!(!gate.passed);
    assert_eq!(
        gate.rules[1].message.as_deref(),
        Some("too many bytes hidden by later layers (hidden-bytes=12500 > threshold=12499)")
    );
}
