//! The `.dive-ci` file as a tree of values with the line each sits on. Every scalar stays text,
//! as dive's config library hands values over, so each key reads its value with the one grammar
//! of `value.rs`; a key written with no value is kept apart from a key not written at all.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::{MessageFormatter, NonFiniteFloatPolicy, Spanned, UserMessageFormatter};

use crate::error::GateError;

/// A value with the line it is on.
pub type Node = Spanned<Raw>;

/// A value as written: every scalar as text, an empty value, a list or a mapping.
#[derive(Debug)]
pub enum Raw {
    Scalar(String),
    Null,
    List(Vec<Node>),
    /// Keys in file order; the parser refuses a key given twice.
    Map(Vec<(String, Node)>),
}

impl Raw {
    /// The value of `key` in a mapping.
    pub fn get(&self, key: &str) -> Option<&Node> {
        match self {
            Raw::Map(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }
}

/// The line of a node, as editors count them.
pub fn line(node: &Node) -> u64 {
    node.referenced.line()
}

/// Parses the file. `path` only names it in the error.
pub fn parse(text: &str, path: &std::path::Path) -> Result<Option<Node>, GateError> {
    let options = serde_saphyr::options! {
        with_snippet: false,
        // YAML 1.1 words like `no` stay strings, as in the YAML library dive uses.
        strict_booleans: true,
        // `.inf` and `.nan` reach the range check and get its message.
        non_finite_float_policy: NonFiniteFloatPolicy::PassThrough,
    };
    serde_saphyr::from_str_with_options::<Option<Node>>(text, options).map_err(|error| {
        let message = UserMessageFormatter.format_message(&error);
        GateError::Yaml {
            path: path.to_path_buf(),
            line: error.location().map(|l| l.line()).filter(|&l| l > 0),
            message: message.split_whitespace().collect::<Vec<_>>().join(" "),
        }
    })
}

impl<'de> Deserialize<'de> for Raw {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(RawVisitor)
    }
}

struct RawVisitor;

// Numbers become the text Go's `strconv.FormatFloat(v, 'f', -1, 64)` gives, the conversion
// dive's config library applies before parsing, so `1e4` means 10000 bytes here as in dive.
impl<'de> Visitor<'de> for RawVisitor {
    type Value = Raw;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number, a size, true/false, `disabled`, a list or a mapping")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Raw, E> {
        Ok(Raw::Scalar(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Raw, E> {
        Ok(Raw::Scalar(v))
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Raw, E> {
        Ok(Raw::Scalar(v.to_string()))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Raw, E> {
        Ok(Raw::Scalar(v.to_string()))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Raw, E> {
        Ok(Raw::Scalar(v.to_string()))
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Raw, E> {
        Ok(Raw::Scalar(v.to_string()))
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Raw, E> {
        Ok(Raw::Scalar(v.to_string()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Raw, E> {
        Ok(Raw::Scalar(v.to_string()))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Raw, E> {
        Ok(Raw::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Raw, E> {
        Ok(Raw::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Raw, D::Error> {
        Raw::deserialize(deserializer)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Raw, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Node>()? {
            items.push(item);
        }
        Ok(Raw::List(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Raw, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<KeyText>()? {
            entries.push((key.0, map.next_value::<Node>()?));
        }
        Ok(Raw::Map(entries))
    }
}

/// A mapping key as text, whatever scalar it is (`1: x` has the key `1`).
struct KeyText(String);

impl<'de> Deserialize<'de> for KeyText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match Raw::deserialize(deserializer)? {
            Raw::Scalar(text) => Ok(KeyText(text)),
            Raw::Null => Ok(KeyText(String::new())),
            Raw::List(_) | Raw::Map(_) => Err(de::Error::custom("a key must be a single value")),
        }
    }
}
