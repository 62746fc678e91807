use crate::TarError;

/// The kinds of entry a layer can hold. Extension records (PAX, GNU long names) never surface.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryType {
    Regular,
    HardLink,
    Symlink,
    Char,
    Block,
    Directory,
    Fifo,
    /// Any other type flag, kept so callers can decide.
    Other(u8),
}

impl EntryType {
    pub fn from_byte(b: u8) -> Self {
        match b {
            b'0' | 0 | b'7' => EntryType::Regular,
            b'1' => EntryType::HardLink,
            b'2' => EntryType::Symlink,
            b'3' => EntryType::Char,
            b'4' => EntryType::Block,
            b'5' => EntryType::Directory,
            b'6' => EntryType::Fifo,
            other => EntryType::Other(other),
        }
    }

    /// The tar type flag, as dive's JSON reports it.
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

/// One entry, with PAX and GNU extensions already applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    /// The raw path bytes as the archive gives them (not normalised).
    pub path: Vec<u8>,
    pub link: Vec<u8>,
    pub entry_type: EntryType,
    pub mode: u32,
    pub uid: u64,
    pub gid: u64,
    /// Bytes of data that follow the header.
    pub size: u64,
    /// Offset of the first data byte from the start of the stream.
    pub data_offset: u64,
    /// Offset of the header block itself.
    pub header_offset: u64,
}

pub(crate) const BLOCK: usize = 512;

/// The fields of one 512-byte block, before extensions are applied.
pub(crate) struct RawHeader {
    pub name: Vec<u8>,
    pub link: Vec<u8>,
    pub typeflag: u8,
    pub mode: u32,
    pub uid: u64,
    pub gid: u64,
    pub size: u64,
}

pub(crate) fn is_zero_block(block: &[u8; BLOCK]) -> bool {
    block.iter().all(|&b| b == 0)
}

pub(crate) fn parse_block(block: &[u8; BLOCK], offset: u64) -> Result<RawHeader, TarError> {
    verify_checksum(block, offset)?;
    let field = |range: std::ops::Range<usize>| &block[range];
    let size = number(field(124..136), "size", offset)?;
    let mode = number(field(100..108), "mode", offset)?;
    let uid = number(field(108..116), "uid", offset)?;
    let gid = number(field(116..124), "gid", offset)?;
    let mut name = cstr(field(0..100)).to_vec();
    // Only POSIX ustar uses the prefix field; GNU keeps times there.
    if &block[257..263] == b"ustar\0" {
        let prefix = cstr(field(345..500));
        if !prefix.is_empty() {
            let mut full = prefix.to_vec();
            full.push(b'/');
            full.extend_from_slice(&name);
            name = full;
        }
    }
    Ok(RawHeader {
        name,
        link: cstr(field(157..257)).to_vec(),
        typeflag: block[156],
        mode: (mode & 0o7777_7777) as u32,
        uid,
        gid,
        size,
    })
}

fn cstr(bytes: &[u8]) -> &[u8] {
    match bytes.iter().position(|&b| b == 0) {
        Some(end) => &bytes[..end],
        None => bytes,
    }
}

fn verify_checksum(block: &[u8; BLOCK], offset: u64) -> Result<(), TarError> {
    let stored = number(&block[148..156], "checksum", offset)
        .map_err(|_| TarError::BadChecksum { offset })?;
    // The checksum field itself counts as eight spaces. Plain sums vectorise; this runs once
    // per entry of every layer.
    let field: u64 = block[148..156].iter().map(|&b| u64::from(b)).sum();
    let unsigned = block.iter().map(|&b| u64::from(b)).sum::<u64>() - field + 8 * 32;
    if stored == unsigned {
        return Ok(());
    }
    // Some old writers summed signed bytes; accept that too.
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

/// Octal with optional spaces and NULs, or GNU base-256 when the high bit of the first byte is set.
pub(crate) fn number(bytes: &[u8], field: &'static str, offset: u64) -> Result<u64, TarError> {
    let bad = || TarError::BadNumber { field, offset };
    if bytes.first().is_some_and(|b| b & 0x80 != 0) {
        if bytes[0] & 0x40 != 0 {
            return Err(bad()); // negative
        }
        let mut value: u64 = u64::from(bytes[0] & 0x3f);
        for &b in &bytes[1..] {
            value = value.checked_mul(256).ok_or_else(bad)? | u64::from(b);
        }
        return Ok(value);
    }
    let mut value: u64 = 0;
    let mut seen = false;
    for &b in bytes {
        match b {
            b'0'..=b'7' => {
                value = value
                    .checked_mul(8)
                    .and_then(|v| v.checked_add(u64::from(b - b'0')))
                    .ok_or_else(bad)?;
                seen = true;
            }
            b' ' | 0 if !seen => {}
            b' ' | 0 => break,
            _ => return Err(bad()),
        }
    }
    Ok(value)
}

/// Applies `len key=value\n` records; unknown keys are ignored.
pub(crate) struct Pax {
    pub path: Option<Vec<u8>>,
    pub link: Option<Vec<u8>>,
    pub size: Option<u64>,
    pub uid: Option<u64>,
    pub gid: Option<u64>,
}

pub(crate) fn parse_pax(mut data: &[u8], offset: u64) -> Result<Pax, TarError> {
    let bad = || TarError::BadPax { offset };
    let mut pax = Pax {
        path: None,
        link: None,
        size: None,
        uid: None,
        gid: None,
    };
    while !data.is_empty() {
        if data.iter().all(|&b| b == 0) {
            break;
        }
        let space = data.iter().position(|&b| b == b' ').ok_or_else(bad)?;
        let len: usize = std::str::from_utf8(&data[..space])
            .ok()
            .and_then(|s| s.parse().ok())
            .ok_or_else(bad)?;
        if len <= space + 1 || len > data.len() || data[len - 1] != b'\n' {
            return Err(bad());
        }
        let record = &data[space + 1..len - 1];
        let eq = record.iter().position(|&b| b == b'=').ok_or_else(bad)?;
        let (key, value) = (&record[..eq], &record[eq + 1..]);
        let decimal = || -> Result<u64, TarError> {
            std::str::from_utf8(value)
                .ok()
                .and_then(|s| s.parse().ok())
                .ok_or_else(bad)
        };
        match key {
            b"path" => pax.path = Some(value.to_vec()),
            b"linkpath" => pax.link = Some(value.to_vec()),
            b"size" => pax.size = Some(decimal()?),
            b"uid" => pax.uid = Some(decimal()?),
            b"gid" => pax.gid = Some(decimal()?),
            _ => {}
        }
        data = &data[len..];
    }
    Ok(pax)
}
