//! The little of HTTP/1.1 an engine's API needs, over a unix socket or TCP, blocking: one `GET`
//! per connection (`Connection: close`), the response head parsed by httparse, the body framed
//! by `Content-Length`, chunked encoding, or the end of the connection.

use std::io::{self, BufReader, Cursor, Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::os::unix::net::UnixStream;
use std::time::Duration;

use crate::chunk::Chunked;
use crate::endpoint::Endpoint;
use crate::error::EngineError;

/// Longest response head accepted.
pub(crate) const HEAD_LIMIT: usize = 64 * 1024;
/// Connecting to a TCP engine.
pub(crate) const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Waiting for the head (and for a small JSON body): an engine may spend a while before the
/// first byte, Podman saving the whole image to a temporary file first.
pub(crate) const ANSWER_TIMEOUT: Duration = Duration::from_secs(120);
/// Most response headers parsed.
const MAX_HEADERS: usize = 128;

/// One request: to which engine, described how, asking for what (both for errors).
pub(crate) struct Exchange<'a> {
    pub(crate) endpoint: &'a Endpoint,
    /// The engine as errors name it (`the Docker engine at unix:///…`).
    pub(crate) engine: &'a str,
    /// The request as errors name it (`the export of nginx:latest`).
    pub(crate) what: &'a str,
}

/// A connection to the engine.
enum Stream {
    Unix(UnixStream),
    Tcp(TcpStream),
}

impl Stream {
    fn connect(endpoint: &Endpoint) -> io::Result<Stream> {
        match endpoint {
            // Connecting to a unix socket does not wait on a network: it is accepted, refused,
            // or not there at once, so std's connect without a timeout is enough.
            Endpoint::Unix(path) => UnixStream::connect(path).map(Stream::Unix),
            Endpoint::Tcp(address) => {
                let mut last = None;
                for addr in address.to_socket_addrs()? {
                    match TcpStream::connect_timeout(&addr, CONNECT_TIMEOUT) {
                        Ok(stream) => return Ok(Stream::Tcp(stream)),
                        Err(e) => last = Some(e),
                    }
                }
                Err(last.unwrap_or_else(|| {
                    io::Error::new(io::ErrorKind::NotFound, "the name has no address")
                }))
            }
            Endpoint::PodmanCli(_) => Err(io::Error::new(
                io::ErrorKind::Unsupported,
                "the podman command has no API socket",
            )),
        }
    }

    fn set_timeouts(&self, read: Option<Duration>, write: Option<Duration>) -> io::Result<()> {
        match self {
            Stream::Unix(s) => {
                s.set_read_timeout(read)?;
                s.set_write_timeout(write)
            }
            Stream::Tcp(s) => {
                s.set_read_timeout(read)?;
                s.set_write_timeout(write)
            }
        }
    }
}

impl Read for Stream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Stream::Unix(s) => s.read(buf),
            Stream::Tcp(s) => s.read(buf),
        }
    }
}

impl Write for Stream {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Stream::Unix(s) => s.write(buf),
            Stream::Tcp(s) => s.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Stream::Unix(s) => s.flush(),
            Stream::Tcp(s) => s.flush(),
        }
    }
}

/// What an engine's refusal to connect means, in words that say what to do.
fn unreachable_reason(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::NotFound => "no such socket (is it running?)".into(),
        io::ErrorKind::ConnectionRefused => "connection refused (is it running?)".into(),
        io::ErrorKind::PermissionDenied => {
            "permission denied (may this user use the engine's socket?)".into()
        }
        io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock => {
            format!("no connection within {} s", CONNECT_TIMEOUT.as_secs())
        }
        _ => crate::text::quoted(&e.to_string()),
    }
}

/// An answer's status and its body, ready to read.
pub(crate) struct Response {
    pub(crate) status: u16,
    pub(crate) body: Body,
}

/// Sends `GET target` and reads the response head.
pub(crate) fn get(exchange: &Exchange<'_>, target: &str) -> Result<Response, EngineError> {
    let unreachable = |e: &io::Error| EngineError::Unreachable {
        engine: exchange.engine.to_owned(),
        reason: unreachable_reason(e),
    };
    let mut stream = Stream::connect(exchange.endpoint).map_err(|e| unreachable(&e))?;
    stream
        .set_timeouts(Some(ANSWER_TIMEOUT), Some(CONNECT_TIMEOUT))
        .map_err(|e| unreachable(&e))?;
    let request = format!(
        "GET {target} HTTP/1.1\r\nHost: docker\r\nUser-Agent: layerscope/{}\r\nConnection: close\r\n\r\n",
        env!("CARGO_PKG_VERSION")
    );
    stream
        .write_all(request.as_bytes())
        .and_then(|()| stream.flush())
        .map_err(|e| EngineError::Unreachable {
            engine: exchange.engine.to_owned(),
            reason: format!(
                "sending {} failed: {}",
                exchange.what,
                crate::text::quoted(&e.to_string())
            ),
        })?;
    let (head, rest) = read_head(&mut stream, exchange)?;
    let source = BufReader::new(Cursor::new(rest).chain(stream));
    Ok(Response {
        status: head.status,
        body: Body {
            source,
            framing: head.framing,
            chunked: None,
        },
    })
}

/// The parts of a response head this client acts on.
struct Head {
    status: u16,
    framing: Framing,
}

/// Reads until the head is complete; returns it and whatever of the body came with it.
fn read_head(stream: &mut Stream, exchange: &Exchange<'_>) -> Result<(Head, Vec<u8>), EngineError> {
    let malformed = |reason: String| EngineError::BadResponse {
        engine: exchange.engine.to_owned(),
        what: exchange.what.to_owned(),
        reason,
    };
    let mut buf = Vec::with_capacity(4096);
    let mut chunk = [0u8; 8192];
    loop {
        let n = match stream.read(&mut chunk) {
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) =>
            {
                return Err(EngineError::Timeout {
                    engine: exchange.engine.to_owned(),
                    what: exchange.what.to_owned(),
                    seconds: ANSWER_TIMEOUT.as_secs(),
                });
            }
            Err(e) => {
                return Err(EngineError::Unreachable {
                    engine: exchange.engine.to_owned(),
                    reason: format!(
                        "reading the answer to {} failed: {}",
                        exchange.what,
                        crate::text::quoted(&e.to_string())
                    ),
                });
            }
        };
        if n == 0 {
            return Err(malformed(if buf.is_empty() {
                "the connection closed without an answer".into()
            } else {
                "the connection closed in the middle of the response head".into()
            }));
        }
        buf.extend_from_slice(&chunk[..n]);
        let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
        let mut response = httparse::Response::new(&mut headers);
        match response.parse(&buf) {
            Ok(httparse::Status::Complete(len)) if len <= HEAD_LIMIT => {
                let head = head_of(&response).map_err(malformed)?;
                return Ok((head, buf.split_off(len)));
            }
            Ok(httparse::Status::Partial) if buf.len() <= HEAD_LIMIT => {}
            Ok(_) => {
                return Err(malformed(format!(
                    "a response head longer than {} KiB",
                    HEAD_LIMIT / 1024
                )));
            }
            Err(e) => return Err(malformed(format!("the response head is not HTTP: {e}"))),
        }
    }
}

/// How the body is delimited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Framing {
    /// `Content-Length`: this many bytes to go, of this many.
    Length {
        left: u64,
        total: u64,
    },
    Chunked,
    /// Neither header: the body ends with the connection.
    Close,
    /// A status that has no body.
    Empty,
}

/// The status and the framing of a parsed head, by RFC 9112 section 6.
fn head_of(response: &httparse::Response<'_, '_>) -> Result<Head, String> {
    let status = response.code.ok_or("no status code")?;
    if (100..200).contains(&status) {
        return Err(format!("an unexpected informational status {status}"));
    }
    let mut encodings = Vec::new();
    let mut length: Option<u64> = None;
    for header in response.headers.iter() {
        let value = std::str::from_utf8(header.value)
            .map_err(|_| format!("a {} header that is not text", header.name))?;
        if header.name.eq_ignore_ascii_case("transfer-encoding") {
            encodings.extend(
                value
                    .split(',')
                    .map(|coding| coding.trim().to_ascii_lowercase())
                    .filter(|coding| !coding.is_empty()),
            );
        } else if header.name.eq_ignore_ascii_case("content-length") {
            for piece in value.split(',').map(str::trim) {
                let parsed = piece
                    .bytes()
                    .all(|b| b.is_ascii_digit())
                    .then(|| piece.parse::<u64>().ok())
                    .flatten()
                    .ok_or_else(|| {
                        format!("`{}` is not a Content-Length", crate::text::quoted(piece))
                    })?;
                if length.is_some_and(|known| known != parsed) {
                    return Err("two different Content-Length headers".into());
                }
                length = Some(parsed);
            }
        }
    }
    let framing = if status == 204 || status == 304 {
        Framing::Empty
    } else if !encodings.is_empty() {
        // Transfer-Encoding overrides Content-Length; only chunked is understood, and it
        // must come last.
        if encodings.iter().any(|coding| coding != "chunked") || encodings.len() > 1 {
            return Err(format!(
                "Transfer-Encoding `{}` (only chunked is understood)",
                crate::text::quoted(&encodings.join(", "))
            ));
        }
        Framing::Chunked
    } else if let Some(total) = length {
        Framing::Length { left: total, total }
    } else {
        Framing::Close
    };
    Ok(Head { status, framing })
}

/// A response body as it arrives. Framing errors are `InvalidData`, a body cut short
/// `UnexpectedEof`; the caller names the engine and the request.
pub(crate) struct Body {
    source: BufReader<io::Chain<Cursor<Vec<u8>>, Stream>>,
    framing: Framing,
    chunked: Option<Chunked>,
}

impl Body {
    /// Lifts the read timeout: an image body may take as long as it takes.
    pub(crate) fn without_timeout(&self) -> io::Result<()> {
        self.source.get_ref().get_ref().1.set_timeouts(None, None)
    }
}

impl Read for Body {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self.framing {
            Framing::Empty => Ok(0),
            Framing::Close => self.source.read(buf),
            Framing::Chunked => self
                .chunked
                .get_or_insert_with(Chunked::new)
                .read(&mut self.source, buf),
            Framing::Length { left, total } => {
                if left == 0 || buf.is_empty() {
                    return Ok(0);
                }
                let want = usize::try_from(left).map_or(buf.len(), |l| l.min(buf.len()));
                let n = self.source.read(&mut buf[..want])?;
                if n == 0 {
                    return Err(io::Error::new(
                        io::ErrorKind::UnexpectedEof,
                        format!(
                            "the connection closed {left} bytes before the end of the body (Content-Length {total})"
                        ),
                    ));
                }
                self.framing = Framing::Length {
                    left: left - n as u64,
                    total,
                };
                Ok(n)
            }
        }
    }
}
