//! Text from an untrusted image made safe for the page.
//!
//! Every path, command and message on the page comes from the archive. In HTML it goes through
//! [`text`] (element content and quoted attribute values alike), so a file named `<script>`
//! stays text; in the embedded data it goes through [`script_json`], so nothing in a string can
//! end the `<script>` element that carries it. Control and bidirectional characters are escaped
//! first, as in every other view, so a name cannot hide what it is.

use std::fmt::Write as _;

use layerscope_format::printable;
use serde::Serialize;

/// `raw` for element content or a quoted attribute: printable, with `& < > " '` as entities.
pub fn text(raw: &str) -> String {
    markup(&printable(raw))
}

/// Already printable text with the five markup characters as entities.
pub fn markup(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// `value` as JSON fit to sit inside `<script type="application/json">`: `<`, `>`, `&` and the
/// two JavaScript line terminators are written as `\uXXXX`, so no `</script>` or `<!--` can
/// appear in the text, and the JSON reads back unchanged. Those characters only ever occur
/// inside JSON strings, where the escape means the same character.
pub fn script_json<T: Serialize>(value: &T) -> String {
    // The data is plain strings and numbers: it always serialises.
    let json = serde_json::to_string(value).unwrap_or_else(|_| "null".to_owned());
    let mut out = String::with_capacity(json.len() + json.len() / 32);
    for c in json.chars() {
        match c {
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_is_text() {
        assert_eq!(
            text("\"><img src=x onerror=alert(1)>"),
            "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"
        );
        assert_eq!(text("a'b&c"), "a&#39;b&amp;c");
        assert_eq!(text("x\u{202e}y\n"), "x\\u{202e}y\\n");
    }

    #[test]
    fn nothing_in_a_string_ends_the_script_element() {
        let json = script_json(&["</script><!--", "a&b", "\u{2028}\u{2029}"]);
        assert_eq!(
            json,
            r#"["\u003c/script\u003e\u003c!--","a\u0026b","\u2028\u2029"]"#
        );
        let back: Vec<String> = serde_json::from_str(&json).unwrap_or_default();
        assert_eq!(back, ["</script><!--", "a&b", "\u{2028}\u{2029}"]);
    }
}
