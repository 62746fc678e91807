//! `Transfer-Encoding: chunked`, decoded strictly: a chunk size is hex digits and nothing else
//! (extensions after `;` are skipped), every line ends in CRLF, every chunk's data is followed by
//! CRLF, lines have a length limit, and the trailer section is read and dropped. Both engines
//! send the inspect JSON and the image this way, so a lenient decoder would pass a damaged
//! stream on as image bytes.

use std::io::{self, BufRead};

/// Longest chunk-size line, extensions and CRLF included. Engines write `%x\r\n`; anything this
/// long is not a chunk size.
const MAX_SIZE_LINE: usize = 1024;

/// Most bytes of trailer fields read (and dropped) after the last chunk.
const MAX_TRAILERS: usize = 64 * 1024;

/// Most hex digits of a chunk size, leading zeros not counted: a `u64`.
const MAX_SIZE_DIGITS: usize = 16;

/// Where the decoder is in the chunked body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Before a chunk-size line.
    Size,
    /// Inside a chunk's data, this many bytes to go.
    Data(u64),
    /// After a chunk's data, before its CRLF.
    DataEnd,
    /// After the last chunk, among the trailer fields.
    Trailers { read: usize },
    /// After the empty line that ends the body.
    Done,
}

/// A chunked body's decoder; the bytes come from the `BufRead` passed to each read, so that
/// the same buffer holds what was read past the response head.
#[derive(Debug)]
pub(crate) struct Chunked {
    state: State,
}

impl Chunked {
    pub(crate) fn new() -> Chunked {
        Chunked { state: State::Size }
    }

    /// Reads decoded bytes into `buf`: `Ok(0)` only at the end of the body (or for an empty
    /// `buf`). Framing errors are `InvalidData`, a connection closed early `UnexpectedEof`.
    pub(crate) fn read(&mut self, src: &mut impl BufRead, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        loop {
            match self.state {
                State::Size => {
                    let line = read_line(src, 0, MAX_SIZE_LINE, "chunk-size line")?;
                    let size = chunk_size(&line)?;
                    self.state = if size == 0 {
                        State::Trailers { read: 0 }
                    } else {
                        State::Data(size)
                    };
                }
                State::Data(remaining) => {
                    let want = usize::try_from(remaining).map_or(buf.len(), |r| r.min(buf.len()));
                    let n = src.read(&mut buf[..want])?;
                    if n == 0 {
                        return Err(io::Error::new(
                            io::ErrorKind::UnexpectedEof,
                            format!(
                                "the connection closed in the middle of a chunk, {remaining} bytes short"
                            ),
                        ));
                    }
                    let left = remaining - n as u64;
                    self.state = if left == 0 {
                        State::DataEnd
                    } else {
                        State::Data(left)
                    };
                    return Ok(n);
                }
                State::DataEnd => {
                    let end = read_exact_pair(src)?;
                    if end != *b"\r\n" {
                        return Err(invalid("a chunk's data is not followed by CRLF".into()));
                    }
                    self.state = State::Size;
                }
                State::Trailers { read } => {
                    let line = read_line(src, read, MAX_TRAILERS, "trailer section")?;
                    self.state = if line == b"\r\n" {
                        State::Done
                    } else {
                        State::Trailers {
                            read: read + line.len(),
                        }
                    };
                }
                State::Done => return Ok(0),
            }
        }
    }
}

fn invalid(message: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, message)
}

/// One line up to and including its LF; it must end in CRLF, and with the `before` bytes of
/// its section already read, the section must stay within `cap` bytes.
fn read_line(src: &mut impl BufRead, before: usize, cap: usize, what: &str) -> io::Result<Vec<u8>> {
    let mut line = Vec::new();
    loop {
        let available = match src.fill_buf() {
            Ok(available) => available,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if available.is_empty() {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                format!("the connection closed in the middle of a {what}"),
            ));
        }
        let (take, complete) = match available.iter().position(|&b| b == b'\n') {
            Some(at) => (at + 1, true),
            None => (available.len(), false),
        };
        if before + line.len() + take > cap {
            return Err(invalid(format!("a {what} longer than {cap} bytes")));
        }
        line.extend_from_slice(&available[..take]);
        src.consume(take);
        if complete {
            break;
        }
    }
    if line.ends_with(b"\r\n") {
        Ok(line)
    } else {
        Err(invalid(format!("a {what} ends in a bare LF")))
    }
}

/// The next two bytes.
fn read_exact_pair(src: &mut impl BufRead) -> io::Result<[u8; 2]> {
    let mut pair = [0; 2];
    src.read_exact(&mut pair).map_err(|e| {
        if e.kind() == io::ErrorKind::UnexpectedEof {
            io::Error::new(
                e.kind(),
                "the connection closed before the CRLF after a chunk",
            )
        } else {
            e
        }
    })?;
    Ok(pair)
}

/// The size on a chunk-size line (CRLF included): hex digits, then optionally whitespace and
/// `;` extensions, which are ignored.
fn chunk_size(line: &[u8]) -> io::Result<u64> {
    let body = &line[..line.len() - 2];
    let digits = match body.iter().position(|&b| b == b';') {
        Some(at) => body[..at].trim_ascii_end(),
        None => body,
    };
    let bad = || {
        invalid(format!(
            "`{}` is not a chunk size",
            crate::text::cut(&String::from_utf8_lossy(body))
        ))
    };
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_hexdigit) {
        return Err(bad());
    }
    let significant = digits.iter().skip_while(|&&b| b == b'0').count();
    if significant > MAX_SIZE_DIGITS {
        return Err(invalid(format!(
            "a chunk size of {significant} hex digits (more than 64 bits)"
        )));
    }
    // Only hex digits, at most 16 significant: this cannot fail.
    let text = std::str::from_utf8(digits).map_err(|_| bad())?;
    u64::from_str_radix(text, 16).map_err(|_| bad())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{BufReader, Read};

    /// Hands out one byte per read, so every boundary falls at every possible place.
    struct Trickle<'a>(&'a [u8]);

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let Some((&first, rest)) = self.0.split_first() else {
                return Ok(0);
            };
            if buf.is_empty() {
                return Ok(0);
            }
            buf[0] = first;
            self.0 = rest;
            Ok(1)
        }
    }

    fn decode(wire: &[u8], buffer: usize) -> io::Result<Vec<u8>> {
        let mut src = BufReader::with_capacity(1, Trickle(wire));
        let mut chunked = Chunked::new();
        let mut out = Vec::new();
        let mut buf = vec![0; buffer];
        loop {
            let n = chunked.read(&mut src, &mut buf)?;
            if n == 0 {
                return Ok(out);
            }
            out.extend_from_slice(&buf[..n]);
        }
    }

    fn error(wire: &[u8]) -> String {
        decode(wire, 7).unwrap_err().to_string()
    }

    #[test]
    fn decodes_chunks_trickled_byte_by_byte() {
        let wire = b"5\r\nhello\r\n1;name=value\r\n \r\n00000b ; x\r\nwide world!\r\n0\r\nTrailer: x\r\n\r\nafter";
        for buffer in [1, 2, 3, 64] {
            assert_eq!(decode(wire, buffer).unwrap(), b"hello wide world!");
        }
        assert_eq!(decode(b"0\r\n\r\n", 4).unwrap(), b"");
        assert_eq!(
            decode(b"A\r\n0123456789\r\n0\r\n\r\n", 4).unwrap(),
            b"0123456789"
        );
    }

    #[test]
    fn framing_errors_are_named() {
        assert_eq!(error(b"zz\r\nhello\r\n"), "`zz` is not a chunk size");
        assert_eq!(error(b"+5\r\nhello\r\n"), "`+5` is not a chunk size");
        assert_eq!(error(b"5 \r\nhello\r\n"), "`5 ` is not a chunk size");
        assert_eq!(error(b"\r\n"), "`` is not a chunk size");
        assert_eq!(
            error(b"5\nhello\r\n"),
            "a chunk-size line ends in a bare LF"
        );
        assert_eq!(
            error(b"5\r\nhelloXY0\r\n\r\n"),
            "a chunk's data is not followed by CRLF"
        );
        assert_eq!(
            error(b"10000000000000000\r\n"),
            "a chunk size of 17 hex digits (more than 64 bits)"
        );
        let long = format!("5;{}\r\nhello\r\n", "x".repeat(2000));
        assert_eq!(
            error(long.as_bytes()),
            "a chunk-size line longer than 1024 bytes"
        );
        let trailers = format!("0\r\n{}\r\n\r\n", "T: v\r\n".repeat(20_000));
        assert_eq!(
            error(trailers.as_bytes()),
            "a trailer section longer than 65536 bytes"
        );
    }

    #[test]
    fn a_closed_connection_is_an_unexpected_eof() {
        for (wire, message) in [
            (
                &b"5\r\nhel"[..],
                "the connection closed in the middle of a chunk, 2 bytes short",
            ),
            (
                b"5\r\nhello",
                "the connection closed before the CRLF after a chunk",
            ),
            (
                b"5\r\nhello\r\n",
                "the connection closed in the middle of a chunk-size line",
            ),
            (
                b"5",
                "the connection closed in the middle of a chunk-size line",
            ),
            (
                b"0\r\n",
                "the connection closed in the middle of a trailer section",
            ),
        ] {
            let e = decode(wire, 3).unwrap_err();
            assert_eq!(e.kind(), io::ErrorKind::UnexpectedEof, "{message}");
            assert_eq!(e.to_string(), message);
        }
    }
}
