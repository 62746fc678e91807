//! GNU sparse files: the maps of every encoding (old GNU headers with extension blocks; PAX
//! formats 0.0, 0.1 and 1.0), checked as Go's archive/tar checks them, and a reader that puts
//! the holes back.

use std::io::{self, Read};

use crate::TarError;
use crate::block::{BLOCK, EXTENSION_REGIONS, OLD_GNU_REGIONS};
use crate::number::{decimal, unsigned_field};
use crate::pax::PaxSparse;

/// One data region of a sparse file: `length` bytes at `offset` of the real file. Everything
/// between regions is a hole and reads as zeros.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SparseRegion {
    pub offset: u64,
    pub length: u64,
}

impl SparseRegion {
    fn end(self) -> Option<u64> {
        self.offset.checked_add(self.length)
    }
}

/// Which PAX encoding a header's `GNU.sparse.*` records use, told as Go tells it.
pub(crate) enum PaxVersion {
    /// 0.0 and 0.1: the map is in the records.
    InRecords,
    /// 1.0: the map opens the entry's data, in decimal lines padded to a block.
    InData,
}

pub(crate) fn pax_version(sparse: &PaxSparse) -> Option<PaxVersion> {
    match (sparse.major.as_deref(), sparse.minor.as_deref()) {
        (Some(b"0"), Some(b"0" | b"1")) => Some(PaxVersion::InRecords),
        (Some(b"1"), Some(b"0")) => Some(PaxVersion::InData),
        // An unknown version is not a sparse file to Go: its data is read as it is.
        (Some(_), _) | (_, Some(_)) => None,
        (None, None) => sparse.map.is_some().then_some(PaxVersion::InRecords),
    }
}

/// The real size a PAX sparse entry declares, if it declares one.
pub(crate) fn pax_real_size(sparse: &PaxSparse, offset: u64) -> Result<Option<u64>, TarError> {
    match sparse.size.as_deref().or(sparse.realsize.as_deref()) {
        Some(v) => decimal(v).map(Some).ok_or(TarError::BadSparse {
            offset,
            reason: "the real size is not a number",
        }),
        None => Ok(None),
    }
}

/// Formats 0.0 and 0.1: `GNU.sparse.numblocks` regions in `GNU.sparse.map`.
pub(crate) fn map_from_records(
    sparse: &PaxSparse,
    offset: u64,
    max_regions: u64,
) -> Result<Vec<SparseRegion>, TarError> {
    let bad = |reason| TarError::BadSparse { offset, reason };
    let count = sparse
        .numblocks
        .as_deref()
        .and_then(decimal)
        .ok_or(bad("GNU.sparse.numblocks is missing or not a number"))?;
    too_many(count, offset, max_regions)?;
    let map = sparse.map.as_deref().unwrap_or_default();
    let numbers: Vec<&[u8]> = if map.is_empty() {
        Vec::new()
    } else {
        map.split(|&b| b == b',').collect()
    };
    if numbers.len() as u64 != count.saturating_mul(2) {
        return Err(bad("GNU.sparse.map does not hold numblocks regions"));
    }
    numbers
        .chunks_exact(2)
        .map(|pair| {
            Ok(SparseRegion {
                offset: decimal(pair[0]).ok_or(bad("a map offset is not a number"))?,
                length: decimal(pair[1]).ok_or(bad("a map length is not a number"))?,
            })
        })
        .collect()
}

/// Format 1.0's map, once the lines it needs are in `text`: the count, then an offset and a
/// length per region.
pub(crate) fn map_from_lines(text: &[u8], offset: u64) -> Result<Vec<SparseRegion>, TarError> {
    let bad = |reason| TarError::BadSparse { offset, reason };
    let mut lines = text.split(|&b| b == b'\n');
    let count = lines
        .next()
        .and_then(decimal)
        .ok_or(bad("the region count is not a number"))?;
    let mut regions = Vec::new();
    for _ in 0..count {
        let (Some(at), Some(len)) = (lines.next(), lines.next()) else {
            return Err(bad("the map ends early"));
        };
        regions.push(SparseRegion {
            offset: decimal(at).ok_or(bad("a map offset is not a number"))?,
            length: decimal(len).ok_or(bad("a map length is not a number"))?,
        });
    }
    Ok(regions)
}

/// How many newlines format 1.0's map needs, once its first line (the count) is known.
pub(crate) fn lines_needed(
    first_line: &[u8],
    offset: u64,
    max_regions: u64,
) -> Result<u64, TarError> {
    let count = decimal(first_line).ok_or(TarError::BadSparse {
        offset,
        reason: "the region count is not a number",
    })?;
    too_many(count, offset, max_regions)?;
    Ok(count.saturating_mul(2).saturating_add(1))
}

/// The regions of an old GNU header or extension block, up to the first empty slot.
pub(crate) fn old_gnu_regions(
    block: &[u8; BLOCK],
    extension: bool,
    offset: u64,
    out: &mut Vec<SparseRegion>,
) -> Result<(), TarError> {
    let slots = if extension {
        &block[EXTENSION_REGIONS]
    } else {
        &block[OLD_GNU_REGIONS]
    };
    for slot in slots.chunks_exact(24) {
        // The same end test as GNU tar, BSD tar and Go: an offset field starting with NUL.
        if slot[0] == 0 {
            break;
        }
        let bad = || TarError::BadSparse {
            offset,
            reason: "a region of the old GNU sparse map is not a number",
        };
        out.push(SparseRegion {
            offset: unsigned_field(&slot[..12]).ok_or_else(bad)?,
            length: unsigned_field(&slot[12..]).ok_or_else(bad)?,
        });
    }
    Ok(())
}

pub(crate) fn too_many(count: u64, offset: u64, limit: u64) -> Result<(), TarError> {
    if count > limit {
        return Err(TarError::TooManySparseRegions {
            offset,
            count,
            limit,
        });
    }
    Ok(())
}

/// Go's rule: regions in order, not overlapping, within the real size.
pub(crate) fn validate(regions: &[SparseRegion], size: u64, offset: u64) -> Result<(), TarError> {
    let bad = |reason| TarError::BadSparse { offset, reason };
    let mut previous_end = 0;
    for &region in regions {
        let end = region.end().ok_or(bad("a region's end overflows"))?;
        if end > size {
            return Err(bad("a region runs past the file's real size"));
        }
        if region.offset < previous_end {
            return Err(bad("regions overlap or run backwards"));
        }
        previous_end = end;
    }
    Ok(())
}

/// The real content of a sparse file: the stored data regions (what
/// [`TarReader::data`](crate::TarReader::data) yields) with the holes put back as zeros.
///
/// Stored data that ends before the map does is an error; stored bytes past the map are left
/// unread.
pub struct Expanded<'m, R> {
    stored: R,
    regions: &'m [SparseRegion],
    size: u64,
    pos: u64,
}

impl<'m, R: Read> Expanded<'m, R> {
    /// `regions` and `size` as the entry's [`Header`](crate::Header) gives them.
    pub fn new(stored: R, regions: &'m [SparseRegion], size: u64) -> Self {
        Expanded {
            stored,
            regions,
            size,
            pos: 0,
        }
    }
}

impl<R: Read> Read for Expanded<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            if self.pos >= self.size || buf.is_empty() {
                return Ok(0);
            }
            let Some(&region) = self.regions.first() else {
                return Ok(self.zeros(buf, self.size));
            };
            if self.pos < region.offset {
                return Ok(self.zeros(buf, region.offset.min(self.size)));
            }
            let end = region.offset.saturating_add(region.length);
            if self.pos >= end {
                self.regions = &self.regions[1..];
                continue;
            }
            let want = usize::try_from(end - self.pos)
                .unwrap_or(usize::MAX)
                .min(buf.len());
            let n = self.stored.read(&mut buf[..want])?;
            if n == 0 {
                return Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    format!(
                        "sparse file: stored data ends before the region at {}",
                        region.offset
                    ),
                ));
            }
            self.pos += n as u64;
            return Ok(n);
        }
    }
}

impl<R> Expanded<'_, R> {
    fn zeros(&mut self, buf: &mut [u8], until: u64) -> usize {
        let n = usize::try_from(until - self.pos)
            .unwrap_or(usize::MAX)
            .min(buf.len());
        buf[..n].fill(0);
        self.pos += n as u64;
        n
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn regions(pairs: &[(u64, u64)]) -> Vec<SparseRegion> {
        pairs
            .iter()
            .map(|&(offset, length)| SparseRegion { offset, length })
            .collect()
    }

    #[test]
    fn expands_holes() {
        // Go's own example: "abcde" at 2 and "fgh" at 18 of a 25-byte file.
        let map = regions(&[(2, 5), (18, 3)]);
        let mut out = Vec::new();
        Expanded::new(&b"abcdefgh"[..], &map, 25)
            .read_to_end(&mut out)
            .unwrap();
        let mut want = vec![0u8; 25];
        want[2..7].copy_from_slice(b"abcde");
        want[18..21].copy_from_slice(b"fgh");
        assert_eq!(out, want);
    }

    #[test]
    fn short_stored_data_is_an_error() {
        let map = regions(&[(0, 10)]);
        let err = Expanded::new(&b"abc"[..], &map, 10)
            .read_to_end(&mut Vec::new())
            .unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::UnexpectedEof);
    }

    #[test]
    fn validates_as_go_does() {
        assert!(validate(&regions(&[(0, 5), (5, 5), (10, 0)]), 10, 0).is_ok());
        assert!(validate(&regions(&[(0, 5), (4, 5)]), 10, 0).is_err());
        assert!(validate(&regions(&[(6, 1), (0, 5)]), 10, 0).is_err());
        assert!(validate(&regions(&[(8, 5)]), 10, 0).is_err());
        assert!(validate(&regions(&[(u64::MAX, 5)]), 10, 0).is_err());
    }

    #[test]
    fn reads_the_1_0_map() {
        let map = map_from_lines(b"2\n4096\n100\n8192\n0\n", 0).unwrap();
        assert_eq!(map, regions(&[(4096, 100), (8192, 0)]));
        assert!(map_from_lines(b"2\n4096\n100\n", 0).is_err());
        assert_eq!(lines_needed(b"2", 0, 10).unwrap(), 5);
        assert!(lines_needed(b"11", 0, 10).is_err());
    }
}
