//! The file viewer: a file's bytes at one layer, read on demand, shown as text when they are
//! text and as a hex dump when they are not.

use layerscope_format::text::printable;
use std::fmt::Write as _;

use layerscope_format::text;

/// At most this much of a file is read; the viewer says so when a file is longer.
pub const CAP: u64 = 1024 * 1024;

const HEX_WIDTH: usize = 16;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    Text(Vec<String>),
    Hex(Vec<u8>),
    Message(String),
}

#[derive(Debug, Clone)]
pub struct Viewer {
    pub title: String,
    pub body: Body,
    /// Set when only the first [`CAP`] bytes were read.
    pub truncated: bool,
    pub offset: usize,
    pub column: usize,
}

impl Viewer {
    pub fn message(title: String, message: String) -> Self {
        Viewer {
            title,
            body: Body::Message(message),
            truncated: false,
            offset: 0,
            column: 0,
        }
    }

    /// The viewer while the file is being read.
    pub fn reading(title: String) -> Self {
        Viewer::message(title, "reading the file… (Esc cancels)".to_owned())
    }

    pub fn open(title: String, content: Result<Vec<u8>, String>, full_size: u64) -> Self {
        let body = match content {
            Err(e) => Body::Message(format!(
                "cannot read the file: {}",
                printable(&e).into_owned()
            )),
            Ok(bytes) if looks_like_text(&bytes) => {
                let s = String::from_utf8_lossy(&bytes);
                Body::Text(
                    s.split('\n')
                        .map(|l| text::visible(l.strip_suffix('\r').unwrap_or(l)))
                        .collect(),
                )
            }
            Ok(bytes) => Body::Hex(bytes),
        };
        Viewer {
            title,
            body,
            truncated: full_size > CAP,
            offset: 0,
            column: 0,
        }
    }

    /// Several versions of one file one after the other, each under a line naming it.
    pub fn parts<'a>(
        title: String,
        parts: impl Iterator<Item = (&'a str, Result<Vec<u8>, String>, u64)>,
    ) -> Self {
        let mut lines = Vec::new();
        let mut truncated = false;
        for (label, read, size) in parts {
            let part = Viewer::open(String::new(), read, size);
            truncated |= part.truncated;
            if !lines.is_empty() {
                lines.push(String::new());
            }
            let cut = if part.truncated { ", first 1 MiB" } else { "" };
            lines.push(format!(
                "──── {label} ({}{cut}) ────",
                layerscope_format::bytes(size)
            ));
            lines.extend((0..part.line_count()).map(|i| part.line(i)));
        }
        Viewer {
            title,
            body: Body::Text(lines),
            truncated,
            offset: 0,
            column: 0,
        }
    }

    pub fn line_count(&self) -> usize {
        match &self.body {
            Body::Text(lines) => lines.len(),
            Body::Hex(bytes) => bytes.len().div_ceil(HEX_WIDTH),
            Body::Message(_) => 1,
        }
    }

    /// One line as drawn, before horizontal scrolling.
    pub fn line(&self, index: usize) -> String {
        match &self.body {
            Body::Text(lines) => lines.get(index).cloned().unwrap_or_default(),
            Body::Hex(bytes) => hex_line(bytes, index),
            Body::Message(m) => {
                if index == 0 {
                    m.clone()
                } else {
                    String::new()
                }
            }
        }
    }

    pub fn scroll(&mut self, delta: isize, height: usize) {
        let max = self.line_count().saturating_sub(height.max(1));
        self.offset = self.offset.saturating_add_signed(delta).min(max);
    }

    pub fn scroll_sideways(&mut self, delta: isize) {
        self.column = self.column.saturating_add_signed(delta).min(4096);
    }
}

/// Text when there is no NUL and the bytes are UTF-8, allowing a character cut by the cap.
fn looks_like_text(bytes: &[u8]) -> bool {
    if bytes.contains(&0) {
        return false;
    }
    match std::str::from_utf8(bytes) {
        Ok(_) => true,
        Err(e) => e.error_len().is_none() && bytes.len() - e.valid_up_to() < 4,
    }
}

fn hex_line(bytes: &[u8], index: usize) -> String {
    let start = index * HEX_WIDTH;
    let Some(chunk) = bytes.get(start..(start + HEX_WIDTH).min(bytes.len())) else {
        return String::new();
    };
    let mut out = format!("{start:08x} ");
    for i in 0..HEX_WIDTH {
        if i % 8 == 0 {
            out.push(' ');
        }
        match chunk.get(i) {
            Some(b) => {
                let _ = write!(out, "{b:02x} ");
            }
            None => out.push_str("   "),
        }
    }
    out.push(' ');
    out.push('|');
    out.extend(chunk.iter().map(|&b| {
        if b.is_ascii_graphic() || b == b' ' {
            char::from(b)
        } else {
            '.'
        }
    }));
    out.push('|');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_binary() {
        let v = Viewer::open("t".into(), Ok(b"a\r\nb\x1b[31m\n".to_vec()), 10);
        assert_eq!(
            v.body,
            Body::Text(vec!["a".into(), "b^[[31m".into(), String::new()])
        );
        let v = Viewer::open("b".into(), Ok(b"\x7fELF\x00\x01".to_vec()), 6);
        assert_eq!(
            v.line(0),
            "00000000  7f 45 4c 46 00 01                                 |.ELF..|"
        );
        let v = Viewer::open("e".into(), Err("gone".into()), 6);
        assert_eq!(v.line(0), "cannot read the file: gone");
    }
}
