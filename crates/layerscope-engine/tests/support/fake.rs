//! A scripted engine: a unix socket in a temp dir, a thread that answers each connection with
//! the next scripted reply, written piece by piece, and records each request head.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::{Read, Write};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::thread::JoinHandle;
use std::time::Duration;

use layerscope_engine::{Engine, Env, Kind};

/// One connection's answer: these pieces written one after the other, then the connection
/// closed. A pause between pieces makes the client see them in separate reads, most of the
/// time; the tests assert only on what is received, never on how it was split.
#[derive(Debug, Clone, Default)]
pub struct Reply {
    pub pieces: Vec<Vec<u8>>,
    /// Before writing the piece of this index, wait until the test says so.
    pub gate: Option<(usize, Arc<Mutex<mpsc::Receiver<()>>>)>,
}

impl Reply {
    /// Raw bytes, as pieces.
    pub fn raw<I, P>(pieces: I) -> Reply
    where
        I: IntoIterator<Item = P>,
        P: Into<Vec<u8>>,
    {
        Reply {
            pieces: pieces.into_iter().map(Into::into).collect(),
            gate: None,
        }
    }

    /// This reply, holding back piece `index` and the rest until the returned sender sends.
    pub fn gated(mut self, index: usize) -> (Reply, mpsc::Sender<()>) {
        let (send, receive) = mpsc::channel();
        self.gate = Some((index, Arc::new(Mutex::new(receive))));
        (self, send)
    }

    /// A status with a `Content-Length` body.
    pub fn with_length(status: u16, content_type: &str, body: &[u8]) -> Reply {
        let mut head = head(status, content_type);
        let _ = write!(head, "Content-Length: {}\r\n\r\n", body.len());
        Reply::raw([head.into_bytes(), body.to_vec()])
    }

    /// A JSON answer with `Content-Length`.
    pub fn json(status: u16, body: &str) -> Reply {
        Reply::with_length(status, "application/json", body.as_bytes())
    }

    /// `GET /version`'s answer, as Podman's service gives it.
    pub fn version(api: &str) -> Reply {
        Reply::json(
            200,
            &format!(
                r#"{{"Version":"4.3.1","ApiVersion":"{api}","MinAPIVersion":"1.24","Os":"linux"}}"#
            ),
        )
    }

    /// A chunked body: the head, then `wire` (already chunk-encoded) cut at `cuts`.
    pub fn chunked(status: u16, wire: &[u8], cuts: &[usize]) -> Reply {
        let mut head = head(status, "application/x-tar");
        head.push_str("Transfer-Encoding: chunked\r\n\r\n");
        let mut pieces = vec![head.into_bytes()];
        let mut at = 0;
        for &cut in cuts {
            pieces.push(wire[at..cut].to_vec());
            at = cut;
        }
        pieces.push(wire[at..].to_vec());
        Reply { pieces, gate: None }
    }
}

/// A status line and the headers every reply has.
fn head(status: u16, content_type: &str) -> String {
    format!(
        "HTTP/1.1 {status} Whatever\r\nApi-Version: 1.41\r\nContent-Type: {content_type}\r\nServer: fake\r\n"
    )
}

/// `data` chunk-encoded, in chunks of `size` bytes.
pub fn encode_chunked(data: &[u8], size: usize) -> Vec<u8> {
    let mut wire = Vec::new();
    for chunk in data.chunks(size) {
        wire.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
        wire.extend_from_slice(chunk);
        wire.extend_from_slice(b"\r\n");
    }
    wire.extend_from_slice(b"0\r\n\r\n");
    wire
}

/// A request head as the fake received it.
#[derive(Debug, Clone)]
pub struct Seen {
    /// `GET /version`.
    pub request_line: String,
    /// Names lowercased.
    pub headers: HashMap<String, String>,
}

impl Seen {
    /// The path and query of the request line.
    pub fn target(&self) -> &str {
        self.request_line.split(' ').nth(1).unwrap_or_default()
    }
}

/// The fake engine; dropped, it stops its thread.
pub struct FakeEngine {
    pub dir: tempfile::TempDir,
    pub socket: PathBuf,
    seen: Arc<Mutex<Vec<Seen>>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl FakeEngine {
    /// Answers the first connection with `replies[0]`, the second with `replies[1]`, …; a
    /// connection after the last is refused.
    pub fn start(replies: Vec<Reply>) -> FakeEngine {
        let dir = tempfile::tempdir().unwrap();
        let socket = dir.path().join("engine.sock");
        let listener = UnixListener::bind(&socket).unwrap();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let seen = Arc::clone(&seen);
            let stop = Arc::clone(&stop);
            std::thread::spawn(move || {
                for reply in replies {
                    let Ok((stream, _)) = listener.accept() else {
                        return;
                    };
                    if stop.load(Ordering::SeqCst) {
                        return;
                    }
                    answer(stream, &reply, &seen);
                }
            })
        };
        FakeEngine {
            dir,
            socket,
            seen,
            stop,
            thread: Some(thread),
        }
    }

    /// `unix:///…/engine.sock`.
    pub fn host(&self) -> String {
        format!("unix://{}", self.socket.display())
    }

    /// A Docker engine found through `DOCKER_HOST` pointing here.
    pub fn docker(&self) -> Engine {
        let env = Env {
            vars: HashMap::from([("DOCKER_HOST".to_owned(), self.host())]),
            home: None,
        };
        Engine::find(Kind::Docker, &env).unwrap()
    }

    /// What the client asked, in order.
    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }

    /// The request targets, in order.
    pub fn targets(&self) -> Vec<String> {
        self.seen().iter().map(|s| s.target().to_owned()).collect()
    }
}

impl Drop for FakeEngine {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wakes the thread if it still waits for a connection the test never made.
        let _ = UnixStream::connect(&self.socket);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Reads one request head, records it, writes the reply's pieces, closes.
fn answer(mut stream: UnixStream, reply: &Reply, seen: &Mutex<Vec<Seen>>) {
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        match stream.read(&mut byte) {
            Ok(1) => head.push(byte[0]),
            _ => return,
        }
    }
    let text = String::from_utf8_lossy(&head).into_owned();
    let mut lines = text.split("\r\n");
    let request_line = lines.next().unwrap_or_default().to_owned();
    let headers = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_owned()))
        .collect();
    seen.lock().unwrap().push(Seen {
        request_line,
        headers,
    });
    for (i, piece) in reply.pieces.iter().enumerate() {
        if let Some((index, gate)) = &reply.gate
            && *index == i
        {
            // Not forever: a test that failed before opening the gate still stops the fake.
            let _ = gate.lock().unwrap().recv_timeout(Duration::from_secs(60));
        }
        if i > 0 {
            std::thread::sleep(Duration::from_millis(2));
        }
        if stream
            .write_all(piece)
            .and_then(|()| stream.flush())
            .is_err()
        {
            return;
        }
    }
}
