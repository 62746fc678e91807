//! Reads container images without a daemon.
//!
//! [`load`] opens a `docker save` archive (either layout), an `oci-archive` or an OCI layout
//! directory, finds the image (by platform or name where there are several), and streams every
//! layer's uncompressed tar through the caller's function, checking each blob against its digest
//! and each tar against its config `diff_id`. Archives on disk are indexed once and their layers
//! decoded in parallel; a compressed archive (`docker save | gzip`) is read in one streaming pass.
//! Nothing is ever written to disk.

mod cancel;
mod chunks;
mod config;
mod digest;
mod error;
mod index;
mod input;
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
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};

use rayon::prelude::*;

pub use config::{HistoryEntry, ImageConfig};
pub use digest::Algorithm;
pub use digest::Digest;
pub use error::{LayerError, ReadError};
pub use input::{Blobs, Input, Opener, Origin, Remote, SourceError, Stream};
pub use layer::{BombLimits, Compression};
pub use manifest::{Format, LayerBlob};
pub use oci_spec::image::ImageConfiguration;
pub use platform::Platform;

use cancel::Cancellable;
use layer::{LayerDigests, read_layer};
use manifest::{Resolved, Want, resolve};
use store::{RemoteBlobs, Store, TarIndex};

/// Layer blobs fetched from a registry at once, as the Docker engine pulls them by default
/// (`max-concurrent-downloads`): more only adds a decoder's buffers per blob in memory.
const REMOTE_FETCHES: usize = 3;

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
    /// The history's `created_by` for the layer, whole; `None` when the history has no entry
    /// for it.
    pub created_by: Option<String>,
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
    /// Who holds the image.
    pub origin: Origin,
    /// The digest of the image manifest read, where there is one (a registry, an OCI layout).
    pub manifest_digest: Option<String>,
    again: Again,
    store: Store,
}

/// How a layer is read again for a file view when the store cannot seek to it.
enum Again {
    /// A compressed archive on disk, streamed again from its start.
    Path(PathBuf),
    /// An engine's stream, asked for again.
    Stream(Arc<Opener>),
    /// The store reads each blob by itself.
    Store,
}

impl std::fmt::Debug for Again {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Again::Path(p) => write!(f, "Path({})", p.display()),
            Again::Stream(_) => f.write_str("Stream"),
            Again::Store => f.write_str("Store"),
        }
    }
}

/// An image and what the caller's function made of each layer.
#[derive(Debug)]
pub struct Loaded<T> {
    pub image: Image,
    pub layers: Vec<T>,
}

/// Reads the image wherever it is and streams each layer through `f`.
pub fn load_input<T: Send + Clone>(
    input: &Input,
    options: &Options,
    f: &LayerFn<'_, T>,
) -> Result<Loaded<T>, ReadError> {
    match input {
        Input::Path(path) => load(path, options, f),
        Input::Stream(stream) => {
            let never = AtomicBool::new(false);
            let raw = (stream.open)(&never).map_err(|source| ReadError::Stream { source })?;
            let mut loaded =
                stream::load_stream(raw, options, f, Again::Stream(Arc::clone(&stream.open)))?;
            loaded.image.origin = stream.origin;
            Ok(loaded)
        }
        Input::Remote(remote) => {
            let store = Store::Remote(RemoteBlobs(Arc::clone(&remote.blobs)));
            let want = want(options, false);
            let resolved = index::resolve_document(
                &store,
                &want,
                &remote.reference,
                &remote.manifest,
                Some((&remote.digest, &remote.reference)),
            )?;
            let resolved = manifest::checked(resolved, &want)?;
            // Blobs come over the network: more fetches at once than cores keep the link busy.
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(rayon::current_num_threads().max(REMOTE_FETCHES))
                .build()
                .map_err(|e| ReadError::Stream {
                    source: Box::new(e),
                })?;
            let mut loaded =
                pool.install(|| read_stored(store, resolved, options, f, Again::Store))?;
            loaded.image.format = Format::Registry;
            loaded.image.origin = Origin::Registry;
            loaded.image.tags = vec![remote.reference.clone()];
            Ok(loaded)
        }
    }
}

/// Reads the image again only to check every blob and layer against its digest, building
/// nothing: the explorer shows an archive read without the checks while this runs beside it.
pub fn check_input(input: &Input, options: &Options) -> Result<(), ReadError> {
    let options = Options {
        verify: true,
        progress: None,
        ..options.clone()
    };
    load_input(input, &options, &|_| Ok(()))?;
    Ok(())
}

/// Opens the image at `path` and streams each layer through `f`.
pub fn load<T: Send + Clone>(
    path: &Path,
    options: &Options,
    f: &LayerFn<'_, T>,
) -> Result<Loaded<T>, ReadError> {
    if path.is_dir() {
        let store = if is_containers_dir(path) {
            Store::ContainersDir(path.to_owned())
        } else {
            Store::Dir(path.to_owned())
        };
        return load_stored(store, true, options, f);
    }
    let mut file = File::open(path).map_err(|source| ReadError::Open { source })?;
    let mut head = [0u8; 4];
    let n = read_up_to(&mut file, &mut head).map_err(|source| ReadError::Open { source })?;
    match &head[..n] {
        [0x1f, 0x8b, ..] | [0x28, 0xb5, 0x2f, 0xfd] => {
            let file = File::open(path).map_err(|source| ReadError::Open { source })?;
            stream::load_stream(Box::new(file), options, f, Again::Path(path.to_owned()))
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
            load_stored(Store::Tar(index), false, options, f)
        }
    }
}

/// A containers `dir:` directory says so in its `version` file.
fn is_containers_dir(path: &Path) -> bool {
    std::fs::read(path.join("version")).is_ok_and(|v| v.starts_with(b"Directory Transport Version"))
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
    store: Store,
    is_dir: bool,
    options: &Options,
    f: &LayerFn<'_, T>,
) -> Result<Loaded<T>, ReadError> {
    let resolved = resolve(&store, &want(options, is_dir))?;
    read_stored(store, resolved, options, f, Again::Store)
}

/// Reads the layers the resolution names from a store that opens each blob by itself, in
/// parallel.
fn read_stored<T: Send + Clone>(
    store: Store,
    resolved: Resolved,
    options: &Options,
    f: &LayerFn<'_, T>,
    again: Again,
) -> Result<Loaded<T>, ReadError> {
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
    // A registry's sizes are the manifest's; a file's are what the store holds.
    let size =
        |(i, name): &(usize, String)| store.size_of(name).or(resolved.layers[*i].compressed_size);
    if let Some(p) = &options.progress {
        let total = unique.iter().filter_map(size).sum();
        p.bytes_total.store(total, Ordering::Relaxed);
        p.layers_total.store(unique.len(), Ordering::Relaxed);
    }
    let mut order: Vec<usize> = (0..unique.len()).collect();
    order.sort_by_key(|&k| std::cmp::Reverse(size(&unique[k]).unwrap_or(0)));
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
        image: image(again, store, resolved, &compressions, None),
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
    again: Again,
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
        .map(|((blob, h), &compression)| LayerInfo {
            created_by: h.map(|h| h.created_by.clone()),
            blob,
            compression,
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
        origin: Origin::File,
        manifest_digest: resolved.manifest_digest,
        again,
        store,
    }
}

impl Image {
    /// Reads `len` bytes at `offset` of layer `layer`'s uncompressed tar, for viewing one file
    /// without holding any layer in memory. `len` is capped at `max`. Setting `cancel` stops
    /// the read (a viewer that was closed) with an error.
    pub fn read_at(
        &self,
        layer: usize,
        offset: u64,
        len: u64,
        max: u64,
        cancel: &AtomicBool,
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
                stream::read_blob_again(&self.again, &info.blob.name, &self.store, &grab, cancel)
                    .map_err(|e| match e {
                        stream::Again::Read(e) => e,
                        stream::Again::Layer(e) => layer_error(e),
                    })
            }
            store => {
                let (raw, _) = store.open(&info.blob.name)?;
                let raw = Cancellable::new(raw, cancel);
                read_layer(raw, None, BombLimits::default(), &grab, false, None)
                    .map(|(v, _)| v)
                    .map_err(layer_error)
            }
        }
    }
}
