//! Where an image's bytes come from: a path on disk, a stream an engine writes (read once, and
//! opened again for a file view), or manifests and blobs fetched by digest (a registry).

use std::io::Read;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use crate::digest::Digest;

/// What a source says went wrong: its message already names the reference and the host or
/// engine, so the reader passes it on as it is.
pub type SourceError = Box<dyn std::error::Error + Send + Sync>;

/// Opens the stream again from its start; the flag asks a read in progress to stop.
pub type Opener = dyn Fn(&AtomicBool) -> Result<Box<dyn Read + Send>, SourceError> + Send + Sync;

/// Who holds the image, as the report names its source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// A file or directory the user named.
    File,
    /// The Docker engine (`docker://`).
    Docker,
    /// Podman (`podman://`).
    Podman,
    /// A registry, read without any daemon (`registry://`).
    Registry,
}

/// An image's bytes, wherever they are.
#[derive(Debug)]
pub enum Input {
    /// A `docker save` archive (any layout, compressed or not), an oci-archive, an OCI layout
    /// directory or a containers `dir:` directory.
    Path(PathBuf),
    /// A tar stream (`docker save` output), read in one pass as it arrives.
    Stream(Stream),
    /// A registry's manifests and blobs.
    Remote(Remote),
}

/// A stream an engine writes: `docker save` of one image.
#[derive(Clone)]
pub struct Stream {
    pub origin: Origin,
    pub open: Arc<Opener>,
}

/// Fetches manifests and blobs by digest. Every byte it returns is checked against its digest
/// by the reader.
pub trait Blobs: Send + Sync {
    /// A manifest or index, read whole (at most `limit` bytes).
    fn manifest(&self, digest: &Digest, limit: u64) -> Result<Vec<u8>, SourceError>;
    /// A small blob (a config), read whole (at most `limit` bytes).
    fn blob_small(&self, digest: &Digest, limit: u64) -> Result<Vec<u8>, SourceError>;
    /// A layer blob as it streams in.
    fn blob(&self, digest: &Digest) -> Result<Box<dyn Read + Send>, SourceError>;
}

/// An image in a registry: the manifest (or index) its reference names, and the blobs behind it.
#[derive(Clone)]
pub struct Remote {
    pub blobs: Arc<dyn Blobs>,
    /// The manifest or index the reference resolved to, as the registry sent it.
    pub manifest: Vec<u8>,
    pub media_type: String,
    /// Its digest: the registry's `Docker-Content-Digest`, checked against the bytes.
    pub digest: Digest,
    /// The reference as the user named it, recorded as the image's tag.
    pub reference: String,
}

impl std::fmt::Debug for Stream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Stream")
            .field("origin", &self.origin)
            .finish_non_exhaustive()
    }
}

impl std::fmt::Debug for Remote {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Remote")
            .field("reference", &self.reference)
            .field("digest", &self.digest.to_string())
            .finish_non_exhaustive()
    }
}
