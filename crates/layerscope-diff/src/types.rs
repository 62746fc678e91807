//! The diff report: what moved between two images. Its serialisation is the JSON `layerscope
//! diff --json` writes.

use layerscope_report::{EntryKind, HygieneFinding, SecretFinding};
use schemars::JsonSchema;
use serde::Serialize;

/// The version of the JSON document's shape.
pub const DIFF_SCHEMA_VERSION: u32 = 1;

/// Everything that changed from OLD to NEW.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct DiffReport {
    pub schema_version: u32,
    pub old: Side,
    pub new: Side,
    /// Things to know about the comparison (two platforms, say), one sentence each.
    pub notes: Vec<String>,
    pub layers: LayerDiff,
    pub summary: Summary,
    /// Every path added, removed or modified, most bytes moved first.
    pub files: Vec<FileChange>,
    /// Every directory whose contents changed, with the bytes its subtree grew or shrank by,
    /// most bytes moved first, as `du` would show them.
    pub directories: Vec<DirectoryGrowth>,
    pub figures: Figures,
    pub findings: FindingChanges,
}

/// One of the two images.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Side {
    pub name: String,
    pub source: String,
    pub platform: String,
    pub config_digest: String,
    /// Every layer, bottom first.
    pub layers: Vec<Layer>,
}

/// One layer of one side.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Layer {
    pub index: usize,
    /// The layer's `diff_id`.
    pub digest: String,
    pub size_bytes: u64,
    /// Whole, secret values masked; `null` when the history has none.
    pub command: Option<String>,
}

/// How the two layer stacks relate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct LayerDiff {
    /// How many layers, from the bottom, the two have in common (same `diff_id`, same place).
    pub shared: usize,
    /// OLD's layers above the shared ones, and whether NEW has the same layer elsewhere.
    pub old_only: Vec<Placed>,
    /// NEW's layers above the shared ones, and whether OLD has the same layer elsewhere.
    pub new_only: Vec<Placed>,
}

/// A layer past the shared ones.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Placed {
    pub index: usize,
    /// Where the other image has a layer with the same `diff_id` (moved, not changed).
    pub in_other: Option<usize>,
}

/// The counts and bytes of the file changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Summary {
    pub added: usize,
    pub removed: usize,
    pub modified: usize,
    /// Σ of the bytes of files added and of the growth of files modified to be larger.
    pub bytes_added: u64,
    /// Σ of the bytes of files removed and of the shrinking of files modified to be smaller.
    pub bytes_removed: u64,
    /// Bytes of the final filesystem of NEW less those of OLD.
    pub growth: i64,
}

/// How one path changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum Change {
    Added,
    Removed,
    Modified,
}

/// What about a path changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum Aspect {
    /// A file became a directory, a link a file, …
    Kind,
    Content,
    Size,
    Mode,
    Owner,
    LinkTarget,
}

/// One path added, removed or modified.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct FileChange {
    /// Absolute, as dive prints it.
    pub path: String,
    pub change: Change,
    /// Bytes NEW's version holds less OLD's.
    pub delta: i64,
    /// What changed, for a modified path.
    pub aspects: Vec<Aspect>,
    pub old: Option<Version>,
    pub new: Option<Version>,
}

/// The version of a path a side's final filesystem shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Version {
    pub kind: EntryKind,
    pub size: u64,
    pub mode: u32,
    pub uid: u32,
    pub gid: u32,
    pub link: Option<String>,
    /// The layer whose entry shows it; `null` for a directory no entry names.
    pub layer: Option<usize>,
    /// Where the entry sits in that layer's tar, to read it again.
    #[serde(skip)]
    #[schemars(skip)]
    pub entry: Option<u32>,
}

/// A directory whose subtree changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct DirectoryGrowth {
    pub path: String,
    /// Bytes the subtree grew by (negative: shrank).
    pub growth: i64,
    /// Paths added, removed and modified in the subtree.
    pub changes: usize,
}

/// A figure of each side.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Delta<T> {
    pub old: T,
    pub new: T,
}

/// The image's figures on each side.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Figures {
    /// dive's size: Σ of every layer's size.
    pub size_bytes: Delta<u64>,
    #[schemars(with = "Delta<Option<f64>>")]
    #[serde(serialize_with = "finite")]
    pub efficiency: Delta<f64>,
    pub wasted_bytes: Delta<u64>,
    #[schemars(with = "Delta<Option<f64>>")]
    #[serde(serialize_with = "finite")]
    pub user_wasted_percent: Delta<f64>,
    pub reclaimable_bytes: Delta<u64>,
}

/// Findings one side has and the other does not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct FindingChanges {
    pub new_secrets: Vec<SecretFinding>,
    pub gone_secrets: Vec<SecretFinding>,
    pub new_hygiene: Vec<HygieneFinding>,
    pub gone_hygiene: Vec<HygieneFinding>,
}

// JSON has no NaN or infinity; null says "no figure".
#[allow(
    clippy::trivially_copy_pass_by_ref,
    reason = "serde's serialize_with passes a reference"
)]
fn finite<S: serde::Serializer>(delta: &Delta<f64>, s: S) -> Result<S::Ok, S::Error> {
    let keep = |v: f64| v.is_finite().then_some(v);
    Delta {
        old: keep(delta.old),
        new: keep(delta.new),
    }
    .serialize(s)
}
