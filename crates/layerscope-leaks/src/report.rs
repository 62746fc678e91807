//! The leak report: every analysis's findings in one struct that the text, JSON and TUI views
//! only format.

use std::collections::HashMap;

use layerscope_tree::{EntryRef, ImageTree};
use layerscope_waste::HiddenVersion;
use serde::Serialize;

use crate::hidden::{HiddenBy, HiddenFile, hidden_by, hidden_files, layer_ref, shared};
use crate::hygiene::{HygieneFinding, HygieneInput, hygiene};
use crate::rule::Severity;
use crate::secret::{SecretMatch, SecretScanner};

/// What the leak analyses found in one image.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LeakReport {
    /// Hidden versions first, then by severity, layer and path.
    pub secrets: Vec<SecretFinding>,
    /// Findings the config's allow-list dropped (allowed paths are not scanned at all).
    pub allowed_secrets: usize,
    /// Ordered by the layer that hid them.
    pub hidden_files: Vec<HiddenFile>,
    /// Σ of the hidden regular files' sizes.
    pub hidden_bytes: u64,
    pub hygiene: Vec<HygieneFinding>,
}

/// One secret in one version of one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SecretFinding {
    pub rule: String,
    pub description: String,
    pub severity: Severity,
    /// Absolute path (`/app/.env`).
    pub path: String,
    /// 1-based; 0 when the file is flagged by its name.
    pub line: u32,
    /// Never the whole value.
    pub masked: String,
    /// The layer whose tar holds this version, and its command.
    pub layer: usize,
    pub command: String,
    /// Set when a later layer hid this version: it ships, yet `docker run` cannot show it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hidden: Option<HiddenBy>,
    /// `rule:path:line`, stable across rebuilds; list it under `leaks.allowFingerprints`.
    pub fingerprint: String,
}

/// What [`LeakReport::build`] reads, all of it already computed by the one scan of the image.
#[derive(Debug, Clone, Copy)]
pub struct LeakInput<'a> {
    pub tree: &'a ImageTree,
    /// Per layer, the scan's `findings` (entry index, match), taken out before `from_scans`.
    pub secrets: &'a [Vec<(u32, SecretMatch)>],
    /// From `layerscope_waste::hidden_versions`.
    pub hidden: &'a [HiddenVersion],
    /// Layer `i`'s `created_by`.
    pub layer_commands: &'a [String],
    pub image: &'a HygieneInput,
}

impl LeakReport {
    /// Ties each match to its file, layer and hider, and runs the hidden-file and hygiene
    /// analyses. `scanner` must be the one the layers were scanned with.
    pub fn build(input: &LeakInput<'_>, scanner: &SecretScanner) -> LeakReport {
        let (secrets, allowed_secrets) = secrets(input, scanner);
        let hidden_files = hidden_files(input.tree, input.hidden, input.layer_commands);
        LeakReport {
            secrets,
            allowed_secrets,
            hidden_bytes: hidden_files.iter().map(|f| f.size).sum(),
            hidden_files,
            hygiene: hygiene(input.image, input.tree, scanner),
        }
    }

    /// The report as pretty-printed JSON.
    pub fn to_json(&self) -> Result<String, serde_json::Error> {
        serde_json::to_string_pretty(self)
    }

    /// Findings in versions a later layer hid.
    pub fn hidden_secret_count(&self) -> usize {
        self.secrets.iter().filter(|s| s.hidden.is_some()).count()
    }
}

fn secrets(input: &LeakInput<'_>, scanner: &SecretScanner) -> (Vec<SecretFinding>, usize) {
    if input.secrets.iter().all(Vec::is_empty) {
        return (Vec::new(), 0);
    }
    let hidden: HashMap<EntryRef, &HiddenVersion> =
        input.hidden.iter().map(|h| (h.version, h)).collect();
    let commands = shared(input.layer_commands);
    let mut out = Vec::new();
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
            let version = EntryRef {
                layer: layer as u32,
                index: *index,
            };
            let added = layer_ref(layer, &commands);
            out.push(SecretFinding {
                rule: rule.id.clone(),
                description: rule.description.clone(),
                severity: rule.severity,
                path,
                line: found.line,
                masked: found.masked.clone(),
                layer,
                command: added.command.to_string(),
                hidden: hidden.get(&version).map(|h| hidden_by(h, &commands)),
                fingerprint,
            });
        }
    }
    out.sort_by(|a, b| {
        (a.hidden.is_none(), a.severity, a.layer, &a.path, a.line).cmp(&(
            b.hidden.is_none(),
            b.severity,
            b.layer,
            &b.path,
            b.line,
        ))
    });
    (out, allowed)
}
