//! The leak settings, read from the same `.dive-ci` file as dive's rules.
//!
//! ```yaml
//! rules:
//!   lowestEfficiency: 0.95        # dive's; ignored here
//!   maxSecretFindings: 0
//!   disallowRootUser: true
//!   maxHiddenBytes: 10MB
//!   requireHealthcheck: false
//! leaks:
//!   maxFileSize: 2MiB
//!   allowPaths: ['^/usr/share/doc/', '/tests?/']
//!   allowFingerprints: ['generic-secret-assignment:/app/config.yml:12']
//!   rules:
//!     - id: acme-api-key
//!       description: ACME API key
//!       severity: high
//!       regex: 'acme_[a-z0-9]{32}'
//!       path: '\.conf$'
//! ```

use std::path::Path;

use regex::Regex;
use serde::Deserialize;
use serde_saphyr::{MessageFormatter, Spanned, UserMessageFormatter};

use layerscope_ci::yaml::{Entry, Raw, present};

use crate::error::{LeakError, regex_message};
use crate::rule::Severity;
use crate::secret::{DEFAULT_MAX_FILE_SIZE, content_regex};

/// Everything the leak analyses and their CI rules take from the config file.
#[derive(Debug, Clone, PartialEq)]
pub struct LeakConfig {
    pub rules: LeakRules,
    /// Files larger than this are not read for secrets.
    pub max_file_size: u64,
    /// Regexes over absolute paths (`^/usr/share/doc/`); matching files are not scanned.
    pub allow_paths: Vec<String>,
    /// Findings to drop, as the report prints their fingerprints (`rule:path:line`).
    pub allow_fingerprints: Vec<String>,
    /// The user's rules, run after the built-in ones.
    pub custom_rules: Vec<CustomRule>,
}

impl Default for LeakConfig {
    fn default() -> Self {
        LeakConfig {
            rules: LeakRules::default(),
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            allow_paths: Vec::new(),
            allow_fingerprints: Vec::new(),
            custom_rules: Vec::new(),
        }
    }
}

/// The CI rules for leaks. Unset rules are skipped, so a `.dive-ci` written for dive keeps
/// passing until its owner opts in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LeakRules {
    pub max_secret_findings: Option<u64>,
    pub disallow_root_user: Option<bool>,
    pub max_hidden_bytes: Option<u64>,
    pub require_healthcheck: Option<bool>,
}

/// A secret rule from the config file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomRule {
    pub id: String,
    pub description: String,
    pub severity: Severity,
    /// Regex over file contents, as bytes with Unicode off (ASCII `\b`, `\s`, classes); the
    /// `secret` and `label` groups work as in the built-in rules.
    pub regex: String,
    /// Regex over absolute paths; the rule runs only on matching files.
    pub path: Option<String>,
}

impl LeakConfig {
    /// Parses the leak parts of a `.dive-ci` file; `path` only names the file in errors. Keys
    /// it does not know (dive's rules among them) are ignored.
    pub fn from_dive_ci(text: &str, path: &Path) -> Result<LeakConfig, LeakError> {
        let options = serde_saphyr::options! {
            with_snippet: false,
            strict_booleans: true,
        };
        let document: Document =
            serde_saphyr::from_str_with_options(text, options).map_err(|error| {
                let message = UserMessageFormatter.format_message(&error);
                LeakError::Yaml {
                    path: path.to_path_buf(),
                    line: error.location().map(|l| l.line()).filter(|&l| l > 0),
                    message: message.split_whitespace().collect::<Vec<_>>().join(" "),
                }
            })?;
        let at = At { path };
        let mut config = LeakConfig::default();
        if let Some(rules) = &document.rules {
            let r = &mut config.rules;
            r.max_secret_findings = at
                .one(
                    "rules",
                    "maxSecretFindings",
                    rules.max_secret_findings.as_ref(),
                    "max-secret-findings",
                    rules.max_secret_findings_kebab.as_ref(),
                )?
                .map(|(key, v)| at.count(&key, v))
                .transpose()?
                .flatten();
            r.disallow_root_user = at
                .one(
                    "rules",
                    "disallowRootUser",
                    rules.disallow_root_user.as_ref(),
                    "disallow-root-user",
                    rules.disallow_root_user_kebab.as_ref(),
                )?
                .map(|(key, v)| at.boolean(&key, v))
                .transpose()?;
            r.max_hidden_bytes = at
                .one(
                    "rules",
                    "maxHiddenBytes",
                    rules.max_hidden_bytes.as_ref(),
                    "max-hidden-bytes",
                    rules.max_hidden_bytes_kebab.as_ref(),
                )?
                .map(|(key, v)| at.size(&key, v, true))
                .transpose()?
                .flatten();
            r.require_healthcheck = at
                .one(
                    "rules",
                    "requireHealthcheck",
                    rules.require_healthcheck.as_ref(),
                    "require-healthcheck",
                    rules.require_healthcheck_kebab.as_ref(),
                )?
                .map(|(key, v)| at.boolean(&key, v))
                .transpose()?;
        }
        if let Some(leaks) = &document.leaks {
            if let Some((key, v)) = at.one(
                "leaks",
                "maxFileSize",
                leaks.max_file_size.as_ref(),
                "max-file-size",
                leaks.max_file_size_kebab.as_ref(),
            )? {
                config.max_file_size = at.size(&key, v, false)?.unwrap_or(DEFAULT_MAX_FILE_SIZE);
            }
            if let Some((key, list)) = at.one(
                "leaks",
                "allowPaths",
                leaks.allow_paths.as_ref(),
                "allow-paths",
                leaks.allow_paths_kebab.as_ref(),
            )? {
                for (i, item) in list.value.iter().enumerate() {
                    at.regex(&format!("{key}[{i}]"), item)?;
                    config.allow_paths.push(item.value.clone());
                }
            }
            if let Some((_, list)) = at.one(
                "leaks",
                "allowFingerprints",
                leaks.allow_fingerprints.as_ref(),
                "allow-fingerprints",
                leaks.allow_fingerprints_kebab.as_ref(),
            )? {
                config
                    .allow_fingerprints
                    .extend(list.value.iter().map(|f| f.value.trim().to_owned()));
            }
            for (i, rule) in leaks.rules.iter().flatten().enumerate() {
                config.custom_rules.push(at.custom_rule(i, rule)?);
            }
        }
        Ok(config)
    }
}

struct At<'a> {
    path: &'a Path,
}

impl At<'_> {
    fn error(&self, line: u64, key: &str, message: impl Into<String>) -> LeakError {
        LeakError::Setting {
            path: self.path.to_path_buf(),
            line,
            key: key.to_owned(),
            message: message.into(),
        }
    }

    /// The one spelling the file uses; both spellings at once is an error, as in dive's rules.
    fn one<'v, T>(
        &self,
        section: &str,
        camel: &str,
        camel_value: Option<&'v Spanned<T>>,
        kebab: &str,
        kebab_value: Option<&'v Spanned<T>>,
    ) -> Result<Option<(String, &'v Spanned<T>)>, LeakError> {
        match (camel_value, kebab_value) {
            (None, None) => Ok(None),
            (Some(v), None) => Ok(Some((format!("{section}.{camel}"), v))),
            (None, Some(v)) => Ok(Some((format!("{section}.{kebab}"), v))),
            (Some(a), Some(b)) => {
                let ((first, first_line), (later, later_line)) =
                    if b.referenced.line() < a.referenced.line() {
                        ((kebab, b.referenced.line()), (camel, a.referenced.line()))
                    } else {
                        ((camel, a.referenced.line()), (kebab, b.referenced.line()))
                    };
                Err(self.error(
                    later_line,
                    &format!("{section}.{later}"),
                    format!("already set as {section}.{first} on line {first_line}"),
                ))
            }
        }
    }

    fn scalar<'v>(&self, key: &str, value: &'v Spanned<Raw>) -> Result<&'v str, LeakError> {
        let line = value.referenced.line();
        match &value.value {
            Raw::Scalar(text) => Ok(text.trim()),
            Raw::Null => Err(self.error(line, key, "no value")),
            Raw::Nested => Err(self.error(
                line,
                key,
                "expected a single value, found a list or a mapping",
            )),
        }
    }

    /// A count, or `disabled` for none.
    fn count(&self, key: &str, value: &Spanned<Raw>) -> Result<Option<u64>, LeakError> {
        let text = self.scalar(key, value)?;
        if text.eq_ignore_ascii_case("disabled") {
            return Ok(None);
        }
        text.parse().map(Some).map_err(|_| {
            self.error(
                value.referenced.line(),
                key,
                format!("{text:?} is not a whole number (or `disabled`)"),
            )
        })
    }

    fn boolean(&self, key: &str, value: &Spanned<Raw>) -> Result<bool, LeakError> {
        match self.scalar(key, value)? {
            "true" => Ok(true),
            "false" => Ok(false),
            other => Err(self.error(
                value.referenced.line(),
                key,
                format!("{other:?} is not true or false"),
            )),
        }
    }

    fn size(
        &self,
        key: &str,
        value: &Spanned<Raw>,
        may_disable: bool,
    ) -> Result<Option<u64>, LeakError> {
        let text = self.scalar(key, value)?;
        if may_disable && text.eq_ignore_ascii_case("disabled") {
            return Ok(None);
        }
        parse_size(text).map(Some).ok_or_else(|| {
            self.error(
                value.referenced.line(),
                key,
                format!("{text:?} is not a byte size (like 1048576, 1 MB or 1MiB)"),
            )
        })
    }

    fn regex(&self, key: &str, value: &Spanned<String>) -> Result<(), LeakError> {
        Regex::new(&value.value).map(drop).map_err(|e| {
            self.error(
                value.referenced.line(),
                key,
                format!("invalid regex: {}", regex_message(&e)),
            )
        })
    }

    fn custom_rule(&self, i: usize, rule: &Spanned<RawRule>) -> Result<CustomRule, LeakError> {
        let base = format!("leaks.rules[{i}]");
        let line = rule.referenced.line();
        let required = |field: &Option<Spanned<String>>, name: &str| {
            field
                .as_ref()
                .map(|v| v.value.trim().to_owned())
                .filter(|v| !v.is_empty())
                .ok_or_else(|| {
                    self.error(
                        line,
                        &format!("{base}.{name}"),
                        "missing (every rule needs id and regex)",
                    )
                })
        };
        let id = required(&rule.value.id, "id")?;
        if let Some(regex) = &rule.value.regex {
            content_regex(&regex.value).map(drop).map_err(|e| {
                self.error(
                    regex.referenced.line(),
                    &format!("{base}.regex"),
                    format!("invalid regex: {}", regex_message(&e)),
                )
            })?;
        }
        let regex = required(&rule.value.regex, "regex")?;
        if let Some(path) = &rule.value.path {
            self.regex(&format!("{base}.path"), path)?;
        }
        let severity = match &rule.value.severity {
            None => Severity::High,
            Some(s) => Severity::parse(&s.value).ok_or_else(|| {
                self.error(
                    s.referenced.line(),
                    &format!("{base}.severity"),
                    format!("{:?} is not critical, high, medium or low", s.value),
                )
            })?,
        };
        Ok(CustomRule {
            description: rule
                .value
                .description
                .as_ref()
                .map_or_else(|| id.clone(), |d| d.value.trim().to_owned()),
            id,
            severity,
            regex,
            path: rule.value.path.as_ref().map(|p| p.value.clone()),
        })
    }
}

/// A byte size: a number with an optional SI (`kB`, `MB`) or binary (`KiB`, `MiB`) unit, read
/// case-insensitively as go-humanize reads dive's sizes. A fraction of a byte is dropped.
pub fn parse_size(text: &str) -> Option<u64> {
    let text = text.trim();
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let multiplier: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" => 1000,
        "ki" | "kib" => 1 << 10,
        "m" | "mb" => 1000_u64.pow(2),
        "mi" | "mib" => 1 << 20,
        "g" | "gb" => 1000_u64.pow(3),
        "gi" | "gib" => 1 << 30,
        "t" | "tb" => 1000_u64.pow(4),
        "ti" | "tib" => 1 << 40,
        _ => return None,
    };
    if let Ok(whole) = number.parse::<u64>() {
        return whole.checked_mul(multiplier);
    }
    let value: f64 = number.parse().ok()?;
    let bytes = value * multiplier as f64;
    (value.is_finite() && bytes < u64::MAX as f64).then_some(bytes as u64)
}

#[derive(Deserialize)]
struct Document {
    #[serde(default)]
    rules: Option<RulesSection>,
    #[serde(default)]
    leaks: Option<LeaksSection>,
}

type List = Option<Spanned<Vec<Spanned<String>>>>;

#[derive(Deserialize)]
struct RulesSection {
    #[serde(rename = "maxSecretFindings", default, deserialize_with = "present")]
    max_secret_findings: Entry,
    #[serde(rename = "max-secret-findings", default, deserialize_with = "present")]
    max_secret_findings_kebab: Entry,
    #[serde(rename = "disallowRootUser", default, deserialize_with = "present")]
    disallow_root_user: Entry,
    #[serde(rename = "disallow-root-user", default, deserialize_with = "present")]
    disallow_root_user_kebab: Entry,
    #[serde(rename = "maxHiddenBytes", default, deserialize_with = "present")]
    max_hidden_bytes: Entry,
    #[serde(rename = "max-hidden-bytes", default, deserialize_with = "present")]
    max_hidden_bytes_kebab: Entry,
    #[serde(rename = "requireHealthcheck", default, deserialize_with = "present")]
    require_healthcheck: Entry,
    #[serde(rename = "require-healthcheck", default, deserialize_with = "present")]
    require_healthcheck_kebab: Entry,
}

#[derive(Deserialize)]
struct LeaksSection {
    #[serde(rename = "maxFileSize", default, deserialize_with = "present")]
    max_file_size: Entry,
    #[serde(rename = "max-file-size", default, deserialize_with = "present")]
    max_file_size_kebab: Entry,
    #[serde(rename = "allowPaths", default)]
    allow_paths: List,
    #[serde(rename = "allow-paths", default)]
    allow_paths_kebab: List,
    #[serde(rename = "allowFingerprints", default)]
    allow_fingerprints: List,
    #[serde(rename = "allow-fingerprints", default)]
    allow_fingerprints_kebab: List,
    #[serde(default)]
    rules: Option<Vec<Spanned<RawRule>>>,
}

#[derive(Deserialize)]
struct RawRule {
    #[serde(default)]
    id: Option<Spanned<String>>,
    #[serde(default)]
    description: Option<Spanned<String>>,
    #[serde(default)]
    severity: Option<Spanned<String>>,
    #[serde(default)]
    regex: Option<Spanned<String>>,
    #[serde(default)]
    path: Option<Spanned<String>>,
}
