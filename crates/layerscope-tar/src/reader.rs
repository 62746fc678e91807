use std::io::{self, BufRead, Read, Seek, SeekFrom};

use crate::TarError;
use crate::block::{
    BLOCK, Format, RawHeader, cstr, extension_continues, is_zero_block, old_gnu_sparse, parse_block,
};
use crate::header::{EntryType, Header, is_header_only};
use crate::pax::{Pax, PaxSparse};
use crate::sparse::{
    PaxVersion, lines_needed, map_from_lines, map_from_records, old_gnu_regions, pax_real_size,
    pax_version, too_many, validate,
};

/// Caps on what a hostile archive can make the reader hold or do.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Largest PAX or GNU long-name record read into memory; also caps a sparse map (the
    /// extension blocks of an old GNU header, the map that opens a PAX 1.0 sparse file).
    pub max_record: u64,
    /// Most entries one stream may hold.
    pub max_entries: u64,
    /// Most data regions one sparse file may have.
    pub max_sparse_regions: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_record: 1 << 20,
            max_entries: 20_000_000,
            // What a 1 MiB map holds at the least bytes per region (`0,0,` or `0\n0\n`).
            max_sparse_regions: 1 << 17,
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

/// The extension records read so far for the entry that follows them.
#[derive(Default)]
struct Pending {
    long_name: Option<Vec<u8>>,
    long_link: Option<Vec<u8>>,
    pax: Option<Pax>,
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
    ///
    /// Entries are read as GNU tar and Go's archive/tar read them: v7, ustar, star, old GNU and
    /// GNU headers, base-256 numbers, GNU long names and links, PAX records, and GNU sparse
    /// files in all four encodings. Where the two differ, the choice is documented at the
    /// field. A GNU multi-volume continuation (`M`) is refused.
    pub fn next_header(&mut self) -> Result<Option<Header>, TarError> {
        if self.done {
            return Ok(None);
        }
        self.discard(self.remaining + self.padding)?;
        self.remaining = 0;
        self.padding = 0;

        let mut pending = Pending::default();
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
                // `X` is the pre-POSIX spelling Solaris tar writes; GNU tar reads it as `x`.
                b'x' | b'X' => {
                    let data = self.read_record("PAX", raw.size, header_offset)?;
                    // A second extended header replaces the first, as in GNU tar and Go.
                    pending.pax = Some(Pax::parse(&data, header_offset)?);
                }
                b'g' => {
                    // Global records are checked, then ignored: containerd, which unpacks
                    // layers for Docker, ignores them too (GNU tar would apply them to the
                    // entries that follow). `git archive` writes one with a `comment`.
                    let data = self.read_record("PAX global", raw.size, header_offset)?;
                    Pax::parse(&data, header_offset)?;
                }
                b'L' => {
                    let data = self.read_record("GNU long name", raw.size, header_offset)?;
                    pending.long_name = Some(cstr(&data).to_vec());
                }
                b'K' => {
                    let data = self.read_record("GNU long link", raw.size, header_offset)?;
                    pending.long_link = Some(cstr(&data).to_vec());
                }
                b'M' => {
                    return Err(TarError::MultiVolume {
                        offset: header_offset,
                    });
                }
                _ => return self.entry(raw, &block, header_offset, pending).map(Some),
            }
        }
    }

    fn entry(
        &mut self,
        raw: RawHeader,
        block: &[u8; BLOCK],
        header_offset: u64,
        pending: Pending,
    ) -> Result<Header, TarError> {
        self.entries += 1;
        if self.entries > self.limits.max_entries {
            return Err(TarError::TooManyEntries {
                limit: self.limits.max_entries,
            });
        }
        let mut header = Header {
            path: raw.name,
            link: raw.link,
            entry_type: EntryType::from_byte(raw.typeflag),
            typeflag: raw.typeflag,
            mode: raw.mode,
            uid: raw.uid,
            gid: raw.gid,
            mtime: raw.mtime,
            size: raw.size,
            stored: 0,
            data_offset: 0,
            header_offset,
            dev_major: raw.dev_major,
            dev_minor: raw.dev_minor,
            sparse: None,
            xattrs: Vec::new(),
        };
        let mut pax_sparse = None;
        if let Some(pax) = pending.pax {
            pax_sparse = Some(apply_pax(&mut header, pax));
        }
        // GNU long names win over PAX paths, in Go's order.
        if let Some(name) = pending.long_name.filter(|n| !n.is_empty()) {
            header.path = name;
        }
        if let Some(link) = pending.long_link.filter(|l| !l.is_empty()) {
            header.link = link;
        }
        // Old archives mark directories by a trailing slash on a NUL-typed entry.
        let mut typeflag = raw.typeflag;
        if typeflag == 0 && header.path.ends_with(b"/") {
            header.entry_type = EntryType::Directory;
            typeflag = b'5';
        }
        // Header-only types carry no data whatever their size field claims, as in POSIX and
        // Go's reader; the size field itself is kept for dive's layer sizes.
        let header_only = is_header_only(typeflag);
        let physical = if header_only { 0 } else { header.size };
        self.remaining = physical;
        self.padding = padded(physical) - physical;
        if typeflag == b'S' {
            self.old_gnu_sparse(&mut header, block, raw.format)?;
        } else if let Some(sparse) = pax_sparse {
            self.pax_sparse(&mut header, &sparse, header_only)?;
        }
        header.stored = self.remaining;
        header.data_offset = self.pos;
        Ok(header)
    }

    /// An old GNU `S` header: the real size in the header, four regions there and 21 more in
    /// each extension block that follows it (before the data).
    fn old_gnu_sparse(
        &mut self,
        header: &mut Header,
        block: &[u8; BLOCK],
        format: Format,
    ) -> Result<(), TarError> {
        let offset = header.header_offset;
        // star uses the same type flag with another layout; Go refuses it too.
        if format != Format::Gnu {
            return Err(TarError::BadSparse {
                offset,
                reason: "an old GNU sparse header without GNU magic",
            });
        }
        let fields = old_gnu_sparse(block);
        let real_size = fields.real_size.ok_or(TarError::BadNumber {
            field: "realsize",
            offset,
        })?;
        let mut regions = Vec::new();
        old_gnu_regions(block, false, offset, &mut regions)?;
        let mut extended = fields.extended;
        let mut extension_bytes: u64 = 0;
        while extended {
            extension_bytes += BLOCK as u64;
            if extension_bytes > self.limits.max_record {
                return Err(TarError::RecordTooLarge {
                    kind: "GNU sparse extension",
                    offset,
                    size: extension_bytes,
                    limit: self.limits.max_record,
                });
            }
            let Some(extension) = self.read_block()? else {
                return Err(TarError::Truncated { offset: self.pos });
            };
            old_gnu_regions(&extension, true, offset, &mut regions)?;
            too_many(regions.len() as u64, offset, self.limits.max_sparse_regions)?;
            extended = extension_continues(&extension);
        }
        validate(&regions, real_size, offset)?;
        header.size = real_size;
        header.sparse = Some(regions);
        Ok(())
    }

    /// A PAX sparse file (formats 0.0, 0.1, 1.0); records of an unknown version leave the entry
    /// a plain file, as in Go.
    fn pax_sparse(
        &mut self,
        header: &mut Header,
        sparse: &PaxSparse,
        header_only: bool,
    ) -> Result<(), TarError> {
        let offset = header.header_offset;
        let Some(version) = pax_version(sparse) else {
            return Ok(());
        };
        if header_only {
            return Err(TarError::BadSparse {
                offset,
                reason: "a sparse map on an entry that holds no data",
            });
        }
        if let Some(name) = sparse.name.as_ref().filter(|n| !n.is_empty()) {
            header.path.clone_from(name);
        }
        if let Some(size) = pax_real_size(sparse, offset)? {
            header.size = size;
        }
        let regions = match version {
            PaxVersion::InRecords => {
                map_from_records(sparse, offset, self.limits.max_sparse_regions)?
            }
            PaxVersion::InData => self.map_from_data(offset)?,
        };
        validate(&regions, header.size, offset)?;
        header.sparse = Some(regions);
        Ok(())
    }

    /// Format 1.0's map: whole blocks from the start of the entry's data, until they hold the
    /// count line and two lines per region.
    fn map_from_data(&mut self, offset: u64) -> Result<Vec<crate::SparseRegion>, TarError> {
        let mut text: Vec<u8> = Vec::new();
        let mut newlines: u64 = 0;
        let mut needed: Option<u64> = None;
        loop {
            match needed {
                Some(n) if newlines >= n => break,
                None if newlines >= 1 => {
                    let first = text.split(|&b| b == b'\n').next().unwrap_or_default();
                    needed = Some(lines_needed(first, offset, self.limits.max_sparse_regions)?);
                    continue;
                }
                _ => {}
            }
            let size = text.len() as u64 + BLOCK as u64;
            if size > self.limits.max_record {
                return Err(TarError::RecordTooLarge {
                    kind: "GNU sparse map",
                    offset,
                    size,
                    limit: self.limits.max_record,
                });
            }
            if self.remaining < BLOCK as u64 {
                return Err(TarError::BadSparse {
                    offset,
                    reason: "the sparse map runs past the entry's data",
                });
            }
            let mut block = [0u8; BLOCK];
            self.read_exact(&mut block)?;
            self.remaining -= BLOCK as u64;
            // One block at a time, a few per sparse file: not worth a byte-counting crate.
            #[allow(clippy::naive_bytecount)]
            let found = block.iter().filter(|&&b| b == b'\n').count();
            newlines += found as u64;
            text.extend_from_slice(&block);
        }
        map_from_lines(&text, offset)
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
        // Grown as bytes arrive, so a cut stream that claims a large record costs little.
        let mut data = Vec::with_capacity(size.min(64 << 10) as usize);
        while (data.len() as u64) < size {
            let available = self.fill()?;
            if available.is_empty() {
                return Err(TarError::Truncated { offset: self.pos });
            }
            let take = available
                .len()
                .min(usize::try_from(size - data.len() as u64).unwrap_or(usize::MAX));
            data.extend_from_slice(&available[..take]);
            self.inner.consume(take);
            self.pos += take as u64;
        }
        self.discard(padded(size) - size)?;
        Ok(data)
    }

    fn fill(&mut self) -> Result<&[u8], TarError> {
        loop {
            match self.inner.fill_buf() {
                Ok(_) => break,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(source) => {
                    return Err(TarError::Io {
                        offset: self.pos,
                        source,
                    });
                }
            }
        }
        self.inner.fill_buf().map_err(|source| TarError::Io {
            offset: self.pos,
            source,
        })
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
            let available = self.fill()?.len();
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

/// Applies an extended header's records; returns its sparse records for the caller to read.
fn apply_pax(header: &mut Header, pax: Pax) -> PaxSparse {
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
    if let Some(mtime) = pax.mtime {
        header.mtime = mtime;
    }
    header.xattrs = pax.xattrs;
    pax.sparse
}
