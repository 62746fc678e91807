//! Making names and commands from an image safe to put on a terminal: a hostile tar can name a
//! file with escape sequences that would otherwise repaint or retitle the user's terminal.

/// Characters that must never reach the terminal: C0/C1 controls and the bidirectional
/// overrides that can make a name read differently from what it is.
fn is_unsafe(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// A name with every unsafe character removed.
pub fn clean(s: &str) -> String {
    s.chars().filter(|&c| !is_unsafe(c)).collect()
}

/// A command on one line: newlines become dive's `↵`, tabs a space, other controls vanish.
pub fn one_line(s: &str) -> String {
    s.chars()
        .filter_map(|c| match c {
            '\n' => Some('↵'),
            '\t' => Some(' '),
            c if is_unsafe(c) => None,
            c => Some(c),
        })
        .collect()
}

/// A command kept on several lines (for wrapping), every other control removed.
pub fn multi_line(s: &str) -> String {
    s.chars()
        .filter_map(|c| match c {
            '\n' => Some('\n'),
            '\t' => Some(' '),
            c if is_unsafe(c) => None,
            c => Some(c),
        })
        .collect()
}

/// A line of file content shown in the viewer: controls in caret notation (`^[`), so the
/// reader sees that they are there without the terminal acting on them.
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removes_escapes() {
        assert_eq!(clean("a\u{1b}[2Jb\u{202e}c"), "a[2Jbc");
        assert_eq!(one_line("RUN a &&\n\tb\r"), "RUN a &&↵ b");
        assert_eq!(visible("x\u{1b}y\u{7f}"), "x^[y^?");
    }
}
