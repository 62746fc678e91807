//! Where an image's files live: an OCI layout directory, a tar archive on disk (indexed once,
//! then read by seeking), or the small files kept from a single streaming pass.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use std::sync::Arc;

use layerscope_tar::{EntryType, Header, Limits, TarReader};

use crate::digest::Digest;
use crate::error::ReadError;
use crate::input::Blobs;

pub use layerscope_tar::clean_name as clean;

#[derive(Debug, Clone)]
pub(crate) enum Node {
    File { offset: u64, size: u64 },
    Link(String),
    Other,
}

/// The entries of a tar archive on disk: where each one's data lies.
#[derive(Debug)]
pub(crate) struct TarIndex {
    pub path: PathBuf,
    pub entries: HashMap<String, Node>,
}

impl TarIndex {
    /// Reads every header, seeking over the data, so indexing costs one read per entry.
    pub fn build(path: &Path, file: File) -> Result<Self, ReadError> {
        let len = file
            .metadata()
            .map_err(|source| ReadError::Open { source })?
            .len();
        let mut tar = TarReader::new(BufReader::with_capacity(64 * 1024, file), Limits::default());
        let mut entries = HashMap::new();
        while let Some(h) = tar
            .next_header()
            .map_err(|source| ReadError::Archive { source })?
        {
            let name = clean(&String::from_utf8_lossy(&h.path));
            refuse_sparse(&name, &h)?;
            // Seeking past the end of a file succeeds, so a cut archive must be caught here.
            if h.entry_type == EntryType::Regular && h.data_offset.saturating_add(h.stored) > len {
                return Err(ReadError::Archive {
                    source: layerscope_tar::TarError::Truncated { offset: len },
                });
            }
            let node = match h.entry_type {
                EntryType::Regular => Node::File {
                    offset: h.data_offset,
                    size: h.stored,
                },
                EntryType::Symlink => {
                    Node::Link(link_target(&name, &String::from_utf8_lossy(&h.link)))
                }
                EntryType::HardLink => Node::Link(clean(&String::from_utf8_lossy(&h.link))),
                _ => Node::Other,
            };
            entries.insert(name, node);
            tar.seek_past_data()
                .map_err(|source| ReadError::Archive { source })?;
        }
        Ok(TarIndex {
            path: path.to_owned(),
            entries,
        })
    }
}

/// A sparse entry's stored bytes are not its content, and expanding one would let a few bytes
/// stand for gigabytes of zeros; no tool writes an image archive that way.
pub(crate) fn refuse_sparse(name: &str, header: &Header) -> Result<(), ReadError> {
    if header.is_sparse() {
        return Err(ReadError::SparseEntry {
            name: name.to_owned(),
        });
    }
    Ok(())
}

/// A symlink's target as an archive name: relative targets resolve against the link's folder.
pub(crate) fn link_target(name: &str, target: &str) -> String {
    if target.starts_with('/') {
        return clean(target);
    }
    match name.rfind('/') {
        Some(i) => clean(&format!("{}/{target}", &name[..i])),
        None => clean(target),
    }
}

/// The files of an image, wherever they are.
#[derive(Debug)]
pub(crate) enum Store {
    Dir(PathBuf),
    /// A containers `dir:` directory (skopeo, `podman save --format docker-dir`): the manifest
    /// as `manifest.json`, every blob named by its hex digest, the manifests of an index's
    /// images as `<hex>.manifest.json`. Blob names (`blobs/sha256/<hex>`) are mapped onto it.
    ContainersDir(PathBuf),
    Tar(TarIndex),
    /// From a streaming pass: metadata files by name, links, and the names of layer blobs seen.
    Memory {
        files: HashMap<String, Vec<u8>>,
        links: HashMap<String, String>,
    },
    /// A registry: manifests and blobs fetched by digest.
    Remote(RemoteBlobs),
}

/// The registry behind a [`Store::Remote`].
pub(crate) struct RemoteBlobs(pub Arc<dyn Blobs>);

impl std::fmt::Debug for RemoteBlobs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RemoteBlobs")
    }
}

/// The digest a blob name spells (`blobs/sha256/<hex>`), if it spells one.
pub(crate) fn digest_of(name: &str) -> Option<Digest> {
    let rest = name.strip_prefix("blobs/")?;
    let (alg, hex) = rest.split_once('/')?;
    Digest::parse(&format!("{alg}:{hex}")).ok()
}

/// Where a blob name lies in a containers `dir:` directory; a manifest of an index's image is
/// stored as `<hex>.manifest.json`.
fn in_containers_dir(root: &Path, name: &str, manifest: bool) -> PathBuf {
    match digest_of(name) {
        Some(d) if manifest && root.join(format!("{}.manifest.json", d.hex)).is_file() => {
            root.join(format!("{}.manifest.json", d.hex))
        }
        Some(d) => root.join(&d.hex),
        None => root.join(name),
    }
}

fn source_error(name: &str, source: crate::SourceError) -> ReadError {
    ReadError::Source {
        name: name.to_owned(),
        source,
    }
}

impl Store {
    /// Follows links to the name that holds the data.
    pub fn resolve(&self, name: &str) -> Result<String, ReadError> {
        let mut name = clean(name);
        for _ in 0..16 {
            let next = match self {
                Store::Tar(index) => match index.entries.get(&name) {
                    Some(Node::Link(target)) => Some(target.clone()),
                    _ => None,
                },
                Store::Memory { links, .. } => links.get(&name).cloned(),
                Store::Dir(_) | Store::ContainersDir(_) | Store::Remote(_) => None,
            };
            match next {
                Some(target) => name = target,
                None => return Ok(name),
            }
        }
        Err(ReadError::BadLink { name })
    }

    /// The stored size of a file, when cheap to know.
    pub fn size_of(&self, name: &str) -> Option<u64> {
        let name = self.resolve(name).ok()?;
        match self {
            Store::Dir(root) => std::fs::metadata(root.join(&name)).ok().map(|m| m.len()),
            Store::Tar(index) => match index.entries.get(&name) {
                Some(&Node::File { size, .. }) => Some(size),
                _ => None,
            },
            Store::ContainersDir(root) => std::fs::metadata(in_containers_dir(root, &name, false))
                .ok()
                .map(|m| m.len()),
            Store::Memory { files, .. } => files.get(&name).map(|f| f.len() as u64),
            Store::Remote(_) => None,
        }
    }

    pub fn contains(&self, name: &str) -> bool {
        let Ok(name) = self.resolve(name) else {
            return false;
        };
        match self {
            Store::Dir(root) => root.join(&name).is_file(),
            Store::Tar(index) => matches!(index.entries.get(&name), Some(Node::File { .. })),
            Store::ContainersDir(root) => in_containers_dir(root, &name, false).is_file(),
            Store::Memory { files, .. } => files.contains_key(&name),
            // Asking costs a request; a blob that is not there fails when it is fetched.
            Store::Remote(_) => digest_of(&name).is_some(),
        }
    }

    /// Reads a whole manifest or index: the same as [`Store::read_small`] but where manifests
    /// are kept apart from blobs (a registry, a `dir:` directory).
    pub fn read_manifest(&self, name: &str, limit: u64) -> Result<Option<Vec<u8>>, ReadError> {
        match self {
            Store::Remote(blobs) => {
                let Some(digest) = digest_of(name) else {
                    return Ok(None);
                };
                blobs
                    .0
                    .manifest(&digest, limit)
                    .map(Some)
                    .map_err(|e| source_error(name, e))
            }
            Store::ContainersDir(root) => {
                read_file(&in_containers_dir(root, name, true), name, limit)
            }
            _ => self.read_small(name, limit),
        }
    }

    /// Reads a whole metadata file, refusing anything over `limit` bytes.
    pub fn read_small(&self, name: &str, limit: u64) -> Result<Option<Vec<u8>>, ReadError> {
        let name = self.resolve(name)?;
        let too_large = |size| ReadError::JsonTooLarge {
            name: name.clone(),
            size,
            limit,
        };
        let io = |source| ReadError::EntryIo {
            name: name.clone(),
            source,
        };
        match self {
            Store::Memory { files, .. } => Ok(files.get(&name).cloned()),
            Store::Remote(blobs) => {
                let Some(digest) = digest_of(&name) else {
                    return Ok(None);
                };
                blobs
                    .0
                    .blob_small(&digest, limit)
                    .map(Some)
                    .map_err(|e| source_error(&name, e))
            }
            Store::Dir(root) => read_file(&root.join(&name), &name, limit),
            Store::ContainersDir(root) => {
                read_file(&in_containers_dir(root, &name, false), &name, limit)
            }
            Store::Tar(index) => {
                let Some(&Node::File { offset, size }) = index.entries.get(&name) else {
                    return Ok(None);
                };
                if size > limit {
                    return Err(too_large(size));
                }
                let mut data = Vec::with_capacity(size as usize);
                open_section(&index.path, offset, size)
                    .and_then(|mut r| r.read_to_end(&mut data))
                    .map_err(io)?;
                Ok(Some(data))
            }
        }
    }

    /// A stream of one blob's raw (possibly compressed) bytes, and its length when known.
    pub fn open(&self, name: &str) -> Result<(Box<dyn Read + Send>, Option<u64>), ReadError> {
        let name = self.resolve(name)?;
        let io = |source| ReadError::EntryIo {
            name: name.clone(),
            source,
        };
        match self {
            Store::Dir(root) => {
                let file = File::open(root.join(&name)).map_err(io)?;
                let len = file.metadata().ok().map(|m| m.len());
                Ok((Box::new(file), len))
            }
            Store::Tar(index) => match index.entries.get(&name) {
                Some(&Node::File { offset, size }) => Ok((
                    open_section(&index.path, offset, size).map_err(io)?,
                    Some(size),
                )),
                _ => Err(ReadError::MissingEntry {
                    name,
                    wanted_by: "a layer".into(),
                }),
            },
            Store::ContainersDir(root) => {
                let file = File::open(in_containers_dir(root, &name, false)).map_err(io)?;
                let len = file.metadata().ok().map(|m| m.len());
                Ok((Box::new(file), len))
            }
            Store::Remote(blobs) => {
                let digest = digest_of(&name).ok_or_else(|| ReadError::MissingEntry {
                    name: name.clone(),
                    wanted_by: "a layer".into(),
                })?;
                let blob = blobs.0.blob(&digest).map_err(|e| source_error(&name, e))?;
                Ok((blob, None))
            }
            Store::Memory { .. } => Err(ReadError::MissingEntry {
                name,
                wanted_by: "a layer read again after a streaming pass".into(),
            }),
        }
    }
}

/// A whole metadata file from disk, refusing anything over `limit` bytes; `None` when there is
/// no such file.
fn read_file(path: &Path, name: &str, limit: u64) -> Result<Option<Vec<u8>>, ReadError> {
    let Ok(meta) = std::fs::metadata(path) else {
        return Ok(None);
    };
    if !meta.is_file() {
        return Ok(None);
    }
    if meta.len() > limit {
        return Err(ReadError::JsonTooLarge {
            name: name.to_owned(),
            size: meta.len(),
            limit,
        });
    }
    let mut data = Vec::new();
    File::open(path)
        .and_then(|f| f.take(limit + 1).read_to_end(&mut data))
        .map_err(|source| ReadError::EntryIo {
            name: name.to_owned(),
            source,
        })?;
    Ok(Some(data))
}

fn open_section(path: &Path, offset: u64, size: u64) -> std::io::Result<Box<dyn Read + Send>> {
    let mut file = File::open(path)?;
    file.seek(SeekFrom::Start(offset))?;
    Ok(Box::new(file.take(size)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cleans_and_links() {
        assert_eq!(clean("./blobs/sha256/ab"), "blobs/sha256/ab");
        assert_eq!(clean("../../etc/passwd"), "etc/passwd");
        assert_eq!(link_target("abc/layer.tar", "../123.tar"), "123.tar");
        assert_eq!(link_target("abc/layer.tar", "/123.tar"), "123.tar");
        assert_eq!(link_target("layer.tar", "x.tar"), "x.tar");
    }
}
