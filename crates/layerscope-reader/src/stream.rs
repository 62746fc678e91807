//! A compressed archive (`docker save | gzip`) cannot be indexed without decompressing it, and
//! an engine's `docker save` arrives as a stream, so both are read in one pass: metadata files
//! are kept, every layer-looking blob goes through the caller's function as it streams past,
//! and the manifest, which comes last in `docker save` output, then says which results are the
//! image's layers and in what order.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::sync::atomic::AtomicBool;

use layerscope_tar::{EntryType, Limits, TarReader};

use crate::cancel::Cancellable;
use crate::digest::Algorithm;
use crate::error::{LayerError, ReadError};
use crate::layer::{BombLimits, Compression, LayerDigests, read_layer};
use crate::manifest::resolve;
use crate::store::{Store, clean, link_target, refuse_sparse};
use crate::{Again as Reread, LayerFn, Loaded, Options, in_manifest_order, want};

/// The archive's tar, decompressed if the stream is compressed.
fn decoder<'r>(
    raw: impl Read + Send + 'r,
) -> Result<(Box<dyn Read + Send + 'r>, Option<Compression>), ReadError> {
    let mut buffered = BufReader::with_capacity(256 * 1024, raw);
    let head = buffered.fill_buf().map_err(open_error)?;
    if head.starts_with(&[0x1f, 0x8b]) {
        Ok((
            Box::new(flate2::bufread::MultiGzDecoder::new(buffered)),
            Some(Compression::Gzip),
        ))
    } else if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
        let d = zstd::stream::read::Decoder::with_buffer(buffered).map_err(open_error)?;
        Ok((Box::new(d), Some(Compression::Zstd)))
    } else {
        Ok((Box::new(buffered), None))
    }
}

/// A stream that failed while it was read: a source's own error (an engine that went away)
/// comes out whole, anything else as the read error it is.
fn open_error(source: std::io::Error) -> ReadError {
    match source.into_inner() {
        Some(inner) => ReadError::Stream { source: inner },
        None => ReadError::Open {
            source: std::io::Error::other("the stream ended early"),
        },
    }
}

fn is_metadata_name(name: &str) -> bool {
    Path::new(name)
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"))
        || name == "repositories"
        || name == "oci-layout"
}

type Processed<T> = Result<(T, LayerDigests), LayerError>;

pub(crate) fn load_stream<T: Send + Clone>(
    raw: Box<dyn Read + Send>,
    options: &Options,
    f: &LayerFn<'_, T>,
    again: Reread,
) -> Result<Loaded<T>, ReadError> {
    let (reader, compression) = decoder(raw)?;
    let mut tar = TarReader::new(
        BufReader::with_capacity(256 * 1024, reader),
        Limits::default(),
    );
    let mut files: HashMap<String, Vec<u8>> = HashMap::new();
    let mut links: HashMap<String, String> = HashMap::new();
    let mut processed: HashMap<String, Processed<T>> = HashMap::new();
    let archive = |source| ReadError::Archive { source };
    while let Some(h) = tar.next_header().map_err(archive)? {
        let name = clean(&String::from_utf8_lossy(&h.path));
        refuse_sparse(&name, &h)?;
        match h.entry_type {
            EntryType::Symlink => {
                links.insert(
                    name.clone(),
                    link_target(&name, &String::from_utf8_lossy(&h.link)),
                );
            }
            EntryType::HardLink => {
                links.insert(name, clean(&String::from_utf8_lossy(&h.link)));
            }
            EntryType::Regular if h.stored > 0 => {
                let mut data = tar.data();
                let first = data
                    .fill_buf()
                    .map_err(|source| ReadError::EntryIo {
                        name: name.clone(),
                        source,
                    })?
                    .first()
                    .copied();
                let metadata =
                    is_metadata_name(&name) || (name.starts_with("blobs/") && first == Some(b'{'));
                if metadata {
                    if h.stored > options.max_json_bytes {
                        if is_metadata_name(&name) {
                            return Err(ReadError::JsonTooLarge {
                                name,
                                size: h.stored,
                                limit: options.max_json_bytes,
                            });
                        }
                        continue;
                    }
                    let mut bytes = Vec::with_capacity(h.stored as usize);
                    data.read_to_end(&mut bytes)
                        .map_err(|source| ReadError::EntryIo {
                            name: name.clone(),
                            source,
                        })?;
                    files.insert(name, bytes);
                } else {
                    let result = read_layer(
                        &mut data,
                        options.verify.then_some(Algorithm::Sha256),
                        options.bomb,
                        f,
                        true,
                        options.progress.as_deref(),
                    );
                    if let Some(p) = &options.progress {
                        p.layers_done
                            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    }
                    // An unreadable blob only matters if the manifest names it; keep the error.
                    processed.insert(name, result);
                }
            }
            _ => {}
        }
    }
    let store = Store::Memory { files, links };
    let resolved = resolve(&store, &want(options, false))?;
    let (layers, compressions) = in_manifest_order(&resolved, &store, options, processed)?;
    Ok(Loaded {
        image: crate::image(again, store, resolved, &compressions, compression),
        layers,
    })
}

pub(crate) enum Again {
    Read(ReadError),
    Layer(LayerError),
}

/// Streams the archive again up to one blob and reads from it: the price of not keeping layers.
pub(crate) fn read_blob_again<T>(
    again: &Reread,
    blob: &str,
    store: &Store,
    f: &LayerFn<'_, T>,
    cancel: &AtomicBool,
) -> Result<T, Again> {
    let wanted = store.resolve(blob).map_err(Again::Read)?;
    let raw: Box<dyn Read + Send> = match again {
        Reread::Path(path) => {
            Box::new(File::open(path).map_err(|source| Again::Read(ReadError::Open { source }))?)
        }
        Reread::Stream(open) => {
            open(cancel).map_err(|source| Again::Read(ReadError::Stream { source }))?
        }
        Reread::Store => {
            return Err(Again::Read(ReadError::MissingEntry {
                name: wanted,
                wanted_by: "a file view".into(),
            }));
        }
    };
    let raw = Cancellable::new(raw, cancel);
    let (reader, _) = decoder(raw).map_err(Again::Read)?;
    let mut tar = TarReader::new(
        BufReader::with_capacity(256 * 1024, reader),
        Limits::default(),
    );
    while let Some(h) = tar
        .next_header()
        .map_err(|source| Again::Read(ReadError::Archive { source }))?
    {
        if h.entry_type == EntryType::Regular && clean(&String::from_utf8_lossy(&h.path)) == wanted
        {
            return read_layer(tar.data(), None, BombLimits::default(), f, false, None)
                .map(|(v, _)| v)
                .map_err(Again::Layer);
        }
    }
    Err(Again::Read(ReadError::MissingEntry {
        name: wanted,
        wanted_by: "a file view".into(),
    }))
}
