//! Finding the image in an archive: `manifest.json` (both `docker save` layouts) or an OCI
//! `index.json`, down to one config and its ordered layer blobs.

use serde::Deserialize;

use crate::config::ImageConfig;
use crate::digest::{Digest, Hasher};
use crate::error::ReadError;
use crate::platform::Platform;
use crate::store::{Store, clean};

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
}

impl Format {
    /// The source name dive prints (`docker-archive` for every `docker save` layout).
    pub fn source_name(self) -> &'static str {
        match self {
            Format::DockerArchive | Format::DockerOciArchive => "docker-archive",
            Format::OciArchive => "oci-archive",
            Format::OciDir => "oci",
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
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct DockerManifest {
    config: String,
    #[serde(default)]
    repo_tags: Option<Vec<String>>,
    layers: Vec<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Descriptor {
    #[serde(default)]
    media_type: Option<String>,
    digest: String,
    #[serde(default)]
    size: Option<u64>,
    #[serde(default)]
    platform: Option<DescriptorPlatform>,
    #[serde(default)]
    annotations: Option<std::collections::HashMap<String, String>>,
}

#[derive(Deserialize)]
struct DescriptorPlatform {
    os: String,
    architecture: String,
    #[serde(default)]
    variant: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Index {
    #[serde(default)]
    manifests: Vec<Descriptor>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Manifest {
    #[serde(default)]
    media_type: Option<String>,
    config: Descriptor,
    layers: Vec<Descriptor>,
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
    if let Some(bytes) = store.read_small("manifest.json", want.max_json)? {
        return resolve_docker(store, want, &bytes);
    }
    if let Some(bytes) = store.read_small("index.json", want.max_json)? {
        return resolve_oci(store, want, &bytes);
    }
    Err(ReadError::NotAnImage {
        reason: "no manifest.json or index.json: not a docker save archive or OCI layout".into(),
    })
}

fn parse_json<T: serde::de::DeserializeOwned>(
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

fn read_required(
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

fn parse_digest(name: &str, digest: &str) -> Result<Digest, ReadError> {
    Digest::parse(digest).map_err(|reason| ReadError::BadDigest {
        name: name.to_owned(),
        digest: digest.to_owned(),
        reason,
    })
}

/// A metadata blob named by digest must hash to it.
fn verify_small(
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

/// The digest a blob name spells (`blobs/sha256/<hex>`), if it spells one.
fn digest_in_name(name: &str) -> Option<Digest> {
    let mut parts = clean(name)
        .rsplitn(3, '/')
        .map(str::to_owned)
        .collect::<Vec<_>>();
    parts.reverse();
    match parts.as_slice() {
        [blobs, alg, hex] if blobs == "blobs" => Digest::parse(&format!("{alg}:{hex}")).ok(),
        _ => None,
    }
}

/// The digest a `docker save` config's name spells: `<hex>.json` as Docker before 25 and skopeo
/// name it, or `blobs/sha256/<hex>` from Docker 25 on.
fn config_digest_in_name(name: &str) -> Option<Digest> {
    digest_in_name(name).or_else(|| {
        let cleaned = clean(name);
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
            .map(|l| (clean(l), digest_in_name(l), None, None)),
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
    })
}

type LayerParts = (String, Option<Digest>, Option<String>, Option<u64>);

fn pair_layers(
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

const INDEX_TYPES: [&str; 2] = [
    "application/vnd.oci.image.index.v1+json",
    "application/vnd.docker.distribution.manifest.list.v2+json",
];
const CONFIG_TYPES: [&str; 2] = [
    "application/vnd.oci.image.config.v1+json",
    "application/vnd.docker.container.image.v1+json",
];

struct Candidate {
    digest: Digest,
    platform: Option<(String, String, Option<String>)>,
    ref_name: Option<String>,
}

fn collect_manifests(
    store: &Store,
    name: &str,
    index: &Index,
    depth: u32,
    want: &Want,
    out: &mut Vec<Candidate>,
) -> Result<(), ReadError> {
    for d in &index.manifests {
        let digest = parse_digest(name, &d.digest)?;
        if d.media_type
            .as_deref()
            .is_some_and(|t| INDEX_TYPES.contains(&t))
        {
            if depth >= 4 {
                return Err(ReadError::NotAnImage {
                    reason: format!("`{name}`: image indexes nested more than four deep"),
                });
            }
            let child_name = digest.blob_path();
            let bytes = read_required(store, &child_name, name, want.max_json)?;
            verify_small("index", &child_name, &digest, &bytes)?;
            let child: Index = parse_json(&child_name, "an image index", &bytes)?;
            collect_manifests(store, &child_name, &child, depth + 1, want, out)?;
            continue;
        }
        let platform = d
            .platform
            .as_ref()
            .map(|p| (p.os.clone(), p.architecture.clone(), p.variant.clone()));
        // Attestation manifests ride along in indexes with an unknown platform.
        if platform.as_ref().is_some_and(|(os, _, _)| os == "unknown") {
            continue;
        }
        let ref_name = d
            .annotations
            .as_ref()
            .and_then(|a| {
                a.get("org.opencontainers.image.ref.name")
                    .or_else(|| a.get("io.containerd.image.name"))
            })
            .cloned();
        out.push(Candidate {
            digest,
            platform,
            ref_name,
        });
    }
    Ok(())
}

fn platform_name(p: &(String, String, Option<String>)) -> String {
    match &p.2 {
        Some(v) => format!("{}/{}/{v}", p.0, p.1),
        None => format!("{}/{}", p.0, p.1),
    }
}

fn resolve_oci(store: &Store, want: &Want, bytes: &[u8]) -> Result<Resolved, ReadError> {
    let index: Index = parse_json("index.json", "an OCI image index", bytes)?;
    let mut candidates = Vec::new();
    collect_manifests(store, "index.json", &index, 0, want, &mut candidates)?;
    if let Some(wanted) = want.image {
        let names: Vec<String> = candidates
            .iter()
            .filter_map(|c| c.ref_name.clone())
            .collect();
        candidates.retain(|c| {
            c.ref_name
                .as_deref()
                .is_some_and(|r| r == wanted || r.ends_with(&format!(":{wanted}")))
        });
        if candidates.is_empty() {
            return Err(ReadError::NoSuchImage {
                wanted: wanted.to_owned(),
                available: if names.is_empty() {
                    "no named images".into()
                } else {
                    names.join(", ")
                },
            });
        }
    }
    let mut notes = Vec::new();
    let with_platform = candidates.iter().filter(|c| c.platform.is_some()).count();
    if candidates.len() > 1 && with_platform > 0 {
        let host = Platform::host();
        let wanted = want.platform.unwrap_or(&host);
        let available: Vec<String> = candidates
            .iter()
            .filter_map(|c| c.platform.as_ref().map(platform_name))
            .collect();
        candidates.retain(|c| {
            c.platform
                .as_ref()
                .is_some_and(|(os, arch, var)| wanted.matches(os, arch, var.as_deref()))
        });
        if candidates.is_empty() {
            return Err(ReadError::NoSuchPlatform {
                wanted: wanted.to_string(),
                available: available.join(", "),
            });
        }
        notes.push(format!(
            "the index holds {} platforms ({}); showing {wanted}; choose another with --platform",
            available.len(),
            available.join(", ")
        ));
    } else if candidates.len() > 1 {
        notes.push(format!(
            "the index holds {} images; showing the first; choose another with --image",
            candidates.len()
        ));
    }
    let Some(chosen) = candidates.into_iter().next() else {
        return Err(ReadError::NotAnImage {
            reason: "index.json lists no image manifest".into(),
        });
    };
    let manifest_name = chosen.digest.blob_path();
    let bytes = read_required(store, &manifest_name, "index.json", want.max_json)?;
    verify_small("manifest", &manifest_name, &chosen.digest, &bytes)?;
    let manifest: Manifest = parse_json(&manifest_name, "an image manifest", &bytes)?;
    if let Some(t) = manifest.config.media_type.as_deref()
        && !CONFIG_TYPES.contains(&t)
    {
        return Err(ReadError::Artifact {
            name: manifest_name,
            media_type: t.to_owned(),
        });
    }
    let _ = manifest.media_type;
    let config_digest = parse_digest(&manifest_name, &manifest.config.digest)?;
    let config_name = config_digest.blob_path();
    let config_bytes = read_required(store, &config_name, &manifest_name, want.max_json)?;
    verify_small("config", &config_name, &config_digest, &config_bytes)?;
    let config = ImageConfig::parse(&config_name, &config_bytes)?;
    let parts = manifest
        .layers
        .iter()
        .map(|l| {
            let d = parse_digest(&manifest_name, &l.digest)?;
            Ok((d.blob_path(), Some(d), l.media_type.clone(), l.size))
        })
        .collect::<Result<Vec<_>, ReadError>>()?;
    let layers = pair_layers(&config_name, &config, parts.into_iter())?;
    Ok(Resolved {
        format: if want.archive_is_dir {
            Format::OciDir
        } else {
            Format::OciArchive
        },
        config_name,
        config,
        tags: chosen.ref_name.into_iter().collect(),
        layers,
        notes,
    })
}
