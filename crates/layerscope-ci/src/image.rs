//! What the binary knows of the image, as plain data, so this crate needs no image reader.

/// The image a report is about.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ImageSummary {
    /// The image as the user named it, without any `<source>://` prefix (`probe.tar`).
    pub name: String,
    /// Where it was read from, in dive's words: `docker-archive`, `docker`, `podman`.
    pub source: String,
    /// Every layer, bottom first.
    pub layers: Vec<LayerSummary>,
}

/// One layer of the image.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LayerSummary {
    /// Position from the bottom, from 0; the index the waste report refers to.
    pub index: usize,
    /// The layer's `diff_id` (`sha256:...`).
    pub digest: String,
    /// Σ of the layer's tar header sizes.
    pub size_bytes: u64,
    /// The build step that made the layer, as the image history records it.
    pub command: String,
}

impl ImageSummary {
    /// The command of the layer with this index, if the image has one.
    pub fn command_of(&self, index: usize) -> Option<&str> {
        self.layers
            .iter()
            .find(|layer| layer.index == index)
            .map(|layer| layer.command.as_str())
    }
}
