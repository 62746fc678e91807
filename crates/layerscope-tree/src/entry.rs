//! The compact per-version record kept for every entry of every layer.

use crate::NodeId;

/// What an entry is. Whiteouts and opaque markers are entries too: they change the stack.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
#[repr(u8)]
pub enum EntryKind {
    File,
    Dir,
    Symlink,
    Hardlink,
    Char,
    Block,
    Fifo,
    /// Deletes its path (and everything below it) from the layers beneath.
    Whiteout,
    /// Hides everything the layers beneath put inside its directory.
    Opaque,
}

impl EntryKind {
    /// True for entries that stand in the filesystem (not whiteout markers).
    pub fn is_present(self) -> bool {
        !matches!(self, EntryKind::Whiteout | EntryKind::Opaque)
    }

    /// The character `ls -l` starts a mode with (`-`, `d`, `l`, `c`, `b`, `p`); a hard link is
    /// a regular file there.
    pub fn mode_char(self) -> char {
        match self {
            EntryKind::Dir => 'd',
            EntryKind::Symlink => 'l',
            EntryKind::Char => 'c',
            EntryKind::Block => 'b',
            EntryKind::Fifo => 'p',
            EntryKind::File | EntryKind::Hardlink | EntryKind::Whiteout | EntryKind::Opaque => '-',
        }
    }

    /// The tar type flag dive reports in its JSON; markers are regular files in the archive.
    pub fn type_flag(self) -> u8 {
        match self {
            EntryKind::File | EntryKind::Whiteout | EntryKind::Opaque => b'0',
            EntryKind::Hardlink => b'1',
            EntryKind::Symlink => b'2',
            EntryKind::Char => b'3',
            EntryKind::Block => b'4',
            EntryKind::Dir => b'5',
            EntryKind::Fifo => b'6',
        }
    }
}

/// Marks an entry without a link target.
pub const NO_LINK: u32 = u32::MAX;

/// One version of one path in one layer: 48 bytes, so a million versions fit in 48 MB.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    pub node: NodeId,
    pub kind: EntryKind,
    pub mode: u32,
    pub uid: u32,
    pub gid: u32,
    /// Index into [`ImageTree::link`](crate::ImageTree::link), or [`NO_LINK`].
    pub link: u32,
    pub size: u64,
    pub hash: u64,
    pub data_offset: u64,
}

// Memory at a million versions is counted in these: a field that grows one is a choice to make.
const _: () = assert!(size_of::<Entry>() == 48);

impl Entry {
    /// dive's notion of "the same file": type, content, mode and owner (mtime is ignored).
    pub fn same_content(&self, other: &Entry) -> bool {
        self.kind == other.kind
            && self.hash == other.hash
            && self.mode == other.mode
            && self.uid == other.uid
            && self.gid == other.gid
            && self.size == other.size
    }
}
