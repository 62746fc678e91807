//! One layer's bytes: compression found by content, both digests checked while streaming, and a
//! cap on how far a blob may decompress.

use std::io::{self, Cursor, Read};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::Progress;
use crate::chunks::HashedChunks;
use crate::digest::{Algorithm, Hasher};
use crate::error::LayerError;

/// How far a layer may decompress before it is refused.
#[derive(Debug, Clone, Copy)]
pub struct BombLimits {
    /// No layer may decompress past this many bytes.
    pub max_layer_bytes: u64,
    /// Past `ratio_floor` bytes, no layer may decompress to more than this many times its size.
    pub max_ratio: u64,
    pub ratio_floor: u64,
}

impl Default for BombLimits {
    fn default() -> Self {
        BombLimits {
            max_layer_bytes: 64 << 30,
            max_ratio: 250,
            ratio_floor: 1 << 30,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    Plain,
    Gzip,
    Zstd,
}

/// What streaming one layer found, beside the caller's result. Digests are empty when hashing
/// was not asked for.
pub struct LayerDigests {
    /// Hex digest of the stored blob.
    pub blob: String,
    /// Hex digest of the uncompressed tar.
    pub diff: String,
    pub compression: Compression,
}

impl LayerDigests {
    fn unhashed(compression: Compression) -> Self {
        LayerDigests {
            blob: String::new(),
            diff: String::new(),
            compression,
        }
    }
}

/// Counts raw bytes so the ratio check can see them from above the decoder.
struct Counted<'p, R> {
    inner: R,
    count: Arc<AtomicU64>,
    progress: Option<&'p Progress>,
}

impl<R: Read> Read for Counted<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        if let Some(p) = self.progress {
            p.bytes_read.fetch_add(n as u64, Ordering::Relaxed);
        }
        Ok(n)
    }
}

/// Refuses to pass more bytes than the limits allow, remembering that it did.
struct Guard<R> {
    inner: R,
    raw: Arc<AtomicU64>,
    out: u64,
    limits: BombLimits,
    tripped: Arc<AtomicU64>,
}

impl<R: Read> Read for Guard<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.out += n as u64;
        let raw = self.raw.load(Ordering::Relaxed).max(1);
        let limit = if self.out > self.limits.ratio_floor && self.out / raw > self.limits.max_ratio
        {
            Some(raw.saturating_mul(self.limits.max_ratio))
        } else if self.out > self.limits.max_layer_bytes {
            Some(self.limits.max_layer_bytes)
        } else {
            None
        };
        if let Some(limit) = limit {
            self.tripped.store(limit.max(1), Ordering::Relaxed);
            return Err(io::Error::other("decompression limit reached"));
        }
        Ok(n)
    }
}

fn sniff(prefix: &[u8]) -> Result<Compression, LayerError> {
    Ok(match prefix {
        [0x1f, 0x8b, ..] => Compression::Gzip,
        [0x28, 0xb5, 0x2f, 0xfd, ..] => Compression::Zstd,
        [0xfd, b'7', b'z', b'X', b'Z', 0, ..] => return Err(LayerError::Compression("xz")),
        [b'B', b'Z', b'h', ..] => return Err(LayerError::Compression("bzip2")),
        _ => Compression::Plain,
    })
}

/// Streams one blob through `f` and returns its result with the digests of what passed.
///
/// `f` gets the uncompressed tar. With `whole`, whatever it leaves unread is drained so the digests
/// cover the whole blob; without, reading stops where `f` stops and the digests are empty.
pub fn read_layer<'a, T>(
    raw: impl Read + Send + 'a,
    algorithm: Option<Algorithm>,
    limits: BombLimits,
    f: &crate::LayerFn<'_, T>,
    whole: bool,
    progress: Option<&'a Progress>,
) -> Result<(T, LayerDigests), LayerError> {
    let mut raw: Box<dyn Read + Send + 'a> = Box::new(raw);
    let mut prefix = [0u8; 8];
    let mut got = 0;
    while got < prefix.len() {
        let n = raw.read(&mut prefix[got..])?;
        if n == 0 {
            break;
        }
        got += n;
    }
    let compression = sniff(&prefix[..got])?;
    let raw = Cursor::new(prefix[..got].to_vec()).chain(raw);
    let raw_count = Arc::new(AtomicU64::new(0));
    let tripped = Arc::new(AtomicU64::new(0));
    let finish =
        |result: Result<T, Box<dyn std::error::Error + Send + Sync>>| -> Result<T, LayerError> {
            let limit = tripped.load(Ordering::Relaxed);
            if limit > 0 {
                return Err(LayerError::Bomb { limit });
            }
            result.map_err(LayerError::Content)
        };
    // Each digest is computed on a thread of its own beside this one, which decodes and parses.
    std::thread::scope(|scope| match compression {
        Compression::Plain => {
            // The blob is the tar: one hash serves as both digests.
            let counted = Counted {
                inner: raw,
                count: raw_count.clone(),
                progress,
            };
            let mut tar = HashedChunks::new(scope, counted, algorithm.map(Hasher::new));
            let value = finish(f(&mut tar))?;
            if !whole {
                return Ok((value, LayerDigests::unhashed(compression)));
            }
            drain(&mut tar)?;
            let hex = tar.finish()?.unwrap_or_default();
            Ok((
                value,
                LayerDigests {
                    blob: hex.clone(),
                    diff: hex,
                    compression,
                },
            ))
        }
        Compression::Gzip | Compression::Zstd => {
            let counted = Counted {
                inner: raw,
                count: raw_count.clone(),
                progress,
            };
            let mut hashed_raw = HashedChunks::new(scope, counted, algorithm.map(Hasher::new));
            let (value, diff) = {
                let decoder: Box<dyn Read + Send + '_> = match compression {
                    Compression::Gzip => {
                        Box::new(flate2::bufread::MultiGzDecoder::new(&mut hashed_raw))
                    }
                    _ => Box::new(zstd::stream::read::Decoder::with_buffer(&mut hashed_raw)?),
                };
                let guarded = Guard {
                    inner: decoder,
                    raw: raw_count.clone(),
                    out: 0,
                    limits,
                    tripped: tripped.clone(),
                };
                let mut tar = HashedChunks::new(scope, guarded, algorithm.map(Hasher::new));
                let value = finish(f(&mut tar));
                let value = value?;
                if !whole {
                    return Ok((value, LayerDigests::unhashed(compression)));
                }
                if let Err(e) = drain(&mut tar) {
                    finish(Err(Box::new(e)))?;
                }
                (value, tar.finish()?.unwrap_or_default())
            };
            // Trailing bytes after the compressed stream still belong to the blob's digest.
            drain(&mut hashed_raw)?;
            let blob = hashed_raw.finish()?;
            Ok((
                value,
                LayerDigests {
                    blob: blob.unwrap_or_default(),
                    diff,
                    compression,
                },
            ))
        }
    })
}

fn drain(r: &mut impl Read) -> io::Result<()> {
    io::copy(r, &mut io::sink()).map(|_| ())
}
