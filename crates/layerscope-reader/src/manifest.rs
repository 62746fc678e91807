//! Finding the image in an archive: `manifest.json` (both `docker save` layouts), or an OCI
//! `index.json` or registry manifest (see [`crate::index`]), down to one config and its ordered
//! layer blobs.

use serde::Deserialize;

use crate::config::ImageConfig;
use crate::digest::{Digest, Hasher};
use crate::error::ReadError;
use crate::index;
use crate::platform::Platform;
use crate::store::{Store, clean, digest_of};

/// The archive layouts layerscope reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `docker save` before Docker 25, also as skopeo and podman write it.
    DockerArchive,
    /// `docker save` from Docker 25 on: an OCI layout plus `manifest.json`.
    DockerOciArchive,
    /// An `oci-archive` tarball.
    OciArchive,
    /// An OCI image layout directory.
    OciDir,
    /// A containers `dir:` directory (skopeo, `podman save --format docker-dir`).
    ContainersDir,
    /// A registry, read by digest.
    Registry,
}

impl Format {
    /// The source name dive prints (`docker-archive` for every `docker save` layout).
    pub fn source_name(self) -> &'static str {
        match self {
            Format::DockerArchive | Format::DockerOciArchive => "docker-archive",
            Format::OciArchive => "oci-archive",
            Format::OciDir => "oci",
            Format::ContainersDir => "dir",
            Format::Registry => "registry",
        }
    }
}

/// One layer blob to read, with what it must hash to.
#[derive(Debug, Clone)]
pub struct LayerBlob {
    /// Name of the blob in the archive or directory.
    pub name: String,
    /// The digest of the blob as stored, when the layout names one.
    pub blob_digest: Option<Digest>,
    /// The digest of the uncompressed tar, from the config's `rootfs.diff_ids`.
    pub diff_id: Digest,
    pub media_type: Option<String>,
    pub compressed_size: Option<u64>,
}

pub(crate) struct Resolved {
    pub format: Format,
    pub config_name: String,
    pub config: ImageConfig,
    pub tags: Vec<String>,
    pub layers: Vec<LayerBlob>,
    pub notes: Vec<String>,
    /// The digest of the image manifest, where the layout has one.
    pub manifest_digest: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct DockerManifest {
    config: String,
    #[serde(default)]
    repo_tags: Option<Vec<String>>,
    layers: Vec<String>,
}

/// What the resolution was asked for.
pub(crate) struct Want<'a> {
    pub image: Option<&'a str>,
    pub platform: Option<&'a Platform>,
    pub max_json: u64,
    pub archive_is_dir: bool,
    /// Whether a `docker save` config must match the digest its name spells.
    pub verify: bool,
}

pub(crate) fn resolve(store: &Store, want: &Want) -> Result<Resolved, ReadError> {
    checked(resolve_any(store, want)?, want)
}

/// The resolution, unless its image is of another platform than the one asked for.
pub(crate) fn checked(resolved: Resolved, want: &Want) -> Result<Resolved, ReadError> {
    // An archive of one image says nothing of platforms but its config: an image of another
    // platform than the one asked for is not shown in its place.
    if let Some(wanted) = want.platform {
        let c = &resolved.config.parsed;
        let (os, arch) = (c.os().to_string(), c.architecture().to_string());
        if !wanted.matches(&os, &arch, c.variant().as_deref()) {
            let mut found = format!("{os}/{arch}");
            if let Some(v) = c.variant() {
                found.push('/');
                found.push_str(v);
            }
            return Err(ReadError::NoSuchPlatform {
                wanted: wanted.to_string(),
                available: found,
            });
        }
    }
    Ok(resolved)
}

fn resolve_any(store: &Store, want: &Want) -> Result<Resolved, ReadError> {
    let index = store.read_small("index.json", want.max_json)?;
    if let Some(bytes) = store.read_small("manifest.json", want.max_json)? {
        // A containers `dir:` directory keeps a registry manifest (an object) there; `docker
        // save` a list of images.
        if bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{') {
            return index::resolve_document(store, want, "manifest.json", &bytes, None)
                .map(|r| with_format(r, Format::ContainersDir));
        }
        // Docker 25+ and the containerd image store write an index beside it: a platform is
        // chosen from the index, never quietly from the one image manifest.json names.
        if want.platform.is_some()
            && let Some(index) = &index
        {
            let mut resolved = index::resolve_oci(store, want, index)?;
            resolved.format = Format::DockerOciArchive;
            resolved.tags = docker_tags(&bytes, &resolved.config_name);
            return Ok(resolved);
        }
        let mut resolved = resolve_docker(store, want, &bytes)?;
        if let Some(index) = &index {
            resolved
                .notes
                .extend(index::absent_note(store, want, index));
        }
        return Ok(resolved);
    }
    if let Some(bytes) = index {
        return index::resolve_oci(store, want, &bytes);
    }
    Err(ReadError::NotAnImage {
        reason: "no manifest.json or index.json: not a docker save archive or OCI layout".into(),
    })
}

fn with_format(mut resolved: Resolved, format: Format) -> Resolved {
    resolved.format = format;
    resolved
}

/// The tags `manifest.json` gives the image whose config is `config_name`.
fn docker_tags(manifest: &[u8], config_name: &str) -> Vec<String> {
    let Ok(manifests) = serde_json::from_slice::<Vec<DockerManifest>>(manifest) else {
        return Vec::new();
    };
    manifests
        .into_iter()
        .find(|m| clean(&m.config) == config_name)
        .and_then(|m| m.repo_tags)
        .unwrap_or_default()
}

pub(crate) fn parse_json<T: serde::de::DeserializeOwned>(
    name: &str,
    what: &'static str,
    bytes: &[u8],
) -> Result<T, ReadError> {
    serde_json::from_slice(bytes).map_err(|source| ReadError::Json {
        name: name.to_owned(),
        what,
        source,
    })
}

pub(crate) fn read_required(
    store: &Store,
    name: &str,
    wanted_by: &str,
    limit: u64,
) -> Result<Vec<u8>, ReadError> {
    store
        .read_small(name, limit)?
        .ok_or_else(|| ReadError::MissingEntry {
            name: name.to_owned(),
            wanted_by: wanted_by.to_owned(),
        })
}

pub(crate) fn parse_digest(name: &str, digest: &str) -> Result<Digest, ReadError> {
    Digest::parse(digest).map_err(|reason| ReadError::BadDigest {
        name: name.to_owned(),
        digest: digest.to_owned(),
        reason,
    })
}

/// A metadata blob named by digest must hash to it.
pub(crate) fn verify_small(
    what: &'static str,
    name: &str,
    digest: &Digest,
    bytes: &[u8],
) -> Result<(), ReadError> {
    let mut h = Hasher::new(digest.algorithm);
    h.update(bytes);
    let actual = h.finish();
    if actual == digest.hex {
        Ok(())
    } else {
        let expected = digest.to_string();
        let algorithm = expected.split(':').next().unwrap_or("sha256");
        Err(ReadError::MetadataDigestMismatch {
            what,
            name: clean(name),
            actual: format!("{algorithm}:{actual}"),
            expected,
        })
    }
}

/// The digest a `docker save` config's name spells: `<hex>.json` as Docker before 25 and skopeo
/// name it, or `blobs/sha256/<hex>` from Docker 25 on.
fn config_digest_in_name(name: &str) -> Option<Digest> {
    let cleaned = clean(name);
    digest_of(&cleaned).or_else(|| {
        let file = cleaned.rsplit('/').next()?;
        let hex = file.strip_suffix(".json")?;
        Digest::parse(&format!("sha256:{hex}")).ok()
    })
}

fn resolve_docker(store: &Store, want: &Want, bytes: &[u8]) -> Result<Resolved, ReadError> {
    let manifests: Vec<DockerManifest> =
        parse_json("manifest.json", "a docker save manifest", bytes)?;
    let mut notes = Vec::new();
    let describe = |m: &DockerManifest| {
        m.repo_tags
            .as_ref()
            .and_then(|t| t.first().cloned())
            .unwrap_or_else(|| m.config.clone())
    };
    let chosen = match want.image {
        Some(name) => manifests
            .iter()
            .position(|m| {
                m.repo_tags.iter().flatten().any(|t| {
                    t == name
                        || t.strip_suffix(":latest") == Some(name)
                        || t.ends_with(&format!("/{name}"))
                })
            })
            .or_else(|| name.parse::<usize>().ok().filter(|&i| i < manifests.len())),
        None => (!manifests.is_empty()).then_some(0),
    };
    let Some(chosen) = chosen else {
        return Err(match want.image {
            Some(wanted) => ReadError::NoSuchImage {
                wanted: wanted.to_owned(),
                available: manifests
                    .iter()
                    .map(describe)
                    .collect::<Vec<_>>()
                    .join(", "),
            },
            None => ReadError::NotAnImage {
                reason: "manifest.json lists no image".into(),
            },
        });
    };
    if manifests.len() > 1 && want.image.is_none() {
        notes.push(format!(
            "the archive holds {} images ({}); showing the first; choose another with --image",
            manifests.len(),
            manifests
                .iter()
                .map(describe)
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    let m = &manifests[chosen];
    let config_bytes = read_required(store, &m.config, "manifest.json's Config", want.max_json)?;
    // The config's name is its digest: an edited config (history rewritten, say) no longer
    // matches it.
    if want.verify
        && let Some(d) = config_digest_in_name(&m.config)
    {
        verify_small("config", &m.config, &d, &config_bytes)?;
    }
    let config = ImageConfig::parse(&m.config, &config_bytes)?;
    let oci_layout = m.layers.iter().any(|l| clean(l).starts_with("blobs/"));
    let layers = pair_layers(
        &m.config,
        &config,
        m.layers
            .iter()
            .map(|l| (clean(l), digest_of(&clean(l)), None, None)),
    )?;
    Ok(Resolved {
        format: if oci_layout {
            Format::DockerOciArchive
        } else {
            Format::DockerArchive
        },
        config_name: clean(&m.config),
        config,
        tags: m.repo_tags.clone().unwrap_or_default(),
        layers,
        notes,
        manifest_digest: None,
    })
}

pub(crate) type LayerParts = (String, Option<Digest>, Option<String>, Option<u64>);

pub(crate) fn pair_layers(
    config_name: &str,
    config: &ImageConfig,
    layers: impl ExactSizeIterator<Item = LayerParts>,
) -> Result<Vec<LayerBlob>, ReadError> {
    if config.diff_ids.len() != layers.len() {
        return Err(ReadError::LayerCount {
            name: config_name.to_owned(),
            diff_ids: config.diff_ids.len(),
            layers: layers.len(),
        });
    }
    layers
        .zip(&config.diff_ids)
        .map(
            |((name, blob_digest, media_type, compressed_size), diff_id)| {
                Ok(LayerBlob {
                    diff_id: parse_digest(config_name, diff_id)?,
                    name,
                    blob_digest,
                    media_type,
                    compressed_size,
                })
            },
        )
        .collect()
}
