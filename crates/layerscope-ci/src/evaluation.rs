//! Applying the rules to dive's figures, with dive's strict comparisons and messages.

use layerscope_waste::DiveFigures;

use crate::float::go_v;
use crate::rule::{Limit, RuleName, Rules};

/// The outcome of one rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    Pass,
    Fail,
    /// The rule is disabled.
    Skip,
}

impl Status {
    /// The word dive prints (`PASS`, `FAIL`, `SKIP`).
    pub fn word(self) -> &'static str {
        match self {
            Status::Pass => "PASS",
            Status::Fail => "FAIL",
            Status::Skip => "SKIP",
        }
    }
}

/// A figure a rule compares: a ratio or a byte count.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Measure {
    Ratio(f64),
    Bytes(u64),
}

/// One rule applied to one image.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleResult {
    pub rule: RuleName,
    pub status: Status,
    /// `None` when the rule is disabled.
    pub threshold: Option<Measure>,
    /// The image's figure, whatever the status.
    pub actual: Measure,
    /// dive's text after `<STATUS>: <rule>: `; `None` for a pass, which dive prints bare.
    pub message: Option<String>,
}

/// Every rule's result, sorted by rule name as dive prints them.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Evaluation {
    pub results: Vec<RuleResult>,
}

impl Evaluation {
    /// True when no rule failed; skipped rules do not fail a run.
    pub fn passed(&self) -> bool {
        self.count(Status::Fail) == 0
    }

    pub fn count(&self, status: Status) -> usize {
        self.results.iter().filter(|r| r.status == status).count()
    }
}

/// Applies each rule. Comparisons are strict, as dive's: a figure exactly at its threshold
/// passes, and a NaN user-wasted ratio (an image with no user bytes) passes every threshold.
pub fn evaluate(rules: &Rules, figures: &DiveFigures) -> Evaluation {
    let mut results: Vec<RuleResult> = RuleName::ALL
        .into_iter()
        .map(|rule| match rule {
            RuleName::LowestEfficiency => ratio_rule(
                rule,
                rules.lowest_efficiency,
                figures.efficiency,
                |threshold, actual| threshold > actual,
                |threshold, actual| {
                    format!(
                        "image efficiency is too low (efficiency={} < threshold={})",
                        go_v(actual),
                        go_v(threshold)
                    )
                },
            ),
            RuleName::HighestUserWastedPercent => ratio_rule(
                rule,
                rules.highest_user_wasted_percent,
                figures.user_wasted_percent,
                |threshold, actual| threshold < actual,
                |threshold, actual| {
                    format!(
                        "too many bytes wasted, relative to the user bytes added \
                         (%-user-wasted-bytes={} > threshold={})",
                        go_v(actual),
                        go_v(threshold)
                    )
                },
            ),
            RuleName::HighestWastedBytes => {
                let actual = figures.wasted_bytes;
                let (status, message) = match rules.highest_wasted_bytes {
                    Limit::Disabled => skipped(),
                    Limit::Threshold(threshold) if actual > threshold => (
                        Status::Fail,
                        Some(format!(
                            "too many bytes wasted (wasted-bytes={actual} > threshold={threshold})"
                        )),
                    ),
                    Limit::Threshold(_) => (Status::Pass, None),
                };
                RuleResult {
                    rule,
                    status,
                    threshold: rules.highest_wasted_bytes.threshold().map(Measure::Bytes),
                    actual: Measure::Bytes(actual),
                    message,
                }
            }
        })
        .collect();
    results.sort_by_key(|r| r.rule.as_str());
    Evaluation { results }
}

fn ratio_rule(
    rule: RuleName,
    limit: Limit<f64>,
    actual: f64,
    fails: impl Fn(f64, f64) -> bool,
    describe: impl Fn(f64, f64) -> String,
) -> RuleResult {
    let (status, message) = match limit {
        Limit::Disabled => skipped(),
        Limit::Threshold(threshold) if fails(threshold, actual) => {
            (Status::Fail, Some(describe(threshold, actual)))
        }
        Limit::Threshold(_) => (Status::Pass, None),
    };
    RuleResult {
        rule,
        status,
        threshold: limit.threshold().map(Measure::Ratio),
        actual: Measure::Ratio(actual),
        message,
    }
}

fn skipped() -> (Status, Option<String>) {
    (Status::Skip, Some("rule disabled".to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn figures(efficiency: f64, wasted_bytes: u64, user_wasted_percent: f64) -> DiveFigures {
        DiveFigures {
            efficiency,
            wasted_bytes,
            user_wasted_percent,
            size_bytes: 0,
            user_size_bytes: 0,
            inefficient: Vec::new(),
        }
    }

    fn rules(efficiency: f64, bytes: u64, user: f64) -> Rules {
        Rules {
            lowest_efficiency: Limit::Threshold(efficiency),
            highest_wasted_bytes: Limit::Threshold(bytes),
            highest_user_wasted_percent: Limit::Threshold(user),
        }
    }

    fn statuses(eval: &Evaluation) -> Vec<(RuleName, Status)> {
        eval.results.iter().map(|r| (r.rule, r.status)).collect()
    }

    // Neighbouring floats of a positive value (`f64::next_up` is newer than the crate's MSRV).
    fn up(v: f64) -> f64 {
        f64::from_bits(v.to_bits() + 1)
    }

    fn down(v: f64) -> f64 {
        f64::from_bits(v.to_bits() - 1)
    }

    const EFFICIENCY: f64 = 3500.0 / 16100.0;
    const USER: f64 = 15100.0 / 4600.0;

    #[test]
    fn a_figure_at_its_threshold_passes() {
        let eval = evaluate(
            &rules(EFFICIENCY, 15_100, USER),
            &figures(EFFICIENCY, 15_100, USER),
        );
        assert!(eval.passed());
        assert_eq!(eval.count(Status::Pass), 3);
    }

    #[test]
    fn just_past_each_threshold_fails() {
        let eval = evaluate(
            &rules(up(EFFICIENCY), 15_099, down(USER)),
            &figures(EFFICIENCY, 15_100, USER),
        );
        assert!(!eval.passed());
        assert_eq!(
            statuses(&eval),
            vec![
                (RuleName::HighestUserWastedPercent, Status::Fail),
                (RuleName::HighestWastedBytes, Status::Fail),
                (RuleName::LowestEfficiency, Status::Fail),
            ]
        );
        assert_eq!(
            eval.results[1].message.as_deref(),
            Some("too many bytes wasted (wasted-bytes=15100 > threshold=15099)")
        );
    }

    #[test]
    fn just_inside_each_threshold_passes() {
        let eval = evaluate(
            &rules(down(EFFICIENCY), 15_101, up(USER)),
            &figures(EFFICIENCY, 15_100, USER),
        );
        assert!(eval.passed());
        assert!(eval.results.iter().all(|r| r.message.is_none()));
    }

    #[test]
    fn disabled_rules_are_skipped_and_do_not_fail() {
        let disabled = Rules {
            lowest_efficiency: Limit::Disabled,
            highest_wasted_bytes: Limit::Disabled,
            highest_user_wasted_percent: Limit::Disabled,
        };
        let eval = evaluate(&disabled, &figures(0.0, u64::MAX, f64::INFINITY));
        assert!(eval.passed());
        assert_eq!(eval.count(Status::Skip), 3);
        assert!(
            eval.results
                .iter()
                .all(|r| r.threshold.is_none() && r.message.as_deref() == Some("rule disabled"))
        );
    }

    #[test]
    fn nan_user_wasted_passes_and_infinity_fails() {
        let eval = evaluate(&Rules::default(), &figures(1.0, 0, f64::NAN));
        assert!(eval.passed());
        let eval = evaluate(&rules(0.0, u64::MAX, 1.0), &figures(1.0, 10, f64::INFINITY));
        assert_eq!(
            eval.results[0].message.as_deref(),
            Some(
                "too many bytes wasted, relative to the user bytes added \
                 (%-user-wasted-bytes=+Inf > threshold=1)"
            )
        );
    }

    #[test]
    fn default_rules_fail_the_probe_image_with_dive_messages() {
        let eval = evaluate(&Rules::default(), &figures(EFFICIENCY, 15_100, USER));
        let messages: Vec<_> = eval
            .results
            .iter()
            .map(|r| (r.status, r.message.clone().unwrap_or_default()))
            .collect();
        assert_eq!(
            messages,
            vec![
                (
                    Status::Fail,
                    "too many bytes wasted, relative to the user bytes added \
                     (%-user-wasted-bytes=3.282608695652174 > threshold=0.1)"
                        .to_owned()
                ),
                (Status::Skip, "rule disabled".to_owned()),
                (
                    Status::Fail,
                    "image efficiency is too low \
                     (efficiency=0.21739130434782608 < threshold=0.9)"
                        .to_owned()
                ),
            ]
        );
    }
}
