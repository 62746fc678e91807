//! Text built line by line, with ANSI colour only when asked for.

pub const RESET: &str = "\x1b[0m";
pub const BOLD: &str = "\x1b[1m";
pub const DIM: &str = "\x1b[2m";
pub const RED: &str = "\x1b[31m";
pub const GREEN: &str = "\x1b[32m";
pub const YELLOW: &str = "\x1b[33m";
pub const BLUE: &str = "\x1b[34m";
pub const RED_BOLD: &str = "\x1b[1;31m";
pub const BOLD_INVERSE_RED: &str = "\x1b[1;7;31m";

/// The text of a report in the making.
pub struct Out {
    pub text: String,
    color: bool,
}

impl Out {
    pub fn new(color: bool) -> Self {
        Out {
            text: String::new(),
            color,
        }
    }

    pub fn line(&mut self, text: &str) {
        self.text.push_str(text);
        self.text.push('\n');
    }

    pub fn bold(&mut self, text: &str) {
        let painted = self.paint(BOLD, text);
        self.line(&painted);
    }

    /// `text` in colour `code`, or as it is without colour.
    pub fn paint(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("{code}{text}{RESET}")
        } else {
            text.to_owned()
        }
    }
}
