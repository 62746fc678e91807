//! The `.dive-ci` file: where it is looked for and how its YAML is read.

use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_saphyr::{MessageFormatter, NonFiniteFloatPolicy, Spanned, UserMessageFormatter};

use crate::error::{CiError, Setting};
use crate::rule::{RuleName, Rules};
use crate::yaml::{Entry, Raw, present};

/// The file dive reads when no `--ci-config` is given, relative to the working directory.
pub const DEFAULT_CONFIG_FILE: &str = ".dive-ci";

/// A rule file is a few lines; anything this big is a mistake, and is refused unread.
pub const MAX_CONFIG_BYTES: u64 = 1024 * 1024;

/// Where the rules of a run came from, for the `Using ... CI config` line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigOrigin {
    /// No file: dive's built-in defaults.
    Default,
    /// The file, as the user named it (or `.dive-ci`), not resolved against the directory.
    File(PathBuf),
}

/// Reads the rules file of a run once: `path` if given (an error if it does not exist), else
/// `.dive-ci` in `cwd` if it exists. Its text serves dive's rules and any other section a
/// caller reads from the same file.
pub fn read_config(
    explicit: Option<&Path>,
    cwd: &Path,
) -> Result<(ConfigOrigin, Option<String>), CiError> {
    let shown = explicit.unwrap_or(Path::new(DEFAULT_CONFIG_FILE));
    match read_limited(&cwd.join(shown), shown) {
        Ok(text) => Ok((ConfigOrigin::File(shown.to_path_buf()), Some(text))),
        Err(CiError::ConfigNotFound { .. }) if explicit.is_none() => {
            Ok((ConfigOrigin::Default, None))
        }
        Err(error) => Err(error),
    }
}

impl Rules {
    /// Reads `path` if given (an error if it does not exist), else `.dive-ci` in `cwd` if it
    /// exists, else defaults. A relative `path` is taken from `cwd`; messages show it as given.
    pub fn load(explicit: Option<&Path>, cwd: &Path) -> Result<(Rules, ConfigOrigin), CiError> {
        let (origin, text) = read_config(explicit, cwd)?;
        let rules = match (&origin, text) {
            (ConfigOrigin::File(shown), Some(text)) => Rules::from_yaml(&text, shown)?,
            _ => Rules::default(),
        };
        Ok((rules, origin))
    }

    /// Parses a CI config. `path` only names the file in error messages.
    ///
    /// Keys under `rules:` are dive's (`lowestEfficiency`, `highestWastedBytes`,
    /// `highestUserWastedPercent`) or their kebab-case spellings; every other key, at the top
    /// level or under `rules:`, is ignored, as dive ignores it. Missing rules keep dive's
    /// defaults. An empty file is all defaults.
    pub fn from_yaml(text: &str, path: &Path) -> Result<Rules, CiError> {
        let options = serde_saphyr::options! {
            with_snippet: false,
            // YAML 1.1 words like `no` stay strings, as in the YAML library dive uses.
            strict_booleans: true,
            // `.inf` and `.nan` reach the range check and get its message.
            non_finite_float_policy: NonFiniteFloatPolicy::PassThrough,
        };
        let document: Document =
            serde_saphyr::from_str_with_options(text, options).map_err(|error| {
                let message = UserMessageFormatter.format_message(&error);
                CiError::Yaml {
                    path: path.to_path_buf(),
                    line: error.location().map(|l| l.line()).filter(|&l| l > 0),
                    message: message.split_whitespace().collect::<Vec<_>>().join(" "),
                }
            })?;
        let mut rules = Rules::default();
        let Some(section) = document.rules else {
            return Ok(rules);
        };
        let mut entries = Vec::new();
        for (rule, camel, kebab) in section.by_rule() {
            let entry = match (camel, kebab) {
                (None, None) => continue,
                (Some(value), None) => (rule.as_str(), value),
                (None, Some(value)) => (rule.kebab(), value),
                (Some(first), Some(second)) => {
                    let ((first_key, first), (key, later)) = if line_of(second) < line_of(first) {
                        ((rule.kebab(), second), (rule.as_str(), first))
                    } else {
                        ((rule.as_str(), first), (rule.kebab(), second))
                    };
                    return Err(CiError::RuleGivenTwice {
                        at: setting(path, key, later),
                        first_key: first_key.to_owned(),
                        first_line: line_of(first),
                    });
                }
            };
            entries.push((rule, entry));
        }
        // The first problem reported is the topmost one in the file.
        entries.sort_by_key(|(_, (_, value))| line_of(value));
        for (rule, (key, value)) in entries {
            let at = setting(path, key, value);
            match &value.value {
                Raw::Scalar(text) => rules.apply(rule, text, at)?,
                Raw::Null => return Err(CiError::RuleEmpty { at }),
                Raw::Nested => return Err(CiError::RuleNotScalar { at }),
            }
        }
        Ok(rules)
    }
}

fn line_of(value: &Spanned<Raw>) -> u64 {
    value.referenced.line()
}

fn setting(path: &Path, key: &str, value: &Spanned<Raw>) -> Setting {
    Setting::File {
        path: path.to_path_buf(),
        line: line_of(value),
        key: key.to_owned(),
    }
}

fn read_limited(full: &Path, shown: &Path) -> Result<String, CiError> {
    let read_error = |reason: io::Error| {
        if reason.kind() == io::ErrorKind::NotFound {
            CiError::ConfigNotFound {
                path: shown.to_path_buf(),
            }
        } else {
            CiError::ConfigRead {
                path: shown.to_path_buf(),
                reason,
            }
        }
    };
    let too_large = || CiError::ConfigTooLarge {
        path: shown.to_path_buf(),
        limit: MAX_CONFIG_BYTES,
    };
    let file = File::open(full).map_err(read_error)?;
    if file.metadata().map_err(read_error)?.len() > MAX_CONFIG_BYTES {
        return Err(too_large());
    }
    // The length check above does not hold for pipes or files still growing.
    let mut bytes = Vec::new();
    file.take(MAX_CONFIG_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(read_error)?;
    if bytes.len() as u64 > MAX_CONFIG_BYTES {
        return Err(too_large());
    }
    String::from_utf8(bytes).map_err(|error| {
        let valid = &error.as_bytes()[..error.utf8_error().valid_up_to()];
        CiError::ConfigNotUtf8 {
            path: shown.to_path_buf(),
            line: valid.split(|&b| b == b'\n').count() as u64,
        }
    })
}

#[derive(Deserialize)]
struct Document {
    #[serde(default)]
    rules: Option<Section>,
}

#[derive(Deserialize)]
struct Section {
    #[serde(rename = "lowestEfficiency", default, deserialize_with = "present")]
    lowest_efficiency: Entry,
    #[serde(rename = "lowest-efficiency", default, deserialize_with = "present")]
    lowest_efficiency_kebab: Entry,
    #[serde(rename = "highestWastedBytes", default, deserialize_with = "present")]
    highest_wasted_bytes: Entry,
    #[serde(rename = "highest-wasted-bytes", default, deserialize_with = "present")]
    highest_wasted_bytes_kebab: Entry,
    #[serde(
        rename = "highestUserWastedPercent",
        default,
        deserialize_with = "present"
    )]
    highest_user_wasted_percent: Entry,
    #[serde(
        rename = "highest-user-wasted-percent",
        default,
        deserialize_with = "present"
    )]
    highest_user_wasted_percent_kebab: Entry,
}

/// A rule with its camelCase and kebab-case entries.
type Spellings<'a> = (RuleName, Option<&'a Spanned<Raw>>, Option<&'a Spanned<Raw>>);

impl Section {
    fn by_rule(&self) -> [Spellings<'_>; 3] {
        [
            (
                RuleName::LowestEfficiency,
                self.lowest_efficiency.as_ref(),
                self.lowest_efficiency_kebab.as_ref(),
            ),
            (
                RuleName::HighestWastedBytes,
                self.highest_wasted_bytes.as_ref(),
                self.highest_wasted_bytes_kebab.as_ref(),
            ),
            (
                RuleName::HighestUserWastedPercent,
                self.highest_user_wasted_percent.as_ref(),
                self.highest_user_wasted_percent_kebab.as_ref(),
            ),
        ]
    }
}
