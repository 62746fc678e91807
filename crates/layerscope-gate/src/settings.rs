//! The secret scanner's settings, from the `leaks:` section of the same file.
//!
//! ```yaml
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

use layerscope_leaks::{CustomRule, ScanSettings, Severity, content_regex, regex_message};
use regex::Regex;

use crate::error::{GateError, Problem};
use crate::value::{self, Field, Limit, Section};
use crate::yaml::{Raw, line};

/// The most a file may be to be read whole for the secret scan: files are buffered in memory.
const MAX_FILE_SIZE_LIMIT: u64 = 1 << 30;

pub(crate) fn read(section: &Section<'_>) -> Result<ScanSettings, GateError> {
    let mut settings = ScanSettings::default();
    if let Some(field) = section.get("maxFileSize", "max-file-size")? {
        let text = field.text(Problem::Empty)?;
        settings.max_file_size = match value::size(text, field.at())? {
            Limit::Threshold(bytes) if bytes <= MAX_FILE_SIZE_LIMIT => bytes,
            Limit::Threshold(_) => {
                return Err(value::invalid(
                    field.at(),
                    Problem::TooLarge {
                        value: text.to_owned(),
                        limit: "1 GiB, the most a file may be to be read whole",
                    },
                ));
            }
            Limit::Disabled => {
                return Err(value::invalid(
                    field.at(),
                    Problem::CannotDisable(text.to_owned()),
                ));
            }
        };
    }
    if let Some(field) = section.get("allowPaths", "allow-paths")? {
        for (i, node) in field.list()?.iter().enumerate() {
            let item = field.item(i, node);
            let pattern = item.text(Problem::Empty)?;
            check(&item, Regex::new(pattern).map(drop))?;
            settings.allow_paths.push(pattern.to_owned());
        }
    }
    if let Some(field) = section.get("allowFingerprints", "allow-fingerprints")? {
        for (i, node) in field.list()?.iter().enumerate() {
            let item = field.item(i, node);
            settings
                .allow_fingerprints
                .push(item.text(Problem::Empty)?.to_owned());
        }
    }
    if let Some(field) = section.get("rules", "rules")? {
        for (i, node) in field.list()?.iter().enumerate() {
            settings
                .custom_rules
                .push(custom_rule(&field.item(i, node))?);
        }
    }
    Ok(settings)
}

fn check(field: &Field<'_>, compiled: Result<(), regex::Error>) -> Result<(), GateError> {
    compiled.map_err(|e| value::invalid(field.at(), Problem::BadRegex(regex_message(&e))))
}

fn custom_rule(rule: &Field<'_>) -> Result<CustomRule, GateError> {
    if !matches!(rule.node.value, Raw::Map(_)) {
        return Err(value::invalid(rule.at(), Problem::NotMapping));
    }
    let part = |name: &str| {
        rule.node.value.get(name).map(|node| Field {
            path: rule.path,
            key: format!("{}.{name}", rule.key),
            node,
        })
    };
    // A missing part is reported at the rule, where it should be added.
    let required = |name: &str| -> Result<String, GateError> {
        let missing = || {
            value::invalid(
                Field {
                    path: rule.path,
                    key: format!("{}.{name}", rule.key),
                    node: rule.node,
                }
                .at_line(line(rule.node)),
                Problem::Missing,
            )
        };
        let field = part(name).ok_or_else(missing)?;
        field
            .text(Problem::Missing)
            .map(str::to_owned)
            .map_err(|_| missing())
    };
    let id = required("id")?;
    if let Some(field) = part("regex") {
        let pattern = field.text(Problem::Missing)?;
        check(&field, content_regex(pattern).map(drop))?;
    }
    let regex = required("regex")?;
    let path = match part("path") {
        Some(field) => {
            let pattern = field.text(Problem::Empty)?;
            check(&field, Regex::new(pattern).map(drop))?;
            Some(pattern.to_owned())
        }
        None => None,
    };
    let severity = match part("severity") {
        None => Severity::High,
        Some(field) => {
            let text = field.text(Problem::Empty)?;
            Severity::parse(text)
                .ok_or_else(|| value::invalid(field.at(), Problem::NotASeverity(text.to_owned())))?
        }
    };
    let description = match part("description") {
        Some(field) => field.text(Problem::Empty)?.to_owned(),
        None => id.clone(),
    };
    Ok(CustomRule {
        id,
        description,
        severity,
        regex,
        path,
    })
}
