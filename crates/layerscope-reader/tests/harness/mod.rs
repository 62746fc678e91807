//! What the reader's fuzz targets do with one input (`fuzz/fuzz_targets/{archive,manifest}.rs`
//! include this file), so the regression tests replay saved inputs through the very same code.

use std::io::{BufRead, Write};

use layerscope_reader::{BombLimits, Options, Platform, ReadError, load};
use layerscope_tar::{Limits, TarReader};
use sha2::{Digest, Sha256};

/// Tighter caps than the defaults keep every run fast; the code paths are the same.
fn options(verify: bool) -> Options {
    Options {
        verify,
        max_json_bytes: 1 << 20,
        bomb: BombLimits {
            max_layer_bytes: 64 << 20,
            max_ratio: 250,
            ratio_floor: 1 << 20,
        },
        ..Options::default()
    }
}

/// Each layer as the tree crate reads one: every header, every byte of data.
fn walk_layer(tar: &mut dyn BufRead) -> Result<u64, Box<dyn std::error::Error + Send + Sync>> {
    let limits = Limits {
        max_record: 64 << 10,
        max_entries: 100_000,
        max_sparse_regions: 4096,
    };
    let mut reader = TarReader::new(tar, limits);
    let mut entries = 0;
    while reader.next_header()?.is_some() {
        std::io::copy(&mut reader.data(), &mut std::io::sink())?;
        entries += 1;
    }
    Ok(entries)
}

/// Every non-zero 512-byte block with its checksum field set to the block's sum.
fn with_checksums(data: &[u8]) -> Vec<u8> {
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

fn on_disk(bytes: &[u8]) -> std::io::Result<tempfile::NamedTempFile> {
    let mut file = tempfile::NamedTempFile::new()?;
    file.write_all(bytes)?;
    file.flush()?;
    Ok(file)
}

/// The `archive` target: the input is a whole image archive (plain, gzip or zstd tar), read
/// through the layer pipeline; then one file is read back as the viewer does.
///
/// Inputs of even length are read as they are, with every digest verified. Inputs of odd
/// length are not verified, and a plain tar first gets every block's checksum rewritten (the
/// headers of plain layers inside it too, as they lie on block boundaries), so mutated header
/// fields get past the checksum; see the tar crate's harness.
pub fn open_archive(bytes: &[u8]) -> Result<usize, ReadError> {
    let verify = bytes.len().is_multiple_of(2);
    let compressed =
        bytes.starts_with(&[0x1f, 0x8b]) || bytes.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]);
    let fixed;
    let bytes = if verify || compressed {
        bytes
    } else {
        fixed = with_checksums(bytes);
        &fixed
    };
    let file = on_disk(bytes).map_err(|source| ReadError::Open { source })?;
    let loaded = load(file.path(), &options(verify), &walk_layer)?;
    if !loaded.image.layers.is_empty() {
        loaded
            .image
            .read_at(0, 0, 512, 4096, &std::sync::atomic::AtomicBool::new(false))?;
    }
    Ok(loaded.layers.len())
}

/// The `manifest` target: the input is JSON documents separated by NUL bytes. The first is
/// `manifest.json` when it starts with `[`, `index.json` otherwise; the others are stored under
/// their digest as `blobs/sha256/<hex>`, `<hex>.json` and `<hex>/layer.tar`. A document may
/// name a later one as `@N` (N = 1..9), which becomes that document's hex digest, and the one
/// layer the harness provides as `@L`, so the fuzzer can change any document without breaking
/// the digests that name it. The input's last byte picks the `--image` and `--platform` asked
/// for, so choosing among several images is fuzzed too.
pub fn resolve_documents(input: &[u8]) -> Result<usize, ReadError> {
    let mut docs: Vec<Vec<u8>> = input.split(|&b| b == 0).map(<[u8]>::to_vec).collect();
    docs.truncate(10);
    let layer = layer().map_err(|source| ReadError::Open { source })?;
    let layer_hex = hex(&layer);
    let mut hexes = vec![String::new(); docs.len()];
    for k in (0..docs.len()).rev() {
        let mut doc = replace(&docs[k], b"@L", layer_hex.as_bytes());
        for (n, hex) in hexes.iter().enumerate().skip(k + 1) {
            doc = replace(&doc, format!("@{n}").as_bytes(), hex.as_bytes());
        }
        hexes[k] = hex(&doc);
        docs[k] = doc;
    }
    let top = if docs[0].trim_ascii_start().starts_with(b"[") {
        "manifest.json"
    } else {
        "index.json"
    };
    let mut files = vec![
        (top.to_owned(), docs[0].clone()),
        (
            "oci-layout".to_owned(),
            br#"{"imageLayoutVersion":"1.0.0"}"#.to_vec(),
        ),
    ];
    let blobs = docs.iter().zip(&hexes).skip(1);
    for (doc, hex) in blobs.chain(std::iter::once((&layer, &layer_hex))) {
        for name in [
            format!("blobs/sha256/{hex}"),
            format!("{hex}.json"),
            format!("{hex}/layer.tar"),
        ] {
            files.push((name, doc.clone()));
        }
    }
    let archive = outer(&files).map_err(|source| ReadError::Open { source })?;
    let file = on_disk(&archive).map_err(|source| ReadError::Open { source })?;
    let selector = input.last().copied().unwrap_or(0);
    let options = Options {
        image: match selector % 4 {
            1 => Some("latest".to_owned()),
            2 => Some("tiny".to_owned()),
            3 => Some("1".to_owned()),
            _ => None,
        },
        platform: match (selector / 4) % 3 {
            1 => Some(Platform::parse("linux/arm64")?),
            2 => Some(Platform::parse("linux/arm/v7")?),
            _ => None,
        },
        ..options(true)
    };
    let loaded = load(file.path(), &options, &walk_layer)?;
    Ok(loaded.layers.len())
}

/// The layer every document may name: one small file.
fn layer() -> std::io::Result<Vec<u8>> {
    let mut b = tar::Builder::new(Vec::new());
    let mut h = tar::Header::new_gnu();
    h.set_size(6);
    h.set_mode(0o644);
    b.append_data(&mut h, "etc/motd", &b"hello\n"[..])?;
    b.into_inner()
}

fn replace(haystack: &[u8], needle: &[u8], with: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(haystack.len());
    let mut rest = haystack;
    while let Some(at) = rest.windows(needle.len()).position(|w| w == needle) {
        out.extend_from_slice(&rest[..at]);
        out.extend_from_slice(with);
        rest = &rest[at + needle.len()..];
    }
    out.extend_from_slice(rest);
    out
}

fn hex(data: &[u8]) -> String {
    use std::fmt::Write as _;
    Sha256::digest(data)
        .iter()
        .fold(String::with_capacity(64), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

fn outer(files: &[(String, Vec<u8>)]) -> std::io::Result<Vec<u8>> {
    let mut b = tar::Builder::new(Vec::new());
    for (name, data) in files {
        let mut h = tar::Header::new_gnu();
        h.set_mode(0o644);
        h.set_size(data.len() as u64);
        b.append_data(&mut h, name, data.as_slice())?;
    }
    b.into_inner()
}
