//! What the reader hands out for each entry.

use crate::sparse::SparseRegion;

/// The kinds of entry a layer can hold. Extension records (PAX, GNU long names, sparse
/// extension blocks) never surface.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryType {
    /// Also GNU's contiguous (`7`) and sparse (`S`) files.
    Regular,
    HardLink,
    Symlink,
    Char,
    Block,
    /// Also GNU's incremental dumpdirs (`D`), which GNU tar lists as directories; unlike `5`
    /// they carry data (the names the directory held).
    Directory,
    Fifo,
    /// Any other type flag, kept so callers can decide: GNU's volume label (`V`) among them.
    Other(u8),
}

impl EntryType {
    pub fn from_byte(b: u8) -> Self {
        match b {
            b'0' | 0 | b'7' | b'S' => EntryType::Regular,
            b'1' => EntryType::HardLink,
            b'2' => EntryType::Symlink,
            b'3' => EntryType::Char,
            b'4' => EntryType::Block,
            b'5' | b'D' => EntryType::Directory,
            b'6' => EntryType::Fifo,
            other => EntryType::Other(other),
        }
    }

    /// The POSIX type flag of the kind (`0` for every regular file; [`Header::typeflag`] keeps
    /// the byte the archive had).
    pub fn as_byte(self) -> u8 {
        match self {
            EntryType::Regular => b'0',
            EntryType::HardLink => b'1',
            EntryType::Symlink => b'2',
            EntryType::Char => b'3',
            EntryType::Block => b'4',
            EntryType::Directory => b'5',
            EntryType::Fifo => b'6',
            EntryType::Other(b) => b,
        }
    }
}

/// One entry, with PAX records, GNU long names and sparse maps already applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    /// The raw path bytes as the archive gives them (not normalised).
    pub path: Vec<u8>,
    pub link: Vec<u8>,
    pub entry_type: EntryType,
    /// The type flag byte as stored (`S` for an old GNU sparse file, `D`, `V`, ...).
    pub typeflag: u8,
    pub mode: u32,
    pub uid: u64,
    pub gid: u64,
    /// Seconds since 1970 (negative before).
    pub mtime: i64,
    /// The entry's size as Go's archive/tar reports it, and so as dive counts it: for a GNU
    /// sparse file its real size, holes included; for header-only kinds (links, directories,
    /// devices, fifos) whatever the header says, though they carry no data.
    pub size: u64,
    /// Bytes the archive stores for the entry, which [`TarReader::data`](crate::TarReader::data)
    /// yields: `size` for a plain file, the packed data regions of a sparse file, 0 for
    /// header-only kinds.
    pub stored: u64,
    /// Offset of the first stored byte from the start of the stream (for a PAX 1.0 sparse file,
    /// past the map that opens its data).
    pub data_offset: u64,
    /// Offset of the header block itself (the first of its extension records, if any, come
    /// before it).
    pub header_offset: u64,
    /// Device numbers of a character or block device; 0 otherwise.
    pub dev_major: u64,
    pub dev_minor: u64,
    /// For a GNU sparse file, its data regions in the real file, in order; the stored bytes are
    /// these regions back to back. `None` for every other entry. A sparse file may have no
    /// regions at all (it is all hole).
    pub sparse: Option<Vec<SparseRegion>>,
    /// Extended attributes from `SCHILY.xattr.*` records: the name and the raw value.
    pub xattrs: Vec<(Vec<u8>, Vec<u8>)>,
}

impl Header {
    pub fn is_sparse(&self) -> bool {
        self.sparse.is_some()
    }
}

/// Type flags that never carry data whatever their size field says, as in POSIX and Go.
pub(crate) fn is_header_only(typeflag: u8) -> bool {
    matches!(typeflag, b'1'..=b'6')
}
