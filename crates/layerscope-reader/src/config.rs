//! The image config: runtime settings, and history paired with the layers that have content.

use crate::digest::{Algorithm, Hasher};
use crate::error::ReadError;
use oci_spec::image::ImageConfiguration;

/// What the config says, in the shape the analyses need.
#[derive(Debug, Clone)]
pub struct ImageConfig {
    pub parsed: ImageConfiguration,
    /// `sha256:<hex>` of the config's bytes: the image id Docker shows.
    pub digest: String,
    /// Docker's `config.Healthcheck`, which OCI's config has no field for.
    pub healthcheck: Option<Vec<String>>,
    pub diff_ids: Vec<String>,
    /// One per history entry, in order.
    pub history: Vec<HistoryEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryEntry {
    pub created_by: String,
    pub empty_layer: bool,
    pub comment: Option<String>,
}

impl ImageConfig {
    pub fn parse(name: &str, bytes: &[u8]) -> Result<Self, ReadError> {
        let json = |source| ReadError::Json {
            name: name.to_owned(),
            what: "an image config",
            source,
        };
        let raw: serde_json::Value = serde_json::from_slice(bytes).map_err(json)?;
        if raw.get("rootfs").is_none() {
            return Err(ReadError::Artifact {
                name: name.to_owned(),
                media_type: "a config without rootfs".to_owned(),
            });
        }
        let parsed: ImageConfiguration = serde_json::from_value(raw.clone()).map_err(json)?;
        let healthcheck = raw
            .pointer("/config/Healthcheck/Test")
            .and_then(|t| t.as_array())
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect()
            });
        let diff_ids = parsed.rootfs().diff_ids().clone();
        let history = parsed
            .history()
            .iter()
            .flatten()
            .map(|h| HistoryEntry {
                created_by: h.created_by().clone().unwrap_or_default(),
                empty_layer: h.empty_layer().unwrap_or(false),
                comment: h.comment().clone(),
            })
            .collect();
        Ok(ImageConfig {
            parsed,
            digest: {
                let mut hasher = Hasher::new(Algorithm::Sha256);
                hasher.update(bytes);
                format!("sha256:{}", hasher.finish())
            },
            healthcheck,
            diff_ids,
            history,
        })
    }

    /// The history entry of each layer: entries marked `empty_layer` carry no layer. When history
    /// has more content entries than there are layers, the extra ones are dropped and reported.
    pub fn layer_history(&self, layers: usize) -> (Vec<Option<&HistoryEntry>>, Option<String>) {
        let with_content: Vec<&HistoryEntry> =
            self.history.iter().filter(|h| !h.empty_layer).collect();
        let note = (with_content.len() > layers).then(|| {
            format!(
                "the config's history describes {} layers but the image has {layers}; the extra history entries are ignored",
                with_content.len()
            )
        });
        let paired = (0..layers).map(|i| with_content.get(i).copied()).collect();
        (paired, note)
    }
}
