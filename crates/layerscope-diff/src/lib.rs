//! What changed between two container images: the layers they share and where they diverge,
//! every path of the final filesystems added, removed or modified (content, size, mode, owner,
//! link target), the growth rolled up by directory, and the figures and findings that moved.
//!
//! ```text
//! let old = (layerscope_report::open(old_path, &options, Some(&scanner))?, …);
//! let diff = layerscope_diff::diff(Compared { tree: &old_opened.tree, report: &old_report },
//!                                  Compared { tree: &new_opened.tree, report: &new_report });
//! ```

mod files;
mod merged;
mod types;

use std::collections::HashMap;

use layerscope_report::Report;
use layerscope_tree::ImageTree;

pub use merged::Merged;

pub use types::{
    Aspect, Change, DIFF_SCHEMA_VERSION, Delta, DiffReport, DirectoryGrowth, Figures, FileChange,
    FindingChanges, Layer, LayerDiff, Placed, Side, Summary, Version,
};

/// One side of a comparison: the image read into trees, and its report.
#[derive(Debug, Clone, Copy)]
pub struct Compared<'a> {
    pub tree: &'a ImageTree,
    pub report: &'a Report,
}

/// Compares OLD with NEW.
pub fn diff(old: Compared<'_>, new: Compared<'_>) -> DiffReport {
    let found = files::compare(
        &files::Filesystem::of(old.tree),
        &files::Filesystem::of(new.tree),
    );
    let (a, b) = (old.report, new.report);
    let mut notes = Vec::new();
    if a.image.platform != b.image.platform {
        notes.push(format!(
            "the images are of different platforms ({} and {}): compared all the same",
            a.image.platform, b.image.platform
        ));
    }
    DiffReport {
        schema_version: DIFF_SCHEMA_VERSION,
        old: side(a),
        new: side(b),
        notes,
        layers: layers(a, b),
        summary: found.summary,
        files: found.files,
        directories: found.directories,
        figures: Figures {
            size_bytes: Delta {
                old: a.dive.size_bytes,
                new: b.dive.size_bytes,
            },
            efficiency: Delta {
                old: a.dive.efficiency,
                new: b.dive.efficiency,
            },
            wasted_bytes: Delta {
                old: a.dive.wasted_bytes,
                new: b.dive.wasted_bytes,
            },
            user_wasted_percent: Delta {
                old: a.dive.user_wasted_percent,
                new: b.dive.user_wasted_percent,
            },
            reclaimable_bytes: Delta {
                old: a.reclaimable.bytes,
                new: b.reclaimable.bytes,
            },
        },
        findings: findings(a, b),
    }
}

impl DiffReport {
    /// The command of layer `index` of OLD (`old == true`) or NEW.
    pub fn command(&self, old: bool, index: usize) -> Option<&str> {
        let side = if old { &self.old } else { &self.new };
        side.layers.get(index)?.command.as_deref()
    }

    /// True when nothing about the images' contents differs.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty() && self.layers.old_only.is_empty() && self.layers.new_only.is_empty()
    }
}

fn side(report: &Report) -> Side {
    let image = &report.image;
    Side {
        name: image.name.clone(),
        source: image.source.as_str().to_owned(),
        platform: image.platform.clone(),
        config_digest: image.config_digest.clone(),
        layers: image
            .layers
            .iter()
            .map(|l| Layer {
                index: l.index,
                digest: l.digest.clone(),
                size_bytes: l.size_bytes,
                command: l.command.clone(),
            })
            .collect(),
    }
}

/// The common base (same layer at the same place, from the bottom), then each side's own,
/// noting a layer the other side has elsewhere (reordered steps).
fn layers(a: &Report, b: &Report) -> LayerDiff {
    let (old, new) = (&a.image.layers, &b.image.layers);
    let shared = old
        .iter()
        .zip(new)
        .take_while(|(x, y)| x.digest == y.digest)
        .count();
    let positions = |layers: &[layerscope_report::LayerSummary]| -> HashMap<String, usize> {
        let mut at = HashMap::new();
        for l in layers {
            at.entry(l.digest.clone()).or_insert(l.index);
        }
        at
    };
    let (in_old, in_new) = (positions(old), positions(new));
    let placed = |layers: &[layerscope_report::LayerSummary], other: &HashMap<String, usize>| {
        layers[shared..]
            .iter()
            .map(|l| Placed {
                index: l.index,
                in_other: other.get(&l.digest).copied(),
            })
            .collect()
    };
    LayerDiff {
        shared,
        old_only: placed(old, &in_new),
        new_only: placed(new, &in_old),
    }
}

/// Secrets are the same secret when rule and masked value agree, wherever they ship; hygiene
/// findings when check and message agree.
fn findings(a: &Report, b: &Report) -> FindingChanges {
    let secret_key = |s: &layerscope_report::SecretFinding| (s.rule.clone(), s.masked.clone());
    let hygiene_key = |h: &layerscope_report::HygieneFinding| (h.id, h.message.clone());
    let (old_secrets, new_secrets): (Vec<_>, Vec<_>) = (
        a.leaks.secrets.iter().map(secret_key).collect(),
        b.leaks.secrets.iter().map(secret_key).collect(),
    );
    let (old_hygiene, new_hygiene): (Vec<_>, Vec<_>) = (
        a.leaks.hygiene.iter().map(hygiene_key).collect(),
        b.leaks.hygiene.iter().map(hygiene_key).collect(),
    );
    FindingChanges {
        new_secrets: b
            .leaks
            .secrets
            .iter()
            .filter(|s| !old_secrets.contains(&secret_key(s)))
            .cloned()
            .collect(),
        gone_secrets: a
            .leaks
            .secrets
            .iter()
            .filter(|s| !new_secrets.contains(&secret_key(s)))
            .cloned()
            .collect(),
        new_hygiene: b
            .leaks
            .hygiene
            .iter()
            .filter(|h| !old_hygiene.contains(&hygiene_key(h)))
            .cloned()
            .collect(),
        gone_hygiene: a
            .leaks
            .hygiene
            .iter()
            .filter(|h| !new_hygiene.contains(&hygiene_key(h)))
            .cloned()
            .collect(),
    }
}

/// The JSON Schema (draft 2020-12) of the serialised [`DiffReport`].
pub fn json_schema() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(DiffReport)).unwrap_or_default()
}
