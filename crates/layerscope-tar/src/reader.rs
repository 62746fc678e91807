use std::io::{self, BufRead, Read, Seek, SeekFrom};

use crate::TarError;
use crate::header::{BLOCK, EntryType, Header, is_zero_block, parse_block, parse_pax};

/// Caps on what a hostile archive can make the reader hold or do.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Largest PAX or GNU long-name record read into memory.
    pub max_record: u64,
    /// Most entries one stream may hold.
    pub max_entries: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_record: 1 << 20,
            max_entries: 20_000_000,
        }
    }
}

/// Walks the headers of a tar stream; between two headers the caller may read the entry's data.
pub struct TarReader<R> {
    inner: R,
    pos: u64,
    /// Unread data bytes of the current entry.
    remaining: u64,
    /// Zero bytes after the data that round it up to a block.
    padding: u64,
    entries: u64,
    limits: Limits,
    done: bool,
}

impl<R: BufRead> TarReader<R> {
    pub fn new(inner: R, limits: Limits) -> Self {
        TarReader {
            inner,
            pos: 0,
            remaining: 0,
            padding: 0,
            entries: 0,
            limits,
            done: false,
        }
    }

    /// Bytes consumed from the stream so far.
    pub fn position(&self) -> u64 {
        self.pos
    }

    pub fn into_inner(self) -> R {
        self.inner
    }

    /// The next entry, or `None` at the end-of-archive marker (or a clean end of stream).
    pub fn next_header(&mut self) -> Result<Option<Header>, TarError> {
        if self.done {
            return Ok(None);
        }
        self.discard(self.remaining + self.padding)?;
        self.remaining = 0;
        self.padding = 0;

        let mut long_name: Option<Vec<u8>> = None;
        let mut long_link: Option<Vec<u8>> = None;
        let mut pax = None;
        loop {
            let header_offset = self.pos;
            let Some(block) = self.read_block()? else {
                self.done = true;
                return Ok(None);
            };
            if is_zero_block(&block) {
                self.done = true;
                return Ok(None);
            }
            let raw = parse_block(&block, header_offset)?;
            match raw.typeflag {
                b'x' => {
                    let data = self.read_record("PAX", raw.size, header_offset)?;
                    pax = Some(parse_pax(&data, header_offset)?);
                }
                b'g' => {
                    // Global PAX headers (git archive writes one) carry nothing a layer needs.
                    self.discard(padded(raw.size))?;
                }
                b'L' => {
                    let mut data = self.read_record("GNU long name", raw.size, header_offset)?;
                    trim_nul(&mut data);
                    long_name = Some(data);
                }
                b'K' => {
                    let mut data = self.read_record("GNU long link", raw.size, header_offset)?;
                    trim_nul(&mut data);
                    long_link = Some(data);
                }
                typeflag => {
                    self.entries += 1;
                    if self.entries > self.limits.max_entries {
                        return Err(TarError::TooManyEntries {
                            limit: self.limits.max_entries,
                        });
                    }
                    let mut header = Header {
                        path: long_name.take().unwrap_or(raw.name),
                        link: long_link.take().unwrap_or(raw.link),
                        entry_type: EntryType::from_byte(typeflag),
                        mode: raw.mode,
                        uid: raw.uid,
                        gid: raw.gid,
                        size: raw.size,
                        data_offset: self.pos,
                        header_offset,
                    };
                    if let Some(pax) = pax.take() {
                        apply_pax(&mut header, pax);
                    }
                    // Header-only types carry no data whatever their size field claims, as in
                    // POSIX and Go's reader; the size field itself is kept for dive's layer sizes.
                    let data = match header.entry_type {
                        EntryType::Regular | EntryType::Other(_) => header.size,
                        _ => 0,
                    };
                    self.remaining = data;
                    self.padding = padded(data) - data;
                    return Ok(Some(header));
                }
            }
        }
    }

    /// The unread data of the current entry.
    pub fn data(&mut self) -> DataReader<'_, R> {
        DataReader { tar: self }
    }

    fn read_record(
        &mut self,
        kind: &'static str,
        size: u64,
        offset: u64,
    ) -> Result<Vec<u8>, TarError> {
        if size > self.limits.max_record {
            return Err(TarError::RecordTooLarge {
                kind,
                offset,
                size,
                limit: self.limits.max_record,
            });
        }
        let mut data = vec![0; size as usize];
        self.read_exact(&mut data)?;
        self.discard(padded(size) - size)?;
        Ok(data)
    }

    fn read_block(&mut self) -> Result<Option<[u8; BLOCK]>, TarError> {
        let mut block = [0u8; BLOCK];
        let mut filled = 0;
        while filled < BLOCK {
            let n = self.read_some(&mut block[filled..])?;
            if n == 0 {
                return if filled == 0 {
                    Ok(None)
                } else {
                    Err(TarError::Truncated { offset: self.pos })
                };
            }
            filled += n;
        }
        Ok(Some(block))
    }

    fn read_exact(&mut self, buf: &mut [u8]) -> Result<(), TarError> {
        let mut filled = 0;
        while filled < buf.len() {
            let n = self.read_some(&mut buf[filled..])?;
            if n == 0 {
                return Err(TarError::Truncated { offset: self.pos });
            }
            filled += n;
        }
        Ok(())
    }

    fn read_some(&mut self, buf: &mut [u8]) -> Result<usize, TarError> {
        loop {
            match self.inner.read(buf) {
                Ok(n) => {
                    self.pos += n as u64;
                    return Ok(n);
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(source) => {
                    return Err(TarError::Io {
                        offset: self.pos,
                        source,
                    });
                }
            }
        }
    }

    fn discard(&mut self, mut n: u64) -> Result<(), TarError> {
        while n > 0 {
            let available = match self.inner.fill_buf() {
                Ok(buf) => buf.len(),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(source) => {
                    return Err(TarError::Io {
                        offset: self.pos,
                        source,
                    });
                }
            };
            if available == 0 {
                return Err(TarError::Truncated { offset: self.pos });
            }
            let take = available.min(usize::try_from(n).unwrap_or(usize::MAX));
            self.inner.consume(take);
            self.pos += take as u64;
            n -= take as u64;
        }
        Ok(())
    }
}

impl<R: BufRead + Seek> TarReader<R> {
    /// Moves past the current entry's data without reading it: indexing a large archive on disk
    /// then costs one read per header.
    pub fn seek_past_data(&mut self) -> Result<(), TarError> {
        let skip = self.remaining + self.padding;
        if skip == 0 {
            return Ok(());
        }
        let delta = i64::try_from(skip).map_err(|_| TarError::Truncated { offset: self.pos })?;
        self.inner
            .seek(SeekFrom::Current(delta))
            .map_err(|source| TarError::Io {
                offset: self.pos,
                source,
            })?;
        self.pos += skip;
        self.remaining = 0;
        self.padding = 0;
        Ok(())
    }
}

/// Reads exactly the current entry's data; a short stream is an error, not a silent end.
pub struct DataReader<'a, R> {
    tar: &'a mut TarReader<R>,
}

impl<R: BufRead> DataReader<'_, R> {
    pub fn remaining(&self) -> u64 {
        self.tar.remaining
    }
}

impl<R: BufRead> Read for DataReader<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let avail = self.fill_buf()?;
        let n = avail.len().min(buf.len());
        buf[..n].copy_from_slice(&avail[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for DataReader<'_, R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.tar.remaining == 0 {
            return Ok(&[]);
        }
        let remaining = self.tar.remaining;
        let buf = self.tar.inner.fill_buf()?;
        if buf.is_empty() {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                format!(
                    "truncated tar: data ends {remaining} bytes early at offset {}",
                    self.tar.pos
                ),
            ));
        }
        let n = buf
            .len()
            .min(usize::try_from(remaining).unwrap_or(usize::MAX));
        Ok(&buf[..n])
    }

    fn consume(&mut self, amt: usize) {
        self.tar.inner.consume(amt);
        self.tar.pos += amt as u64;
        self.tar.remaining -= amt as u64;
    }
}

fn padded(size: u64) -> u64 {
    size.div_ceil(BLOCK as u64) * BLOCK as u64
}

fn trim_nul(data: &mut Vec<u8>) {
    while data.last() == Some(&0) {
        data.pop();
    }
}

fn apply_pax(header: &mut Header, pax: crate::header::Pax) {
    if let Some(path) = pax.path {
        header.path = path;
    }
    if let Some(link) = pax.link {
        header.link = link;
    }
    if let Some(size) = pax.size {
        header.size = size;
    }
    if let Some(uid) = pax.uid {
        header.uid = uid;
    }
    if let Some(gid) = pax.gid {
        header.gid = gid;
    }
}
