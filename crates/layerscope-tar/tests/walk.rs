//! The reader against archives written by the `tar` crate, plus hostile ones.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{BufReader, Read};

use layerscope_tar::{EntryType, Limits, TarError, TarReader};

fn build(f: impl FnOnce(&mut tar::Builder<Vec<u8>>)) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    f(&mut b);
    b.into_inner().unwrap()
}

fn file(b: &mut tar::Builder<Vec<u8>>, path: &str, data: &[u8]) {
    let mut h = tar::Header::new_gnu();
    h.set_size(data.len() as u64);
    h.set_mode(0o644);
    h.set_entry_type(tar::EntryType::Regular);
    b.append_data(&mut h, path, data).unwrap();
}

type Walked = Vec<(String, EntryType, Vec<u8>, u64)>;

fn walk(bytes: &[u8]) -> Result<Walked, TarError> {
    let mut r = TarReader::new(BufReader::new(bytes), Limits::default());
    let mut out = Vec::new();
    while let Some(h) = r.next_header()? {
        let mut data = Vec::new();
        r.data()
            .read_to_end(&mut data)
            .map_err(|source| TarError::Io { offset: 0, source })?;
        out.push((
            String::from_utf8_lossy(&h.path).into_owned(),
            h.entry_type,
            data,
            h.data_offset,
        ));
    }
    Ok(out)
}

#[test]
fn reads_names_data_and_offsets() {
    let long = format!("{}/file.txt", "d".repeat(300));
    let bytes = build(|b| {
        file(b, "etc/a", b"hello");
        file(b, &long, b"long");
        let mut h = tar::Header::new_gnu();
        h.set_entry_type(tar::EntryType::Symlink);
        h.set_size(0);
        b.append_link(&mut h, "bin/sh", "busybox").unwrap();
    });
    let entries = walk(&bytes).unwrap();
    assert_eq!(entries.len(), 3);
    assert_eq!(entries[0].0, "etc/a");
    assert_eq!(entries[0].2, b"hello");
    assert_eq!(
        &bytes[entries[0].3 as usize..entries[0].3 as usize + 5],
        b"hello"
    );
    assert_eq!(entries[1].0, long);
    assert_eq!(entries[1].2, b"long");
    assert_eq!(entries[2].1, EntryType::Symlink);
}

#[test]
fn reads_pax_paths_and_skips_global_headers() {
    let long = "p/".repeat(120) + "x";
    let bytes = build(|b| {
        // A global header first, as `git archive` writes.
        let mut g = tar::Header::new_ustar();
        g.set_entry_type(tar::EntryType::XGlobalHeader);
        let rec = b"52 comment=0123456789012345678901234567890123456789\n";
        g.set_size(rec.len() as u64);
        b.append_data(&mut g, "pax_global_header", &rec[..])
            .unwrap();
        let mut h = tar::Header::new_ustar();
        h.set_entry_type(tar::EntryType::Regular);
        h.set_size(3);
        b.append_pax_extensions([("path", long.as_bytes())])
            .unwrap();
        b.append_data(&mut h, "short", &b"abc"[..]).unwrap();
    });
    let entries = walk(&bytes).unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].0, long);
    assert_eq!(entries[0].2, b"abc");
}

#[test]
fn truncated_data_is_an_error() {
    let bytes = build(|b| file(b, "big", &[7u8; 4000]));
    let cut = &bytes[..1500];
    let mut r = TarReader::new(BufReader::new(cut), Limits::default());
    let h = r.next_header().unwrap().unwrap();
    assert_eq!(h.size, 4000);
    let err = r.data().read_to_end(&mut Vec::new()).unwrap_err();
    assert!(err.to_string().contains("truncated"), "{err}");
}

#[test]
fn truncated_header_is_an_error() {
    let bytes = build(|b| file(b, "a", b"x"));
    let err = walk(&bytes[..700]).unwrap_err();
    assert!(matches!(err, TarError::Truncated { .. }), "{err}");
}

#[test]
fn garbage_is_a_checksum_error() {
    let err = walk(&[b'z'; 1024]).unwrap_err();
    assert!(matches!(err, TarError::BadChecksum { offset: 0 }), "{err}");
}

#[test]
fn oversized_pax_record_is_refused_before_reading_it() {
    let bytes = build(|b| {
        b.append_pax_extensions([("comment", vec![b'a'; 4096].as_slice())])
            .unwrap();
        file(b, "a", b"x");
    });
    let limits = Limits {
        max_record: 1024,
        ..Limits::default()
    };
    let mut r = TarReader::new(BufReader::new(bytes.as_slice()), limits);
    let err = r.next_header().unwrap_err();
    assert!(
        matches!(err, TarError::RecordTooLarge { kind: "PAX", .. }),
        "{err}"
    );
}

#[test]
fn entry_limit_is_enforced() {
    let bytes = build(|b| {
        for i in 0..5 {
            file(b, &format!("f{i}"), b"");
        }
    });
    let limits = Limits {
        max_entries: 3,
        ..Limits::default()
    };
    let mut r = TarReader::new(BufReader::new(bytes.as_slice()), limits);
    let mut seen = 0;
    let err = loop {
        match r.next_header() {
            Ok(Some(_)) => seen += 1,
            Ok(None) => panic!("limit not enforced"),
            Err(e) => break e,
        }
    };
    assert_eq!(seen, 3);
    assert!(matches!(err, TarError::TooManyEntries { limit: 3 }));
}

proptest::proptest! {
    #[test]
    fn agrees_with_the_tar_crate(files in proptest::collection::vec(("[a-z]{1,150}", proptest::collection::vec(proptest::num::u8::ANY, 0..2000)), 0..12)) {
        let bytes = build(|b| for (p, d) in &files { file(b, p, d) });
        let ours = walk(&bytes).unwrap();
        proptest::prop_assert_eq!(ours.len(), files.len());
        for ((p, _, data, _), (ep, ed)) in ours.iter().zip(&files) {
            proptest::prop_assert_eq!(p, ep);
            proptest::prop_assert_eq!(data, ed);
        }
    }
}
