//! Where an engine listens, and the engine addresses of `DOCKER_HOST` and its kin.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::error::EngineError;

/// Docker's socket when nothing names another.
pub(crate) const DOCKER_SOCKET: &str = "/var/run/docker.sock";

/// The port a `tcp://` address without one means, as the docker CLI reads it (plain HTTP).
const DOCKER_TCP_PORT: u16 = 2375;

/// How to reach an engine.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Endpoint {
    /// The engine's API on a unix socket.
    Unix(PathBuf),
    /// The engine's API over plain TCP, `host:port`.
    Tcp(String),
    /// No API socket: run this podman binary.
    PodmanCli(PathBuf),
}

impl fmt::Display for Endpoint {
    /// `unix:///var/run/docker.sock`, `tcp://host:2375`, `the podman command /usr/bin/podman`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Endpoint::Unix(path) => write!(f, "unix://{}", shown(path)),
            Endpoint::Tcp(address) => write!(f, "tcp://{}", crate::text::one_line(address)),
            Endpoint::PodmanCli(path) => write!(f, "the podman command {}", shown(path)),
        }
    }
}

/// A path as it goes into a one-line message.
fn shown(path: &Path) -> String {
    crate::text::one_line(&path.to_string_lossy())
}

/// The endpoint an engine address names: `unix:///path`, `tcp://host:port`, or a bare
/// `host:port`, which the docker CLI takes for `tcp://`. `origin` says where the address came
/// from, for the error.
pub(crate) fn parse_host(origin: &str, host: &str) -> Result<Endpoint, EngineError> {
    let unsupported = |reason: String| EngineError::Unsupported {
        origin: origin.to_owned(),
        host: crate::text::quoted(host),
        reason,
    };
    let (scheme, rest) = host.split_once("://").unwrap_or(("tcp", host));
    match scheme {
        "unix" if rest.is_empty() => Ok(Endpoint::Unix(PathBuf::from(DOCKER_SOCKET))),
        "unix" => Ok(Endpoint::Unix(PathBuf::from(rest))),
        "tcp" => tcp_address(rest).map(Endpoint::Tcp).map_err(unsupported),
        "npipe" | "ssh" | "fd" | "http" | "https" => Err(unsupported(format!(
            "{scheme}:// engines are not supported (layerscope talks to unix:// sockets and plain tcp://)"
        ))),
        _ => Err(unsupported(format!(
            "`{}` is not an engine address scheme (layerscope talks to unix:// sockets and plain tcp://)",
            crate::text::quoted(scheme)
        ))),
    }
}

/// `host:port` from what follows `tcp://`: the port defaults to Docker's plain one, the host to
/// `localhost`, as in the docker CLI; a path after the address is refused (no engine here serves
/// its API below a prefix).
fn tcp_address(rest: &str) -> Result<String, String> {
    let address = rest.strip_suffix('/').unwrap_or(rest);
    if address.contains('/') {
        return Err("a tcp:// address with a path is not supported".to_owned());
    }
    let (host, port) = if let Some(bracketed) = address.strip_prefix('[') {
        let (host, after) = bracketed
            .split_once(']')
            .ok_or("an IPv6 address without its closing `]`")?;
        (format!("[{host}]"), after.strip_prefix(':'))
    } else {
        match address.rsplit_once(':') {
            Some((host, port)) => (host.to_owned(), Some(port)),
            None => (address.to_owned(), None),
        }
    };
    let port = match port {
        None => DOCKER_TCP_PORT,
        Some(port) => port
            .parse::<u16>()
            .map_err(|_| format!("`{}` is not a port", crate::text::quoted(port)))?,
    };
    let host = if host.is_empty() || host == "[]" {
        "localhost".to_owned()
    } else {
        host
    };
    Ok(format!("{host}:{port}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(host: &str) -> Endpoint {
        parse_host("DOCKER_HOST", host).unwrap()
    }

    #[test]
    fn unix_and_tcp_addresses() {
        assert_eq!(
            parsed("unix:///run/x.sock"),
            Endpoint::Unix("/run/x.sock".into())
        );
        assert_eq!(parsed("unix://"), Endpoint::Unix(DOCKER_SOCKET.into()));
        assert_eq!(
            parsed("tcp://10.1.2.3:2375"),
            Endpoint::Tcp("10.1.2.3:2375".into())
        );
        assert_eq!(parsed("tcp://engine"), Endpoint::Tcp("engine:2375".into()));
        assert_eq!(
            parsed("tcp://:4000/"),
            Endpoint::Tcp("localhost:4000".into())
        );
        assert_eq!(
            parsed("tcp://[::1]:2375"),
            Endpoint::Tcp("[::1]:2375".into())
        );
        assert_eq!(parsed("tcp://[::1]"), Endpoint::Tcp("[::1]:2375".into()));
        assert_eq!(parsed("engine:2375"), Endpoint::Tcp("engine:2375".into()));
    }

    #[test]
    fn unsupported_addresses_say_why() {
        let line = |host: &str| {
            parse_host("DOCKER_HOST", host)
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default()
        };
        assert_eq!(
            line("ssh://me@box"),
            "DOCKER_HOST is ssh://me@box: ssh:// engines are not supported (layerscope talks to unix:// sockets and plain tcp://)"
        );
        assert!(
            line("npipe:////./pipe/docker_engine").contains("npipe:// engines are not supported")
        );
        assert_eq!(
            line("tcp://box:port"),
            "DOCKER_HOST is tcp://box:port: `port` is not a port"
        );
        assert!(line("tcp://box:2375/v1").contains("with a path is not supported"));
        assert!(line("gopher://x").contains("`gopher` is not an engine address scheme"));
    }

    #[test]
    fn endpoints_display_as_addresses() {
        assert_eq!(
            Endpoint::Unix("/var/run/docker.sock".into()).to_string(),
            "unix:///var/run/docker.sock"
        );
        assert_eq!(Endpoint::Tcp("h:1".into()).to_string(), "tcp://h:1");
        assert_eq!(
            Endpoint::PodmanCli("/usr/bin/podman".into()).to_string(),
            "the podman command /usr/bin/podman"
        );
        assert_eq!(
            Endpoint::Unix("/tmp/a\nb".into()).to_string(),
            "unix:///tmp/a\\nb"
        );
    }
}
