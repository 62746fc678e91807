//! The CI gate: it owns `.dive-ci`. The file is read once into dive's rules, the leak rules and
//! the secret scanner's settings, with one grammar for every value (dive's sizes, one set of
//! words that disable a rule, camelCase and kebab-case keys) and one-line errors that name the
//! file, line and key. The rules are applied to a [`Report`](layerscope_report::Report) and the
//! verdict goes back into it, for the views to print.
//!
//! ```text
//! let config = GateConfig::read(flag_path, &cwd)?;
//! let mut rules = config.rules()?;
//! rules.override_with(RuleId::LowestEfficiency, "0.95")?;   // for each flag given
//! report.gate = Some(rules.evaluate(&report, Applies::All, config.file.as_deref(), None));
//! exit(if report.passed() { 0 } else { 1 });
//! ```

mod error;
mod evaluation;
mod file;
mod rules;
mod settings;
mod value;
mod yaml;

pub use error::{GateError, Problem, Setting};
pub use evaluation::Applies;
pub use file::{DEFAULT_CONFIG_FILE, GateConfig, MAX_CONFIG_BYTES};
pub use rules::{Growth, Rules};
pub use value::Limit;

/// Whether the `CI` environment variable turns CI mode on. dive reads it with Go's
/// `strconv.ParseBool`, so only `1`, `t`, `T`, `TRUE`, `true` and `True` count; `yes`, `on`
/// and any other value do not.
pub fn ci_env_enabled(value: Option<&str>) -> bool {
    matches!(value, Some("1" | "t" | "T" | "TRUE" | "true" | "True"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ci_env_follows_go_parse_bool() {
        for value in ["1", "t", "T", "TRUE", "true", "True"] {
            assert!(ci_env_enabled(Some(value)), "{value}");
        }
        for value in ["yes", "on", "0", "false", "", "tRUE", " true", "2"] {
            assert!(!ci_env_enabled(Some(value)), "{value}");
        }
        assert!(!ci_env_enabled(None));
    }
}
