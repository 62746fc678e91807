//! The one grammar of `.dive-ci` values, for dive's rules, the leak rules and the scanner's
//! settings alike: ratios in 0..1, sizes as go-humanize reads them (`20MB`, `1,000 kB`,
//! `14.75KiB`), whole counts, `true`/`false`, and one set of words that turn a rule off.

use std::path::Path;

use layerscope_format::parse_bytes;

use crate::error::{GateError, Problem, Setting};
use crate::yaml::{Node, Raw, line};

/// The words that disable a rule, in any case. dive 0.13.1 takes only `disabled`; its later
/// releases also take `off` and `false`, and so does this, so files written for either load.
const DISABLED: [&str; 3] = ["disabled", "off", "false"];

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

/// Whether `text` is one of the words that disable a rule.
pub fn disables(text: &str) -> bool {
    DISABLED.iter().any(|word| text.eq_ignore_ascii_case(word))
}

/// A ratio in 0..=1, or a word that disables.
pub fn ratio(text: &str, at: Setting) -> Result<Limit<f64>, GateError> {
    if disables(text) {
        return Ok(Limit::Disabled);
    }
    let value: f64 = text
        .parse()
        .map_err(|_| invalid(at.clone(), Problem::NotANumber(text.to_owned())))?;
    // NaN is refused too: dive lets it through, and then no image can ever fail the rule.
    if !(0.0..=1.0).contains(&value) {
        return Err(invalid(at, Problem::OutOfRange(text.to_owned())));
    }
    Ok(Limit::Threshold(value))
}

/// A byte size, or a word that disables.
pub fn size(text: &str, at: Setting) -> Result<Limit<u64>, GateError> {
    if disables(text) {
        return Ok(Limit::Disabled);
    }
    parse_bytes(text).map(Limit::Threshold).map_err(|reason| {
        invalid(
            at,
            Problem::NotASize {
                value: text.to_owned(),
                reason,
            },
        )
    })
}

/// A growth: a size as above, or a share of the baseline with `%` (`5%`, `12.5 %`).
pub fn growth(text: &str, at: Setting) -> Result<Limit<crate::rules::Growth>, GateError> {
    use crate::rules::Growth;
    if let Some(number) = text.strip_suffix('%') {
        let share: f64 = number
            .trim()
            .parse()
            .map_err(|_| invalid(at.clone(), Problem::NotANumber(text.to_owned())))?;
        if !(share.is_finite() && share >= 0.0) {
            return Err(invalid(at, Problem::NotANumber(text.to_owned())));
        }
        return Ok(Limit::Threshold(Growth::Ratio(share / 100.0)));
    }
    Ok(match size(text, at)? {
        Limit::Disabled => Limit::Disabled,
        Limit::Threshold(bytes) => Limit::Threshold(Growth::Bytes(bytes)),
    })
}

/// A whole count, or a word that disables.
pub fn count(text: &str, at: Setting) -> Result<Limit<u64>, GateError> {
    if disables(text) {
        return Ok(Limit::Disabled);
    }
    text.parse()
        .map(Limit::Threshold)
        .map_err(|_| invalid(at, Problem::NotACount(text.to_owned())))
}

/// `true`, or `false` (and the other words that disable) for off.
pub fn flag(text: &str, at: Setting) -> Result<bool, GateError> {
    if text == "true" {
        Ok(true)
    } else if disables(text) {
        Ok(false)
    } else {
        Err(invalid(at, Problem::NotAFlag(text.to_owned())))
    }
}

pub fn invalid(at: Setting, problem: Problem) -> GateError {
    GateError::Setting { at, problem }
}

/// One key of a section as the file wrote it: its full name for messages and its value.
pub struct Field<'a> {
    pub path: &'a Path,
    /// `rules.lowestEfficiency`, `leaks.rules[2].regex`.
    pub key: String,
    pub node: &'a Node,
}

impl<'a> Field<'a> {
    pub fn at(&self) -> Setting {
        self.at_line(line(self.node))
    }

    pub fn at_line(&self, line: u64) -> Setting {
        Setting::File {
            path: self.path.to_path_buf(),
            line,
            key: self.key.clone(),
        }
    }

    /// The value as text; `empty` is the problem an empty value is.
    pub fn text(&self, empty: Problem) -> Result<&'a str, GateError> {
        match &self.node.value {
            Raw::Scalar(text) if !text.trim().is_empty() => Ok(text.trim()),
            Raw::Scalar(_) | Raw::Null => Err(invalid(self.at(), empty)),
            Raw::List(_) | Raw::Map(_) => Err(invalid(self.at(), Problem::NotScalar)),
        }
    }

    /// The items of a list.
    pub fn list(&self) -> Result<&'a [Node], GateError> {
        match &self.node.value {
            Raw::List(items) => Ok(items),
            Raw::Null => Ok(&[]),
            _ => Err(invalid(self.at(), Problem::NotList)),
        }
    }

    /// Item `i` of a list, as a field of its own (`key[i]`).
    pub fn item(&self, i: usize, node: &'a Node) -> Field<'a> {
        Field {
            path: self.path,
            key: format!("{}[{i}]", self.key),
            node,
        }
    }
}

/// A section of the file (`rules:`, `leaks:`), looked up by key in either spelling.
pub struct Section<'a> {
    pub path: &'a Path,
    pub name: String,
    pub node: Option<&'a Node>,
}

impl<'a> Section<'a> {
    /// The section `name` of `parent` (the document when `None`), which must be a mapping
    /// when present.
    pub fn of(
        path: &'a Path,
        name: &str,
        node: Option<&'a Node>,
    ) -> Result<Section<'a>, GateError> {
        match node.map(|n| &n.value) {
            None | Some(Raw::Map(_) | Raw::Null) => Ok(Section {
                path,
                name: name.to_owned(),
                node,
            }),
            Some(_) => Err(invalid(
                Setting::File {
                    path: path.to_path_buf(),
                    line: node.map_or(0, line),
                    key: name.to_owned(),
                },
                Problem::NotMapping,
            )),
        }
    }

    /// The key in whichever spelling the file uses; both spellings at once is an error that
    /// names the later one.
    pub fn get(&self, camel: &str, kebab: &str) -> Result<Option<Field<'a>>, GateError> {
        let Some(node) = self.node else {
            return Ok(None);
        };
        let field = |key: &str, node| Field {
            path: self.path,
            key: format!("{}.{key}", self.name),
            node,
        };
        let kebab_value = if kebab == camel {
            None
        } else {
            node.value.get(kebab)
        };
        match (node.value.get(camel), kebab_value) {
            (None, None) => Ok(None),
            (Some(v), None) => Ok(Some(field(camel, v))),
            (None, Some(v)) => Ok(Some(field(kebab, v))),
            (Some(a), Some(b)) => {
                let (first, later) = if line(b) < line(a) {
                    (field(kebab, b), field(camel, a))
                } else {
                    (field(camel, a), field(kebab, b))
                };
                Err(invalid(
                    later.at(),
                    Problem::GivenTwice {
                        first_key: first.key.clone(),
                        first_line: line(first.node),
                    },
                ))
            }
        }
    }
}
