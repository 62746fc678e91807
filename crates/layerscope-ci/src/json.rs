//! The machine-readable report (`--json`). Unlike dive's export it carries the rule results,
//! and every figure a script would otherwise scrape from the text.
//!
//! Schema version 1, keys in camelCase:
//!
//! ```text
//! schemaVersion        1; bumped when a field changes meaning or disappears
//! image
//!   name               the image as the user named it
//!   source             docker-archive | docker | podman | ...
//!   sizeBytes          Σ of every layer's tar header sizes
//!   userSizeBytes      sizeBytes less the first layer (dive's "user" bytes)
//!   layers[]           bottom first
//!     index            position from the bottom, from 0
//!     digest           the layer's diff_id
//!     sizeBytes        Σ of the layer's tar header sizes
//!     command          the build step that made it
//! dive                 dive 0.13.1's figures, computed as dive computes them
//!   efficiency         0..1; null if not finite
//!   wastedBytes        Σ of every copy of every path seen in two or more layers
//!   userWastedPercent  wastedBytes / userSizeBytes as a ratio (3.28 = 328 %);
//!                      null when not finite (no user bytes)
//!   inefficient[]      dive's "Inefficient Files" rows, most bytes first
//!     path, count, bytes
//! reclaimable          bytes that ship but that the final filesystem cannot show
//!   bytes              Σ of every hidden copy
//!   paths[]            most bytes first
//!     path, bytes
//!     copies[]
//!       layer          index of the layer whose tar holds the copy
//!       command        that layer's command (null if unknown)
//!       size           bytes of this copy
//!       hiddenBy       index of the layer that hid it (may equal layer)
//!       hiddenByCommand  that layer's command (null if unknown)
//!       how            deleted | overwritten | opaqueDir
//! rules[]              present only when the rules were evaluated; sorted by name
//!   name               lowestEfficiency | highestWastedBytes | highestUserWastedPercent
//!   status             pass | fail | skip
//!   threshold          number (ratio, or bytes for highestWastedBytes); null when disabled
//!   actual             the image's figure; null when not finite
//!   message            dive's failure text, "rule disabled" for skip, null for pass
//! passed               present with rules: true when no rule failed
//! ```

use layerscope_waste::{HideKind, WasteReport};
use serde_json::{Map, Value, json};

use crate::evaluation::{Evaluation, Measure, Status};
use crate::image::ImageSummary;

/// The schema version written in every document.
pub const SCHEMA_VERSION: u32 = 1;

/// The whole report as JSON; `eval` adds `rules` and `passed`.
pub fn render_json(image: &ImageSummary, report: &WasteReport, eval: Option<&Evaluation>) -> Value {
    let dive = &report.dive;
    let layers: Vec<Value> = image
        .layers
        .iter()
        .map(|layer| {
            json!({
                "index": layer.index,
                "digest": layer.digest,
                "sizeBytes": layer.size_bytes,
                "command": layer.command,
            })
        })
        .collect();
    let inefficient: Vec<Value> = dive
        .inefficient
        .iter()
        .map(|row| json!({ "path": row.path, "count": row.count, "bytes": row.bytes }))
        .collect();
    let paths: Vec<Value> = report
        .reclaimable
        .paths
        .iter()
        .map(|path| {
            let copies: Vec<Value> = path
                .copies
                .iter()
                .map(|copy| {
                    json!({
                        "layer": copy.layer,
                        "command": image.command_of(copy.layer),
                        "size": copy.size,
                        "hiddenBy": copy.hidden_by,
                        "hiddenByCommand": image.command_of(copy.hidden_by),
                        "how": how(copy.how),
                    })
                })
                .collect();
            json!({ "path": path.path, "bytes": path.bytes, "copies": copies })
        })
        .collect();

    let mut document = Map::new();
    document.insert("schemaVersion".into(), json!(SCHEMA_VERSION));
    document.insert(
        "image".into(),
        json!({
            "name": image.name,
            "source": image.source,
            "sizeBytes": dive.size_bytes,
            "userSizeBytes": dive.user_size_bytes,
            "layers": layers,
        }),
    );
    document.insert(
        "dive".into(),
        json!({
            "efficiency": finite(dive.efficiency),
            "wastedBytes": dive.wasted_bytes,
            "userWastedPercent": finite(dive.user_wasted_percent),
            "inefficient": inefficient,
        }),
    );
    document.insert(
        "reclaimable".into(),
        json!({ "bytes": report.reclaimable.bytes, "paths": paths }),
    );
    if let Some(eval) = eval {
        let rules: Vec<Value> = eval
            .results
            .iter()
            .map(|result| {
                json!({
                    "name": result.rule.as_str(),
                    "status": status(result.status),
                    "threshold": result.threshold.map_or(Value::Null, measure),
                    "actual": measure(result.actual),
                    "message": result.message,
                })
            })
            .collect();
        document.insert("rules".into(), Value::Array(rules));
        document.insert("passed".into(), Value::Bool(eval.passed()));
    }
    Value::Object(document)
}

// JSON has no NaN or infinity; null says "no figure" and keeps the document valid.
fn finite(value: f64) -> Value {
    if value.is_finite() {
        json!(value)
    } else {
        Value::Null
    }
}

fn measure(value: Measure) -> Value {
    match value {
        Measure::Ratio(ratio) => finite(ratio),
        Measure::Bytes(bytes) => json!(bytes),
    }
}

fn status(status: Status) -> &'static str {
    match status {
        Status::Pass => "pass",
        Status::Fail => "fail",
        Status::Skip => "skip",
    }
}

// The same words the waste crate's own serialisation uses.
fn how(kind: HideKind) -> &'static str {
    match kind {
        HideKind::Deleted => "deleted",
        HideKind::Overwritten => "overwritten",
        HideKind::OpaqueDir => "opaqueDir",
    }
}
