//! A layer's bytes read in chunks that a thread of their own hashes while the reading thread
//! parses them: the digest checks no longer sit on the parser's thread, so one big layer keeps
//! two cores busy and the cores finish together.

use std::io::{self, BufRead, Read};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, SyncSender, channel, sync_channel};
use std::thread::{Scope, ScopedJoinHandle};

use crate::digest::Hasher;

/// Bytes read from the source at once, as a `BufReader` of the parser would.
const CHUNK: usize = 256 * 1024;
/// Chunks handed to the hasher and not yet hashed: with the one being parsed, this bounds the
/// memory of one stream to `(IN_FLIGHT + 1) × CHUNK`.
const IN_FLIGHT: usize = 3;

/// One chunk and how much of it holds data; buffers stay at full length so they are zeroed
/// once, when made.
type Chunk = (Arc<Vec<u8>>, usize);

/// The hashing thread's end: chunks to hash in, chunks hashed back for reuse.
struct Helper<'scope> {
    chunks: SyncSender<Chunk>,
    hashed: Receiver<Arc<Vec<u8>>>,
    thread: ScopedJoinHandle<'scope, String>,
}

/// Reads INNER in chunks, serves them as a `BufRead`, and, given a hasher, hashes every chunk on
/// a thread of the scope it was made in.
pub struct HashedChunks<'scope, R> {
    inner: R,
    current: Option<Chunk>,
    pos: usize,
    made: usize,
    helper: Option<Helper<'scope>>,
    done: bool,
}

impl<'scope, R: Read> HashedChunks<'scope, R> {
    pub fn new<'env>(scope: &'scope Scope<'scope, 'env>, inner: R, hasher: Option<Hasher>) -> Self {
        let helper = hasher.map(|mut hasher| {
            let (chunks, to_hash) = sync_channel::<Chunk>(IN_FLIGHT);
            let (give_back, returned) = channel();
            let thread = scope.spawn(move || {
                for (chunk, len) in to_hash {
                    hasher.update(&chunk[..len]);
                    // The reader may have stopped; an unused buffer is simply dropped.
                    let _ = give_back.send(chunk);
                }
                hasher.finish()
            });
            Helper {
                chunks,
                hashed: returned,
                thread,
            }
        });
        HashedChunks {
            inner,
            current: None,
            pos: 0,
            made: 0,
            helper,
            done: false,
        }
    }

    /// Waits for the hasher to see every chunk read so far and returns its hex digest, or
    /// `None` without a hasher. Only what was read is hashed: drain the reader first.
    pub fn finish(self) -> io::Result<Option<String>> {
        let Some(helper) = self.helper else {
            return Ok(None);
        };
        drop(helper.chunks);
        helper
            .thread
            .join()
            .map(Some)
            .map_err(|_| io::Error::other("the hashing thread failed"))
    }

    /// A buffer for the next chunk: one the hasher is done with, or a new one while fewer than
    /// the cap exist.
    fn buffer(&mut self) -> Vec<u8> {
        let reuse = |chunk: Arc<Vec<u8>>| Arc::try_unwrap(chunk).ok();
        let back = match &self.helper {
            Some(h) if self.made > IN_FLIGHT => h.hashed.recv().ok().and_then(reuse),
            Some(h) => h.hashed.try_recv().ok().and_then(reuse),
            None => self.current.take().and_then(|(c, _)| reuse(c)),
        };
        back.unwrap_or_else(|| {
            self.made += 1;
            vec![0; CHUNK]
        })
    }

    fn refill(&mut self) -> io::Result<()> {
        // The chunk served so far is the hasher's alone now, so it can come back for reuse.
        if self.helper.is_some() {
            self.current = None;
        }
        let mut buf = self.buffer();
        let mut len = 0;
        while len < CHUNK {
            match self.inner.read(&mut buf[len..]) {
                Ok(0) => break,
                Ok(n) => len += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        self.done = len < CHUNK;
        let chunk = Arc::new(buf);
        if let Some(h) = &self.helper
            && len > 0
        {
            h.chunks
                .send((Arc::clone(&chunk), len))
                .map_err(|_| io::Error::other("the hashing thread failed"))?;
        }
        self.current = Some((chunk, len));
        self.pos = 0;
        Ok(())
    }
}

impl<R: Read> BufRead for HashedChunks<'_, R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        let exhausted = self
            .current
            .as_ref()
            .is_none_or(|(_, len)| self.pos >= *len);
        if exhausted && !self.done {
            self.refill()?;
        }
        Ok(match &self.current {
            Some((chunk, len)) => &chunk[self.pos..*len],
            None => &[],
        })
    }

    fn consume(&mut self, amount: usize) {
        self.pos += amount;
    }
}

impl<R: Read> Read for HashedChunks<'_, R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(out.len());
        out[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::digest::Algorithm;

    /// A source that hands out at most `step` bytes a read, as pipes and sockets do.
    struct Trickle<'a>(&'a [u8], usize);

    impl Read for Trickle<'_> {
        fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
            let n = self.0.len().min(self.1).min(out.len());
            out[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    fn hex_of(data: &[u8]) -> String {
        let mut h = Hasher::new(Algorithm::Sha256);
        h.update(data);
        h.finish()
    }

    #[test]
    fn every_byte_is_served_in_order_and_hashed_once() {
        // Sizes around the chunk and the buffers' reuse: empty, one short chunk, exact
        // multiples, and many chunks past the cap on buffers.
        for size in [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK, 11 * CHUNK + 7] {
            let data: Vec<u8> = (0..size).map(|i| (i * 31 % 251) as u8).collect();
            for step in [7919, CHUNK, 4 * CHUNK] {
                let (got, hex) = std::thread::scope(|s| {
                    let mut r = HashedChunks::new(
                        s,
                        Trickle(&data, step),
                        Some(Hasher::new(Algorithm::Sha256)),
                    );
                    let mut got = Vec::new();
                    r.read_to_end(&mut got).unwrap();
                    (got, r.finish().unwrap())
                });
                assert!(got == data, "size {size} step {step}");
                assert_eq!(hex.as_deref(), Some(hex_of(&data).as_str()));
            }
        }
    }

    #[test]
    fn without_a_hasher_it_reads_alone() {
        let data = vec![5u8; 2 * CHUNK + 3];
        let got = std::thread::scope(|s| {
            let mut r = HashedChunks::new(s, Trickle(&data, CHUNK / 3), None);
            let mut got = Vec::new();
            r.read_to_end(&mut got).unwrap();
            assert!(r.finish().unwrap().is_none());
            got
        });
        assert!(got == data);
        assert_eq!(got.len(), 2 * CHUNK + 3);
    }

    #[test]
    fn a_reader_dropped_early_lets_the_scope_end() {
        let data = vec![1u8; 20 * CHUNK];
        std::thread::scope(|s| {
            let mut r = HashedChunks::new(s, &data[..], Some(Hasher::new(Algorithm::Sha256)));
            let mut some = [0u8; 100];
            r.read_exact(&mut some).unwrap();
            drop(r);
        });
    }
}
