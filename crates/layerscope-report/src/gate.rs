//! What the gate decided: each rule's result. The gate that evaluates the rules lives in its
//! own crate; the names and outcomes are here, so the views that print them need no gate.

use std::fmt;
use std::path::PathBuf;

use schemars::JsonSchema;
use serde::{Serialize, Serializer};

/// The gate's verdict on one image.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct GateReport {
    /// The rules file, as the user named it; `null` for dive's built-in defaults.
    pub config: Option<PathBuf>,
    /// dive's rules first, then the leak rules, each set sorted by name as dive sorts.
    pub rules: Vec<RuleResult>,
    /// True when no rule failed; skipped rules do not fail a run.
    pub passed: bool,
}

impl GateReport {
    /// The results of one set of rules.
    pub fn results(&self, set: RuleSet) -> impl Iterator<Item = &RuleResult> {
        self.rules.iter().filter(move |r| r.rule.set() == set)
    }
}

/// The sets the rules come in, each printed in a block of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum RuleSet {
    /// dive's own three rules.
    Dive,
    /// What ships but nobody sees.
    Leaks,
    /// How the image changed from a baseline (`--baseline`).
    Baseline,
}

impl RuleSet {
    /// The word a report names the set by.
    pub fn as_str(self) -> &'static str {
        match self {
            RuleSet::Dive => "dive",
            RuleSet::Leaks => "leaks",
            RuleSet::Baseline => "baseline",
        }
    }
}

/// One rule applied to one image.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct RuleResult {
    pub rule: RuleId,
    pub status: Status,
    /// `null` when the rule is disabled; `false` (none allowed) for a yes-or-no rule.
    pub threshold: Option<Measure>,
    /// The image's figure, whatever the status; for a yes-or-no rule, whether the image has
    /// what the rule forbids (runs as root, lacks a HEALTHCHECK).
    pub actual: Measure,
    /// The text after `<STATUS>: <rule>: ` (dive's for dive's rules); `null` for a pass,
    /// which dive prints bare.
    pub message: Option<String>,
}

/// Every rule of `.dive-ci`. dive's three come first, in dive's report order (by name); the
/// leak rules after them, then the baseline rules, each set by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum RuleId {
    /// Fails when wasted bytes / user bytes exceed the threshold.
    HighestUserWastedPercent,
    /// Fails when wasted bytes exceed the threshold.
    HighestWastedBytes,
    /// Fails when the efficiency score is below the threshold.
    LowestEfficiency,
    /// Fails when the image runs as root.
    DisallowRootUser,
    /// Fails when more bytes than this ship hidden by later layers.
    MaxHiddenBytes,
    /// Fails when there are more secret findings than this.
    MaxSecretFindings,
    /// Fails when the image has no HEALTHCHECK.
    RequireHealthcheck,
    /// Fails when the image lost more efficiency points than this since the baseline.
    MaxEfficiencyDrop,
    /// Fails when there are more secrets than this the baseline did not have.
    MaxNewSecretFindings,
    /// Fails when the image grew by more than this since the baseline (bytes or a share).
    MaxSizeGrowth,
}

impl RuleId {
    /// Every rule, in report order.
    pub const ALL: [RuleId; 10] = [
        RuleId::HighestUserWastedPercent,
        RuleId::HighestWastedBytes,
        RuleId::LowestEfficiency,
        RuleId::DisallowRootUser,
        RuleId::MaxHiddenBytes,
        RuleId::MaxSecretFindings,
        RuleId::RequireHealthcheck,
        RuleId::MaxEfficiencyDrop,
        RuleId::MaxNewSecretFindings,
        RuleId::MaxSizeGrowth,
    ];

    /// The `.dive-ci` key and the name in the `Results:` lines.
    pub fn as_str(self) -> &'static str {
        match self {
            RuleId::HighestUserWastedPercent => "highestUserWastedPercent",
            RuleId::HighestWastedBytes => "highestWastedBytes",
            RuleId::LowestEfficiency => "lowestEfficiency",
            RuleId::DisallowRootUser => "disallowRootUser",
            RuleId::MaxHiddenBytes => "maxHiddenBytes",
            RuleId::MaxSecretFindings => "maxSecretFindings",
            RuleId::RequireHealthcheck => "requireHealthcheck",
            RuleId::MaxEfficiencyDrop => "maxEfficiencyDrop",
            RuleId::MaxNewSecretFindings => "maxNewSecretFindings",
            RuleId::MaxSizeGrowth => "maxSizeGrowth",
        }
    }

    /// The spelling newer dive releases use in their app config.
    pub fn kebab(self) -> &'static str {
        match self {
            RuleId::HighestUserWastedPercent => "highest-user-wasted-percent",
            RuleId::HighestWastedBytes => "highest-wasted-bytes",
            RuleId::LowestEfficiency => "lowest-efficiency",
            RuleId::DisallowRootUser => "disallow-root-user",
            RuleId::MaxHiddenBytes => "max-hidden-bytes",
            RuleId::MaxSecretFindings => "max-secret-findings",
            RuleId::RequireHealthcheck => "require-healthcheck",
            RuleId::MaxEfficiencyDrop => "max-efficiency-drop",
            RuleId::MaxNewSecretFindings => "max-new-secret-findings",
            RuleId::MaxSizeGrowth => "max-size-growth",
        }
    }

    /// What the rule holds the image to, in a line.
    pub fn description(self) -> &'static str {
        match self {
            RuleId::HighestUserWastedPercent => {
                "wasted bytes (dive's count) at most this share of the bytes above the base layer"
            }
            RuleId::HighestWastedBytes => "wasted bytes (dive's count) at most this many",
            RuleId::LowestEfficiency => "dive's efficiency score at least this",
            RuleId::DisallowRootUser => "the image does not run as root",
            RuleId::MaxHiddenBytes => "bytes that ship hidden by later layers at most this many",
            RuleId::MaxSecretFindings => "secrets in any layer at most this many",
            RuleId::RequireHealthcheck => "the image has a HEALTHCHECK",
            RuleId::MaxEfficiencyDrop => {
                "dive's efficiency score at most this much lower than the baseline's"
            }
            RuleId::MaxNewSecretFindings => "at most this many secrets the baseline did not have",
            RuleId::MaxSizeGrowth => "the image at most this much larger than the baseline",
        }
    }

    /// The set the rule belongs to.
    pub fn set(self) -> RuleSet {
        match self {
            RuleId::HighestUserWastedPercent
            | RuleId::HighestWastedBytes
            | RuleId::LowestEfficiency => RuleSet::Dive,
            RuleId::DisallowRootUser
            | RuleId::MaxHiddenBytes
            | RuleId::MaxSecretFindings
            | RuleId::RequireHealthcheck => RuleSet::Leaks,
            RuleId::MaxEfficiencyDrop | RuleId::MaxNewSecretFindings | RuleId::MaxSizeGrowth => {
                RuleSet::Baseline
            }
        }
    }

    /// One of dive's own three rules.
    pub fn is_dive(self) -> bool {
        self.set() == RuleSet::Dive
    }
}

impl fmt::Display for RuleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The outcome of one rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum Status {
    Pass,
    Fail,
    /// The rule is disabled or not set.
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

/// A figure a rule compares.
#[derive(Debug, Clone, Copy, PartialEq, JsonSchema)]
#[serde(untagged)]
pub enum Measure {
    /// A ratio (efficiency, wasted / user bytes); `null` when it is not finite.
    Ratio(#[schemars(with = "Option<f64>")] f64),
    Bytes(u64),
    Count(u64),
    /// A yes or no (runs as root, has a HEALTHCHECK).
    Flag(bool),
}

// JSON has no NaN or infinity; a ratio that is neither is written as null.
impl Serialize for Measure {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match *self {
            Measure::Ratio(v) if v.is_finite() => s.serialize_f64(v),
            Measure::Ratio(_) => s.serialize_none(),
            Measure::Bytes(v) | Measure::Count(v) => s.serialize_u64(v),
            Measure::Flag(v) => s.serialize_bool(v),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_are_listed_in_report_order() {
        let mut sorted = RuleId::ALL;
        sorted.sort();
        assert_eq!(sorted, RuleId::ALL);
        let dive: Vec<&str> = RuleId::ALL
            .iter()
            .filter(|r| r.is_dive())
            .map(|r| r.as_str())
            .collect();
        let mut by_name = dive.clone();
        by_name.sort_unstable();
        assert_eq!(dive, by_name, "dive prints its rules by name");
    }

    #[test]
    fn a_ratio_that_is_not_finite_is_null() {
        let json = serde_json::to_string(&[
            Measure::Ratio(f64::NAN),
            Measure::Ratio(0.5),
            Measure::Bytes(7),
            Measure::Flag(true),
        ])
        .unwrap_or_default();
        assert_eq!(json, "[null,0.5,7,true]");
    }
}
