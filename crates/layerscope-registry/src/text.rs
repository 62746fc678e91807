//! Text from the network or the user, made safe for a one-line message.

use layerscope_format::text::{printable, truncate};

/// Longest piece of a registry's own message quoted in an error.
const MAX_QUOTED: usize = 200;

/// Escapes what could break the line or act on the terminal (controls, bidirectional
/// overrides), as every view of an image's names does.
pub(crate) fn one_line(s: &str) -> String {
    printable(s).into_owned()
}

/// `one_line`, trimmed and cut to a length that keeps an error message readable.
pub(crate) fn quoted(s: &str) -> String {
    truncate(&printable(s.trim()), MAX_QUOTED + 1).into_owned()
}
