//! Text from the engine, the environment or the user, made safe for a one-line message.

use layerscope_format::text::{printable, truncate};

/// Longest piece of an engine's own message (or podman's stderr) quoted in an error.
const MAX_QUOTED: usize = 200;

/// Escapes what could break the line or act on the terminal (controls, bidirectional
/// overrides), as every view of an image's names does.
pub(crate) fn one_line(s: &str) -> String {
    printable(s).into_owned()
}

/// A message from elsewhere, trimmed, as `cut` shows it.
pub(crate) fn quoted(s: &str) -> String {
    cut(s.trim())
}

/// `one_line`, cut to a length that keeps an error message readable; what the user typed is
/// shown untrimmed, spaces and all.
pub(crate) fn cut(s: &str) -> String {
    truncate(&printable(s), MAX_QUOTED + 1).into_owned()
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
