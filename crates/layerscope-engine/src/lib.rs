//! Reads an image out of a local Docker or Podman engine: finds the engine the way their CLIs
//! do, asks whether it has the image, and hands back the body of `GET /images/{name}/get` (a
//! `docker save` tar) as a [`std::io::Read`] that streams as the bytes arrive. The image is
//! never held whole in memory nor written to a file here, and nothing is ever pulled: an image
//! the engine does not have is [`EngineError::NoSuchImage`]. This crate knows nothing of tar or
//! layers; layerscope's reader takes the stream from here.
//!
//! ```no_run
//! use layerscope_engine::{Engine, Env, Kind};
//!
//! let engine = Engine::find(Kind::Docker, &Env::current())?;
//! let image = engine.inspect("nginx:latest")?; // id, tags, platform
//! let mut archive = engine.export("nginx:latest", None)?;
//! std::io::copy(&mut archive, &mut std::io::sink())?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Finding the engine
//! Discovery reads only the [`Env`] it is given (and whether socket files exist):
//! - **Docker**: `DOCKER_HOST` (`unix:///path`, `tcp://host:port`; `ssh://`, `npipe://` and
//!   others are refused, and so is `tcp://` with `DOCKER_TLS_VERIFY` or `DOCKER_TLS` set: TLS
//!   to the engine is not supported). Else the context `DOCKER_CONTEXT` names, else the
//!   `currentContext` of `$DOCKER_CONFIG/config.json` (`~/.docker/config.json`); a context
//!   other than `default` is read from `contexts/meta/<sha256 of its name>/meta.json`
//!   (`Endpoints.docker.Host`; a `tcp://` one with `SkipTLSVerify` or TLS material under
//!   `contexts/tls/` is refused), and one that is missing is an error naming it. Else
//!   `unix:///var/run/docker.sock`. `DOCKER_HOST` wins over contexts, as in the docker CLI.
//! - **Podman**: `CONTAINER_HOST` (`unix://` only), else `$XDG_RUNTIME_DIR/podman/podman.sock`
//!   if it exists, else `/run/podman/podman.sock` if it exists, else the `podman` command on
//!   the `PATH` of the `Env`, which is then run with that environment and no other.
//!
//! # Talking to it
//! Through a socket, both engines speak the Docker Engine API: `GET /version` for the API
//! version (capped at 1.48, the newest whose requests are used here), then
//! `/v{version}/images/{reference}/json` and `/v{version}/images/{reference}/get`, the
//! reference percent-encoded outside RFC 3986's unreserved characters (Docker and Podman both
//! decode it). `platform` is sent to `/images/get` only from API 1.48 on. Without a socket,
//! `podman image exists`, `podman image inspect --format json` and `podman image save --format
//! docker-archive` with its standard output as the stream; its exit status is checked when the
//! stream ends, and dropping the stream early kills and reaps it.
//!
//! HTTP is HTTP/1.1 written by hand, one request per connection (`Connection: close`), over
//! `std`'s blocking `UnixStream` and `TcpStream`: the rest of layerscope is synchronous, on
//! rayon threads. The response head is at most 64 KiB and must begin within 120 s (Podman
//! saves the whole image to a temporary file before it sends a byte); connecting to TCP has
//! 10 s; JSON bodies are read up to 1 MiB within the same 120 s; the image body has no limit
//! and no timeout. Bodies are framed by `Content-Length`, chunked encoding (decoded strictly
//! here) or the end of the connection.
//!
//! # Why these crates
//! - **httparse** parses the response head: protocol parsing is where hand-written code goes
//!   wrong (folded lines, odd whitespace, status lines), and httparse is small, has no
//!   dependencies, is fuzzed and is what hyper uses. Everything around it is a few hundred
//!   lines here: the HTTP clients that would do it for us (ureq, reqwest, hyper) speak TCP and
//!   TLS, not unix sockets, or bring an async runtime; `hyperlocal` and `bollard` are async.
//! - **`serde_json`** reads the version, inspection and error JSON.
//! - **sha2** names a Docker context's directory as the docker CLI does (SHA-256 of the name).
//!
//! # Errors
//! Every failure is one [`EngineError`] whose `Display` is one line naming the engine (with its
//! endpoint) and, where there is one, the image reference: not reachable (no socket, refused),
//! no such image (with the pull hint), an HTTP status with the engine's own message, a
//! malformed answer, a body that broke off, podman's exit status and the last line of its
//! stderr, an unsupported or missing engine address or context.

mod api;
mod chunk;
mod command;
mod discovery;
mod endpoint;
mod engine;
mod env;
mod error;
mod http;
mod image;
mod text;

pub use endpoint::Endpoint;
pub use engine::{Engine, Kind};
pub use env::Env;
pub use error::EngineError;
pub use image::{ImageInfo, PlatformSpec};
