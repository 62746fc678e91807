//! The leak rules of `.dive-ci`, applied to a report, with results shaped like dive's so the CI
//! gate prints them beside dive's own (`  FAIL: maxSecretFindings: …`).

use crate::config::LeakRules;
use crate::hygiene::{NO_HEALTHCHECK, ROOT_USER};
use crate::report::LeakReport;

/// The outcome of one rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RuleStatus {
    Pass,
    Fail,
    /// The rule is not set (or set to `disabled`/`false`).
    Skip,
}

impl RuleStatus {
    /// The word dive prints.
    pub fn word(self) -> &'static str {
        match self {
            RuleStatus::Pass => "PASS",
            RuleStatus::Fail => "FAIL",
            RuleStatus::Skip => "SKIP",
        }
    }
}

/// One leak rule applied to one image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeakRuleResult {
    /// The rule's camelCase key (`maxSecretFindings`).
    pub name: &'static str,
    pub status: RuleStatus,
    /// The text after `<STATUS>: <name>: `; `None` for a pass, which dive prints bare.
    pub message: Option<String>,
}

impl LeakRuleResult {
    pub fn passed(&self) -> bool {
        self.status != RuleStatus::Fail
    }

    /// The line dive would print for this result, without colour.
    pub fn line(&self) -> String {
        match &self.message {
            Some(message) => format!("  {}: {}: {message}", self.status.word(), self.name),
            None => format!("  {}: {}", self.status.word(), self.name),
        }
    }
}

/// Every leak rule's result, sorted by name as dive sorts its own.
pub fn evaluate_leak_rules(rules: &LeakRules, report: &LeakReport) -> Vec<LeakRuleResult> {
    let has = |id: &str| report.hygiene.iter().any(|h| h.id == id);
    let secrets = report.secrets.len() as u64;
    vec![
        flag(
            "disallowRootUser",
            rules.disallow_root_user,
            has(ROOT_USER.id),
            "image runs as root (set USER to a non-zero uid)",
        ),
        limit(
            "maxHiddenBytes",
            rules.max_hidden_bytes,
            report.hidden_bytes,
            |actual, threshold| {
                format!(
                    "too many bytes hidden by later layers (hidden-bytes={actual} > threshold={threshold})"
                )
            },
        ),
        limit(
            "maxSecretFindings",
            rules.max_secret_findings,
            secrets,
            |actual, threshold| {
                format!(
                    "too many secret findings (secret-findings={actual} > threshold={threshold})"
                )
            },
        ),
        flag(
            "requireHealthcheck",
            rules.require_healthcheck,
            has(NO_HEALTHCHECK.id),
            "image has no HEALTHCHECK",
        ),
    ]
}

fn flag(name: &'static str, rule: Option<bool>, failing: bool, message: &str) -> LeakRuleResult {
    let status = match rule {
        Some(true) if failing => RuleStatus::Fail,
        Some(true) => RuleStatus::Pass,
        _ => RuleStatus::Skip,
    };
    result(name, status, message.to_owned())
}

fn limit(
    name: &'static str,
    threshold: Option<u64>,
    actual: u64,
    message: impl Fn(u64, u64) -> String,
) -> LeakRuleResult {
    match threshold {
        None => result(name, RuleStatus::Skip, String::new()),
        Some(t) if actual > t => result(name, RuleStatus::Fail, message(actual, t)),
        Some(_) => result(name, RuleStatus::Pass, String::new()),
    }
}

fn result(name: &'static str, status: RuleStatus, message: String) -> LeakRuleResult {
    LeakRuleResult {
        name,
        status,
        message: match status {
            RuleStatus::Fail => Some(message),
            RuleStatus::Skip => Some("rule disabled".to_owned()),
            RuleStatus::Pass => None,
        },
    }
}
