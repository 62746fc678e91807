//! The report as SARIF 2.1.0, the format code-scanning services read: one run, every rule the
//! gate and the leak analysis know as `tool.driver.rules`, and a result for each failed rule,
//! each secret and each hygiene finding. A result's location is the path inside the image,
//! relative to the image's root (`%IMAGE_ROOT%`); its message names the layer and command that
//! shipped it. Secret values are masked as everywhere else.

use layerscope_format::command;
use std::fmt::Write as _;

use layerscope_report::{
    CHECKS, HygieneFinding, RULES, Report, RuleId, RuleSet, SecretFinding, SecretPlace, Severity,
    Status,
};

use serde_json::{Value, json};

/// Where the paths of results are relative to.
const ROOT: &str = "IMAGE_ROOT";

/// The longest command a message quotes.
const COMMAND_CHARS: usize = 80;

/// The whole document.
pub fn sarif(report: &Report) -> Value {
    let mut rules = Catalogue::default();
    for rule in RuleId::ALL {
        rules.add(
            rule.as_str(),
            rule.description(),
            match rule.set() {
                RuleSet::Dive => "dive rule",
                RuleSet::Leaks => "leak rule",
                RuleSet::Baseline => "baseline rule",
            },
            "error",
        );
    }
    for rule in RULES {
        rules.add(rule.id, rule.description, "secret", level(rule.severity));
    }
    for check in CHECKS {
        rules.add(check.id, check.title, "hygiene", level(check.severity));
    }
    let mut results = Vec::new();
    if let Some(gate) = &report.gate {
        for result in gate.rules.iter().filter(|r| r.status == Status::Fail) {
            let index = rules.index(result.rule.as_str());
            results.push(json!({
                "ruleId": result.rule.as_str(),
                "ruleIndex": index,
                "level": "error",
                "message": { "text": result.message.clone().unwrap_or_default() },
                "locations": [image_location(report)],
            }));
        }
    }
    for secret in &report.leaks.secrets {
        // A rule of the user's, not in the built-in table.
        let index = rules.index_or_add(
            &secret.rule,
            &secret.description,
            "secret",
            level(secret.severity),
        );
        results.push(secret_result(report, secret, index));
    }
    for finding in &report.leaks.hygiene {
        let index = rules.index_or_add(finding.id, finding.id, "hygiene", level(finding.severity));
        results.push(hygiene_result(report, finding, index));
    }
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "layerscope",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules.rules,
            }},
            "originalUriBaseIds": { ROOT: {
                "description": { "text": format!("the root of the filesystem of {}", report.image.name) },
            }},
            "properties": {
                "image": report.image.name,
                "source": report.image.source.as_str(),
                "platform": report.image.platform,
                "configDigest": report.image.config_digest,
            },
            "results": results,
        }],
    })
}

/// The rules, each once, in the order they are added.
#[derive(Default)]
struct Catalogue {
    rules: Vec<Value>,
    ids: Vec<String>,
}

impl Catalogue {
    fn add(&mut self, id: &str, description: &str, kind: &str, level: &str) {
        self.ids.push(id.to_owned());
        self.rules.push(json!({
            "id": id,
            "shortDescription": { "text": description },
            "defaultConfiguration": { "level": level },
            "properties": { "tags": ["container-image", kind] },
        }));
    }

    fn index(&self, id: &str) -> usize {
        self.ids.iter().position(|i| i == id).unwrap_or(0)
    }

    fn index_or_add(&mut self, id: &str, description: &str, kind: &str, level: &str) -> usize {
        if !self.ids.iter().any(|i| i == id) {
            self.add(id, description, kind, level);
        }
        self.index(id)
    }
}

/// SARIF's levels for layerscope's severities.
fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low => "note",
    }
}

fn secret_result(report: &Report, secret: &SecretFinding, index: usize) -> Value {
    let mut text = format!("{} ({})", secret.description, secret.masked);
    if let Some(first) = secret.first() {
        let _ = write!(text, " in /{}", first.path.trim_start_matches('/'));
        text.push_str(&place_text(report, first));
    }
    if secret.places.len() > 1 {
        let layers: Vec<String> = secret.places[1..]
            .iter()
            .map(|p| p.layer.to_string())
            .collect();
        let _ = write!(text, "; also shipped in layers {}", layers.join(", "));
    }
    let locations: Vec<Value> = secret
        .places
        .iter()
        .map(|p| file_location(&p.path, (p.line > 0).then_some(p.line)))
        .collect();
    let fingerprint = secret
        .first()
        .map(|p| p.fingerprint.clone())
        .unwrap_or_default();
    json!({
        "ruleId": secret.rule,
        "ruleIndex": index,
        "level": level(secret.severity),
        "message": { "text": text },
        "locations": locations,
        "partialFingerprints": { "layerscope/v1": fingerprint },
    })
}

/// Who added a version and who hid it: ", added in layer 10 by `COPY …`, deleted by …".
fn place_text(report: &Report, at: &SecretPlace) -> String {
    let mut text = format!(
        ", added in layer {} by `{}`",
        at.layer,
        short(report, at.layer)
    );
    if let Some(by) = at.hidden_by {
        let _ = write!(
            text,
            ", {} by layer {} `{}` but still shipped",
            by.how.word(),
            by.layer,
            short(report, by.layer as usize)
        );
    }
    text
}

fn hygiene_result(report: &Report, finding: &HygieneFinding, index: usize) -> Value {
    let mut text = format!("{} (fix: {})", finding.message, finding.fix);
    if let Some(&layer) = finding.layers.first() {
        let _ = write!(text, "; layer {layer} `{}`", short(report, layer));
    }
    let locations: Vec<Value> = if finding.paths.is_empty() {
        vec![image_location(report)]
    } else {
        finding
            .paths
            .iter()
            .map(|p| file_location(p, None))
            .collect()
    };
    json!({
        "ruleId": finding.id,
        "ruleIndex": index,
        "level": level(finding.severity),
        "message": { "text": text },
        "locations": locations,
    })
}

fn short(report: &Report, layer: usize) -> String {
    command::short(report.command(layer).unwrap_or_default(), COMMAND_CHARS)
}

/// A path inside the image, relative to its root.
fn file_location(path: &str, line: Option<u32>) -> Value {
    let uri = uri(path.trim_start_matches('/'));
    let mut physical = json!({ "artifactLocation": { "uri": uri, "uriBaseId": ROOT } });
    if let Some(line) = line {
        physical["region"] = json!({ "startLine": line });
    }
    json!({ "physicalLocation": physical })
}

/// The image as a whole, for results about its config or its figures.
fn image_location(report: &Report) -> Value {
    json!({ "logicalLocations": [{ "name": report.image.name, "kind": "module" }] })
}

/// A relative URI reference: everything but unreserved characters and `/` percent-encoded, so
/// a hostile name stays a path and cannot become a scheme, a query or a fragment.
fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(char::from(byte));
            }
            _ => {
                let _ = write!(out, "%{byte:02X}");
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_keep_paths_paths() {
        assert_eq!(uri("etc/passwd"), "etc/passwd");
        assert_eq!(uri("a b/c?d#e:f"), "a%20b/c%3Fd%23e%3Af");
        assert_eq!(uri("x\u{1b}[2J"), "x%1B%5B2J");
    }
}
