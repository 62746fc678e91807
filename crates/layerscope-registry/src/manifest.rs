//! Manifests and indexes as a registry serves them, and the media types an image reader takes.

use serde::Deserialize;

pub const OCI_MANIFEST: &str = "application/vnd.oci.image.manifest.v1+json";
pub const OCI_INDEX: &str = "application/vnd.oci.image.index.v1+json";
pub const DOCKER_MANIFEST: &str = "application/vnd.docker.distribution.manifest.v2+json";
pub const DOCKER_MANIFEST_LIST: &str = "application/vnd.docker.distribution.manifest.list.v2+json";

/// Every media type [`Client::manifest`](crate::Client::manifest) asks for and accepts.
pub const MANIFEST_TYPES: [&str; 4] = [
    OCI_MANIFEST,
    OCI_INDEX,
    DOCKER_MANIFEST,
    DOCKER_MANIFEST_LIST,
];

/// A manifest or index, its bytes exactly as served (their digest is the image's identity).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Manifest {
    pub bytes: Vec<u8>,
    /// One of [`MANIFEST_TYPES`].
    pub media_type: String,
    /// `sha256:…` of `bytes` (or `sha512:…` when asked for by such a digest).
    pub digest: String,
}

impl Manifest {
    /// Whether this lists images per platform (an OCI index or a Docker manifest list).
    pub fn is_index(&self) -> bool {
        self.media_type == OCI_INDEX || self.media_type == DOCKER_MANIFEST_LIST
    }
}

/// What a `HEAD` of a manifest tells without its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManifestHead {
    pub media_type: Option<String>,
    /// From `Docker-Content-Digest`, when the registry sends it.
    pub digest: Option<String>,
    pub size: Option<u64>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Shape {
    media_type: Option<String>,
    manifests: Option<serde_json::Value>,
    config: Option<serde_json::Value>,
    layers: Option<serde_json::Value>,
}

/// The media type of a served manifest: the `Content-Type` when it is one of ours; when it is
/// generic (or missing), the document's own `mediaType`, else its shape. `Err` carries the type
/// to report as unknown.
pub(crate) fn media_type(content_type: Option<&str>, bytes: &[u8]) -> Result<String, String> {
    let declared = content_type
        .map(|c| {
            c.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        })
        .unwrap_or_default();
    if let Some(known) = MANIFEST_TYPES.iter().find(|t| **t == declared) {
        return Ok((*known).to_owned());
    }
    let generic = matches!(
        declared.as_str(),
        "" | "application/json" | "text/plain" | "application/octet-stream"
    );
    if !generic {
        return Err(declared);
    }
    let Ok(shape) = serde_json::from_slice::<Shape>(bytes) else {
        return Err(if declared.is_empty() {
            "none".to_owned()
        } else {
            declared
        });
    };
    if let Some(own) = shape.media_type {
        return MANIFEST_TYPES
            .iter()
            .find(|t| **t == own)
            .map(|t| (*t).to_owned())
            .ok_or(own);
    }
    if shape.manifests.is_some() {
        Ok(OCI_INDEX.to_owned())
    } else if shape.config.is_some() && shape.layers.is_some() {
        Ok(OCI_MANIFEST.to_owned())
    } else {
        Err(if declared.is_empty() {
            "none".to_owned()
        } else {
            declared
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declared_sniffed_and_unknown() {
        assert_eq!(media_type(Some(OCI_INDEX), b"{}").unwrap(), OCI_INDEX);
        assert_eq!(
            media_type(
                Some("Application/VND.oci.image.manifest.v1+json; charset=utf-8"),
                b""
            )
            .unwrap(),
            OCI_MANIFEST
        );
        let docker = format!(r#"{{"mediaType":"{DOCKER_MANIFEST}"}}"#);
        assert_eq!(
            media_type(Some("application/json"), docker.as_bytes()).unwrap(),
            DOCKER_MANIFEST
        );
        assert_eq!(media_type(None, br#"{"manifests":[]}"#).unwrap(), OCI_INDEX);
        assert_eq!(
            media_type(
                Some("application/vnd.docker.distribution.manifest.v1+prettyjws"),
                b"{}"
            )
            .unwrap_err(),
            "application/vnd.docker.distribution.manifest.v1+prettyjws"
        );
        assert_eq!(
            media_type(None, br#"{"mediaType":"application/x-other"}"#).unwrap_err(),
            "application/x-other"
        );
        assert_eq!(media_type(None, b"nope").unwrap_err(), "none");
    }
}
