//! The conformance suite: tar files that GNU tar, bsdtar and Python's tarfile wrote
//! (`testdata/conformance/make.sh`), each wrapped as the one layer of an image, read back entry
//! by entry and held to GNU tar's listing of it (`NAME.tar.tvf`: kind, mode, owner, size or
//! device numbers, time, name, link target) and to the content GNU tar extracts from it
//! (`NAME.tar.sums`). Nothing here runs a tool; the expected files are committed.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::collections::HashMap;
use std::io::{BufRead, Read};
use std::path::PathBuf;

use layerscope_reader::{Options, load};
use layerscope_tar::{EntryType, Expanded, Header, Limits, TarReader};
use layerscope_testkit::{DockerSave, sha256, write_temp};
use support::listing::{self, Listed, Size};

/// Archives layerscope reads differently from GNU tar on purpose, and what its error says.
/// GNU tar lists a multi-volume continuation; a layer that starts inside a file is refused.
const REFUSED: &[(&str, &str)] = &[("gnu-multivolume-2.tar", "multi-volume")];

/// Content past this is not hashed (the 12 GiB sparse files); `make.sh` lists it as `-`.
const HASHED: u64 = 64 << 20;

#[derive(Debug, Clone)]
struct Walked {
    header: Header,
    /// SHA-256 of the stored bytes, what `TarReader::data` yields; `None` if reading failed.
    stored: Option<String>,
    /// SHA-256 of the real content (holes put back), for regular files up to `HASHED`.
    content: Option<String>,
}

#[derive(Debug, Clone, Default)]
struct Walk {
    entries: Vec<Walked>,
    error: Option<String>,
}

fn walk(tar: &mut dyn BufRead) -> Walk {
    let mut reader = TarReader::new(tar, Limits::default());
    let mut out = Walk::default();
    loop {
        let header = match reader.next_header() {
            Ok(Some(h)) => h,
            Ok(None) => return out,
            Err(e) => {
                out.error = Some(e.to_string());
                return out;
            }
        };
        let mut stored = Vec::new();
        if let Err(e) = reader.data().read_to_end(&mut stored) {
            out.entries.push(Walked {
                header,
                stored: None,
                content: None,
            });
            out.error = Some(e.to_string());
            return out;
        }
        let content = (header.entry_type == EntryType::Regular && header.size <= HASHED).then(
            || match &header.sparse {
                Some(map) => {
                    let mut real = Vec::new();
                    Expanded::new(stored.as_slice(), map, header.size)
                        .read_to_end(&mut real)
                        .unwrap();
                    sha256(&real)
                }
                None => sha256(&stored),
            },
        );
        out.entries.push(Walked {
            header,
            stored: Some(sha256(&stored)),
            content,
        });
    }
}

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../testdata/conformance")
}

/// `make.sh`'s record of GNU tar's exit status for each archive.
fn archives() -> Vec<(String, i32)> {
    let text = std::fs::read_to_string(dir().join("gnu-tar-status.txt")).unwrap();
    text.lines()
        .map(|l| {
            let (name, status) = l.split_once(' ').unwrap();
            (name.to_owned(), status.parse().unwrap())
        })
        .collect()
}

/// `sha256 name` lines, names as raw bytes; `-` for content not hashed.
fn sums(name: &str) -> HashMap<Vec<u8>, String> {
    let bytes = std::fs::read(dir().join(format!("{name}.sums"))).unwrap();
    bytes
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .map(|l| {
            let space = l.iter().position(|&b| b == b' ').unwrap();
            (
                l[space + 1..].to_vec(),
                String::from_utf8(l[..space].to_vec()).unwrap(),
            )
        })
        .collect()
}

/// Reads the archive as the one layer of an image, through the whole reader.
fn read_as_layer(tar: &[u8]) -> Walk {
    let (_dir, image) = write_temp("image.tar", &DockerSave::new(vec![tar.to_vec()]).build());
    let mut loaded = load(&image, &Options::default(), &|t: &mut dyn BufRead| {
        Ok(walk(t))
    })
    .unwrap();
    loaded.layers.remove(0)
}

fn kind(h: &Header) -> char {
    match h.entry_type {
        EntryType::Regular => '-',
        EntryType::HardLink => 'h',
        EntryType::Symlink => 'l',
        EntryType::Char => 'c',
        EntryType::Block => 'b',
        EntryType::Directory => 'd',
        EntryType::Fifo => 'p',
        EntryType::Other(b) => char::from(b),
    }
}

fn compare(archive: &str, tar: &[u8], ours: &Walked, gnu: &Listed) {
    let h = &ours.header;
    let at = format!("{archive}: `{}`", String::from_utf8_lossy(&gnu.name));
    assert_eq!(
        String::from_utf8_lossy(&h.path),
        String::from_utf8_lossy(&gnu.name),
        "{archive}: name"
    );
    assert_eq!(h.path, gnu.name, "{at}: name bytes");
    assert_eq!(kind(h), gnu.kind, "{at}: kind");
    assert_eq!(h.mode & 0o7777, gnu.mode, "{at}: mode");
    assert_eq!((h.uid, h.gid), (gnu.uid, gnu.gid), "{at}: owner");
    assert_eq!(h.mtime, gnu.mtime, "{at}: mtime");
    let size = match h.entry_type {
        EntryType::Char | EntryType::Block => Size::Device(h.dev_major, h.dev_minor),
        _ => Size::Bytes(h.size),
    };
    assert_eq!(size, gnu.size, "{at}: size");
    let link =
        matches!(h.entry_type, EntryType::HardLink | EntryType::Symlink).then(|| h.link.clone());
    assert_eq!(link, gnu.link, "{at}: link target");

    // What is stored, and where: header-only kinds hold nothing, a sparse file its regions.
    match (&h.sparse, h.entry_type) {
        (Some(map), _) => {
            assert_eq!(
                map.iter().map(|r| r.length).sum::<u64>(),
                h.stored,
                "{at}: sparse map"
            );
            assert!(
                h.stored <= h.size,
                "{at}: stored {} of {}",
                h.stored,
                h.size
            );
        }
        (None, EntryType::Regular) => assert_eq!(h.stored, h.size, "{at}: stored"),
        (
            None,
            EntryType::HardLink
            | EntryType::Symlink
            | EntryType::Char
            | EntryType::Block
            | EntryType::Fifo,
        ) => {
            assert_eq!(h.stored, 0, "{at}: stored");
        }
        _ => {}
    }
    if let Some(stored) = &ours.stored {
        let start = usize::try_from(h.data_offset).unwrap();
        let end = start + usize::try_from(h.stored).unwrap();
        assert_eq!(&sha256(&tar[start..end]), stored, "{at}: data_offset");
    }
}

#[test]
fn every_archive_reads_as_gnu_tar_lists_it() {
    let list = archives();
    assert!(list.len() >= 28, "{} archives", list.len());
    for (name, gnu_status) in list {
        let tar = std::fs::read(dir().join(&name)).unwrap();
        let walked = read_as_layer(&tar);
        if let Some((_, message)) = REFUSED.iter().find(|(n, _)| *n == name) {
            let error = walked.error.unwrap_or_default();
            assert!(error.contains(message), "{name}: refused with `{error}`");
            continue;
        }
        match (&walked.error, gnu_status) {
            (None, 0) | (Some(_), 2) => {}
            (Some(e), _) => panic!("{name}: GNU tar reads it, layerscope says: {e}"),
            (None, _) => panic!("{name}: GNU tar fails on it, layerscope does not"),
        }
        let expected = listing::parse(&std::fs::read(dir().join(format!("{name}.tvf"))).unwrap());
        assert_eq!(
            walked.entries.len(),
            expected.len(),
            "{name}: number of entries"
        );
        for (ours, gnu) in walked.entries.iter().zip(&expected) {
            compare(&name, &tar, ours, gnu);
        }
        // Every file GNU tar extracts has the content GNU tar extracts.
        let sums = sums(&name);
        let mut matched = 0;
        for ours in walked.entries.iter().filter(|e| e.stored.is_some()) {
            let Some(want) = sums.get(&ours.header.path) else {
                continue;
            };
            matched += 1;
            if want != "-" {
                assert_eq!(
                    ours.content.as_ref(),
                    Some(want),
                    "{name}: content of `{}`",
                    String::from_utf8_lossy(&ours.header.path)
                );
            }
        }
        if walked.error.is_none() {
            assert_eq!(matched, sums.len(), "{name}: files GNU tar extracts");
        }
    }
}

/// GNU sparse files count at their real size, as Go (and so dive) counts them, in every
/// encoding; their stored bytes are known too.
#[test]
fn sparse_files_have_their_real_size() {
    for name in [
        "gnu-oldgnu-sparse.tar",
        "gnu-gnu-sparse.tar",
        "gnu-pax-sparse-0.0.tar",
        "gnu-pax-sparse-0.1.tar",
        "gnu-pax-sparse-1.0.tar",
        "bsd-pax-sparse.tar",
    ] {
        let walked = read_as_layer(&std::fs::read(dir().join(name)).unwrap());
        let few = walked
            .entries
            .iter()
            .find(|e| e.header.path == b"./few.img")
            .unwrap();
        assert_eq!(few.header.size, 1 << 20, "{name}");
        assert!(
            few.header.is_sparse() && few.header.stored < 16 << 10,
            "{name}: {}",
            few.header.stored
        );
        if name.starts_with("gnu") {
            let many = walked
                .entries
                .iter()
                .find(|e| e.header.path == b"./many.img")
                .unwrap();
            // 32 data regions, then the empty one GNU tar ends a trailing hole with.
            assert_eq!(
                many.header.sparse.as_ref().map(Vec::len),
                Some(33),
                "{name}"
            );
        }
    }
    for name in ["gnu-gnu-sparse-12g.tar", "gnu-pax-sparse-12g.tar"] {
        let walked = read_as_layer(&std::fs::read(dir().join(name)).unwrap());
        let big = &walked.entries[1].header;
        assert_eq!(big.size, 12 << 30, "{name}");
        assert!(big.stored <= 3 * 4096, "{name}: {}", big.stored);
    }
}

/// `SCHILY.xattr` records survive whole, NUL bytes and all.
#[test]
fn xattrs_keep_their_bytes() {
    for (name, path, key, value) in [
        // GNU tar stores `hard` first (by name) and `hello.txt` as a link to it.
        (
            "gnu-pax.tar",
            &b"./hard"[..],
            &b"user.binary"[..],
            &b"a\0b\0\xff"[..],
        ),
        ("bsd-pax.tar", b"./hello.txt", b"user.binary", b"a\0b\0\xff"),
        ("py-pax.tar", b"srv/xattrs", b"user.binary", b"a\0b\0"),
        (
            "py-pax.tar",
            b"srv/xattrs",
            b"security.capability",
            b"\x01\0\0\x02",
        ),
    ] {
        let tar = std::fs::read(dir().join(name)).unwrap();
        let mut r = TarReader::new(tar.as_slice(), Limits::default());
        let mut found = None;
        while let Some(h) = r.next_header().unwrap() {
            if h.path == path {
                found = h
                    .xattrs
                    .iter()
                    .find(|(k, _)| k == key)
                    .map(|(_, v)| v.clone());
            }
        }
        assert_eq!(found.as_deref(), Some(value), "{name}");
    }
}

#[test]
fn listing_parser_reads_gnu_tar_lines() {
    let l = listing::parse(
        br#"-rwsr-xr-x 0/0              10 2024-01-01 00:00:00 "./bin/tool"
hrw-r--r-- 0/0               0 2024-01-01 00:00:00 "./hello.txt" link to "./hard"
crw-r--r-- 0/0             1,3 1960-01-01 00:00:00.5 "./\303\274 \"q\""
"#,
    );
    assert_eq!(l[0].mode, 0o4755);
    assert_eq!(l[0].mtime, 1_704_067_200);
    assert_eq!(l[1].link.as_deref(), Some(&b"./hard"[..]));
    assert_eq!(l[2].size, Size::Device(1, 3));
    assert_eq!(l[2].mtime, -315_619_200);
    assert_eq!(l[2].name, "./ü \"q\"".as_bytes());
}

/// Image archives never hold sparse entries; one is refused, not expanded, whether the archive
/// is indexed on disk or streamed through gzip.
#[test]
fn a_sparse_entry_in_the_image_archive_is_refused() {
    use std::io::Write;
    let tar = std::fs::read(dir().join("gnu-gnu-sparse.tar")).unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(&tar).unwrap();
    for bytes in [tar.clone(), gz.finish().unwrap()] {
        let (_dir, file) = write_temp("image.tar", &bytes);
        let err = load(&file, &Options::default(), &|_: &mut dyn BufRead| Ok(())).unwrap_err();
        assert_eq!(
            err.to_string(),
            "entry `few.img` is stored as a sparse file; image archives never are (repack it without --sparse)"
        );
    }
}
