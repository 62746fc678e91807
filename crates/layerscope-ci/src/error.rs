//! What can go wrong before any rule is evaluated. dive reports a bad value as
//! "CI Misconfigured" after analysing the whole image; layerscope refuses it up front,
//! naming the file, line and key so the fix is one edit away.

use std::fmt;
use std::path::{Path, PathBuf};

use thiserror::Error;

use crate::humanize::ParseBytesError;
use crate::rule::RuleName;

/// Where a rule's value was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Setting {
    /// A key under `rules:` in a CI config file, spelled as the file spells it.
    File {
        path: PathBuf,
        line: u64,
        key: String,
    },
    /// A command-line flag such as `--lowestEfficiency`.
    Flag(RuleName),
}

impl fmt::Display for Setting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Setting::File { path, line, key } => {
                write!(f, "{}:{line}: rules.{key}", path.display())
            }
            Setting::Flag(rule) => f.write_str(rule.flag()),
        }
    }
}

/// Every way loading or overriding the CI rules can fail. Each message is a single line and
/// carries its cause in the text, so it reads whole however the caller prints it.
#[derive(Debug, Error)]
pub enum CiError {
    /// A config file named explicitly is not there.
    #[error("{}: CI config file not found", path.display())]
    ConfigNotFound { path: PathBuf },
    /// The config file exists but could not be read.
    #[error("{}: cannot read CI config file: {reason}", path.display())]
    ConfigRead {
        path: PathBuf,
        reason: std::io::Error,
    },
    /// The config file is bigger than any sane rule file; it is not read.
    #[error("{}: CI config file is larger than {limit} bytes", path.display())]
    ConfigTooLarge { path: PathBuf, limit: u64 },
    /// The config file is not UTF-8 text.
    #[error("{}:{line}: CI config file is not UTF-8 text", path.display())]
    ConfigNotUtf8 { path: PathBuf, line: u64 },
    /// The YAML does not parse, or its shape is not a mapping with a `rules:` mapping.
    #[error("{}: {message}", place(path, *line))]
    Yaml {
        path: PathBuf,
        line: Option<u64>,
        message: String,
    },
    /// Both spellings of one rule (`lowestEfficiency` and `lowest-efficiency`) are set.
    #[error("{at}: already set as rules.{first_key} on line {first_line}")]
    RuleGivenTwice {
        at: Setting,
        first_key: String,
        first_line: u64,
    },
    /// The rule has a key but no value.
    #[error("{at}: no value (write `disabled` to turn the rule off)")]
    RuleEmpty { at: Setting },
    /// The rule's value is a list or a mapping.
    #[error("{at}: expected a single value, found a list or a mapping")]
    RuleNotScalar { at: Setting },
    /// A ratio rule's value is not a number.
    #[error("{at}: {value:?} is not a number")]
    RuleNotANumber { at: Setting, value: String },
    /// A ratio rule's value is a number outside 0..1.
    #[error("{at}: {value} is outside 0..1")]
    RuleOutOfRange { at: Setting, value: String },
    /// A byte rule's value is not a size go-humanize reads.
    #[error("{at}: {value:?} is not a byte size: {reason}")]
    RuleNotASize {
        at: Setting,
        value: String,
        reason: ParseBytesError,
    },
}

fn place(path: &Path, line: Option<u64>) -> String {
    match line {
        Some(line) => format!("{}:{line}", path.display()),
        None => path.display().to_string(),
    }
}
