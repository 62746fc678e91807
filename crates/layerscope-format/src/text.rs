//! Names, commands and file contents from an image made safe to print.
//!
//! Everything an image names comes from an untrusted archive. Printed raw, a newline in a file
//! name could forge a `Result:PASS` line for the scripts that read a report, an escape sequence
//! could drive the terminal, and a bidirectional override could make a path read as another.
//! Every view passes what it prints through one of these functions, at the moment it prints.

use std::borrow::Cow;

/// Characters that must never reach a report or a terminal as themselves: C0 and C1 controls
/// and the bidirectional overrides and isolates.
pub fn is_unsafe(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// A name with each unsafe character escaped (`\n`, `\u{1b}`), so the reader sees that it is
/// there without the terminal acting on it. Ordinary names pass through untouched.
pub fn printable(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        push_escaped(&mut out, c);
    }
    Cow::Owned(out)
}

/// A command on one line: line breaks become `↵` (as dive shows them), tabs a space, and every
/// other unsafe character is escaped.
pub fn one_line(text: &str) -> String {
    lines_as(text, Some('↵'))
}

/// A command kept on its own lines, for a view that wraps it: line breaks stay, tabs become a
/// space, every other unsafe character is escaped.
pub fn multi_line(text: &str) -> String {
    lines_as(text, None)
}

fn lines_as(text: &str, newline: Option<char>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            // A Windows line end is one break, not a break and a stray `\r`.
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' => out.push(newline.unwrap_or('\n')),
            '\t' => out.push(' '),
            c => push_escaped(&mut out, c),
        }
    }
    out
}

/// A line of a file's content as a viewer shows it: tabs expanded, controls in caret notation
/// (`^[`, `^?`), and the bidirectional characters replaced, so nothing acts on the terminal.
pub fn visible(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    for c in line.chars() {
        match c {
            '\t' => out.push_str("    "),
            c if (c as u32) < 0x20 => {
                out.push('^');
                out.push(char::from(b'@' + c as u8));
            }
            '\u{7f}' => out.push_str("^?"),
            c if is_unsafe(c) => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// Cuts `text` to at most `max` characters, the last of them `…` when anything was cut.
pub fn truncate(text: &str, max: usize) -> Cow<'_, str> {
    if text.chars().count() <= max {
        return Cow::Borrowed(text);
    }
    let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    Cow::Owned(out)
}

fn push_escaped(out: &mut String, c: char) {
    if is_unsafe(c) {
        out.extend(c.escape_default());
    } else {
        out.push(c);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_what_could_forge_lines_or_drive_the_terminal() {
        assert_eq!(printable("/etc/passwd"), "/etc/passwd");
        assert!(matches!(printable("/etc/passwd"), Cow::Borrowed(_)));
        assert_eq!(printable("a\nResult:PASS"), "a\\nResult:PASS");
        assert_eq!(printable("x\u{1b}[2J"), "x\\u{1b}[2J");
        assert_eq!(printable("evil\u{202e}txt.exe"), "evil\\u{202e}txt.exe");
    }

    #[test]
    fn commands_keep_their_line_breaks_visible() {
        assert_eq!(one_line("RUN a &&\n\tb\r\n"), "RUN a &&↵ b↵");
        assert_eq!(one_line("a\n\u{1b}[2J"), "a↵\\u{1b}[2J");
        assert_eq!(multi_line("a \\\n  b\u{1b}"), "a \\\n  b\\u{1b}");
    }

    #[test]
    fn content_shows_controls_in_caret_notation() {
        assert_eq!(visible("x\u{1b}y\u{7f}\tz"), "x^[y^?    z");
        assert_eq!(visible("a\u{202e}b"), "a\u{fffd}b");
    }

    #[test]
    fn truncates_by_characters() {
        assert_eq!(truncate("abcdef", 6), "abcdef");
        assert_eq!(truncate("abcdefg", 6), "abcde…");
        assert_eq!(truncate("ééééééé", 3), "éé…");
    }
}
