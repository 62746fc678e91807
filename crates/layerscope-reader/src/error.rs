use std::path::PathBuf;

use layerscope_tar::TarError;

/// Every way an image can fail to open or read. Each names what the user must look at.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("cannot open: {source}")]
    Open {
        #[source]
        source: std::io::Error,
    },
    #[error("not an image archive: {reason}")]
    NotAnImage { reason: String },
    #[error("archive: {source}")]
    Archive {
        #[source]
        source: TarError,
    },
    #[error("entry `{name}`: {source}")]
    EntryIo {
        name: String,
        #[source]
        source: std::io::Error,
    },
    #[error("the archive has no entry `{name}` ({wanted_by})")]
    MissingEntry { name: String, wanted_by: String },
    #[error("entry `{name}` is not valid JSON for {what}: {source}")]
    Json {
        name: String,
        what: &'static str,
        #[source]
        source: serde_json::Error,
    },
    #[error("entry `{name}` is {size} bytes; metadata larger than {limit} bytes is refused")]
    JsonTooLarge { name: String, size: u64, limit: u64 },
    #[error("entry `{name}`: link loop or link to nowhere")]
    BadLink { name: String },
    #[error("entry `{name}` is an OCI artifact ({media_type}), not a container image")]
    Artifact { name: String, media_type: String },
    #[error(
        "entry `{name}` has media type {media_type}, which layerscope does not read (OCI and Docker schema 2 image manifests and indexes are)"
    )]
    UnknownMediaType { name: String, media_type: String },
    #[error("no image for platform {wanted}; available: {available}")]
    NoSuchPlatform { wanted: String, available: String },
    #[error("no image named `{wanted}`; the archive has: {available}")]
    NoSuchImage { wanted: String, available: String },
    #[error("bad platform `{0}`: expected os/arch or os/arch/variant, such as linux/arm64")]
    BadPlatform(String),
    #[error("digest `{digest}` in `{name}`: {reason}")]
    BadDigest {
        name: String,
        digest: String,
        reason: &'static str,
    },
    #[error(
        "the config `{name}` lists {diff_ids} layer diff_ids but the manifest names {layers} layers"
    )]
    LayerCount {
        name: String,
        diff_ids: usize,
        layers: usize,
    },
    #[error(
        "layer {index} (`{name}`): {kind} digest mismatch: expected {expected}, found {actual}"
    )]
    DigestMismatch {
        index: usize,
        name: String,
        kind: &'static str,
        expected: String,
        actual: String,
    },
    #[error("{what} `{name}`: digest mismatch: expected {expected}, found {actual}")]
    MetadataDigestMismatch {
        what: &'static str,
        name: String,
        expected: String,
        actual: String,
    },
    #[error(
        "entry `{name}` is stored as a sparse file; image archives never are (repack it without --sparse)"
    )]
    SparseEntry { name: String },
    #[error("layer {index} (`{name}`): {source}")]
    Layer {
        index: usize,
        name: String,
        #[source]
        source: LayerError,
    },
    /// A registry or engine failed; its message names the reference and the host or engine.
    #[error("`{name}`: {source}")]
    Source {
        name: String,
        #[source]
        source: crate::SourceError,
    },
    /// The stream an engine writes failed before it ended, or could not be opened again.
    #[error("{source}")]
    Stream {
        #[source]
        source: crate::SourceError,
    },
    #[error(
        "the index names platform {platform} but the archive does not hold its image (`{manifest}`); it has: {available}"
    )]
    PlatformAbsent {
        platform: String,
        manifest: String,
        available: String,
    },
    #[error("path {}: {source}", path.display())]
    Path {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// What went wrong inside one layer's bytes.
#[derive(Debug, thiserror::Error)]
pub enum LayerError {
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("compressed with {0}, which is not supported (gzip, zstd or plain tar only)")]
    Compression(&'static str),
    #[error(
        "decompresses past {limit} bytes; refused as a likely decompression bomb (raise --max-layer-size to allow)"
    )]
    Bomb { limit: u64 },
    #[error("{0}")]
    Content(Box<dyn std::error::Error + Send + Sync>),
}
