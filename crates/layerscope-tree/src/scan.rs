//! Reading one layer's tar into compact records, hashing every file on the way.

use std::hash::Hasher as _;
use std::io::{BufRead, Read};

use layerscope_tar::{EntryType, Limits, TarError, TarReader};
use twox_hash::XxHash3_64;

use crate::entry::{Entry, EntryKind, NO_LINK};
use crate::image::{Layer, NodeId, TreeError, index};
use crate::path::{Marker, classify};

/// One tar entry, named by its cleaned path; interned into an [`ImageTree`](crate::ImageTree) later.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawEntry {
    /// Cleaned path; for a whiteout the path it deletes, for an opaque marker its directory.
    pub path: Box<str>,
    pub kind: EntryKind,
    pub mode: u32,
    pub uid: u32,
    pub gid: u32,
    /// The tar header's size field (what dive counts) for an entry that holds data; 0 for a
    /// directory, link, device or fifo, whatever its header claims.
    pub size: u64,
    /// xxh3 of the content for regular files, 0 otherwise.
    pub hash: u64,
    pub link: Option<Box<str>>,
    /// Where the data starts in the decompressed layer, to read the file again on demand.
    pub data_offset: u64,
}

/// Everything one layer's tar said, before paths are shared between layers.
///
/// Every layer's scan is alive at once until the tree is built, so a scan is already the
/// layer's records: paths and link targets wait end to end in one string, and the tree fills
/// in the node of each record where it lies ([`LayerScan::into_layer`]), so no record is copied
/// and no path costs an allocation of its own.
#[derive(Debug, Clone)]
pub struct LayerScan<F> {
    /// Until interned, a record's `node` is where its path starts in `text` and its `link`
    /// where its link target starts there ([`NO_LINK`] for none); either ends where the next
    /// thing starts.
    entries: Vec<Entry>,
    text: String,
    /// Σ of the entries' sizes, duplicates included: dive's layer size. Only sizes backed by
    /// data count, so it never exceeds the bytes the layer's tar really holds.
    pub size_bytes: u64,
    /// Length of the decompressed tar stream.
    pub tar_bytes: u64,
    /// What the inspector found, by index into the entries.
    pub findings: Vec<(u32, F)>,
}

impl<F> Default for LayerScan<F> {
    fn default() -> Self {
        LayerScan {
            entries: Vec::new(),
            text: String::new(),
            size_bytes: 0,
            tar_bytes: 0,
            findings: Vec::new(),
        }
    }
}

impl<F> LayerScan<F> {
    /// Appends one entry; fails only when the layer outgrows a 32-bit index.
    pub fn push(&mut self, entry: &RawEntry) -> Result<(), TreeError> {
        const TEXT: &str = "bytes of paths in one layer";
        index(self.entries.len(), "entries in one layer")?;
        let start = index(self.text.len(), TEXT)?;
        self.text.push_str(&entry.path);
        let link = match &entry.link {
            Some(target) => {
                let at = index(self.text.len(), TEXT)?;
                self.text.push_str(target);
                at
            }
            None => NO_LINK,
        };
        index(self.text.len(), TEXT)?;
        self.entries.push(Entry {
            node: start,
            kind: entry.kind,
            mode: entry.mode,
            uid: entry.uid,
            gid: entry.gid,
            link,
            size: entry.size,
            hash: entry.hash,
            data_offset: entry.data_offset,
        });
        Ok(())
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The path and link target of record `i`, read from the text.
    fn spans(&self, i: usize) -> (&str, Option<&str>) {
        let e = &self.entries[i];
        let end = self
            .entries
            .get(i + 1)
            .map_or(self.text.len(), |next| next.node as usize);
        let start = e.node as usize;
        if e.link == NO_LINK {
            (self.text.get(start..end).unwrap_or_default(), None)
        } else {
            let at = e.link as usize;
            let path = self.text.get(start..at).unwrap_or_default();
            (path, Some(self.text.get(at..end).unwrap_or_default()))
        }
    }

    /// The layer these records make, with `intern` giving each path its node and each link
    /// target its index. The findings stay behind.
    pub(crate) fn into_layer(
        mut self,
        mut intern: impl FnMut(&str, Option<&str>) -> Result<(NodeId, u32), TreeError>,
    ) -> Result<Layer, TreeError> {
        // In tar order: a record's span ends where the next one starts, read before it is
        // overwritten.
        for i in 0..self.entries.len() {
            let (path, link) = self.spans(i);
            let (node, link) = intern(path, link)?;
            let e = &mut self.entries[i];
            e.node = node;
            e.link = link;
        }
        Ok(Layer {
            entries: self.entries,
            size_bytes: self.size_bytes,
            tar_bytes: self.tar_bytes,
        })
    }

    /// Gives back what growing left over, as the scan is kept until every layer is read.
    fn shrink_to_fit(&mut self) {
        self.entries.shrink_to_fit();
        self.text.shrink_to_fit();
        self.findings.shrink_to_fit();
    }
}

/// Looks at file contents while the layer streams past, so nothing reads the archive twice.
pub trait Inspector: Sync {
    type Finding: Send;
    /// Whether `inspect` wants this regular file's content (the whole of it is buffered).
    fn wants(&self, path: &str, size: u64) -> bool;
    fn inspect(&self, path: &str, content: &[u8], findings: &mut Vec<Self::Finding>);
}

/// An inspector that looks at nothing.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoInspector;

impl Inspector for NoInspector {
    type Finding = std::convert::Infallible;
    fn wants(&self, _: &str, _: u64) -> bool {
        false
    }
    fn inspect(&self, _: &str, _: &[u8], _: &mut Vec<Self::Finding>) {}
}

/// Why a layer could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ScanError {
    #[error(transparent)]
    Tar(#[from] TarError),
    #[error(transparent)]
    Tree(#[from] TreeError),
    #[error("entry `{path}`: {source}")]
    Data {
        path: String,
        #[source]
        source: std::io::Error,
    },
}

/// Reads a whole layer tar. The reader is left at the end-of-archive marker.
pub fn scan_layer<R: BufRead, I: Inspector>(
    reader: R,
    limits: Limits,
    inspector: &I,
) -> Result<LayerScan<I::Finding>, ScanError> {
    let mut tar = TarReader::new(reader, limits);
    let mut scan = LayerScan::default();
    let mut buffer = Vec::new();
    let mut found = Vec::new();
    while let Some(header) = tar.next_header()? {
        // Only a regular file's size is backed by bytes in the archive; a directory, link,
        // device or fifo weighs nothing, whatever its header claims, so a few forged headers
        // cannot inflate the figures a CI gate compares. Real archives write 0 there.
        let size = match header.entry_type {
            EntryType::Regular | EntryType::Other(_) => header.size,
            _ => 0,
        };
        scan.size_bytes = scan.size_bytes.saturating_add(size);
        let name = String::from_utf8_lossy(&header.path);
        let (path, kind) = match classify(&name) {
            Marker::Root | Marker::Meta(_) => continue,
            Marker::Whiteout(p) => (p, EntryKind::Whiteout),
            Marker::Opaque(p) => (p, EntryKind::Opaque),
            Marker::Plain(p) => (p, kind_of(header.entry_type)),
        };
        let mut hash = 0;
        if kind == EntryKind::File {
            let mut data = tar.data();
            let result = if inspector.wants(&path, header.size) {
                with_whole(&mut data, header.size, &mut buffer, |content| {
                    inspector.inspect(&path, content, &mut found);
                    XxHash3_64::oneshot(content)
                })
            } else {
                hash_stream(&mut data)
            };
            hash = result.map_err(|source| ScanError::Data {
                path: path.clone(),
                source,
            })?;
        }
        let at = index(scan.len(), "entries in one layer")?;
        scan.findings.extend(found.drain(..).map(|f| (at, f)));
        let link = match header.entry_type {
            EntryType::HardLink => Some(
                crate::path::normalize(&String::from_utf8_lossy(&header.link)).into_boxed_str(),
            ),
            EntryType::Symlink => Some(String::from_utf8_lossy(&header.link).into()),
            _ => None,
        };
        scan.push(&RawEntry {
            path: path.into_boxed_str(),
            kind,
            mode: header.mode,
            uid: u32::try_from(header.uid).unwrap_or(u32::MAX),
            gid: u32::try_from(header.gid).unwrap_or(u32::MAX),
            size,
            hash,
            link,
            data_offset: header.data_offset,
        })?;
    }
    scan.tar_bytes = tar.position();
    scan.shrink_to_fit();
    Ok(scan)
}

/// Runs `f` on the whole of a file of `size` bytes that `data` holds: on the reader's own
/// buffer when the file lies in it whole, as most small files do, else on a copy in `buffer`.
fn with_whole<T>(
    data: &mut impl BufRead,
    size: u64,
    buffer: &mut Vec<u8>,
    f: impl FnOnce(&[u8]) -> T,
) -> std::io::Result<T> {
    let buffered = data.fill_buf()?;
    if buffered.len() as u64 == size {
        let whole = buffered.len();
        let answer = f(buffered);
        data.consume(whole);
        return Ok(answer);
    }
    read_whole(data, buffer).map(f)
}

/// Everything `data` holds, read into `buffer`. The buffer only grows and keeps its length, so
/// its bytes stay initialised: reading into a cleared `Vec` zeroes its room first, every file
/// again (4 % of the unchecked read of a 2.9 GB image).
fn read_whole<'b>(data: &mut impl Read, buffer: &'b mut Vec<u8>) -> std::io::Result<&'b [u8]> {
    let mut filled = 0;
    loop {
        if filled == buffer.len() {
            buffer.resize((buffer.len() * 2).max(64 * 1024), 0);
        }
        match data.read(&mut buffer[filled..]) {
            Ok(0) => return Ok(&buffer[..filled]),
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}

fn hash_stream(data: &mut impl BufRead) -> std::io::Result<u64> {
    let mut hasher = XxHash3_64::new();
    loop {
        let chunk = data.fill_buf()?;
        if chunk.is_empty() {
            return Ok(hasher.finish());
        }
        hasher.write(chunk);
        let n = chunk.len();
        data.consume(n);
    }
}

fn kind_of(t: EntryType) -> EntryKind {
    match t {
        EntryType::Regular | EntryType::Other(_) => EntryKind::File,
        EntryType::HardLink => EntryKind::Hardlink,
        EntryType::Symlink => EntryKind::Symlink,
        EntryType::Directory => EntryKind::Dir,
        EntryType::Char => EntryKind::Char,
        EntryType::Block => EntryKind::Block,
        EntryType::Fifo => EntryKind::Fifo,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(path: &str, link: Option<&str>) -> RawEntry {
        RawEntry {
            path: path.into(),
            kind: if link.is_some() {
                EntryKind::Symlink
            } else {
                EntryKind::File
            },
            mode: 0o644,
            uid: 1,
            gid: 2,
            size: 3,
            hash: 4,
            link: link.map(Into::into),
            data_offset: 5,
        }
    }

    #[test]
    fn a_scan_gives_back_each_path_and_link_as_pushed() {
        let mut scan = LayerScan::<()>::default();
        for e in [
            entry("etc/passwd", None),
            entry("bin/sh", Some("busybox")),
            entry("", None),
            entry("lib/empty-link", Some("")),
            entry("usr/ü", None),
        ] {
            scan.push(&e).unwrap();
        }
        let back: Vec<_> = (0..scan.len())
            .map(|i| {
                let (path, link) = scan.spans(i);
                (path, link, scan.entries[i].size)
            })
            .collect();
        assert_eq!(
            back,
            [
                ("etc/passwd", None, 3),
                ("bin/sh", Some("busybox"), 3),
                ("", None, 3),
                ("lib/empty-link", Some(""), 3),
                ("usr/ü", None, 3),
            ]
        );
        assert_eq!(scan.len(), 5);
    }

    #[test]
    fn a_file_is_seen_whole_in_the_readers_buffer_or_across_its_refills() {
        let file = b"token=0123456789abcdef tail".as_slice();
        for capacity in [4, 7, file.len(), 4096] {
            let mut data = std::io::BufReader::with_capacity(capacity, file);
            let mut buffer = Vec::new();
            let seen = with_whole(&mut data, file.len() as u64, &mut buffer, <[u8]>::to_vec)
                .expect("read");
            assert_eq!(seen, file, "capacity {capacity}");
            assert!(
                data.fill_buf().expect("end").is_empty(),
                "capacity {capacity}"
            );
        }
    }
}
