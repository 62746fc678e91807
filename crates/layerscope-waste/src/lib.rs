//! How many bytes a container image wastes.
//!
//! Two answers side by side: dive's ([`dive_figures`]), reproduced exactly so that CI thresholds
//! written for dive keep their meaning, and the honest one ([`reclaimable`]): what ships in some
//! layer but cannot be seen at the top of the image.

mod efficiency;
mod reclaimable;
mod report;

pub use efficiency::dive_figures;
pub use reclaimable::{HiddenVersion, hidden_versions, reclaimable};
pub use report::{
    DiveFigures, HiddenCopy, HiddenPath, HideKind, InefficientPath, Reclaimable, WasteReport,
};

use layerscope_tree::ImageTree;

/// Both figures for one image.
pub fn analyze(tree: &ImageTree) -> WasteReport {
    analyze_with(tree, &hidden_versions(tree))
}

/// Both figures, from hidden versions the caller already has (the leak report needs them too).
pub fn analyze_with(tree: &ImageTree, hidden: &[HiddenVersion]) -> WasteReport {
    WasteReport {
        dive: dive_figures(tree),
        reclaimable: reclaimable(tree, hidden),
    }
}
