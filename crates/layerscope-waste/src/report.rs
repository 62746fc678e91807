//! The figures the waste analysis produces. They are part of the one report that every view
//! formats, so they serialise as the JSON report writes them.

use layerscope_tree::{EntryKind, EntryRef, Hide, TreePath};
use schemars::JsonSchema;
use serde::Serialize;

/// dive's numbers, kept bit-compatible so that existing `.dive-ci` thresholds keep their meaning.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct DiveFigures {
    /// Σ smallest size seen per path / Σ every size seen per path; 1.0 for an empty image.
    /// Always within 0..=1.
    pub efficiency: f64,
    /// Σ of every copy of every path seen in two or more layers (dive counts the survivor too,
    /// and a whited-out directory weighs what stood below it, so this can exceed `sizeBytes`).
    pub wasted_bytes: u64,
    /// `wastedBytes / userSizeBytes` as a ratio; dive's NaN (0/0) and infinity (x/0) are null.
    #[serde(serialize_with = "finite_or_null")]
    #[schemars(with = "Option<f64>")]
    pub user_wasted_percent: f64,
    /// Σ of every layer's size: the sizes its entries' headers give, where data backs them.
    pub size_bytes: u64,
    /// `sizeBytes` less the first layer's, which dive takes as the base image.
    pub user_size_bytes: u64,
    /// Paths seen in two or more layers, most bytes first.
    pub inefficient: Vec<InefficientPath>,
}

/// One row of dive's "Inefficient Files" table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct InefficientPath {
    /// Absolute path, as dive prints it (`/etc/passwd`).
    pub path: TreePath,
    /// Number of layers in which the path was a leaf of the layer's tree (whiteouts included).
    pub count: u32,
    /// Σ of the sizes of every copy.
    pub bytes: u64,
}

/// What the image ships and nobody can see: the honest waste figure, and every version behind
/// it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema, Default)]
#[serde(rename_all = "camelCase")]
pub struct Reclaimable {
    /// Σ of the sizes of every hidden version (only regular files hold bytes).
    pub bytes: u64,
    /// Every hidden version but directories, ordered by the layer that hid it, then by the
    /// layer that added it, then by path.
    pub files: Vec<HiddenFile>,
}

/// One version of one path that ships in `layer` but that the final filesystem cannot show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct HiddenFile {
    /// Absolute path, as dive prints it.
    pub path: TreePath,
    /// Never a directory (its files are listed) nor a whiteout marker.
    pub kind: EntryKind,
    /// Bytes this version ships; 0 for all but regular files.
    pub size: u64,
    /// Permission bits from the tar header (`0o600` is 384).
    pub mode: u32,
    /// The target, for a symbolic or hard link.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub link: Option<Box<str>>,
    /// The layer whose tar holds this version.
    pub layer: u32,
    pub hidden_by: HiddenBy,
    /// The version in the trees, for views that look it up there.
    #[serde(skip)]
    pub version: EntryRef,
}

// The reclaimable list is the largest part of a report at a million versions.
const _: () = assert!(size_of::<HiddenFile>() == 72);
const _: () = assert!(size_of::<InefficientPath>() == 32);

/// The layer that made a version invisible, and how.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct HiddenBy {
    /// May equal the version's own layer: a later entry of the same tar replaced it.
    pub layer: u32,
    pub how: Hide,
}

// JSON has no NaN or infinity; null keeps the document valid and says "no figure".
#[allow(
    clippy::trivially_copy_pass_by_ref,
    reason = "serde's serialize_with passes a reference"
)]
fn finite_or_null<S: serde::Serializer>(v: &f64, s: S) -> Result<S::Ok, S::Error> {
    if v.is_finite() {
        s.serialize_f64(*v)
    } else {
        s.serialize_none()
    }
}
