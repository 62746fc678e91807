//! How users name images: dive's `docker://`, `podman://` and `docker-archive://` prefixes,
//! skopeo's `TRANSPORT:PATH[:REF]`, `registry://`, `--source`, or nothing at all.

use std::fmt;
use std::path::PathBuf;

use layerscope_reader::reference;

/// Where an image is read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transport {
    DockerArchive,
    OciArchive,
    Oci,
    /// A containers `dir:` directory.
    Dir,
    /// The Docker engine.
    Docker,
    Podman,
    /// A registry, without any daemon.
    Registry,
}

/// A `--source` that names no transport.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown source `{0}`: expected docker, podman, registry, docker-archive, oci-archive, oci or dir"
)]
pub struct UnknownTransport(pub String);

impl Transport {
    /// Reads `--source` (and `DIVE_SOURCE`) as dive does, plus layerscope's own.
    pub fn parse(word: &str) -> Result<Transport, UnknownTransport> {
        Ok(match word {
            "docker-archive" | "docker-tar" => Transport::DockerArchive,
            "oci-archive" => Transport::OciArchive,
            "oci" => Transport::Oci,
            "dir" => Transport::Dir,
            "docker" | "docker-daemon" => Transport::Docker,
            "podman" => Transport::Podman,
            "registry" => Transport::Registry,
            other => return Err(UnknownTransport(other.to_owned())),
        })
    }

    /// Whether the image is a file or directory on this machine.
    pub fn is_file(self) -> bool {
        matches!(
            self,
            Transport::DockerArchive | Transport::OciArchive | Transport::Oci | Transport::Dir
        )
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Transport::DockerArchive => "docker-archive",
            Transport::OciArchive => "oci-archive",
            Transport::Oci => "oci",
            Transport::Dir => "dir",
            Transport::Docker => "docker",
            Transport::Podman => "podman",
            Transport::Registry => "registry",
        }
    }
}

impl fmt::Display for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What the input says, before anything is looked up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Named {
    pub transport: Option<Transport>,
    /// For a file transport (or none): the path.
    pub path: PathBuf,
    /// For a file transport: the image to pick inside it.
    pub image: Option<String>,
    /// For a live transport: the reference, without its prefix.
    pub rest: String,
}

/// The prefixes that name a live source; `docker-daemon:` is skopeo's name for the engine.
const LIVE: [(&str, Transport); 4] = [
    ("docker://", Transport::Docker),
    ("docker-daemon:", Transport::Docker),
    ("podman://", Transport::Podman),
    ("registry://", Transport::Registry),
];

pub(crate) fn parse(input: &str, source: Option<Transport>) -> Named {
    for (prefix, transport) in LIVE {
        if let Some(rest) = input.strip_prefix(prefix) {
            return live(transport, rest);
        }
    }
    let r = reference::parse(input);
    if let Some(t) = r.transport {
        return Named {
            transport: Transport::parse(t).ok(),
            path: r.path,
            image: r.image,
            rest: String::new(),
        };
    }
    match source {
        Some(t) if !t.is_file() => live(t, input),
        _ => Named {
            transport: source,
            path: PathBuf::from(input),
            image: None,
            rest: String::new(),
        },
    }
}

fn live(transport: Transport, rest: &str) -> Named {
    Named {
        transport: Some(transport),
        path: PathBuf::new(),
        image: None,
        rest: rest.to_owned(),
    }
}

/// Archive names and relative or absolute paths are never image references.
pub(crate) fn looks_like_path(input: &str) -> bool {
    const ARCHIVES: [&str; 7] = [
        ".tar", ".tar.gz", ".tgz", ".tar.zst", ".tzst", ".gz", ".zst",
    ];
    input.starts_with('/')
        || input.starts_with("./")
        || input.starts_with("../")
        || input.starts_with('~')
        || input == "."
        || ARCHIVES.iter().any(|ext| input.ends_with(ext))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_sources_and_bare_names() {
        let n = parse("docker://nginx:latest", None);
        assert_eq!(
            (n.transport, n.rest.as_str()),
            (Some(Transport::Docker), "nginx:latest")
        );
        let n = parse("docker-daemon:nginx", None);
        assert_eq!(n.transport, Some(Transport::Docker));
        let n = parse("podman://localhost/app:1", None);
        assert_eq!(
            (n.transport, n.rest.as_str()),
            (Some(Transport::Podman), "localhost/app:1")
        );
        let n = parse("registry://127.0.0.1:5000/a/b@sha256:00", None);
        assert_eq!(n.rest, "127.0.0.1:5000/a/b@sha256:00");
        let n = parse("docker-archive://x.tar", None);
        assert_eq!(
            (n.transport, n.path),
            (Some(Transport::DockerArchive), PathBuf::from("x.tar"))
        );
        let n = parse("dir:some/where", None);
        assert_eq!(
            (n.transport, n.path),
            (Some(Transport::Dir), PathBuf::from("some/where"))
        );
        // --source names the transport of an input without a prefix.
        let n = parse("nginx", Some(Transport::Podman));
        assert_eq!(
            (n.transport, n.rest.as_str()),
            (Some(Transport::Podman), "nginx")
        );
        let n = parse("x.tar", Some(Transport::OciArchive));
        assert_eq!(
            (n.transport, n.path),
            (Some(Transport::OciArchive), PathBuf::from("x.tar"))
        );
        let n = parse("nginx:latest", None);
        assert_eq!(n.transport, None);
        assert_eq!(Transport::parse("docker-tar"), Ok(Transport::DockerArchive));
        assert!(Transport::parse("containerd").is_err());
    }

    #[test]
    fn what_reads_as_a_path() {
        for path in [
            "/x",
            "./x",
            "../x",
            "image.tar",
            "a.tar.gz",
            "b.tar.zst",
            ".",
        ] {
            assert!(looks_like_path(path), "{path}");
        }
        for reference in [
            "nginx",
            "nginx:latest",
            "localhost:5000/a/b:1",
            "ghcr.io/o/r@sha256:ab",
        ] {
            assert!(!looks_like_path(reference), "{reference}");
        }
    }
}
