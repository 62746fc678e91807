//! GitHub Actions workflow commands: a failed rule becomes an `::error` annotation on the run.

use std::fmt::Write as _;

use layerscope_report::{Report, Status};

/// One `::error title=…::…` line per failed rule.
pub fn annotations(report: &Report) -> String {
    let mut out = String::new();
    let Some(gate) = &report.gate else {
        return out;
    };
    for rule in gate.rules.iter().filter(|r| r.status == Status::Fail) {
        let title = format!("layerscope {}: {}", rule.rule, report.image.name);
        let message = rule.message.as_deref().unwrap_or_default();
        let _ = writeln!(out, "::error title={}::{}", property(&title), data(message));
    }
    out
}

/// A command's message: `%`, CR and LF escaped, so a hostile name cannot end it early or issue
/// another command.
fn data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A command's property value: also `:` and `,`, which end a property.
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_as_the_workflow_commands_require() {
        assert_eq!(data("50%\nnext::x"), "50%25%0Anext::x");
        assert_eq!(property("a: b, c"), "a%3A b%2C c");
    }
}
