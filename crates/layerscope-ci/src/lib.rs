//! The CI gate: dive's `.dive-ci` rules, applied with dive's comparisons, reported in dive's
//! text shape (so existing pipelines keep working) and as a JSON document.
//!
//! ```text
//! let (mut rules, origin) = Rules::load(flag_path, &cwd)?;
//! rules.override_with(RuleName::LowestEfficiency, "0.95")?;   // for each flag given
//! let eval = evaluate(&rules, &report.dive);
//! print!("{}", render_text(&image, &report, &eval, &origin, color));
//! exit(if eval.passed() { 0 } else { 1 });
//! ```

mod config;
mod error;
mod evaluation;
mod float;
pub mod humanize;
mod image;
mod json;
mod printable;
mod rule;
mod text;
pub mod yaml;

pub use config::{ConfigOrigin, DEFAULT_CONFIG_FILE, MAX_CONFIG_BYTES, read_config};
pub use error::{CiError, Setting};
pub use evaluation::{Evaluation, Measure, RuleResult, Status, evaluate};
pub use image::{ImageSummary, LayerSummary};
pub use json::{SCHEMA_VERSION, render_json};
pub use printable::printable;
pub use rule::{Limit, RuleName, Rules};
pub use text::{RECLAIMABLE_ROWS, render_text};

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
