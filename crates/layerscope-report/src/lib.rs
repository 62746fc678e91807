//! The one report of an image. The image is read into trees once ([`open`]), the analyses
//! fill the report ([`Report::build`]), the gate adds its
//! verdict ([`Report::gate`]), and every view (dive's CI text, the leak text, the explorer, the
//! JSON) only formats it. Its derived serialisation is the JSON report; [`json_schema`] is that
//! document's schema, generated from these types.
//!
//! Everything in it is as the image says it, with one exception: each secret value a finding
//! found is masked in every command, so no view can print it. Names are raw otherwise; each view
//! makes them safe to print at the moment it prints them.

mod build;
mod gate;
mod image;
mod open;

use schemars::JsonSchema;
use serde::Serialize;

pub use gate::{GateReport, Measure, RuleId, RuleResult, RuleSet, Status};
pub use image::{ImageSummary, LayerSummary, Source};
pub use layerscope_leaks::{
    CHECKS, Check, HygieneFinding, LeakReport, RULES, Rule, SecretFinding, SecretPlace, Severity,
};
pub use layerscope_tree::{EntryKind, TreePath};
pub use layerscope_waste::{DiveFigures, HiddenBy, HiddenFile, Hide, InefficientPath, Reclaimable};
pub use open::{OpenError, Opened, open, open_input};

/// The version of the JSON document's shape; it changes when a field changes meaning or
/// disappears.
pub const SCHEMA_VERSION: u32 = 2;

/// Everything layerscope knows of one image.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    /// The version of this document's shape; it changes when a field changes meaning or
    /// disappears.
    pub schema_version: u32,
    pub image: ImageSummary,
    /// dive 0.13.1's figures, computed as dive computes them.
    pub dive: DiveFigures,
    /// What ships but the final filesystem cannot show.
    pub reclaimable: Reclaimable,
    /// Secrets in any layer, and image-config hygiene.
    pub leaks: LeakReport,
    /// The rules and their results, when a gate ran.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gate: Option<GateReport>,
}

impl Report {
    /// Whether the gate let the image through: true when no gate ran or no rule failed.
    pub fn passed(&self) -> bool {
        self.gate.as_ref().is_none_or(|g| g.passed)
    }

    /// The command of layer `index`, as the report shows it (secrets masked).
    pub fn command(&self, index: usize) -> Option<&str> {
        self.image.layers.get(index)?.command.as_deref()
    }
}

/// The JSON Schema (draft 2020-12) of the serialised [`Report`].
pub fn json_schema() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(Report)).unwrap_or_default()
}
