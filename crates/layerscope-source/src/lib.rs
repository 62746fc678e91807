//! From what the user typed to where the image's bytes are ([`locate`]): a path (with skopeo's
//! and dive's transport prefixes), the Docker engine (`docker://`), Podman (`podman://`), or a
//! registry read without any daemon (`registry://`). A bare reference that is no path is looked
//! for in the Docker engine, then Podman, then its registry. Nothing is ever pulled into an
//! engine: an image an engine does not have is that engine's error.

mod engine;
mod name;
mod registry;

use std::path::{Path, PathBuf};

use layerscope_reader::{Input, Platform};

pub use name::{Transport, UnknownTransport};

/// What to look for and how.
#[derive(Debug, Clone, Default)]
pub struct Request {
    /// The image as typed: a path, `TRANSPORT:PATH[:REF]`, `TRANSPORT://REF` or a reference.
    pub input: String,
    /// `--source` (or `DIVE_SOURCE`): the transport for an input without a prefix.
    pub source: Option<Transport>,
    /// Asked of the engine where its API takes it; the reader picks the platform as well.
    pub platform: Option<Platform>,
    /// Registry settings: credentials, certificates, insecure hosts, retries.
    pub registry: layerscope_registry::Options,
}

/// Where the image is, and how to name it in the report.
#[derive(Debug)]
pub enum Located {
    /// A file or directory, and the image to pick inside it (`oci:DIR:REF`).
    Path {
        path: PathBuf,
        transport: Transport,
        image: Option<String>,
    },
    /// An engine's stream or a registry's blobs, and the reference as typed, without its prefix.
    Live {
        input: Input,
        transport: Transport,
        reference: String,
    },
}

impl Located {
    pub fn transport(&self) -> Transport {
        match self {
            Located::Path { transport, .. } | Located::Live { transport, .. } => *transport,
        }
    }

    /// The name the report shows after `Image Source: TRANSPORT://`: the path, or the reference
    /// as typed without its prefix.
    pub fn name(&self) -> String {
        match self {
            Located::Path { path, .. } => path.display().to_string(),
            Located::Live { reference, .. } => reference.clone(),
        }
    }

    pub fn into_input(self) -> (Input, Option<String>) {
        match self {
            Located::Path { path, image, .. } => (Input::Path(path), image),
            Located::Live { input, .. } => (input, None),
        }
    }
}

/// Why the image could not be found. Each message is one line naming the reference and the
/// engine or host.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    #[error(transparent)]
    Engine(#[from] layerscope_engine::EngineError),
    #[error(transparent)]
    Registry(#[from] layerscope_registry::RegistryError),
    #[error(
        "`{transport}` reads files; {input} is an image reference (use docker://, podman:// or registry://)"
    )]
    NotAPath { transport: Transport, input: String },
    /// A bare reference no source had; what each said, in the order they were asked.
    #[error("no such file, and no source has it: {}", tried.iter().map(|(who, why)| format!("{who}: {why}")).collect::<Vec<_>>().join("; "))]
    NowhereToBeFound {
        input: String,
        tried: Vec<(&'static str, String)>,
    },
}

/// Finds the image the request names.
pub fn locate(request: &Request) -> Result<Located, SourceError> {
    let named = name::parse(&request.input, request.source);
    match named.transport {
        Some(t) if t.is_file() => Ok(Located::Path {
            path: named.path,
            transport: t,
            image: named.image,
        }),
        Some(Transport::Docker) => {
            engine::open(layerscope_engine::Kind::Docker, &named.rest, request)
        }
        Some(Transport::Podman) => {
            engine::open(layerscope_engine::Kind::Podman, &named.rest, request)
        }
        Some(_) => registry::open(&named.rest, request),
        None => bare(request, &named.path),
    }
}

/// An input without a transport: a path when one exists or it reads as one, else a reference
/// tried in the Docker engine, Podman and its registry, in that order.
fn bare(request: &Request, path: &Path) -> Result<Located, SourceError> {
    let input = &request.input;
    if path.exists() || name::looks_like_path(input) {
        return Ok(Located::Path {
            path: path.to_owned(),
            transport: Transport::DockerArchive,
            image: None,
        });
    }
    let mut tried = Vec::new();
    for (kind, who) in [
        (layerscope_engine::Kind::Docker, "the Docker engine"),
        (layerscope_engine::Kind::Podman, "podman"),
    ] {
        match engine::open(kind, input, request) {
            Ok(found) => return Ok(found),
            Err(e) => tried.push((who, e.to_string())),
        }
    }
    match registry::open(input, request) {
        Ok(found) => Ok(found),
        Err(e) => {
            tried.push(("the registry", e.to_string()));
            Err(SourceError::NowhereToBeFound {
                input: input.clone(),
                tried,
            })
        }
    }
}
