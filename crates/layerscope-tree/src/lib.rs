//! Per-layer file trees of a container image.
//!
//! A layer's tar is read once into compact [`Entry`] records ([`scan_layer`]); the layers share
//! one table of paths ([`ImageTree`]); a [`Stack`] replays them to give the filesystem as of any
//! layer, telling an observer what each layer added, changed, removed and hid.

mod entry;
mod image;
pub mod path;
mod paths;
mod scan;
mod stack;

pub use entry::{Entry, EntryKind, NO_LINK};
pub use image::{EntryRef, ImageTree, Layer, NodeId, ROOT, TreeError};
pub use layerscope_tar::Limits as TarLimits;
pub use paths::{PathTable, TreePath};
pub use scan::{Inspector, LayerScan, NoInspector, RawEntry, ScanError, scan_layer};
pub use stack::{Change, Hide, Slot, Stack, StackObserver};
