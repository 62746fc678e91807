//! Text from the engine, the environment or the user, made safe for a one-line message.

/// Longest piece of an engine's own message (or podman's stderr) quoted in an error.
const MAX_QUOTED: usize = 200;

/// Escapes control characters so that what an engine or a user wrote cannot break the line or
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

/// A message from elsewhere, trimmed, as `cut` shows it.
pub(crate) fn quoted(s: &str) -> String {
    cut(s.trim())
}

/// `one_line`, cut to a length that keeps an error message readable; what the user typed is
/// shown untrimmed, spaces and all.
pub(crate) fn cut(s: &str) -> String {
    let line = one_line(s);
    match line.char_indices().nth(MAX_QUOTED) {
        Some((cut, _)) => format!("{}…", &line[..cut]),
        None => line,
    }
}

/// The last line that says something, which is where podman and Go programs put their error.
pub(crate) fn last_line(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    text.lines()
        .rev()
        .find(|line| !line.trim().is_empty())
        .map(quoted)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_escaped_and_long_text_cut() {
        assert_eq!(one_line("a\nb\x1b[2J"), "a\\nb\\u{1b}[2J");
        let long = "x".repeat(300);
        assert_eq!(quoted(&long).chars().count(), MAX_QUOTED + 1);
        assert!(quoted(&long).ends_with('…'));
    }

    #[test]
    fn last_line_skips_trailing_blank_lines() {
        assert_eq!(
            last_line(b"warning\nError: no such image\n\n"),
            "Error: no such image"
        );
        assert_eq!(last_line(b""), "");
    }
}
