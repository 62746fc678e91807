//! Hands an analysed image to the interactive explorer.

use std::sync::Arc;

use anyhow::{Context, Result};
use layerscope_leaks::{HygieneFinding, LeakReport, SecretFinding};
use layerscope_tui::{ContentReader, Finding, Findings, HiddenBy, ImageInfo, LayerInfo};
use layerscope_waste::{HideKind, WasteReport};

use crate::load::Opened;
use crate::output;

/// Largest slice of one file the viewer reads.
const VIEW_LIMIT: u64 = 1 << 20;

pub fn run(opened: Opened, report: &WasteReport, leaks: &LeakReport) -> Result<()> {
    let findings = findings(leaks);
    let keys = layerscope_tui::load_keymap(None).context("key bindings")?;
    let Opened {
        image, tree, name, ..
    } = opened;
    let info = ImageInfo {
        name: output::clean(&name),
        tags: image.tags.iter().map(|t| output::clean(t)).collect(),
        layers: image
            .layers
            .iter()
            .zip(&tree.layers)
            .map(|(l, layer)| LayerInfo {
                digest: l.blob.diff_id.to_string(),
                size_bytes: layer.size_bytes,
                command: output::clean(&l.created_by),
                id: layer_id(&l.blob.name, &l.blob.diff_id.hex),
            })
            .collect(),
    };
    let image = Arc::new(image);
    let content: ContentReader = Box::new(move |layer, offset, len| {
        image
            .read_at(layer, offset, len, VIEW_LIMIT)
            .map_err(|e| e.to_string())
    });
    layerscope_tui::run(info, &tree, report, content, keys, findings)?;
    Ok(())
}

/// dive's layer id: the first component of the layer's name in the archive, or the digest when
/// the name is a blob path.
fn layer_id(name: &str, hex: &str) -> String {
    match name.split_once('/') {
        Some((first, _)) if first != "blobs" => first.to_owned(),
        _ => hex.to_owned(),
    }
}

/// The leak report as the explorer's findings list shows it: secrets in the report's order
/// (hidden versions first), then hygiene.
fn findings(leaks: &LeakReport) -> Findings {
    Findings {
        secrets: leaks.secrets.iter().map(secret).collect(),
        hygiene: leaks.hygiene.iter().map(hygiene).collect(),
    }
}

fn secret(s: &SecretFinding) -> Finding {
    // Line 0 means the file's name gave it away: there is no value to show, only the rule.
    let detail = if s.line == 0 {
        format!("({})", s.description)
    } else {
        s.masked.clone()
    };
    Finding {
        severity: s.severity.as_str().to_owned(),
        rule: s.rule.clone(),
        path: Some(s.path.clone()),
        line: (s.line > 0).then_some(s.line),
        layer: Some(s.layer),
        detail,
        hidden_by: s.hidden.as_ref().map(|h| HiddenBy {
            layer: h.layer,
            how: match h.how {
                HideKind::Deleted => "deleted",
                HideKind::Overwritten => "overwritten",
                HideKind::OpaqueDir => "hidden by opaque dir",
            }
            .to_owned(),
        }),
        fix: None,
    }
}

fn hygiene(h: &HygieneFinding) -> Finding {
    Finding {
        severity: h.severity.as_str().to_owned(),
        rule: h.id.to_owned(),
        path: h.path.clone(),
        line: None,
        layer: None,
        detail: h.message.clone(),
        hidden_by: None,
        fix: Some(h.fix.to_owned()),
    }
}
