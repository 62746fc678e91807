//! The image a report is about: where it came from and its layers.

use schemars::JsonSchema;
use serde::Serialize;

/// Where the image was read from, in dive's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Source {
    /// A `docker save` archive (any layout).
    DockerArchive,
    /// An `oci-archive` tarball.
    OciArchive,
    /// An OCI image layout directory.
    Oci,
    /// A containers `dir:` directory.
    Dir,
    /// The Docker engine.
    Docker,
    /// Podman.
    Podman,
    /// A registry, read without a daemon.
    Registry,
}

impl Source {
    /// The name dive prints (`Image Source: docker-archive://…`).
    pub fn as_str(self) -> &'static str {
        match self {
            Source::DockerArchive => "docker-archive",
            Source::OciArchive => "oci-archive",
            Source::Oci => "oci",
            Source::Dir => "dir",
            Source::Docker => "docker",
            Source::Podman => "podman",
            Source::Registry => "registry",
        }
    }
}

/// The image as a whole.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ImageSummary {
    /// The image as the user named it, without a transport prefix.
    pub name: String,
    pub source: Source,
    /// The digest of the image manifest, where the source has one (a registry, an OCI layout).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub manifest_digest: Option<String>,
    /// The platform of the image analysed (`linux/amd64`, `linux/arm/v7`), from its config.
    pub platform: String,
    /// `sha256:` of the image config: the image id.
    pub config_digest: String,
    /// The tags the archive records for it.
    pub tags: Vec<String>,
    /// Bottom first.
    pub layers: Vec<LayerSummary>,
}

/// One layer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct LayerSummary {
    /// Position from the bottom, from 0; every other part of the report names layers by it.
    pub index: usize,
    /// The layer's `diff_id`: the digest of its uncompressed tar.
    pub digest: String,
    /// The digest of the blob as stored, when the layout names one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub blob_digest: Option<String>,
    /// The id dive shows for it: the first part of its name in a `docker save` archive, else
    /// the digest's hex.
    pub id: String,
    /// Σ of the sizes of its entries (dive's layer size).
    pub size_bytes: u64,
    /// The build step that made it, whole, with every secret value a finding found masked;
    /// `null` when the history does not say.
    pub command: Option<String>,
}
