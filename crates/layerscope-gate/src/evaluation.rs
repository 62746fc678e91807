//! Applying the rules to a report, with dive's strict comparisons and messages for dive's
//! rules and the same shape for the leak rules.

use layerscope_diff::DiffReport;
use layerscope_format::float::go_v;
use layerscope_leaks::checks::{NO_HEALTHCHECK, ROOT_USER};
use layerscope_report::{GateReport, Measure, Report, RuleId, RuleResult, RuleSet, Status};

use crate::rules::{Growth, Rules};
use crate::value::Limit;

/// Which rules a run applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applies {
    /// dive's, the leak rules and, with a baseline, the baseline rules: the CI gate.
    All,
    /// Only the leak rules: `layerscope leaks`.
    Leaks,
}

impl Applies {
    pub fn includes(self, rule: RuleId) -> bool {
        self == Applies::All || rule.set() == RuleSet::Leaks
    }
}

impl Rules {
    /// Applies the rules to the report. Comparisons are strict, as dive's: a figure exactly at
    /// its threshold passes, and a NaN user-wasted ratio (an image with no user bytes) passes
    /// every threshold. `config` is the rules file, as the user named it. The baseline rules
    /// apply only when there is a `baseline`: the diff from it to this image.
    pub fn evaluate(
        &self,
        report: &Report,
        applies: Applies,
        config: Option<&std::path::Path>,
        baseline: Option<&DiffReport>,
    ) -> GateReport {
        let rules: Vec<RuleResult> = RuleId::ALL
            .into_iter()
            .filter(|rule| applies.includes(*rule))
            .filter_map(|rule| self.result(rule, report, baseline))
            .collect();
        GateReport {
            config: config.map(std::path::Path::to_path_buf),
            passed: rules.iter().all(|r| r.status != Status::Fail),
            rules,
        }
    }

    /// The rule's result; `None` for a baseline rule when there is no baseline.
    fn result(
        &self,
        rule: RuleId,
        report: &Report,
        baseline: Option<&DiffReport>,
    ) -> Option<RuleResult> {
        let dive = &report.dive;
        let has = |id: &str| report.leaks.hygiene.iter().any(|h| h.id == id);
        Some(match rule {
            RuleId::LowestEfficiency => ratio_rule(
                rule,
                self.lowest_efficiency,
                dive.efficiency,
                |threshold, actual| threshold > actual,
                |threshold, actual| {
                    format!(
                        "image efficiency is too low (efficiency={} < threshold={})",
                        go_v(actual),
                        go_v(threshold)
                    )
                },
            ),
            RuleId::HighestUserWastedPercent => ratio_rule(
                rule,
                self.highest_user_wasted_percent,
                dive.user_wasted_percent,
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
            RuleId::HighestWastedBytes => limit_rule(
                rule,
                self.highest_wasted_bytes,
                Measure::Bytes,
                dive.wasted_bytes,
                |actual, threshold| {
                    format!("too many bytes wasted (wasted-bytes={actual} > threshold={threshold})")
                },
            ),
            RuleId::MaxHiddenBytes => limit_rule(
                rule,
                self.max_hidden_bytes,
                Measure::Bytes,
                report.reclaimable.bytes,
                |actual, threshold| {
                    format!(
                        "too many bytes hidden by later layers (hidden-bytes={actual} > threshold={threshold})"
                    )
                },
            ),
            RuleId::MaxSecretFindings => limit_rule(
                rule,
                self.max_secret_findings,
                Measure::Count,
                report.leaks.secrets.len() as u64,
                |actual, threshold| {
                    format!(
                        "too many secret findings (secret-findings={actual} > threshold={threshold})"
                    )
                },
            ),
            RuleId::DisallowRootUser => flag_rule(
                rule,
                self.disallow_root_user,
                has(ROOT_USER.id),
                "image runs as root (set USER to a non-zero uid)",
            ),
            RuleId::RequireHealthcheck => flag_rule(
                rule,
                self.require_healthcheck,
                has(NO_HEALTHCHECK.id),
                "image has no HEALTHCHECK",
            ),
            RuleId::MaxEfficiencyDrop | RuleId::MaxNewSecretFindings | RuleId::MaxSizeGrowth => {
                self.baseline_result(rule, baseline?)
            }
        })
    }
}

impl Rules {
    fn baseline_result(&self, rule: RuleId, diff: &DiffReport) -> RuleResult {
        let figures = &diff.figures;
        match rule {
            RuleId::MaxEfficiencyDrop => ratio_rule(
                rule,
                self.max_efficiency_drop,
                figures.efficiency.old - figures.efficiency.new,
                |threshold, actual| actual > threshold,
                |threshold, actual| {
                    format!(
                        "image efficiency dropped too far from the baseline (drop={} > threshold={})",
                        go_v(actual),
                        go_v(threshold)
                    )
                },
            ),
            RuleId::MaxNewSecretFindings => limit_rule(
                rule,
                self.max_new_secret_findings,
                Measure::Count,
                diff.findings.new_secrets.len() as u64,
                |actual, threshold| {
                    format!(
                        "too many secrets the baseline did not have (new-secret-findings={actual} > threshold={threshold})"
                    )
                },
            ),
            _ => growth_rule(
                rule,
                self.max_size_growth,
                figures.size_bytes.old,
                figures.size_bytes.new,
            ),
        }
    }
}

/// `maxSizeGrowth`: NEW's size less the baseline's, against bytes or a share of the baseline.
fn growth_rule(rule: RuleId, limit: Limit<Growth>, old: u64, new: u64) -> RuleResult {
    let growth = new.saturating_sub(old);
    let threshold = limit.threshold().map(|t| match t {
        Growth::Bytes(bytes) => bytes,
        #[allow(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            reason = "a share of a byte count, floored: no more than the count itself times the share"
        )]
        Growth::Ratio(share) => (old as f64 * share) as u64,
    });
    let (status, message) = match threshold {
        None => skipped(),
        Some(t) if growth > t => (
            Status::Fail,
            Some(format!(
                "image grew too much since the baseline (growth={growth} > threshold={t})"
            )),
        ),
        Some(_) => (Status::Pass, None),
    };
    RuleResult {
        rule,
        status,
        threshold: threshold.map(Measure::Bytes),
        actual: Measure::Bytes(growth),
        message,
    }
}

fn ratio_rule(
    rule: RuleId,
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

fn limit_rule(
    rule: RuleId,
    limit: Limit<u64>,
    measure: fn(u64) -> Measure,
    actual: u64,
    describe: impl Fn(u64, u64) -> String,
) -> RuleResult {
    let (status, message) = match limit {
        Limit::Disabled => skipped(),
        Limit::Threshold(threshold) if actual > threshold => {
            (Status::Fail, Some(describe(actual, threshold)))
        }
        Limit::Threshold(_) => (Status::Pass, None),
    };
    RuleResult {
        rule,
        status,
        threshold: limit.threshold().map(measure),
        actual: measure(actual),
        message,
    }
}

/// A yes-or-no rule: on, it fails when the image has the finding that `failing` says.
fn flag_rule(rule: RuleId, on: bool, failing: bool, message: &str) -> RuleResult {
    let (status, message) = match (on, failing) {
        (false, _) => skipped(),
        (true, true) => (Status::Fail, Some(message.to_owned())),
        (true, false) => (Status::Pass, None),
    };
    RuleResult {
        rule,
        status,
        threshold: on.then_some(Measure::Flag(false)),
        actual: Measure::Flag(failing),
        message,
    }
}

fn skipped() -> (Status, Option<String>) {
    (Status::Skip, Some("rule disabled".to_owned()))
}
