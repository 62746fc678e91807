//! How many bytes a container image wastes.
//!
//! Two answers side by side: dive's ([`dive_figures`]), reproduced exactly so that CI thresholds
//! written for dive keep their meaning, and the honest one ([`reclaimable`]): what ships in some
//! layer but cannot be seen at the top of the image.

mod efficiency;
mod reclaimable;
mod report;

pub use efficiency::dive_figures;
pub use layerscope_tree::Hide;
pub use reclaimable::{HiddenVersion, hidden_versions, reclaimable};
pub use report::{DiveFigures, HiddenBy, HiddenFile, InefficientPath, Reclaimable};
