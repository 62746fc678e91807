//! What the image history gives away: build arguments and ENV values recorded with every later
//! step, secrets typed into a `RUN` line, remote `ADD`s without a checksum. One finding per
//! value, naming every history entry and layer it is recorded in: `BuildKit` repeats a build
//! argument in front of each `RUN` after it, and eight findings for one token say nothing more.

use layerscope_format::command;

use crate::hygiene::{
    BUILD_SECRET, Check, HygieneFinding, HygieneInput, REMOTE_ADD, finding, secret_value, unquoted,
};
use crate::redaction::Redactions;
use crate::secret::SecretScanner;

/// Finds, groups and adds the history's findings to `out`; every secret value goes to
/// `redactions`.
pub(crate) fn check(
    input: &HygieneInput,
    scanner: &SecretScanner,
    redactions: &mut Redactions,
    out: &mut Vec<HygieneFinding>,
) {
    let mut groups: Vec<Group> = Vec::new();
    let mut layer = 0;
    for (index, step) in input.history.iter().enumerate() {
        let place = Place {
            entry: index,
            layer: (!step.empty_layer).then_some(layer),
        };
        if !step.empty_layer {
            layer += 1;
        }
        let created_by = step.created_by.as_str();
        let mut values: Vec<&str> = Vec::new();
        for (what, key, value) in assignments(created_by) {
            // A config ENV was already reported with its value; the history adds nothing.
            if what == "ENV"
                && input
                    .env
                    .iter()
                    .any(|e| e.split_once('=') == Some((key, value)))
            {
                continue;
            }
            if let Some((severity, shown)) = secret_value(key, value, scanner) {
                let value = unquoted(value);
                redactions.add(value.as_bytes());
                values.push(value);
                let text = format!("{what} {key} = {shown}");
                add(&mut groups, BUILD_SECRET, severity, text, place);
            }
        }
        // A token typed into a command: `curl -H "Authorization: token ghp_…"`.
        for found in scanner.scan("", created_by.as_bytes()) {
            let (Some(rule), Ok(value)) =
                (scanner.rule(found.rule), std::str::from_utf8(&found.value))
            else {
                continue;
            };
            if value.is_empty() || values.contains(&value) {
                continue;
            }
            redactions.add(value.as_bytes());
            let text = format!(
                "the command holds a {} ({})",
                rule.description, found.masked
            );
            add(&mut groups, BUILD_SECRET, rule.severity, text, place);
        }
        if let Some(url) = remote_add(created_by) {
            let text = format!("ADD {url} without a checksum");
            add(&mut groups, REMOTE_ADD, REMOTE_ADD.severity, text, place);
        }
    }
    out.extend(groups.into_iter().map(Group::finding));
}

#[derive(Clone, Copy)]
struct Place {
    entry: usize,
    layer: Option<usize>,
}

/// One finding in the making: the same text from the same check, at every place it recurs.
struct Group {
    check: Check,
    severity: crate::rule::Severity,
    text: String,
    places: Vec<Place>,
}

fn add(
    groups: &mut Vec<Group>,
    check: Check,
    severity: crate::rule::Severity,
    text: String,
    place: Place,
) {
    match groups
        .iter_mut()
        .find(|g| g.check.id == check.id && g.text == text)
    {
        Some(group) => group.places.push(place),
        None => groups.push(Group {
            check,
            severity,
            text,
            places: vec![place],
        }),
    }
}

impl Group {
    fn finding(self) -> HygieneFinding {
        let history: Vec<usize> = self.places.iter().map(|p| p.entry).collect();
        let noun = if history.len() == 1 {
            "history entry"
        } else {
            "history entries"
        };
        let message = format!("{noun} {}: {}", spans(&history), self.text);
        let mut found = finding(self.check, self.severity, message);
        found.layers = self.places.iter().filter_map(|p| p.layer).collect();
        found.history = history;
        found
    }
}

/// `3`, `3, 5`, `3–10, 12`: sorted numbers with runs of three or more shortened.
fn spans(numbers: &[usize]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < numbers.len() {
        let mut j = i;
        while j + 1 < numbers.len() && numbers[j + 1] == numbers[j] + 1 {
            j += 1;
        }
        if j >= i + 2 {
            parts.push(format!("{}–{}", numbers[i], numbers[j]));
        } else {
            parts.extend(numbers[i..=j].iter().map(ToString::to_string));
        }
        i = j + 1;
    }
    parts.join(", ")
}

/// `KEY=value` pairs a history line records: `ENV`/`ARG` instructions (classic `#(nop)` and
/// `BuildKit` forms) and the `|N KEY=value …` build-argument prefix of RUN lines.
fn assignments(created_by: &str) -> Vec<(&'static str, &str, &str)> {
    // Kept with its build arguments, which are what this reads.
    let line = created_by.trim();
    let line = line
        .split_once("#(nop)")
        .map_or(line, |(_, rest)| rest.trim());
    let mut out = Vec::new();
    let mut words = line.split_whitespace().peekable();
    let first = words.peek().copied().unwrap_or_default();
    if first == "ENV" || first == "ARG" {
        let what = if first == "ENV" { "ENV" } else { "ARG" };
        words.next();
        let rest: Vec<&str> = words.collect();
        match rest.first() {
            // The legacy `ENV KEY value with spaces` form.
            Some(key) if !key.contains('=') && what == "ENV" && rest.len() > 1 => {
                if let (Some(start), Some(end)) = (line.find(rest[1]), rest.last()) {
                    let end = line.rfind(end).map_or(line.len(), |i| i + end.len());
                    out.push((what, *key, &line[start..end]));
                }
            }
            _ => out.extend(
                rest.iter()
                    .filter_map(|w| w.split_once('='))
                    .map(|(k, v)| (what, k, v)),
            ),
        }
        return out;
    }
    let mut words = line.split_whitespace();
    let mut count = None;
    for word in words.by_ref().take(2) {
        if let Some(n) = word.strip_prefix('|').and_then(|n| n.parse::<usize>().ok()) {
            count = Some(n);
            break;
        }
    }
    if let Some(n) = count {
        out.extend(
            words
                .take(n)
                .filter_map(|w| w.split_once('='))
                .map(|(k, v)| ("ARG", k, v)),
        );
    }
    out
}

/// The URL an `ADD` instruction downloads without `--checksum`, if it does.
fn remote_add(created_by: &str) -> Option<&str> {
    let mut words = command::instruction(created_by).split_whitespace();
    if !words.next()?.eq_ignore_ascii_case("ADD") {
        return None;
    }
    for word in words {
        if word.starts_with("--checksum") {
            return None;
        }
        if !word.starts_with("--") {
            return (word.starts_with("https://") || word.starts_with("http://")).then_some(word);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_shorten_runs() {
        assert_eq!(spans(&[3]), "3");
        assert_eq!(spans(&[3, 4]), "3, 4");
        assert_eq!(spans(&[3, 4, 5, 6, 9, 11, 12, 13]), "3–6, 9, 11–13");
    }

    #[test]
    fn reads_every_assignment_form() {
        assert_eq!(
            assignments("/bin/sh -c #(nop)  ENV A=1 B=2"),
            [("ENV", "A", "1"), ("ENV", "B", "2")]
        );
        assert_eq!(
            assignments("ENV A hello world"),
            [("ENV", "A", "hello world")]
        );
        assert_eq!(
            assignments("|2 T=x U=y /bin/sh -c make"),
            [("ARG", "T", "x"), ("ARG", "U", "y")]
        );
        assert_eq!(
            assignments("RUN |1 T=x /bin/sh -c make"),
            [("ARG", "T", "x")]
        );
    }
}
