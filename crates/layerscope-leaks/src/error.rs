//! What can go wrong before any layer is scanned: a rule whose regex does not compile.

use thiserror::Error;

/// Why the scanner could not be built. The message is one line and names the rule.
#[derive(Debug, Error)]
pub enum LeakError {
    /// A rule's regex (or the allow-list's) does not compile.
    #[error("rule `{rule}`: invalid regex: {message}")]
    Regex { rule: String, message: String },
}

impl LeakError {
    pub(crate) fn regex(rule: &str, error: &regex::Error) -> LeakError {
        LeakError::Regex {
            rule: rule.to_owned(),
            message: regex_message(error),
        }
    }
}

/// regex's messages span several lines (the pattern, a caret, then the reason); the reason is
/// the part a one-line message needs. Whoever checks a regex before compiling it says it so.
pub fn regex_message(error: &regex::Error) -> String {
    let text = error.to_string();
    text.lines()
        .rev()
        .find_map(|line| line.trim().strip_prefix("error: "))
        .map_or_else(
            || text.split_whitespace().collect::<Vec<_>>().join(" "),
            str::to_owned,
        )
}
