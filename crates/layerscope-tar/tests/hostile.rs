//! Headers no tool writes, built byte by byte: each is read or refused as Go's archive/tar and
//! GNU tar would, with an error that names the offset, and never a panic or a large allocation.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::large_types_passed_by_value
)]

use std::io::Read;

use layerscope_tar::{EntryType, Limits, SparseRegion, TarError, TarReader};

/// A header block with the given fields, its checksum set.
struct Block([u8; 512]);

impl Block {
    fn new(name: &str, typeflag: u8, size: u64) -> Self {
        let mut b = [0u8; 512];
        b[..name.len()].copy_from_slice(name.as_bytes());
        b[100..108].copy_from_slice(b"0000644\0");
        b[108..116].copy_from_slice(b"0000000\0");
        b[116..124].copy_from_slice(b"0000000\0");
        b[124..136].copy_from_slice(format!("{size:011o}\0").as_bytes());
        b[136..148].copy_from_slice(b"14544400200\0");
        b[156] = typeflag;
        b[257..265].copy_from_slice(b"ustar  \0");
        Block(b)
    }

    fn ustar(mut self) -> Self {
        self.0[257..265].copy_from_slice(b"ustar\x0000");
        self
    }

    fn set(mut self, at: usize, bytes: &[u8]) -> Self {
        self.0[at..at + bytes.len()].copy_from_slice(bytes);
        self
    }

    /// An old GNU sparse region in slot `i` of the header.
    fn region(self, i: usize, offset: u64, length: u64) -> Self {
        let at = 386 + 24 * i;
        self.set(at, format!("{offset:011o}\0{length:011o}\0").as_bytes())
    }

    fn done(mut self) -> [u8; 512] {
        self.0[148..156].fill(b' ');
        let sum: u32 = self.0.iter().map(|&b| u32::from(b)).sum();
        self.0[148..156].copy_from_slice(format!("{sum:06o}\0 ").as_bytes());
        self.0
    }
}

fn pax_record(key: &str, value: &str) -> String {
    let body = key.len() + value.len() + 3;
    let mut len = body + 1;
    while len != body + len.to_string().len() {
        len = body + len.to_string().len();
    }
    format!("{len} {key}={value}\n")
}

fn padded(mut data: Vec<u8>) -> Vec<u8> {
    data.resize(data.len().div_ceil(512) * 512, 0);
    data
}

/// A PAX extended header with `records`, then `entry`, then `data`.
fn with_pax(records: &[(&str, &str)], entry: [u8; 512], data: &[u8]) -> Vec<u8> {
    let text: String = records.iter().map(|(k, v)| pax_record(k, v)).collect();
    let mut out = Block::new("PaxHeaders/x", b'x', text.len() as u64)
        .ustar()
        .done()
        .to_vec();
    out.extend(padded(text.into_bytes()));
    out.extend(entry);
    out.extend(padded(data.to_vec()));
    out.extend([0u8; 1024]);
    out
}

fn first(bytes: &[u8]) -> Result<layerscope_tar::Header, TarError> {
    TarReader::new(bytes, Limits::default())
        .next_header()
        .map(Option::unwrap)
}

fn old_gnu(entry: [u8; 512], extensions: &[[u8; 512]], data: &[u8]) -> Vec<u8> {
    let mut out = entry.to_vec();
    for e in extensions {
        out.extend(e);
    }
    out.extend(padded(data.to_vec()));
    out.extend([0u8; 1024]);
    out
}

#[test]
fn old_gnu_sparse_with_an_extension_block() {
    let entry = Block::new("s.img", b'S', 6)
        .region(0, 0, 1)
        .region(1, 10, 1)
        .region(2, 20, 1)
        .region(3, 30, 1)
        .set(482, &[1])
        .set(483, b"00000000100\0")
        .done();
    let mut ext = [0u8; 512];
    ext[..24].copy_from_slice(b"00000000050\x0000000000001\0");
    ext[24..48].copy_from_slice(b"00000000060\x0000000000001\0");
    let bytes = old_gnu(entry, &[ext], b"abcdef");
    let mut r = TarReader::new(bytes.as_slice(), Limits::default());
    let h = r.next_header().unwrap().unwrap();
    assert_eq!((h.entry_type, h.typeflag), (EntryType::Regular, b'S'));
    assert_eq!((h.size, h.stored, h.data_offset), (64, 6, 1024));
    assert_eq!(
        h.sparse.as_ref().unwrap()[5],
        SparseRegion {
            offset: 48,
            length: 1
        }
    );
    let mut data = String::new();
    r.data().read_to_string(&mut data).unwrap();
    assert_eq!(data, "abcdef");
    assert!(r.next_header().unwrap().is_none());
}

#[test]
fn overlapping_or_backward_or_oversized_maps_are_refused() {
    for (regions, real) in [
        (&[(0, 5), (4, 1)][..], 10),
        (&[(6, 1), (0, 1)], 10),
        (&[(8, 5)], 10),
    ] {
        let mut b = Block::new("s", b'S', 0).set(483, format!("{real:011o}\0").as_bytes());
        for (i, &(offset, length)) in regions.iter().enumerate() {
            b = b.region(i, offset, length);
        }
        let err = first(&old_gnu(b.done(), &[], b"")).unwrap_err();
        assert!(
            matches!(err, TarError::BadSparse { offset: 0, .. }),
            "{err}"
        );
    }
    let err = first(&with_pax(
        &[
            ("GNU.sparse.major", "0"),
            ("GNU.sparse.minor", "1"),
            ("GNU.sparse.size", "10"),
            ("GNU.sparse.numblocks", "1"),
            ("GNU.sparse.map", "5,6"),
        ],
        Block::new("s", b'0', 6).ustar().done(),
        b"abcdef",
    ))
    .unwrap_err();
    assert!(
        err.to_string().contains("past the file's real size"),
        "{err}"
    );
}

#[test]
fn old_gnu_sparse_needs_gnu_magic() {
    let entry = Block::new("s", b'S', 0).ustar().done();
    let err = first(&old_gnu(entry, &[], b"")).unwrap_err();
    assert!(err.to_string().contains("without GNU magic"), "{err}");
}

#[test]
fn an_endless_extension_chain_stops_at_the_record_cap() {
    let entry = Block::new("s", b'S', 0).set(482, &[1]).done();
    let mut ext = [0u8; 512];
    ext[504] = 1;
    let bytes = old_gnu(entry, &vec![ext; 40], b"");
    let limits = Limits {
        max_record: 16 * 512,
        ..Limits::default()
    };
    let err = TarReader::new(bytes.as_slice(), limits)
        .next_header()
        .unwrap_err();
    assert!(
        matches!(
            err,
            TarError::RecordTooLarge {
                kind: "GNU sparse extension",
                ..
            }
        ),
        "{err}"
    );
}

#[test]
fn region_counts_are_capped_before_anything_is_allocated() {
    let err = first(&with_pax(
        &[
            ("GNU.sparse.major", "0"),
            ("GNU.sparse.minor", "1"),
            ("GNU.sparse.size", "10"),
            ("GNU.sparse.numblocks", "9000000000000000000"),
        ],
        Block::new("s", b'0', 0).ustar().done(),
        b"",
    ))
    .unwrap_err();
    assert!(
        matches!(err, TarError::TooManySparseRegions { .. }),
        "{err}"
    );
    // Format 1.0: the count line alone claims too much.
    let err = first(&with_pax(
        &[
            ("GNU.sparse.major", "1"),
            ("GNU.sparse.minor", "0"),
            ("GNU.sparse.realsize", "10"),
        ],
        Block::new("s", b'0', 512).ustar().done(),
        b"999999999999\n",
    ))
    .unwrap_err();
    assert!(
        matches!(err, TarError::TooManySparseRegions { .. }),
        "{err}"
    );
}

#[test]
fn a_1_0_map_may_not_run_past_the_data() {
    let err = first(&with_pax(
        &[
            ("GNU.sparse.major", "1"),
            ("GNU.sparse.minor", "0"),
            ("GNU.sparse.realsize", "10"),
        ],
        Block::new("s", b'0', 512).ustar().done(),
        b"1\n",
    ))
    .unwrap_err();
    assert!(
        err.to_string().contains("runs past the entry's data"),
        "{err}"
    );
}

#[test]
fn pax_1_0_data_starts_after_the_map() {
    let mut data = padded(b"2\n0\n3\n8\n2\n".to_vec());
    data.extend(b"abcde");
    let bytes = with_pax(
        &[
            ("GNU.sparse.major", "1"),
            ("GNU.sparse.minor", "0"),
            ("GNU.sparse.realsize", "10"),
            ("GNU.sparse.name", "real/name"),
        ],
        Block::new("GNUSparseFile.0/name", b'0', data.len() as u64)
            .ustar()
            .done(),
        &data,
    );
    let mut r = TarReader::new(bytes.as_slice(), Limits::default());
    let h = r.next_header().unwrap().unwrap();
    assert_eq!(h.path, b"real/name");
    assert_eq!((h.size, h.stored, h.data_offset), (10, 5, 3 * 512 + 512));
    let mut real = Vec::new();
    layerscope_tar::Expanded::new(r.data(), h.sparse.as_deref().unwrap(), h.size)
        .read_to_end(&mut real)
        .unwrap();
    assert_eq!(real, b"abc\0\0\0\0\0de");
    assert!(r.next_header().unwrap().is_none());
}

#[test]
fn multi_volume_continuations_are_refused() {
    let mut bytes = Block::new("a", b'0', 0).done().to_vec();
    bytes.extend(Block::new("split.bin", b'M', 100).done());
    bytes.extend([0u8; 1024]);
    let mut r = TarReader::new(bytes.as_slice(), Limits::default());
    r.next_header().unwrap().unwrap();
    let err = r.next_header().unwrap_err();
    assert!(
        matches!(err, TarError::MultiVolume { offset: 512 }),
        "{err}"
    );
    assert!(err.to_string().contains("multi-volume"));
}

#[test]
fn numbers_gnu_tar_and_go_refuse_are_refused() {
    // A negative size in base-256.
    let entry = Block::new("a", b'0', 0).set(124, &[0xff; 12]).done();
    let err = first(&old_gnu(entry, &[], b"")).unwrap_err();
    assert!(
        matches!(
            err,
            TarError::BadNumber {
                field: "size",
                offset: 0
            }
        ),
        "{err}"
    );
    let entry = Block::new("a", b'0', 0).set(108, b"12x4567\0").done();
    let err = first(&old_gnu(entry, &[], b"")).unwrap_err();
    assert!(
        matches!(err, TarError::BadNumber { field: "uid", .. }),
        "{err}"
    );
    let err = first(&with_pax(
        &[("size", "-1")],
        Block::new("a", b'0', 0).ustar().done(),
        b"",
    ))
    .unwrap_err();
    assert!(matches!(err, TarError::BadPax { .. }), "{err}");
}

#[test]
fn old_style_directories_carry_no_data() {
    let mut bytes = Block::new("dir/", 0, 512).done().to_vec();
    bytes.extend(Block::new("after", b'0', 0).done());
    bytes.extend([0u8; 1024]);
    let mut r = TarReader::new(bytes.as_slice(), Limits::default());
    let h = r.next_header().unwrap().unwrap();
    assert_eq!(
        (h.entry_type, h.size, h.stored),
        (EntryType::Directory, 512, 0)
    );
    assert_eq!(r.next_header().unwrap().unwrap().path, b"after");
}

#[test]
fn unknown_sparse_versions_are_plain_files_as_in_go() {
    let bytes = with_pax(
        &[
            ("GNU.sparse.major", "2"),
            ("GNU.sparse.minor", "0"),
            ("GNU.sparse.realsize", "999"),
        ],
        Block::new("f", b'0', 3).ustar().done(),
        b"abc",
    );
    let h = first(&bytes).unwrap();
    assert_eq!((h.size, h.stored, h.is_sparse()), (3, 3, false));
}

#[test]
fn a_pax_size_record_sets_the_data_length() {
    // Writers use it for files past 8 GiB; here the header says 0 and the record 5.
    let bytes = with_pax(
        &[("size", "5")],
        Block::new("f", b'0', 0).ustar().done(),
        b"abcde",
    );
    let mut r = TarReader::new(bytes.as_slice(), Limits::default());
    let h = r.next_header().unwrap().unwrap();
    assert_eq!((h.size, h.stored), (5, 5));
    let mut data = Vec::new();
    r.data().read_to_end(&mut data).unwrap();
    assert_eq!(data, b"abcde");
    assert!(r.next_header().unwrap().is_none());
}
