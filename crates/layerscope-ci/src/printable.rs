//! Names from an image made safe to print.

use std::borrow::Cow;

/// A name with its control characters escaped (`\n`, `\u{1b}`) and bidirectional overrides
/// escaped too: printed raw, a newline in a file name could forge a `Result:PASS` line for the
/// scripts that read a report, an escape sequence could drive the terminal, and an override
/// could make a path read as another. Ordinary names pass through untouched.
pub fn printable(text: &str) -> Cow<'_, str> {
    if !text.chars().any(unsafe_char) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| {
                if unsafe_char(c) {
                    c.escape_default().to_string()
                } else {
                    c.to_string()
                }
            })
            .collect(),
    )
}

fn unsafe_char(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::printable;

    #[test]
    fn escapes_what_could_forge_lines_or_drive_the_terminal() {
        assert_eq!(printable("/etc/passwd"), "/etc/passwd");
        assert_eq!(printable("a\nResult:PASS"), "a\\nResult:PASS");
        assert_eq!(printable("x\u{1b}[2J"), "x\\u{1b}[2J");
        assert_eq!(printable("evil\u{202e}txt.exe"), "evil\\u{202e}txt.exe");
    }
}
