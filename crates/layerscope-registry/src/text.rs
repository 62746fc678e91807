//! Text from the network or the user, made safe for a one-line message.

/// Longest piece of a registry's own message quoted in an error.
const MAX_QUOTED: usize = 200;

/// Escapes control characters so that what a server or a user wrote cannot break the line or
/// move the cursor.
pub(crate) fn one_line(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// `one_line`, cut to a length that keeps an error message readable.
pub(crate) fn quoted(s: &str) -> String {
    let line = one_line(s.trim());
    match line.char_indices().nth(MAX_QUOTED) {
        Some((cut, _)) => format!("{}…", &line[..cut]),
        None => line,
    }
}
