//! The rules of `.dive-ci`: dive's three and the leak rules, all under `rules:`.

use layerscope_report::RuleId;

use crate::error::{GateError, Problem, Setting};
use crate::evaluation::Applies;
use crate::value::{self, Field, Limit, Section};
use crate::yaml::line;

/// Every rule as one run applies it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rules {
    /// A ratio in 0..=1; the image fails when its efficiency is below it.
    pub lowest_efficiency: Limit<f64>,
    /// Bytes; the image fails when dive counts more wasted.
    pub highest_wasted_bytes: Limit<u64>,
    /// A ratio in 0..=1; the image fails when wasted / user bytes is above it.
    pub highest_user_wasted_percent: Limit<f64>,
    /// The image fails when it runs as root.
    pub disallow_root_user: bool,
    /// Bytes; the image fails when more ship hidden by later layers.
    pub max_hidden_bytes: Limit<u64>,
    /// The image fails when it holds more secrets than this.
    pub max_secret_findings: Limit<u64>,
    /// The image fails when it has no HEALTHCHECK.
    pub require_healthcheck: bool,
    /// Efficiency points (a ratio: 0.02 is two points) the image may lose from its baseline.
    pub max_efficiency_drop: Limit<f64>,
    /// Secrets the image may have that its baseline did not.
    pub max_new_secret_findings: Limit<u64>,
    /// How much the image may grow from its baseline.
    pub max_size_growth: Limit<Growth>,
}

/// How much an image may grow: bytes (`10MB`) or a share of the baseline's size (`5%`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Growth {
    Bytes(u64),
    /// 0.05 for `5%`.
    Ratio(f64),
}

impl Default for Rules {
    /// dive's built-in defaults (efficiency 0.9, wasted bytes off, user wasted ratio 0.1), and
    /// every leak rule off, so a `.dive-ci` written for dive keeps passing.
    fn default() -> Self {
        Rules {
            lowest_efficiency: Limit::Threshold(0.9),
            highest_wasted_bytes: Limit::Disabled,
            highest_user_wasted_percent: Limit::Threshold(0.1),
            disallow_root_user: false,
            max_hidden_bytes: Limit::Disabled,
            max_secret_findings: Limit::Disabled,
            require_healthcheck: false,
            max_efficiency_drop: Limit::Disabled,
            max_new_secret_findings: Limit::Disabled,
            max_size_growth: Limit::Disabled,
        }
    }
}

impl Rules {
    /// Reads the `rules:` section over the defaults. Keys it does not know are ignored, as dive
    /// ignores them; the first problem reported is the topmost one in the file.
    pub(crate) fn read(section: &Section<'_>, applies: Applies) -> Result<Rules, GateError> {
        let mut fields = Vec::new();
        for rule in RuleId::ALL.into_iter().filter(|r| applies.includes(*r)) {
            if let Some(field) = section.get(rule.as_str(), rule.kebab())? {
                fields.push((rule, field));
            }
        }
        fields.sort_by_key(|(_, field)| line(field.node));
        let mut rules = Rules::default();
        for (rule, field) in fields {
            rules.set(rule, value_of(&field)?, field.at())?;
        }
        Ok(rules)
    }

    /// A flag value (`--lowestEfficiency 0.9`) overrides the file; the error names the flag.
    /// It takes the same values as the file.
    pub fn override_with(&mut self, rule: RuleId, text: &str) -> Result<(), GateError> {
        if text.trim().is_empty() {
            return Err(value::invalid(Setting::Flag(rule), Problem::EmptyRule));
        }
        self.set(rule, text.trim(), Setting::Flag(rule))
    }

    fn set(&mut self, rule: RuleId, text: &str, at: Setting) -> Result<(), GateError> {
        match rule {
            RuleId::LowestEfficiency => self.lowest_efficiency = value::ratio(text, at)?,
            RuleId::HighestUserWastedPercent => {
                self.highest_user_wasted_percent = value::ratio(text, at)?;
            }
            RuleId::HighestWastedBytes => self.highest_wasted_bytes = value::size(text, at)?,
            RuleId::MaxHiddenBytes => self.max_hidden_bytes = value::size(text, at)?,
            RuleId::MaxSecretFindings => self.max_secret_findings = value::count(text, at)?,
            RuleId::DisallowRootUser => self.disallow_root_user = value::flag(text, at)?,
            RuleId::RequireHealthcheck => self.require_healthcheck = value::flag(text, at)?,
            RuleId::MaxEfficiencyDrop => self.max_efficiency_drop = value::ratio(text, at)?,
            RuleId::MaxNewSecretFindings => self.max_new_secret_findings = value::count(text, at)?,
            RuleId::MaxSizeGrowth => self.max_size_growth = value::growth(text, at)?,
        }
        Ok(())
    }
}

fn value_of<'a>(field: &Field<'a>) -> Result<&'a str, GateError> {
    field.text(Problem::EmptyRule)
}
