//! Byte counts written as dive writes them (go-humanize's `Bytes`): the CI crate's formatter,
//! so the numbers on screen are the ones the CI report prints.

pub use layerscope_ci::humanize::bytes;
