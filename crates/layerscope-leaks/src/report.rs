//! The leak analysis's findings: secrets (one per secret, with every place it ships) and
//! image-config hygiene. Hidden files are the waste analysis's `Reclaimable`.

use std::collections::HashMap;

use layerscope_tree::{EntryRef, ImageTree};
use layerscope_waste::{HiddenBy, HiddenVersion};
use schemars::JsonSchema;
use serde::Serialize;

use crate::hygiene::{HygieneFinding, HygieneInput, hygiene};
use crate::redaction::Redactions;
use crate::rule::Severity;
use crate::secret::{SecretMatch, SecretScanner};

/// What the leak analyses found in one image.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct LeakReport {
    /// Secrets in hidden versions first, then by severity, layer and path.
    pub secrets: Vec<SecretFinding>,
    /// Places the config's allow-list dropped (allowed paths are not scanned at all).
    pub allowed_secrets: usize,
    pub hygiene: Vec<HygieneFinding>,
}

/// One secret, wherever it ships: the same value in a file's later copies (a `chmod`, a
/// rewrite) is the same secret, listed once with each place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SecretFinding {
    pub rule: String,
    pub description: String,
    pub severity: Severity,
    /// Never the whole value.
    pub masked: String,
    /// Every version of every file that holds it, in layer order.
    pub places: Vec<SecretPlace>,
}

/// One version of one file that holds a secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SecretPlace {
    /// Absolute path (`/app/.env`).
    pub path: String,
    /// 1-based; 0 when the file is flagged by its name.
    pub line: u32,
    /// The layer whose tar holds this version.
    pub layer: usize,
    /// Set when a later layer hid this version: it ships, yet `docker run` cannot show it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hidden_by: Option<HiddenBy>,
    /// `rule:path:line`, stable across rebuilds; list it under `leaks.allowFingerprints`.
    pub fingerprint: String,
}

impl SecretFinding {
    /// Whether some place of it is a version a later layer hid.
    pub fn is_hidden(&self) -> bool {
        self.places.iter().any(|p| p.hidden_by.is_some())
    }

    /// The earliest place, which the report sorts by and a view jumps to.
    pub fn first(&self) -> Option<&SecretPlace> {
        self.places.first()
    }
}

/// What [`LeakReport::build`] reads, all of it already computed by the one scan of the image.
#[derive(Debug, Clone, Copy)]
pub struct LeakInput<'a> {
    pub tree: &'a ImageTree,
    /// Per layer, the scan's `findings` (entry index, match), taken out before the tree was built.
    pub secrets: &'a [Vec<(u32, SecretMatch)>],
    /// From `layerscope_waste::hidden_versions`.
    pub hidden: &'a [HiddenVersion],
    pub image: &'a HygieneInput,
}

impl LeakReport {
    /// Ties each match to its file, layer and hider, groups the places of each secret, and runs
    /// the hygiene checks. `scanner` must be the one the layers were scanned with. The
    /// redactions are every secret value found, for whoever prints the image's commands.
    pub fn build(input: &LeakInput<'_>, scanner: &SecretScanner) -> (LeakReport, Redactions) {
        let mut redactions = Redactions::default();
        let (secrets, allowed_secrets) = secrets(input, scanner, &mut redactions);
        let hygiene = hygiene(input.image, input.tree, scanner, &mut redactions);
        let report = LeakReport {
            secrets,
            allowed_secrets,
            hygiene,
        };
        (report, redactions)
    }

    /// Secrets with a place in a version a later layer hid.
    pub fn hidden_secret_count(&self) -> usize {
        self.secrets.iter().filter(|s| s.is_hidden()).count()
    }
}

fn secrets(
    input: &LeakInput<'_>,
    scanner: &SecretScanner,
    redactions: &mut Redactions,
) -> (Vec<SecretFinding>, usize) {
    if input.secrets.iter().all(Vec::is_empty) {
        return (Vec::new(), 0);
    }
    let hidden: HashMap<EntryRef, &HiddenVersion> =
        input.hidden.iter().map(|h| (h.version, h)).collect();
    let mut by_secret: HashMap<(u32, u64), usize> = HashMap::new();
    let mut out: Vec<SecretFinding> = Vec::new();
    let mut allowed = 0;
    for (layer, matches) in input.secrets.iter().enumerate() {
        let Some(entries) = input.tree.layers.get(layer).map(|l| &l.entries) else {
            continue;
        };
        for (index, found) in matches {
            let (Some(entry), Some(rule)) =
                (entries.get(*index as usize), scanner.rule(found.rule))
            else {
                continue;
            };
            let path = input.tree.path(entry.node);
            let fingerprint = format!("{}:{path}:{}", rule.id, found.line);
            if scanner.allows_fingerprint(&fingerprint) {
                allowed += 1;
                continue;
            }
            redactions.add(&found.value);
            let version = EntryRef {
                layer: layer as u32,
                index: *index,
            };
            let place = SecretPlace {
                path,
                line: found.line,
                layer,
                hidden_by: hidden.get(&version).map(|h| HiddenBy {
                    layer: h.hidden_by,
                    how: h.how,
                }),
                fingerprint,
            };
            let slot = *by_secret
                .entry((found.rule, found.identity))
                .or_insert_with(|| {
                    out.push(SecretFinding {
                        rule: rule.id.clone(),
                        description: rule.description.clone(),
                        severity: rule.severity,
                        masked: found.masked.clone(),
                        places: Vec::new(),
                    });
                    out.len() - 1
                });
            out[slot].places.push(place);
        }
    }
    for finding in &mut out {
        finding
            .places
            .sort_by(|a, b| (a.layer, &a.path, a.line).cmp(&(b.layer, &b.path, b.line)));
    }
    out.sort_by(|a, b| {
        let key = |s: &SecretFinding| {
            let first = s.first().map(|p| (p.layer, p.path.clone(), p.line));
            (!s.is_hidden(), s.severity, first)
        };
        key(a).cmp(&key(b))
    });
    (out, allowed)
}
