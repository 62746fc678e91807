//! What can go wrong before any layer is scanned: a config the user must fix, or a rule whose
//! regex does not compile. Each message is one line and names where to look.

use std::path::{Path, PathBuf};

use thiserror::Error;

/// Every way loading the leak config or compiling its rules can fail.
#[derive(Debug, Error)]
pub enum LeakError {
    /// The YAML does not parse or does not have the expected shape.
    #[error("{}: {message}", place(path, *line))]
    Yaml {
        path: PathBuf,
        line: Option<u64>,
        message: String,
    },
    /// A key is present but its value is unusable.
    #[error("{}:{line}: {key}: {message}", path.display())]
    Setting {
        path: PathBuf,
        line: u64,
        key: String,
        message: String,
    },
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
/// the part a one-line message needs.
pub(crate) fn regex_message(error: &regex::Error) -> String {
    let text = error.to_string();
    text.lines()
        .rev()
        .find_map(|line| line.trim().strip_prefix("error: "))
        .map_or_else(
            || text.split_whitespace().collect::<Vec<_>>().join(" "),
            str::to_owned,
        )
}

fn place(path: &Path, line: Option<u64>) -> String {
    match line {
        Some(line) => format!("{}:{line}", path.display()),
        None => path.display().to_string(),
    }
}
