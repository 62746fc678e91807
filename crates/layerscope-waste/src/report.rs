//! The figures one analysis produces. Text, JSON and the TUI only format these.

use serde::Serialize;

/// Everything the waste analysis knows about one image.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WasteReport {
    /// The figures dive 0.13.1 prints, computed the way it computes them.
    pub dive: DiveFigures,
    /// Bytes that ship in some layer but that the final filesystem cannot show.
    pub reclaimable: Reclaimable,
}

/// dive's numbers, kept bit-compatible so that existing `.dive-ci` thresholds keep their meaning.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DiveFigures {
    /// Σ smallest size seen per path / Σ every size seen per path; 1.0 for an empty image.
    pub efficiency: f64,
    /// Σ of every copy of every path seen in two or more layers (dive counts the survivor too).
    pub wasted_bytes: u64,
    /// `wasted_bytes / user_size_bytes` as a ratio: NaN for 0/0 and infinite for x/0, as dive.
    #[serde(serialize_with = "finite_or_null")]
    pub user_wasted_percent: f64,
    /// Σ of every layer's tar header sizes.
    pub size_bytes: u64,
    /// `size_bytes` less the first layer's, which dive takes as the base image.
    pub user_size_bytes: u64,
    /// Paths seen in two or more layers, most bytes first.
    pub inefficient: Vec<InefficientPath>,
}

/// One row of dive's "Inefficient Files" table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct InefficientPath {
    /// Absolute path, as dive prints it (`/etc/passwd`).
    pub path: String,
    /// Number of layers in which the path was a leaf of the layer's tree (whiteouts included).
    pub count: u32,
    /// Σ of the sizes of every copy.
    pub bytes: u64,
}

/// What the image ships and nobody can see: the honest waste figure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct Reclaimable {
    /// Σ of the sizes of every hidden copy.
    pub bytes: u64,
    /// Per path, most bytes first.
    pub paths: Vec<HiddenPath>,
}

/// A path with one or more copies that ship but are not visible at the top of the image.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HiddenPath {
    pub path: String,
    pub bytes: u64,
    pub copies: Vec<HiddenCopy>,
}

/// One hidden copy: who added it, who hid it and how.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HiddenCopy {
    /// Index of the layer whose tar holds these bytes.
    pub layer: usize,
    pub size: u64,
    /// Index of the layer that made the copy invisible (may equal `layer` for a duplicate entry).
    pub hidden_by: usize,
    pub how: HideKind,
}

/// Why a copy is not visible.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum HideKind {
    /// A whiteout removed it or one of its parent directories.
    Deleted,
    /// A later entry at the same path (or a non-directory at a parent path) replaced it.
    Overwritten,
    /// An opaque whiteout on a parent directory hid everything below it.
    OpaqueDir,
}

impl HideKind {
    pub fn as_str(self) -> &'static str {
        match self {
            HideKind::Deleted => "deleted",
            HideKind::Overwritten => "overwritten",
            HideKind::OpaqueDir => "hidden by opaque directory",
        }
    }
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
