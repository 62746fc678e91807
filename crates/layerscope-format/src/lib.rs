//! How layerscope writes what it found, shared by every view: byte sizes and floats exactly as
//! dive prints them, names and commands from an untrusted image made safe to print, and file
//! modes as `ls` shows them. Nothing here knows of reports, rules or terminals.

pub mod command;
pub mod float;
pub mod mode;
pub mod size;
pub mod text;

pub use size::{ParseBytesError, bytes, parse_bytes, signed_bytes};
pub use text::printable;
