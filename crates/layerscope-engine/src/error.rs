//! Every way finding an engine or reading from it can fail, each a single line naming the engine
//! (as [`Engine::describe`](crate::Engine::describe) does, its endpoint included) and, where there
//! is one, the image reference.

/// An engine failure. `engine` is the engine's description (`the Docker engine at
/// unix:///var/run/docker.sock`), `what` the request it was asked (`the export of nginx:latest`),
/// `reference` the image as the user named it. Text that came from the engine, the environment or
/// the user has its control characters escaped and is cut to a readable length.
///
/// Errors in the middle of an export arrive from its reader as an [`std::io::Error`] that carries
/// one of these; [`EngineError::from_io`] gets it back.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EngineError {
    /// `DOCKER_HOST`, `CONTAINER_HOST` or a Docker context names an engine layerscope cannot talk
    /// to (`ssh://`, `npipe://`, a malformed address).
    #[error("{origin} is {host}: {reason}")]
    Unsupported {
        /// Where the address came from: `DOCKER_HOST`, ``Docker context `remote` ``.
        origin: String,
        host: String,
        reason: String,
    },
    /// A TCP engine with TLS asked for: the certificates would be ignored, so refuse instead.
    #[error(
        "{origin} is {host} with TLS ({how}): TLS to the engine is not supported (use its unix socket, or a plain tcp:// engine)"
    )]
    Tls {
        origin: String,
        host: String,
        /// What asked for TLS: `DOCKER_TLS_VERIFY is set`, `the context has TLS material`.
        how: String,
    },
    /// A Docker context that `DOCKER_CONTEXT` or `currentContext` names and that is not there.
    #[error("Docker context `{name}` ({origin}) does not exist: there is no {path}")]
    NoContext {
        name: String,
        origin: String,
        path: String,
    },
    /// Docker's `config.json` or a context's `meta.json` that cannot be read or understood.
    #[error("cannot use the Docker configuration {path}: {reason}")]
    Config { path: String, reason: String },
    /// No Podman socket and no podman command.
    #[error("no Podman engine found: {tried}")]
    NoPodman { tried: String },
    /// Connecting to the engine's socket failed.
    #[error("cannot reach {engine}: {reason}")]
    Unreachable { engine: String, reason: String },
    /// The engine accepted the request and did not begin its answer in time.
    #[error("{engine} did not answer {what} within {seconds} s")]
    Timeout {
        engine: String,
        what: String,
        seconds: u64,
    },
    /// The engine does not have the image; layerscope never pulls.
    #[error(
        "{engine} has no image {reference} (layerscope never pulls: {tool} pull it first, or name a registry with registry://)"
    )]
    NoSuchImage {
        engine: String,
        reference: String,
        /// The command that would pull it: `docker` or `podman`.
        tool: &'static str,
    },
    /// A reference no engine could take (empty, or one that cannot go into a request).
    #[error("{engine}: `{reference}` is not an image reference: {reason}")]
    BadReference {
        engine: String,
        reference: String,
        reason: &'static str,
    },
    /// An HTTP status other than the expected one, with the engine's own message.
    #[error("{engine} answered HTTP {status} to {what}: {message}")]
    Status {
        engine: String,
        what: String,
        status: u16,
        /// The `message` of the engine's JSON error body, or the body itself, or `no message`.
        message: String,
    },
    /// An answer that is not HTTP, not the JSON expected, or larger than allowed.
    #[error("{engine} sent a malformed answer to {what}: {reason}")]
    BadResponse {
        engine: String,
        what: String,
        reason: String,
    },
    /// A body that broke off or was badly framed after some bytes had been read.
    #[error("reading {what} from {engine} failed after {read} bytes: {reason}")]
    Body {
        engine: String,
        what: String,
        read: u64,
        reason: String,
    },
    /// The podman command could not be started.
    #[error("cannot run {engine} ({program}): {reason}")]
    Spawn {
        engine: String,
        program: String,
        reason: String,
    },
    /// The podman command ended with a failure; `stderr` is the last line it wrote there.
    #[error("{engine} failed at {what}: {status}{}", colon(stderr))]
    Podman {
        engine: String,
        what: String,
        /// `exit status 125`, `killed by signal 9`.
        status: String,
        stderr: String,
    },
}

/// `: TEXT` when there is text, nothing when there is none.
fn colon(text: &str) -> String {
    if text.is_empty() {
        String::new()
    } else {
        format!(": {text}")
    }
}

impl EngineError {
    /// The error inside an `io::Error` that an export's reader returned, when it came from there.
    pub fn from_io(error: &std::io::Error) -> Option<&EngineError> {
        error.get_ref()?.downcast_ref::<EngineError>()
    }

    /// Whether the engine answered that it does not have the image.
    pub fn is_no_such_image(&self) -> bool {
        matches!(self, EngineError::NoSuchImage { .. })
    }

    /// An export's body that broke off after READ bytes, as both kinds of export say it.
    pub(crate) fn body(engine: &str, what: &str, read: u64, cause: &std::io::Error) -> Self {
        EngineError::Body {
            engine: engine.to_owned(),
            what: what.to_owned(),
            read,
            reason: crate::text::quoted(&cause.to_string()),
        }
    }

    /// This error as the `io::Error` a reader returns, the error itself kept inside.
    pub(crate) fn into_io(self) -> std::io::Error {
        std::io::Error::other(self)
    }
}
