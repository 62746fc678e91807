//! What an engine says about an image, and the platform a caller asks for.

use std::fmt;

use serde::{Deserialize, Serialize};

/// An image the engine has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageInfo {
    /// The image id, `sha256:…`: the digest of its config on Podman and on Docker's own image
    /// store (Docker's containerd image store gives the manifest's or index's digest instead).
    pub id: String,
    /// Its tags, as the engine spells them (Podman's are fully qualified:
    /// `docker.io/library/nginx:latest`).
    pub repo_tags: Vec<String>,
    pub os: String,
    pub architecture: String,
    pub variant: Option<String>,
}

/// A platform to ask an engine for, where it can pick one (Docker API 1.48 and later).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct PlatformSpec {
    pub os: String,
    pub architecture: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub variant: Option<String>,
}

impl fmt::Display for PlatformSpec {
    /// `linux/arm64/v8`, `linux/amd64`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.os, self.architecture)?;
        if let Some(variant) = &self.variant {
            write!(f, "/{variant}")?;
        }
        Ok(())
    }
}

/// The fields of an image inspection that layerscope uses; the Docker API, Podman's compat API
/// and `podman image inspect --format json` all name them so.
#[derive(Deserialize)]
struct Inspection {
    #[serde(rename = "Id")]
    id: String,
    #[serde(rename = "RepoTags", default)]
    repo_tags: Option<Vec<String>>,
    #[serde(rename = "Os", default)]
    os: String,
    #[serde(rename = "Architecture", default)]
    architecture: String,
    #[serde(rename = "Variant", default)]
    variant: Option<String>,
}

impl ImageInfo {
    /// One image's inspection JSON (an object).
    pub(crate) fn from_json(bytes: &[u8]) -> Result<ImageInfo, String> {
        let inspection: Inspection = serde_json::from_slice(bytes)
            .map_err(|e| format!("the image inspection is not the JSON expected: {e}"))?;
        ImageInfo::from_inspection(inspection)
    }

    /// `podman image inspect`'s answer: an array holding one inspection.
    pub(crate) fn from_json_array(bytes: &[u8]) -> Result<ImageInfo, String> {
        let mut inspections: Vec<Inspection> = serde_json::from_slice(bytes)
            .map_err(|e| format!("the image inspection is not the JSON expected: {e}"))?;
        if inspections.len() != 1 {
            return Err(format!(
                "the inspection holds {} images, not one",
                inspections.len()
            ));
        }
        ImageInfo::from_inspection(inspections.remove(0))
    }

    fn from_inspection(inspection: Inspection) -> Result<ImageInfo, String> {
        if inspection.id.is_empty() {
            return Err("the image inspection has no Id".into());
        }
        // The podman command gives the bare hex; the API gives `sha256:` before it.
        let id =
            if inspection.id.len() == 64 && inspection.id.bytes().all(|b| b.is_ascii_hexdigit()) {
                format!("sha256:{}", inspection.id)
            } else {
                inspection.id
            };
        Ok(ImageInfo {
            id,
            repo_tags: inspection.repo_tags.unwrap_or_default(),
            os: inspection.os,
            architecture: inspection.architecture,
            variant: inspection.variant.filter(|variant| !variant.is_empty()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inspections_from_the_api_and_the_command() {
        let hex = "c82df3d83a3817a0479d54ca0981367c15ee2e8b9f25364792143453e2b16e96";
        let api = format!(
            r#"{{"Id":"sha256:{hex}","RepoTags":null,"Os":"linux","Architecture":"arm64","Variant":"v8","Size":3}}"#
        );
        let info = ImageInfo::from_json(api.as_bytes()).unwrap();
        assert_eq!(info.id, format!("sha256:{hex}"));
        assert!(info.repo_tags.is_empty());
        assert_eq!(info.variant.as_deref(), Some("v8"));
        let cli = format!(
            r#"[{{"Id":"{hex}","RepoTags":["docker.io/library/x:1"],"Os":"linux","Architecture":"amd64","Variant":""}}]"#
        );
        let info = ImageInfo::from_json_array(cli.as_bytes()).unwrap();
        assert_eq!(info.id, format!("sha256:{hex}"));
        assert_eq!(info.repo_tags, ["docker.io/library/x:1"]);
        assert_eq!(info.variant, None);
        assert_eq!(
            ImageInfo::from_json_array(b"[]").unwrap_err(),
            "the inspection holds 0 images, not one"
        );
        assert!(ImageInfo::from_json(b"{}").is_err());
    }

    #[test]
    fn platforms_as_json_and_text() {
        let platform = PlatformSpec {
            os: "linux".into(),
            architecture: "arm64".into(),
            variant: Some("v8".into()),
        };
        assert_eq!(
            serde_json::to_string(&platform).unwrap(),
            r#"{"os":"linux","architecture":"arm64","variant":"v8"}"#
        );
        assert_eq!(platform.to_string(), "linux/arm64/v8");
        let plain = PlatformSpec {
            variant: None,
            ..platform
        };
        assert_eq!(
            serde_json::to_string(&plain).unwrap(),
            r#"{"os":"linux","architecture":"arm64"}"#
        );
    }
}
