//! A scripted HTTP/1.1 server on a loopback address: each request is answered by the test's
//! function, and every request is recorded (method, path, headers, body) for the test to check.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

/// A request as the server saw it.
#[derive(Debug, Clone)]
pub struct Seen {
    pub method: String,
    pub path: String,
    /// Names lowercased.
    pub headers: HashMap<String, String>,
    pub body: String,
    /// How many earlier requests had the same method and path.
    pub nth: usize,
}

impl Seen {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(String::as_str)
    }
}

/// An answer.
#[derive(Debug, Clone, Default)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// Announce the whole body but send only this many bytes, then close.
    pub cut_at: Option<usize>,
    /// Close the connection without any answer.
    pub hang_up: bool,
}

impl Reply {
    pub fn new(status: u16) -> Reply {
        Reply {
            status,
            ..Reply::default()
        }
    }

    pub fn body(mut self, body: impl Into<Vec<u8>>) -> Reply {
        self.body = body.into();
        self
    }

    pub fn header(mut self, name: &str, value: &str) -> Reply {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }
}

type Handler = dyn Fn(&Seen) -> Reply + Send + Sync;

pub struct Fake {
    /// `IP:PORT`.
    pub host: String,
    seen: Arc<Mutex<Vec<Seen>>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Fake {
    /// A server on 127.0.0.1.
    pub fn start(handler: impl Fn(&Seen) -> Reply + Send + Sync + 'static) -> Fake {
        Fake::start_on("127.0.0.1", handler)
    }

    /// A server on another loopback address (127.0.0.2 is another host to the client).
    pub fn start_on(ip: &str, handler: impl Fn(&Seen) -> Reply + Send + Sync + 'static) -> Fake {
        let listener = TcpListener::bind((ip, 0)).unwrap();
        let host = listener.local_addr().unwrap().to_string();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let handler: Arc<Handler> = Arc::new(handler);
        let thread = {
            let (seen, stop) = (Arc::clone(&seen), Arc::clone(&stop));
            std::thread::spawn(move || {
                for stream in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    if let Ok(stream) = stream {
                        serve(stream, &*handler, &seen);
                    }
                }
            })
        };
        Fake {
            host,
            seen,
            stop,
            thread: Some(thread),
        }
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }

    /// The requests for `path` (query included).
    pub fn seen_at(&self, path: &str) -> Vec<Seen> {
        self.seen().into_iter().filter(|s| s.path == path).collect()
    }
}

impl Drop for Fake {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(&self.host);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// One connection, one request (every answer says `Connection: close`).
fn serve(stream: TcpStream, handler: &Handler, seen: &Mutex<Vec<Seen>>) {
    let mut reader = BufReader::new(stream);
    // A TLS ClientHello (the client trying HTTPS first) gets what Go's plain server answers.
    if reader.fill_buf().map_or(true, |b| b.first() == Some(&0x16)) {
        let _ = reader.get_mut().write_all(
            b"HTTP/1.0 400 Bad Request\r\n\r\nClient sent an HTTP request to an HTTPS server.\n",
        );
        return;
    }
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() {
        return;
    }
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or("").to_owned();
    let path = parts.next().unwrap_or("").to_owned();
    let mut headers = HashMap::new();
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).is_err() || header.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            headers.insert(name.trim().to_ascii_lowercase(), value.trim().to_owned());
        }
    }
    let length: usize = headers
        .get("content-length")
        .and_then(|l| l.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; length];
    let _ = reader.read_exact(&mut body);
    let request = {
        let mut seen = seen.lock().unwrap();
        let nth = seen
            .iter()
            .filter(|s| s.method == method && s.path == path)
            .count();
        let request = Seen {
            method,
            path,
            headers,
            body: String::from_utf8_lossy(&body).into_owned(),
            nth,
        };
        seen.push(request.clone());
        request
    };
    let reply = handler(&request);
    let mut stream = reader.into_inner();
    if reply.hang_up {
        return;
    }
    let mut head = format!("HTTP/1.1 {} X\r\nConnection: close\r\n", reply.status);
    let has_length = reply
        .headers
        .iter()
        .any(|(n, _)| n.eq_ignore_ascii_case("content-length"));
    if !has_length {
        let _ = write!(head, "Content-Length: {}\r\n", reply.body.len());
    }
    for (name, value) in &reply.headers {
        let _ = write!(head, "{name}: {value}\r\n");
    }
    head.push_str("\r\n");
    let _ = stream.write_all(head.as_bytes());
    if request.method != "HEAD" {
        let end = reply
            .cut_at
            .unwrap_or(reply.body.len())
            .min(reply.body.len());
        let _ = stream.write_all(&reply.body[..end]);
    }
    let _ = stream.flush();
}
