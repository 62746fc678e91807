//! What the `tar_reader` fuzz target does with one input (`fuzz/fuzz_targets/tar_reader.rs`
//! includes this file), so the regression test replays saved inputs through the very same code.

use std::io::{BufReader, Cursor, Read};

use layerscope_tar::{EntryType, Expanded, Limits, TarError, TarReader};

/// Small caps keep every run fast; the code paths are the same as with the defaults.
pub const LIMITS: Limits = Limits {
    max_record: 64 << 10,
    max_entries: 100_000,
    max_sparse_regions: 4096,
};

/// How much of a sparse file's real content is read back (its holes can be gigabytes).
const EXPAND: u64 = 1 << 20;

/// Walks every header, reading or seeking past each entry's data, and checks what the reader
/// promises about every header: that is what a fuzzer can break besides panics.
///
/// A mutated header almost never keeps a valid checksum, so most inputs would stop at the first
/// block. Inputs of odd length therefore get every block's checksum rewritten first (data
/// blocks too: they are only bytes), so mutations reach the fields behind it; even-length
/// inputs are read as they are.
pub fn walk(data: &[u8]) -> Result<u64, TarError> {
    if data.len().is_multiple_of(2) {
        walk_as_is(data)
    } else {
        walk_as_is(&with_checksums(data))
    }
}

/// Every non-zero 512-byte block with its checksum field set to the block's sum.
pub fn with_checksums(data: &[u8]) -> Vec<u8> {
    let mut out = data.to_vec();
    for block in out.chunks_exact_mut(512) {
        if block.iter().all(|&b| b == 0) {
            continue;
        }
        block[148..156].fill(b' ');
        let sum: u32 = block.iter().map(|&b| u32::from(b)).sum();
        block[148..156].copy_from_slice(format!("{sum:06o}\0 ").as_bytes());
    }
    out
}

fn walk_as_is(data: &[u8]) -> Result<u64, TarError> {
    // A tiny buffer, so records and data straddle refills.
    let mut tar = TarReader::new(BufReader::with_capacity(61, Cursor::new(data)), LIMITS);
    let mut entries = 0;
    while let Some(h) = tar.next_header()? {
        entries += 1;
        let header_only = matches!(h.typeflag, b'1'..=b'6')
            || (h.typeflag == 0 && h.entry_type == EntryType::Directory);
        if header_only {
            assert_eq!(h.stored, 0, "a header-only entry stores data");
        }
        match &h.sparse {
            Some(regions) => {
                let mut end = 0;
                for r in regions {
                    assert!(r.offset >= end, "sparse regions out of order");
                    end = r.offset + r.length;
                    assert!(end <= h.size, "a sparse region past the real size");
                }
            }
            None if !header_only => assert_eq!(h.stored, h.size, "stored differs from size"),
            None => {}
        }
        assert!(
            h.data_offset <= data.len() as u64,
            "data offset past the input"
        );
        if entries % 3 == 0 {
            tar.seek_past_data()?;
            continue;
        }
        let read = match &h.sparse {
            Some(regions) => {
                let expanded = Expanded::new(tar.data(), regions, h.size);
                std::io::copy(&mut expanded.take(EXPAND), &mut std::io::sink())
            }
            None => std::io::copy(&mut tar.data(), &mut std::io::sink()),
        };
        // An error is a cut stream, which the next header call reports.
        if let Ok(n) = read
            && h.sparse.is_none()
        {
            assert_eq!(n, h.stored, "data() yields stored bytes");
        }
    }
    Ok(entries)
}
