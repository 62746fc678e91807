//! What a client is allowed to do and where it finds credentials and certificates.

use std::env;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::AtomicU64;
use std::time::Duration;

/// Choices for a [`Client`](crate::Client). [`Options::default`] reads nothing from the
/// environment (anonymous, system CA roots only); [`Options::from_env`] finds what `docker pull`
/// and `podman pull` would.
#[derive(Debug, Clone)]
pub struct Options {
    /// `HOST[:PORT]` allowed plain HTTP and certificates that do not verify, as Docker's
    /// `--insecure-registry`. A name without a port matches every port of that host.
    pub insecure: Vec<String>,
    /// The directory holding Docker's `config.json` (`$DOCKER_CONFIG`, else `~/.docker`).
    pub docker_config: Option<PathBuf>,
    /// Podman's `auth.json`, looked at after Docker's config.
    pub auth_file: Option<PathBuf>,
    /// Directories holding `HOST[:PORT]/` folders of CA certificates (`*.crt`) and client
    /// certificates (`*.cert` with `*.key`), as `/etc/docker/certs.d`.
    pub certs_dirs: Vec<PathBuf>,
    /// Retries after the first attempt, for 429, 5xx and connections that fail before an answer.
    pub retries: u32,
    /// The first wait between attempts; each further wait doubles it.
    pub backoff: Duration,
    /// The longest single wait, also the cap on a server's `Retry-After`.
    pub max_backoff: Duration,
    /// Time allowed to connect, TLS handshake included.
    pub connect_timeout: Duration,
    /// Time allowed from sending a request to the end of the response's headers.
    pub response_timeout: Duration,
    /// Time allowed without a single byte arriving. A long body is never cut, a stalled one is.
    pub stall_timeout: Duration,
    /// The cap on a manifest or index read into memory.
    pub max_manifest_bytes: u64,
    /// Counts bytes of blobs read, for a progress line; the client makes its own when `None`.
    pub progress: Option<Arc<AtomicU64>>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            insecure: Vec::new(),
            docker_config: None,
            auth_file: None,
            certs_dirs: Vec::new(),
            retries: 3,
            backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(10),
            connect_timeout: Duration::from_secs(30),
            response_timeout: Duration::from_secs(60),
            stall_timeout: Duration::from_secs(120),
            max_manifest_bytes: 16 << 20,
            progress: None,
        }
    }
}

impl Options {
    /// Credentials and certificates where Docker and Podman keep them: `$DOCKER_CONFIG` or
    /// `~/.docker`; `$REGISTRY_AUTH_FILE`, else `$XDG_RUNTIME_DIR/containers/auth.json`, else
    /// `~/.config/containers/auth.json`; `/etc/docker/certs.d` and `/etc/containers/certs.d`.
    /// System CA roots honour `SSL_CERT_FILE` and `SSL_CERT_DIR` whatever the options.
    pub fn from_env() -> Options {
        let home = env::var_os("HOME").map(PathBuf::from);
        let docker_config = env::var_os("DOCKER_CONFIG")
            .map(PathBuf::from)
            .or_else(|| home.as_ref().map(|h| h.join(".docker")));
        let auth_file = env::var_os("REGISTRY_AUTH_FILE")
            .map(PathBuf::from)
            .or_else(|| {
                let runtime = env::var_os("XDG_RUNTIME_DIR")
                    .map(|d| PathBuf::from(d).join("containers/auth.json"));
                runtime.filter(|p| p.is_file())
            })
            .or_else(|| home.map(|h| h.join(".config/containers/auth.json")));
        Options {
            docker_config,
            auth_file,
            certs_dirs: vec![
                PathBuf::from("/etc/docker/certs.d"),
                PathBuf::from("/etc/containers/certs.d"),
            ],
            ..Options::default()
        }
    }
}
