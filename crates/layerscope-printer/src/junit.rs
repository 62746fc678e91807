//! The gate's rules as `JUnit` XML, the test report CI servers list: a test suite per rule set
//! (dive's rules, the leak rules), a test case per rule, a failure with the rule's message.

use std::fmt::Write as _;

use layerscope_report::{Report, RuleResult, RuleSet, Status};

/// The whole document; a report without a gate has no rules to list.
pub fn junit(report: &Report) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let rules = report
        .gate
        .as_ref()
        .map(|g| g.rules.as_slice())
        .unwrap_or_default();
    let count = |rules: &[&RuleResult], status| rules.iter().filter(|r| r.status == status).count();
    let all: Vec<&RuleResult> = rules.iter().collect();
    let _ = writeln!(
        out,
        "<testsuites name=\"layerscope {}\" tests=\"{}\" failures=\"{}\" skipped=\"{}\" errors=\"0\">",
        escape(&report.image.name),
        all.len(),
        count(&all, Status::Fail),
        count(&all, Status::Skip),
    );
    for set in [RuleSet::Dive, RuleSet::Leaks, RuleSet::Baseline] {
        let suite = set.as_str();
        let cases: Vec<&RuleResult> = rules.iter().filter(|r| r.rule.set() == set).collect();
        if cases.is_empty() {
            continue;
        }
        let _ = writeln!(
            out,
            "  <testsuite name=\"{suite}\" tests=\"{}\" failures=\"{}\" skipped=\"{}\" errors=\"0\">",
            cases.len(),
            count(&cases, Status::Fail),
            count(&cases, Status::Skip),
        );
        for case in cases {
            let name = case.rule.as_str();
            let head = format!("    <testcase classname=\"layerscope.{suite}\" name=\"{name}\"");
            let message = escape(case.message.as_deref().unwrap_or_default());
            match case.status {
                Status::Pass => {
                    let _ = writeln!(out, "{head}/>");
                }
                Status::Skip => {
                    let _ = writeln!(
                        out,
                        "{head}>\n      <skipped message=\"{message}\"/>\n    </testcase>"
                    );
                }
                Status::Fail => {
                    let _ = writeln!(
                        out,
                        "{head}>\n      <failure message=\"{message}\" type=\"{name}\">{message}</failure>\n    </testcase>"
                    );
                }
            }
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

/// Text fit for XML content and attributes. Characters XML 1.0 cannot hold at all (most
/// controls) are written as `\u{…}`, the way the text reports show them.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => {
                let _ = write!(out, "&#{};", u32::from(c));
            }
            c if c.is_control() || layerscope_format::text::is_unsafe(c) => {
                out.extend(c.escape_default());
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn escapes_markup_and_what_xml_cannot_hold() {
        assert_eq!(escape("a<b & \"c\">"), "a&lt;b &amp; &quot;c&quot;&gt;");
        assert_eq!(escape("x\u{1b}y\nz"), "x\\u{1b}y&#10;z");
    }
}
