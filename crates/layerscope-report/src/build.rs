//! From a read image and its trees to the report: every analysis runs here, once.

use layerscope_leaks::{
    HistoryStep, HygieneInput, LeakInput, LeakReport, Redactions, SecretScanner,
};
use layerscope_reader::{Format, Image, Origin};
use layerscope_tree::ImageTree;
use layerscope_waste::{dive_figures, hidden_versions, reclaimable};

use crate::image::{ImageSummary, LayerSummary, Source};
use crate::open::Opened;
use crate::{Report, SCHEMA_VERSION};

impl Report {
    /// Runs every analysis on an image read by [`open`](crate::open) with `scanner`; `name`
    /// is the image as the user named it, without a transport prefix. The report has no gate
    /// verdict yet.
    pub fn build(name: &str, opened: &Opened, scanner: &SecretScanner) -> Report {
        let Opened {
            image,
            tree,
            secrets,
        } = opened;
        let hidden = hidden_versions(tree);
        let hygiene = hygiene_input(image);
        let (leaks, redactions) = LeakReport::build(
            &LeakInput {
                tree,
                secrets,
                hidden: &hidden,
                image: &hygiene,
            },
            scanner,
        );
        Report {
            schema_version: SCHEMA_VERSION,
            image: summary(name, image, tree, &redactions),
            dive: dive_figures(tree),
            // Last: it uses up the hidden versions.
            reclaimable: reclaimable(tree, hidden),
            leaks,
            gate: None,
        }
    }
}

fn summary(name: &str, image: &Image, tree: &ImageTree, redactions: &Redactions) -> ImageSummary {
    let config = &image.config.parsed;
    let mut platform = format!("{}/{}", config.os(), config.architecture());
    if let Some(variant) = config.variant() {
        platform.push('/');
        platform.push_str(variant);
    }
    ImageSummary {
        name: name.to_owned(),
        source: match (image.origin, image.format) {
            (Origin::Docker, _) => Source::Docker,
            (Origin::Podman, _) => Source::Podman,
            (Origin::Registry, _) | (_, Format::Registry) => Source::Registry,
            (Origin::File, Format::DockerArchive | Format::DockerOciArchive) => {
                Source::DockerArchive
            }
            (Origin::File, Format::OciArchive) => Source::OciArchive,
            (Origin::File, Format::OciDir) => Source::Oci,
            (Origin::File, Format::ContainersDir) => Source::Dir,
        },
        manifest_digest: image.manifest_digest.clone(),
        platform,
        config_digest: image.config.digest.clone(),
        tags: image.tags.clone(),
        layers: image
            .layers
            .iter()
            .zip(&tree.layers)
            .enumerate()
            .map(|(index, (info, layer))| LayerSummary {
                index,
                digest: info.blob.diff_id.to_string(),
                blob_digest: info.blob.blob_digest.as_ref().map(ToString::to_string),
                id: layer_id(&info.blob.name, &info.blob.diff_id.hex),
                size_bytes: layer.size_bytes,
                command: info
                    .created_by
                    .as_deref()
                    .map(|c| redactions.apply(c).into_owned()),
            })
            .collect(),
    }
}

/// dive's layer id: the first component of the layer's name in the archive (`<v1id>` of
/// `<v1id>/layer.tar`, `<diffid>.tar`). For a blob path dive shows `blobs` for every layer;
/// the digest's hex tells them apart.
fn layer_id(name: &str, hex: &str) -> String {
    match name.split('/').next() {
        Some("blobs") | None => hex.to_owned(),
        Some(first) => first.to_owned(),
    }
}

fn hygiene_input(image: &Image) -> HygieneInput {
    let config = &image.config;
    let runtime = config.parsed.config().as_ref();
    HygieneInput {
        user: runtime.and_then(|c| c.user().clone()),
        env: runtime.and_then(|c| c.env().clone()).unwrap_or_default(),
        healthcheck: config.healthcheck.clone(),
        history: config
            .history
            .iter()
            .map(|h| HistoryStep {
                created_by: h.created_by.clone(),
                empty_layer: h.empty_layer,
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layer_ids_are_dives() {
        assert_eq!(layer_id("abc123/layer.tar", "ff"), "abc123");
        assert_eq!(layer_id("blobs/sha256/ff", "ff"), "ff");
        assert_eq!(layer_id("ff.tar", "ff"), "ff.tar");
    }
}
