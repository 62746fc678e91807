//! dive's three CI rules and the values they take.

use std::fmt;

use crate::error::{CiError, Setting};
use crate::humanize;

/// One of dive's CI rules. The variants are declared in dive's report order (by name).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RuleName {
    /// Fails when wasted bytes / user bytes exceed the threshold.
    HighestUserWastedPercent,
    /// Fails when wasted bytes exceed the threshold.
    HighestWastedBytes,
    /// Fails when the efficiency score is below the threshold.
    LowestEfficiency,
}

impl RuleName {
    /// All rules, in the order dive reports them.
    pub const ALL: [RuleName; 3] = [
        RuleName::HighestUserWastedPercent,
        RuleName::HighestWastedBytes,
        RuleName::LowestEfficiency,
    ];

    /// dive's spelling: the `.dive-ci` key and the name in the `Results:` lines.
    pub fn as_str(self) -> &'static str {
        match self {
            RuleName::HighestUserWastedPercent => "highestUserWastedPercent",
            RuleName::HighestWastedBytes => "highestWastedBytes",
            RuleName::LowestEfficiency => "lowestEfficiency",
        }
    }

    /// The spelling newer dive releases use in their app config.
    pub fn kebab(self) -> &'static str {
        match self {
            RuleName::HighestUserWastedPercent => "highest-user-wasted-percent",
            RuleName::HighestWastedBytes => "highest-wasted-bytes",
            RuleName::LowestEfficiency => "lowest-efficiency",
        }
    }

    /// The command-line flag that overrides the rule.
    pub fn flag(self) -> &'static str {
        match self {
            RuleName::HighestUserWastedPercent => "--highestUserWastedPercent",
            RuleName::HighestWastedBytes => "--highestWastedBytes",
            RuleName::LowestEfficiency => "--lowestEfficiency",
        }
    }

    /// The rule a config key names, in either spelling.
    pub fn from_key(key: &str) -> Option<RuleName> {
        RuleName::ALL
            .into_iter()
            .find(|rule| rule.as_str() == key || rule.kebab() == key)
    }
}

impl fmt::Display for RuleName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A rule's setting: off, or the threshold it compares against.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Limit<T> {
    Disabled,
    Threshold(T),
}

impl<T: Copy> Limit<T> {
    pub fn threshold(self) -> Option<T> {
        match self {
            Limit::Disabled => None,
            Limit::Threshold(value) => Some(value),
        }
    }
}

/// The three rules as one run applies them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rules {
    /// A ratio in 0..=1; the image fails when its efficiency is below it.
    pub lowest_efficiency: Limit<f64>,
    /// Bytes; the image fails when it wastes more.
    pub highest_wasted_bytes: Limit<u64>,
    /// A ratio in 0..=1; the image fails when wasted / user bytes is above it.
    pub highest_user_wasted_percent: Limit<f64>,
}

impl Default for Rules {
    /// dive's built-in defaults: efficiency 0.9, wasted bytes off, user wasted ratio 0.1.
    fn default() -> Self {
        Rules {
            lowest_efficiency: Limit::Threshold(0.9),
            highest_wasted_bytes: Limit::Disabled,
            highest_user_wasted_percent: Limit::Threshold(0.1),
        }
    }
}

impl Rules {
    /// A flag value (`--lowestEfficiency 0.9`) overrides the file; the error names the flag.
    /// It takes the same values as the config file.
    pub fn override_with(&mut self, rule: RuleName, value: &str) -> Result<(), CiError> {
        self.apply(rule, value, Setting::Flag(rule))
    }

    /// Sets one rule from its text: a ratio (`0.9`) for the two ratio rules, a go-humanize
    /// size (`20MB`, `15100`) for `highestWastedBytes`, or a word that disables the rule.
    ///
    /// dive 0.13.1 disables a rule only on the exact word `disabled`; its later releases also
    /// take `off` and `false` in any case, and so does this, so configs written for either
    /// version load.
    pub(crate) fn apply(&mut self, rule: RuleName, text: &str, at: Setting) -> Result<(), CiError> {
        if text.is_empty() {
            return Err(CiError::RuleEmpty { at });
        }
        let disabled = ["disabled", "off", "false"]
            .iter()
            .any(|word| text.eq_ignore_ascii_case(word));
        match rule {
            RuleName::LowestEfficiency => {
                self.lowest_efficiency = ratio_limit(text, disabled, at)?;
            }
            RuleName::HighestUserWastedPercent => {
                self.highest_user_wasted_percent = ratio_limit(text, disabled, at)?;
            }
            RuleName::HighestWastedBytes => {
                self.highest_wasted_bytes = if disabled {
                    Limit::Disabled
                } else {
                    let bytes =
                        humanize::parse_bytes(text).map_err(|reason| CiError::RuleNotASize {
                            at,
                            value: text.to_owned(),
                            reason,
                        })?;
                    Limit::Threshold(bytes)
                };
            }
        }
        Ok(())
    }
}

fn ratio_limit(text: &str, disabled: bool, at: Setting) -> Result<Limit<f64>, CiError> {
    if disabled {
        return Ok(Limit::Disabled);
    }
    let value: f64 = text.parse().map_err(|_| CiError::RuleNotANumber {
        at: at.clone(),
        value: text.to_owned(),
    })?;
    // NaN is refused too: dive lets it through, and then no image can ever fail the rule.
    if !(0.0..=1.0).contains(&value) {
        return Err(CiError::RuleOutOfRange {
            at,
            value: text.to_owned(),
        });
    }
    Ok(Limit::Threshold(value))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn names_sort_as_dive_reports_them() {
        let mut names: Vec<&str> = RuleName::ALL.iter().map(|r| r.as_str()).collect();
        names.sort_unstable();
        let declared: Vec<&str> = RuleName::ALL.iter().map(|r| r.as_str()).collect();
        assert_eq!(names, declared);
    }

    #[test]
    fn keys_are_found_in_both_spellings() {
        assert_eq!(
            RuleName::from_key("lowest-efficiency"),
            Some(RuleName::LowestEfficiency)
        );
        assert_eq!(
            RuleName::from_key("highestUserWastedPercent"),
            Some(RuleName::HighestUserWastedPercent)
        );
        assert_eq!(RuleName::from_key("maxSecretFindings"), None);
    }

    #[test]
    fn flags_override_and_disable() {
        let mut rules = Rules::default();
        rules
            .override_with(RuleName::LowestEfficiency, "0.5")
            .unwrap();
        rules
            .override_with(RuleName::HighestWastedBytes, "20MB")
            .unwrap();
        rules
            .override_with(RuleName::HighestUserWastedPercent, "Off")
            .unwrap();
        assert_eq!(
            rules,
            Rules {
                lowest_efficiency: Limit::Threshold(0.5),
                highest_wasted_bytes: Limit::Threshold(20_000_000),
                highest_user_wasted_percent: Limit::Disabled,
            }
        );
        rules
            .override_with(RuleName::HighestWastedBytes, "FALSE")
            .unwrap();
        assert_eq!(rules.highest_wasted_bytes, Limit::Disabled);
    }

    #[test]
    fn flag_errors_name_the_flag() {
        let mut rules = Rules::default();
        let message = |rule, value: &str| {
            let mut rules = Rules::default();
            rules.override_with(rule, value).unwrap_err().to_string()
        };
        assert_eq!(
            message(RuleName::LowestEfficiency, "1.5"),
            "--lowestEfficiency: 1.5 is outside 0..1"
        );
        assert_eq!(
            message(RuleName::HighestUserWastedPercent, "abc"),
            "--highestUserWastedPercent: \"abc\" is not a number"
        );
        assert_eq!(
            message(RuleName::HighestUserWastedPercent, "NaN"),
            "--highestUserWastedPercent: NaN is outside 0..1"
        );
        assert_eq!(
            message(RuleName::HighestWastedBytes, "1e4"),
            "--highestWastedBytes: \"1e4\" is not a byte size: unknown unit \"e4\""
        );
        assert_eq!(
            message(RuleName::LowestEfficiency, ""),
            "--lowestEfficiency: no value (write `disabled` to turn the rule off)"
        );
        // A failed override leaves the rule as it was.
        assert!(
            rules
                .override_with(RuleName::LowestEfficiency, "-0.1")
                .is_err()
        );
        assert_eq!(rules, Rules::default());
    }

    #[test]
    fn ratio_bounds_are_inclusive() {
        let mut rules = Rules::default();
        rules
            .override_with(RuleName::LowestEfficiency, "0")
            .unwrap();
        assert_eq!(rules.lowest_efficiency, Limit::Threshold(0.0));
        rules
            .override_with(RuleName::LowestEfficiency, "1")
            .unwrap();
        assert_eq!(rules.lowest_efficiency, Limit::Threshold(1.0));
        assert!(
            rules
                .override_with(RuleName::LowestEfficiency, "1.0000001")
                .is_err()
        );
    }
}
