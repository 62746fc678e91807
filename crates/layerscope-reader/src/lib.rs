//! Reads container images without a daemon.
//!
//! [`load`] opens a `docker save` archive (either layout), an `oci-archive` or an OCI layout
//! directory, finds the image (by platform or name where there are several), and streams every
//! layer's uncompressed tar through the caller's function, checking each blob against its digest
//! and each tar against its config `diff_id`. Archives on disk are indexed once and their layers
//! decoded in parallel; a compressed archive (`docker save | gzip`) is read in one streaming pass.
//! Nothing is ever written to disk.

mod config;
mod digest;
mod error;
mod layer;
mod manifest;
mod platform;
pub mod reference;
mod store;
mod stream;

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufRead, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use rayon::prelude::*;

pub use config::{HistoryEntry, ImageConfig, display_command};
pub use digest::Digest;
pub use error::{LayerError, ReadError};
pub use layer::{BombLimits, Compression};
pub use manifest::{Format, LayerBlob};
pub use oci_spec::image::ImageConfiguration;
pub use platform::Platform;

use layer::{LayerDigests, read_layer};
use manifest::{Resolved, Want, resolve};
use store::{Store, TarIndex};

/// The function each layer's uncompressed tar is streamed through.
pub type LayerFn<'f, T> =
    dyn Fn(&mut dyn BufRead) -> Result<T, Box<dyn std::error::Error + Send + Sync>> + Sync + 'f;

/// Choices and caps for reading one image.
#[derive(Debug, Clone)]
pub struct Options {
    /// A tag or name (`docker save a b`, `oci:DIR:REF`).
    pub image: Option<String>,
    pub platform: Option<Platform>,
    /// Largest manifest, index or config read into memory.
    pub max_json_bytes: u64,
    pub bomb: BombLimits,
    /// Check every blob and layer against its digest. Off only when the archive is trusted.
    pub verify: bool,
    /// Updated while layers are read, for a progress display on another thread.
    pub progress: Option<Arc<Progress>>,
}

/// How far a load has got.
#[derive(Debug, Default)]
pub struct Progress {
    /// Bytes of layer blobs read so far.
    pub bytes_read: AtomicU64,
    /// Bytes of all layer blobs, when known before reading (0 when not).
    pub bytes_total: AtomicU64,
    pub layers_done: AtomicUsize,
    /// Layers to read, when known before reading (0 when not).
    pub layers_total: AtomicUsize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            image: None,
            platform: None,
            max_json_bytes: 16 << 20,
            bomb: BombLimits::default(),
            verify: true,
            progress: None,
        }
    }
}

/// One layer as the image describes it.
#[derive(Debug, Clone)]
pub struct LayerInfo {
    pub blob: LayerBlob,
    /// `created_by` as dive shows it (`/bin/sh -c ` dropped).
    pub command: String,
    /// `created_by` whole.
    pub created_by: String,
    pub compression: Compression,
}

/// The image: its layout, config, and layers in order.
#[derive(Debug)]
pub struct Image {
    pub format: Format,
    /// Set when the whole archive was compressed.
    pub archive_compression: Option<Compression>,
    pub config_name: String,
    pub config: ImageConfig,
    pub tags: Vec<String>,
    pub layers: Vec<LayerInfo>,
    /// Things the user should know (several images, extra history), one sentence each.
    pub notes: Vec<String>,
    path: PathBuf,
    store: Store,
}

/// An image and what the caller's function made of each layer.
#[derive(Debug)]
pub struct Loaded<T> {
    pub image: Image,
    pub layers: Vec<T>,
}

/// Opens the image at `path` and streams each layer through `f`.
pub fn load<T: Send + Clone>(
    path: &Path,
    options: &Options,
    f: &LayerFn<'_, T>,
) -> Result<Loaded<T>, ReadError> {
    if path.is_dir() {
        let store = Store::Dir(path.to_owned());
        return load_stored(path, store, true, options, f);
    }
    let mut file = File::open(path).map_err(|source| ReadError::Open { source })?;
    let mut head = [0u8; 4];
    let n = read_up_to(&mut file, &mut head).map_err(|source| ReadError::Open { source })?;
    match &head[..n] {
        [0x1f, 0x8b, ..] | [0x28, 0xb5, 0x2f, 0xfd] => {
            let file = File::open(path).map_err(|source| ReadError::Open { source })?;
            stream::load_stream(path, file, options, f)
        }
        [] => Err(ReadError::NotAnImage {
            reason: "the file is empty".into(),
        }),
        _ => {
            let file = File::open(path).map_err(|source| ReadError::Open { source })?;
            let index = TarIndex::build(path, file).map_err(|e| match e {
                ReadError::Archive {
                    source: layerscope_tar::TarError::BadChecksum { offset: 0 },
                } => ReadError::NotAnImage {
                    reason: "not a tar archive, a gzip or zstd compressed one, or an OCI layout directory".into(),
                },
                other => other,
            })?;
            load_stored(path, Store::Tar(index), false, options, f)
        }
    }
}

fn read_up_to(r: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut got = 0;
    while got < buf.len() {
        let n = r.read(&mut buf[got..])?;
        if n == 0 {
            break;
        }
        got += n;
    }
    Ok(got)
}

fn want(options: &Options, is_dir: bool) -> Want<'_> {
    Want {
        image: options.image.as_deref(),
        platform: options.platform.as_ref(),
        max_json: options.max_json_bytes,
        archive_is_dir: is_dir,
        verify: options.verify,
    }
}

/// One layer's result with the digests its bytes had.
type LayerRead<T> = Result<(T, LayerDigests), ReadError>;

fn load_stored<T: Send + Clone>(
    path: &Path,
    store: Store,
    is_dir: bool,
    options: &Options,
    f: &LayerFn<'_, T>,
) -> Result<Loaded<T>, ReadError> {
    let resolved = resolve(&store, &want(options, is_dir))?;
    // A blob named twice (the same layer at two places) is read once.
    let mut unique: Vec<(usize, String)> = Vec::new();
    for (i, l) in resolved.layers.iter().enumerate() {
        let name = store.resolve(&l.name)?;
        if !store.contains(&name) {
            return Err(ReadError::MissingEntry {
                name: l.name.clone(),
                wanted_by: format!("layer {i} of the manifest"),
            });
        }
        if !unique.iter().any(|(_, n)| *n == name) {
            unique.push((i, name));
        }
    }
    // Largest first, one layer per task: the longest layer starts at once instead of queueing
    // behind smaller ones, so the cores finish together.
    if let Some(p) = &options.progress {
        let total = unique.iter().filter_map(|(_, n)| store.size_of(n)).sum();
        p.bytes_total.store(total, Ordering::Relaxed);
        p.layers_total.store(unique.len(), Ordering::Relaxed);
    }
    let mut order: Vec<usize> = (0..unique.len()).collect();
    order.sort_by_key(|&k| std::cmp::Reverse(store.size_of(&unique[k].1).unwrap_or(0)));
    let read_one = |i: usize, name: &str| -> LayerRead<T> {
        let blob = &resolved.layers[i];
        let (raw, _) = store.open(name)?;
        let algorithm = options.verify.then_some(
            blob.blob_digest
                .as_ref()
                .map_or(blob.diff_id.algorithm, |d| d.algorithm),
        );
        let progress = options.progress.as_deref();
        let read = read_layer(raw, algorithm, options.bomb, f, true, progress);
        if let Some(p) = progress {
            p.layers_done.fetch_add(1, Ordering::Relaxed);
        }
        read.map_err(|source| ReadError::Layer {
            index: i,
            name: blob.name.clone(),
            source,
        })
    };
    let mut results: Vec<(usize, LayerRead<T>)> = order
        .into_par_iter()
        .with_max_len(1)
        .map(|k| (k, read_one(unique[k].0, &unique[k].1)))
        .collect();
    results.sort_by_key(|(k, _)| *k);
    let results = results.into_iter().map(|(_, r)| r);
    let mut by_name = HashMap::with_capacity(results.len());
    for ((_, name), r) in unique.into_iter().zip(results) {
        by_name.insert(name, Ok(r?));
    }
    let (layers, compressions) = in_manifest_order(&resolved, &store, options, by_name)?;
    Ok(Loaded {
        image: image(path, store, resolved, &compressions, None),
        layers,
    })
}

/// Each blob's result at every place the manifest names it: moved to its last place, cloned
/// only for the places before (the same blob named twice), so no layer is ever held twice.
pub(crate) fn in_manifest_order<T: Clone>(
    resolved: &Resolved,
    store: &Store,
    options: &Options,
    mut results: HashMap<String, Result<(T, LayerDigests), LayerError>>,
) -> Result<(Vec<T>, Vec<Compression>), ReadError> {
    let names = resolved
        .layers
        .iter()
        .map(|l| store.resolve(&l.name))
        .collect::<Result<Vec<_>, _>>()?;
    let mut layers = Vec::with_capacity(names.len());
    let mut compressions = Vec::with_capacity(names.len());
    for (i, (blob, name)) in resolved.layers.iter().zip(&names).enumerate() {
        let missing = || ReadError::MissingEntry {
            name: blob.name.clone(),
            wanted_by: format!("layer {i} of the manifest"),
        };
        let last_use = !names[i + 1..].contains(name);
        let take = last_use || matches!(results.get(name), Some(Err(_)));
        let (value, digests) = if take {
            match results.remove(name) {
                Some(Ok(found)) => found,
                Some(Err(source)) => {
                    return Err(ReadError::Layer {
                        index: i,
                        name: blob.name.clone(),
                        source,
                    });
                }
                None => return Err(missing()),
            }
        } else {
            let Some(Ok((value, digests))) = results.get(name) else {
                return Err(missing());
            };
            if options.verify {
                verify(i, blob, digests)?;
            }
            layers.push(value.clone());
            compressions.push(digests.compression);
            continue;
        };
        if options.verify {
            verify(i, blob, &digests)?;
        }
        layers.push(value);
        compressions.push(digests.compression);
    }
    Ok((layers, compressions))
}

pub(crate) fn verify(
    index: usize,
    blob: &LayerBlob,
    found: &LayerDigests,
) -> Result<(), ReadError> {
    let mismatch = |kind, expected: &Digest, actual: &str| ReadError::DigestMismatch {
        index,
        name: blob.name.clone(),
        kind,
        expected: expected.to_string(),
        actual: format!(
            "{}:{actual}",
            expected.to_string().split(':').next().unwrap_or("sha256")
        ),
    };
    if let Some(expected) = &blob.blob_digest
        && expected.hex != found.blob
    {
        return Err(mismatch("blob", expected, &found.blob));
    }
    if blob.diff_id.hex != found.diff {
        return Err(mismatch("diff_id", &blob.diff_id, &found.diff));
    }
    Ok(())
}

pub(crate) fn image(
    path: &Path,
    store: Store,
    resolved: Resolved,
    compressions: &[Compression],
    archive_compression: Option<Compression>,
) -> Image {
    let (history, note) = resolved.config.layer_history(resolved.layers.len());
    let mut notes = resolved.notes;
    notes.extend(note);
    let layers = resolved
        .layers
        .into_iter()
        .zip(history)
        .zip(compressions)
        .map(|((blob, h), &compression)| {
            let created_by = h.map(|h| h.created_by.clone()).unwrap_or_default();
            LayerInfo {
                command: if h.is_some() {
                    display_command(&created_by)
                } else {
                    "(missing)".to_owned()
                },
                created_by,
                blob,
                compression,
            }
        })
        .collect();
    Image {
        format: resolved.format,
        archive_compression,
        config_name: resolved.config_name,
        config: resolved.config,
        tags: resolved.tags,
        layers,
        notes,
        path: path.to_owned(),
        store,
    }
}

impl Image {
    /// Reads `len` bytes at `offset` of layer `layer`'s uncompressed tar, for viewing one file
    /// without holding any layer in memory. `len` is capped at `max`.
    pub fn read_at(
        &self,
        layer: usize,
        offset: u64,
        len: u64,
        max: u64,
    ) -> Result<Vec<u8>, ReadError> {
        let info = self
            .layers
            .get(layer)
            .ok_or_else(|| ReadError::MissingEntry {
                name: format!("layer {layer}"),
                wanted_by: "a file view".into(),
            })?;
        let want = len.min(max);
        let grab = move |tar: &mut dyn BufRead| -> Result<Vec<u8>, Box<dyn std::error::Error + Send + Sync>> {
            std::io::copy(&mut tar.take(offset), &mut std::io::sink())?;
            let mut out = Vec::with_capacity(want as usize);
            tar.take(want).read_to_end(&mut out)?;
            Ok(out)
        };
        let layer_error = |source| ReadError::Layer {
            index: layer,
            name: info.blob.name.clone(),
            source,
        };
        match &self.store {
            Store::Memory { .. } => {
                stream::read_blob_again(&self.path, &info.blob.name, &self.store, &grab).map_err(
                    |e| match e {
                        stream::Again::Read(e) => e,
                        stream::Again::Layer(e) => layer_error(e),
                    },
                )
            }
            store => {
                let (raw, _) = store.open(&info.blob.name)?;
                read_layer(raw, None, BombLimits::default(), &grab, false, None)
                    .map(|(v, _)| v)
                    .map_err(layer_error)
            }
        }
    }
}
