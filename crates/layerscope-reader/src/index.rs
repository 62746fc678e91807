//! Image indexes and manifests as OCI layouts, registries and `dir:` directories hold them: an
//! index (nested or not) narrowed by name and platform to one image manifest, skipping the
//! images the store does not hold, then its config and layers.

use serde::Deserialize;

use crate::config::ImageConfig;
use crate::digest::{Digest, Hasher};
use crate::error::ReadError;
use crate::manifest::{
    Format, Resolved, Want, pair_layers, parse_digest, parse_json, read_required, verify_small,
};
use crate::platform::Platform;
use crate::store::Store;

#[derive(Deserialize, Clone)]
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

#[derive(Deserialize, Clone)]
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

/// Enough of a manifest or index to tell which it is.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Kind {
    #[serde(default)]
    media_type: Option<String>,
    #[serde(default)]
    manifests: Option<serde::de::IgnoredAny>,
}

/// The note on an index's platforms whose images the archive lacks (what the containerd
/// image store's `docker save` writes); nothing when it cannot tell.
pub(crate) fn absent_note(store: &Store, want: &Want, index: &[u8]) -> Option<String> {
    let index: Index = serde_json::from_slice(index).ok()?;
    let mut candidates = Vec::new();
    collect_manifests(store, "index.json", &index, 0, want, &mut candidates).ok()?;
    let absent: Vec<String> = candidates
        .iter()
        .filter(|c| !c.present)
        .filter_map(|c| c.platform.as_ref().map(platform_name))
        .collect();
    (!absent.is_empty()).then(|| {
        format!(
            "the index also names {}, whose images the archive does not hold; skipped",
            absent.join(", ")
        )
    })
}

/// A registry manifest or index given whole (a `dir:` directory's `manifest.json`, what a
/// registry answered for a reference), named `name`; `digest` when its source vouches for one.
pub(crate) fn resolve_document(
    store: &Store,
    want: &Want,
    name: &str,
    bytes: &[u8],
    named: Option<(&Digest, &str)>,
) -> Result<Resolved, ReadError> {
    let digest = if let Some((digest, _)) = named {
        verify_small("manifest", name, digest, bytes)?;
        digest.clone()
    } else {
        let mut h = Hasher::new(crate::digest::Algorithm::Sha256);
        h.update(bytes);
        parse_digest(name, &format!("sha256:{}", h.finish()))?
    };
    let kind: Kind = parse_json(name, "an image manifest or index", bytes)?;
    let is_index = kind.manifests.is_some()
        || kind
            .media_type
            .as_deref()
            .is_some_and(|t| INDEX_TYPES.contains(&t));
    let top = Descriptor {
        media_type: Some(match (is_index, kind.media_type) {
            (_, Some(t)) => t,
            (true, None) => INDEX_TYPES[0].to_owned(),
            (false, None) => "application/vnd.oci.image.manifest.v1+json".to_owned(),
        }),
        digest: digest.to_string(),
        size: Some(bytes.len() as u64),
        platform: None,
        annotations: named.map(|(_, reference)| {
            std::iter::once((
                "org.opencontainers.image.ref.name".to_owned(),
                reference.to_owned(),
            ))
            .collect()
        }),
    };
    let index = Index {
        manifests: vec![top],
    };
    let known = Known {
        digest,
        bytes: bytes.to_vec(),
    };
    resolve_index(store, want, name, &index, Some(&known))
}

const INDEX_TYPES: [&str; 2] = [
    "application/vnd.oci.image.index.v1+json",
    "application/vnd.docker.distribution.manifest.list.v2+json",
];
const MANIFEST_TYPES: [&str; 2] = [
    "application/vnd.oci.image.manifest.v1+json",
    "application/vnd.docker.distribution.manifest.v2+json",
];
const CONFIG_TYPES: [&str; 2] = [
    "application/vnd.oci.image.config.v1+json",
    "application/vnd.docker.container.image.v1+json",
];

struct Candidate {
    digest: Digest,
    platform: Option<(String, String, Option<String>)>,
    ref_name: Option<String>,
    /// Whether the store holds the manifest (the containerd store saves one platform's image
    /// and an index naming them all).
    present: bool,
}

/// A manifest or index already in hand, so it is not read again by its digest.
struct Known {
    digest: Digest,
    bytes: Vec<u8>,
}

/// A manifest or index by digest: the one in hand, or read from the store and checked.
fn read_manifest(
    store: &Store,
    digest: &Digest,
    wanted_by: &str,
    limit: u64,
    known: Option<&Known>,
) -> Result<(String, Vec<u8>), ReadError> {
    let name = digest.blob_path();
    if let Some(k) = known
        && k.digest == *digest
    {
        return Ok((name, k.bytes.clone()));
    }
    let bytes = store
        .read_manifest(&name, limit)?
        .ok_or_else(|| ReadError::MissingEntry {
            name: name.clone(),
            wanted_by: wanted_by.to_owned(),
        })?;
    verify_small("manifest", &name, digest, &bytes)?;
    Ok((name, bytes))
}

fn collect_manifests(
    store: &Store,
    name: &str,
    index: &Index,
    depth: u32,
    want: &Want,
    out: &mut Vec<Candidate>,
) -> Result<(), ReadError> {
    collect_known(store, name, index, depth, want, None, out)
}

fn collect_known(
    store: &Store,
    name: &str,
    index: &Index,
    depth: u32,
    want: &Want,
    known: Option<&Known>,
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
            let (child_name, bytes) = read_manifest(store, &digest, name, want.max_json, known)?;
            let child: Index = parse_json(&child_name, "an image index", &bytes)?;
            collect_known(store, &child_name, &child, depth + 1, want, known, out)?;
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
        let present =
            known.is_some_and(|k| k.digest == digest) || store.contains(&digest.blob_path());
        out.push(Candidate {
            digest,
            platform,
            ref_name,
            present,
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

pub(crate) fn resolve_oci(store: &Store, want: &Want, bytes: &[u8]) -> Result<Resolved, ReadError> {
    let index: Index = parse_json("index.json", "an OCI image index", bytes)?;
    resolve_index(store, want, "index.json", &index, None)
}

fn resolve_index(
    store: &Store,
    want: &Want,
    name: &str,
    index: &Index,
    known: Option<&Known>,
) -> Result<Resolved, ReadError> {
    let mut candidates = Vec::new();
    collect_known(store, name, index, 0, want, known, &mut candidates)?;
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
    let (chosen, notes) = choose(candidates, want, name)?;
    let (manifest_name, bytes) = read_manifest(store, &chosen.digest, name, want.max_json, known)?;
    let manifest: Manifest = parse_json(&manifest_name, "an image manifest", &bytes)?;
    if let Some(t) = manifest.config.media_type.as_deref()
        && !CONFIG_TYPES.contains(&t)
    {
        return Err(ReadError::Artifact {
            name: manifest_name,
            media_type: t.to_owned(),
        });
    }
    if let Some(t) = manifest.media_type.as_deref()
        && !MANIFEST_TYPES.contains(&t)
    {
        return Err(ReadError::UnknownMediaType {
            name: manifest_name,
            media_type: t.to_owned(),
        });
    }
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
        manifest_digest: Some(chosen.digest.to_string()),
    })
}

/// The one image to show: only those the store holds, by platform (the host's by default),
/// and what the user should know of the rest.
fn choose(
    candidates: Vec<Candidate>,
    want: &Want,
    name: &str,
) -> Result<(Candidate, Vec<String>), ReadError> {
    let mut notes = Vec::new();
    let (mut candidates, absent): (Vec<Candidate>, Vec<Candidate>) =
        candidates.into_iter().partition(|c| c.present);
    if let Some(wanted) = want.platform
        && !candidates.iter().any(|c| c.matches(wanted))
        && let Some(missing) = absent.iter().find(|c| c.matches(wanted))
    {
        return Err(ReadError::PlatformAbsent {
            platform: wanted.to_string(),
            manifest: missing.digest.blob_path(),
            available: platforms(&candidates).join(", "),
        });
    }
    let absent = platforms(&absent);
    if !absent.is_empty() {
        notes.push(format!(
            "the index also names {}, whose images the archive does not hold; skipped",
            absent.join(", ")
        ));
    }
    let with_platform = candidates.iter().filter(|c| c.platform.is_some()).count();
    if candidates.len() > 1 && with_platform > 0 {
        let host = Platform::host();
        let wanted = want.platform.unwrap_or(&host);
        let available = platforms(&candidates);
        candidates.retain(|c| c.matches(wanted));
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
            reason: format!("{name} lists no image manifest the archive holds"),
        });
    };
    Ok((chosen, notes))
}

impl Candidate {
    fn matches(&self, wanted: &Platform) -> bool {
        self.platform
            .as_ref()
            .is_some_and(|(os, arch, var)| wanted.matches(os, arch, var.as_deref()))
    }
}

fn platforms(candidates: &[Candidate]) -> Vec<String> {
    candidates
        .iter()
        .filter_map(|c| c.platform.as_ref().map(platform_name))
        .collect()
}
