//! A streaming tar reader for untrusted input.
//!
//! The `tar` crate reads PAX and GNU long-name records into memory whatever their size, so a small
//! compressed layer can make it allocate gigabytes. This reader caps every record it buffers, tells
//! the byte offset of each entry's data (so one file can be read again later without keeping it),
//! and hands out the data through `BufRead` so hashing needs no extra copy.
//!
//! It reads what real tools write (v7, ustar, star, old GNU and GNU, PAX, and GNU sparse files in
//! every encoding) the way GNU tar and Go's archive/tar read it, so a layer means here what it
//! means to Docker and to dive. A sparse file's [`Header::size`] is its real size, as Go reports
//! it; [`Header::stored`] is what the archive holds, and [`Expanded`] puts the holes back.

mod block;
mod header;
mod name;
mod number;
mod pax;
mod reader;
mod sparse;

pub use header::{EntryType, Header};
pub use name::clean_name;
pub use reader::{DataReader, Limits, TarReader};
pub use sparse::{Expanded, SparseRegion};

use thiserror::Error;

/// What can go wrong while walking a tar stream. Offsets are in the (decompressed) stream.
#[derive(Debug, Error)]
pub enum TarError {
    #[error("i/o error at offset {offset}: {source}")]
    Io {
        offset: u64,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "truncated tar: the stream ends inside the header or data of an entry at offset {offset}"
    )]
    Truncated { offset: u64 },
    #[error("not a tar header at offset {offset} (bad checksum)")]
    BadChecksum { offset: u64 },
    #[error("bad numeric field `{field}` in the tar header at offset {offset}")]
    BadNumber { field: &'static str, offset: u64 },
    #[error(
        "{kind} record at offset {offset} is {size} bytes, more than the {limit} bytes allowed"
    )]
    RecordTooLarge {
        kind: &'static str,
        offset: u64,
        size: u64,
        limit: u64,
    },
    #[error("malformed PAX record in the extended header at offset {offset}: {reason}")]
    BadPax { offset: u64, reason: &'static str },
    #[error("bad GNU sparse map for the entry at offset {offset}: {reason}")]
    BadSparse { offset: u64, reason: &'static str },
    #[error(
        "the sparse map of the entry at offset {offset} has {count} regions, more than the {limit} allowed"
    )]
    TooManySparseRegions { offset: u64, count: u64, limit: u64 },
    #[error(
        "the entry at offset {offset} continues a file from the previous volume of a GNU multi-volume archive; only whole archives are read"
    )]
    MultiVolume { offset: u64 },
    #[error("more than {limit} entries")]
    TooManyEntries { limit: u64 },
}
