//! What can go wrong before any rule is evaluated. dive reports a bad value as
//! "CI Misconfigured" after analysing the whole image; layerscope refuses it up front, naming
//! the file, line and key so the fix is one edit away.

use std::fmt;
use std::path::{Path, PathBuf};

use layerscope_format::ParseBytesError;
use layerscope_report::RuleId;
use thiserror::Error;

/// Where a value was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Setting {
    /// A key in a rules file, with its section (`rules.lowestEfficiency`, `leaks.rules[0].id`),
    /// spelled as the file spells it.
    File {
        path: PathBuf,
        line: u64,
        key: String,
    },
    /// A command-line flag such as `--lowestEfficiency`.
    Flag(RuleId),
}

impl fmt::Display for Setting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Setting::File { path, line, key } => write!(f, "{}:{line}: {key}", path.display()),
            Setting::Flag(rule) => write!(f, "--{rule}"),
        }
    }
}

/// Every way reading the rules file or a rule flag can fail. Each message is a single line
/// and carries its cause in the text, so it reads whole however the caller prints it.
#[derive(Debug, Error)]
pub enum GateError {
    /// A rules file named explicitly is not there.
    #[error("{}: CI config file not found", path.display())]
    ConfigNotFound { path: PathBuf },
    /// The file exists but could not be read.
    #[error("{}: cannot read CI config file: {reason}", path.display())]
    ConfigRead {
        path: PathBuf,
        reason: std::io::Error,
    },
    /// The file is bigger than any sane rules file; it is not read.
    #[error("{}: CI config file is larger than {limit} bytes", path.display())]
    ConfigTooLarge { path: PathBuf, limit: u64 },
    /// The file is not UTF-8 text.
    #[error("{}:{line}: CI config file is not UTF-8 text", path.display())]
    ConfigNotUtf8 { path: PathBuf, line: u64 },
    /// The YAML does not parse.
    #[error("{}: {message}", place(path, *line))]
    Yaml {
        path: PathBuf,
        line: Option<u64>,
        message: String,
    },
    /// A value is unusable.
    #[error("{at}: {problem}")]
    Setting { at: Setting, problem: Problem },
}

/// What is wrong with one value.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum Problem {
    /// Two spellings of one key (`lowestEfficiency` and `lowest-efficiency`) are both set.
    #[error("already set as {first_key} on line {first_line}")]
    GivenTwice { first_key: String, first_line: u64 },
    /// A rule's key has no value.
    #[error("no value (write `disabled` to turn the rule off)")]
    EmptyRule,
    /// A setting's key has no value.
    #[error("no value")]
    Empty,
    #[error("expected a single value, found a list or a mapping")]
    NotScalar,
    #[error("expected a list")]
    NotList,
    #[error("expected a mapping")]
    NotMapping,
    /// A ratio is not a number.
    #[error("{0:?} is not a number")]
    NotANumber(String),
    /// A ratio is a number outside 0..1.
    #[error("{0} is outside 0..1")]
    OutOfRange(String),
    /// A size is not one go-humanize reads.
    #[error("{value:?} is not a byte size: {reason}")]
    NotASize {
        value: String,
        reason: ParseBytesError,
    },
    /// A size past what the setting allows.
    #[error("{value} is more than {limit}")]
    TooLarge { value: String, limit: &'static str },
    #[error("{0:?} is not a whole number (or `disabled`)")]
    NotACount(String),
    #[error("{0:?} is not true or false")]
    NotAFlag(String),
    /// A size that must stay set (the scanner's file cap) was given a word that disables.
    #[error("{0:?} cannot be disabled here: give a size")]
    CannotDisable(String),
    #[error("invalid regex: {0}")]
    BadRegex(String),
    /// A custom rule lacks `id` or `regex`.
    #[error("missing (every rule needs id and regex)")]
    Missing,
    #[error("{0:?} is not critical, high, medium or low")]
    NotASeverity(String),
}

fn place(path: &Path, line: Option<u64>) -> String {
    match line {
        Some(line) => format!("{}:{line}", path.display()),
        None => path.display().to_string(),
    }
}
