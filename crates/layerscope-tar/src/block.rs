//! One 512-byte header block: its checksum, which format wrote it, and its fields.

use crate::TarError;
use crate::number::{octal, signed_field, unsigned_field};

pub(crate) const BLOCK: usize = 512;

/// Which writer's layout a block has, told by its magic as Go's archive/tar tells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    /// No magic: Unix v7, also what some writers produce for plain files.
    V7,
    /// `ustar\0`: POSIX ustar and PAX, with a 155-byte name prefix.
    Ustar,
    /// `ustar\0` with `tar\0` at the end: Jörg Schilling's star, whose prefix is 131 bytes.
    Star,
    /// `ustar  \0`: GNU tar (and old GNU), which keeps times where ustar has the prefix.
    Gnu,
}

/// The fields of one block, before PAX records and GNU long names are applied.
pub(crate) struct RawHeader {
    pub name: Vec<u8>,
    pub link: Vec<u8>,
    pub typeflag: u8,
    pub mode: u32,
    pub uid: u64,
    pub gid: u64,
    pub size: u64,
    pub mtime: i64,
    pub dev_major: u64,
    pub dev_minor: u64,
    pub format: Format,
}

pub(crate) fn is_zero_block(block: &[u8; BLOCK]) -> bool {
    block.iter().all(|&b| b == 0)
}

pub(crate) fn parse_block(block: &[u8; BLOCK], offset: u64) -> Result<RawHeader, TarError> {
    verify_checksum(block, offset)?;
    let format = format_of(block);
    let number = |range: std::ops::Range<usize>, field: &'static str| {
        unsigned_field(&block[range]).ok_or(TarError::BadNumber { field, offset })
    };
    let size = number(124..136, "size")?;
    let mode = number(100..108, "mode")?;
    let uid = number(108..116, "uid")?;
    let gid = number(116..124, "gid")?;
    let mtime = signed_field(&block[136..148]).ok_or(TarError::BadNumber {
        field: "mtime",
        offset,
    })?;
    let typeflag = block[156];
    // Device numbers mean something only for devices, and GNU tar reads them only there.
    let (dev_major, dev_minor) = if matches!(typeflag, b'3' | b'4') && format != Format::V7 {
        (number(329..337, "devmajor")?, number(337..345, "devminor")?)
    } else {
        (0, 0)
    };
    let mut name = cstr(&block[0..100]).to_vec();
    let prefix = match format {
        Format::Ustar => cstr(&block[345..500]),
        Format::Star => cstr(&block[345..476]),
        Format::V7 | Format::Gnu => &[],
    };
    if !prefix.is_empty() {
        let mut full = prefix.to_vec();
        full.push(b'/');
        full.extend_from_slice(&name);
        name = full;
    }
    Ok(RawHeader {
        name,
        link: cstr(&block[157..257]).to_vec(),
        typeflag,
        mode: (mode & 0o7777_7777) as u32,
        uid,
        gid,
        size,
        mtime,
        dev_major,
        dev_minor,
        format,
    })
}

fn format_of(block: &[u8; BLOCK]) -> Format {
    let magic = &block[257..263];
    let version = &block[263..265];
    if magic == b"ustar\0" && &block[508..512] == b"tar\0" {
        Format::Star
    } else if magic == b"ustar\0" {
        Format::Ustar
    } else if magic == b"ustar " && version == b" \0" {
        Format::Gnu
    } else {
        Format::V7
    }
}

/// The bytes up to the first NUL, as C-string fields are read.
pub(crate) fn cstr(bytes: &[u8]) -> &[u8] {
    match bytes.iter().position(|&b| b == 0) {
        Some(end) => &bytes[..end],
        None => bytes,
    }
}

fn verify_checksum(block: &[u8; BLOCK], offset: u64) -> Result<(), TarError> {
    let stored = octal(&block[148..156]).ok_or(TarError::BadChecksum { offset })?;
    // The checksum field itself counts as eight spaces. Plain sums vectorise; this runs once
    // per entry of every layer.
    let field: u64 = block[148..156].iter().map(|&b| u64::from(b)).sum();
    let unsigned = block.iter().map(|&b| u64::from(b)).sum::<u64>() - field + 8 * 32;
    if stored == unsigned {
        return Ok(());
    }
    // Some old writers summed signed bytes; accept that too, as GNU tar and Go do.
    let signed_field: i64 = block[148..156]
        .iter()
        .map(|&b| i64::from(i8::from_ne_bytes([b])))
        .sum();
    let signed = block
        .iter()
        .map(|&b| i64::from(i8::from_ne_bytes([b])))
        .sum::<i64>()
        - signed_field
        + 8 * 32;
    if i64::try_from(stored).is_ok_and(|s| s == signed) {
        Ok(())
    } else {
        Err(TarError::BadChecksum { offset })
    }
}

/// The old GNU sparse fields of an `S` header: the real size and up to four data regions.
pub(crate) struct OldGnuSparse {
    pub real_size: Option<u64>,
    pub extended: bool,
}

/// Where an `S` header keeps its regions, and the real size.
pub(crate) const OLD_GNU_REGIONS: std::ops::Range<usize> = 386..482;

pub(crate) fn old_gnu_sparse(block: &[u8; BLOCK]) -> OldGnuSparse {
    OldGnuSparse {
        real_size: unsigned_field(&block[483..495]),
        extended: block[482] != 0,
    }
}

/// Where a sparse extension block keeps its 21 regions, and whether another block follows.
pub(crate) const EXTENSION_REGIONS: std::ops::Range<usize> = 0..504;

pub(crate) fn extension_continues(block: &[u8; BLOCK]) -> bool {
    block[504] != 0
}
