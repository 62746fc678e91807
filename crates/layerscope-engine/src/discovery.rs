//! Which engine to talk to, found the way the docker and podman CLIs find theirs.

use std::fmt::Write as _;
use std::os::unix::fs::PermissionsExt as _;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use sha2::{Digest as _, Sha256};

use crate::endpoint::{DOCKER_SOCKET, Endpoint, parse_host};
use crate::env::Env;
use crate::error::EngineError;

/// Rootful Podman's socket (what `systemctl start podman.socket` creates).
pub(crate) const PODMAN_ROOT_SOCKET: &str = "/run/podman/podman.sock";

/// Docker's engine: `DOCKER_HOST`, else `DOCKER_CONTEXT`, else the config's `currentContext`,
/// else the default socket. `DOCKER_HOST` wins over any context, as in the docker CLI.
pub(crate) fn docker(env: &Env) -> Result<Endpoint, EngineError> {
    if let Some(host) = env.var("DOCKER_HOST") {
        let endpoint = parse_host("DOCKER_HOST", host)?;
        if matches!(endpoint, Endpoint::Tcp(_)) {
            // The docker CLI turns TLS on for either variable, whatever its value.
            for variable in ["DOCKER_TLS_VERIFY", "DOCKER_TLS"] {
                if env.var(variable).is_some() {
                    return Err(EngineError::Tls {
                        origin: "DOCKER_HOST".into(),
                        host: crate::text::quoted(host),
                        how: format!("{variable} is set"),
                    });
                }
            }
        }
        return Ok(endpoint);
    }
    let config_dir = docker_config_dir(env);
    let (name, origin) = if let Some(name) = env.var("DOCKER_CONTEXT") {
        (name.to_owned(), "named by DOCKER_CONTEXT".to_owned())
    } else if let Some(dir) = &config_dir {
        match current_context(&dir.join("config.json"))? {
            Some(name) => (
                name,
                format!("the currentContext of {}", shown(&dir.join("config.json"))),
            ),
            None => return Ok(Endpoint::Unix(DOCKER_SOCKET.into())),
        }
    } else {
        return Ok(Endpoint::Unix(DOCKER_SOCKET.into()));
    };
    if name == "default" {
        return Ok(Endpoint::Unix(DOCKER_SOCKET.into()));
    }
    let Some(dir) = config_dir else {
        return Err(EngineError::NoContext {
            name: crate::text::quoted(&name),
            origin,
            path: "Docker configuration directory (neither DOCKER_CONFIG nor a home is set)".into(),
        });
    };
    context(&dir, &name, &origin)
}

/// `$DOCKER_CONFIG`, else `~/.docker`.
fn docker_config_dir(env: &Env) -> Option<PathBuf> {
    env.var("DOCKER_CONFIG")
        .map(PathBuf::from)
        .or_else(|| env.home.as_ref().map(|home| home.join(".docker")))
}

/// The `currentContext` of a `config.json`; none when the file or the key is missing.
fn current_context(path: &Path) -> Result<Option<String>, EngineError> {
    #[derive(Deserialize)]
    struct Config {
        #[serde(rename = "currentContext", default)]
        current_context: Option<String>,
    }
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(config_error(path, &e.to_string())),
    };
    let config: Config =
        serde_json::from_slice(&bytes).map_err(|e| config_error(path, &e.to_string()))?;
    Ok(config.current_context.filter(|name| !name.is_empty()))
}

/// A named context's engine, from `contexts/meta/<sha256 of the name>/meta.json`.
fn context(config_dir: &Path, name: &str, origin: &str) -> Result<Endpoint, EngineError> {
    #[derive(Deserialize)]
    struct Meta {
        #[serde(rename = "Endpoints", default)]
        endpoints: Endpoints,
    }
    #[derive(Deserialize, Default)]
    struct Endpoints {
        docker: Option<DockerEndpoint>,
    }
    #[derive(Deserialize)]
    struct DockerEndpoint {
        #[serde(rename = "Host", default)]
        host: String,
        /// TLS without checking the certificate: still TLS.
        #[serde(rename = "SkipTLSVerify", default)]
        skip_tls_verify: bool,
    }
    let id = context_id(name);
    let path = config_dir.join("contexts/meta").join(&id).join("meta.json");
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(EngineError::NoContext {
                name: crate::text::quoted(name),
                origin: origin.to_owned(),
                path: shown(&path),
            });
        }
        Err(e) => return Err(config_error(&path, &e.to_string())),
    };
    let meta: Meta =
        serde_json::from_slice(&bytes).map_err(|e| config_error(&path, &e.to_string()))?;
    let docker = meta
        .endpoints
        .docker
        .filter(|docker| !docker.host.is_empty())
        .ok_or_else(|| config_error(&path, "it names no Endpoints.docker.Host"))?;
    let host = docker.host;
    let context_origin = format!("Docker context `{}`", crate::text::quoted(name));
    let endpoint = parse_host(&context_origin, &host)?;
    // A context keeps its CA and client certificate under contexts/tls/<id>/docker/; having
    // them means TLS, which would be silently dropped here.
    if matches!(endpoint, Endpoint::Tcp(_)) {
        let how = if docker.skip_tls_verify {
            Some("the context sets SkipTLSVerify")
        } else if config_dir
            .join("contexts/tls")
            .join(&id)
            .join("docker")
            .exists()
        {
            Some("the context has TLS material")
        } else {
            None
        };
        if let Some(how) = how {
            return Err(EngineError::Tls {
                origin: context_origin,
                host: crate::text::quoted(&host),
                how: how.into(),
            });
        }
    }
    Ok(endpoint)
}

/// The directory name the docker CLI stores a context under: the hex SHA-256 of its name.
fn context_id(name: &str) -> String {
    let mut hex = String::with_capacity(64);
    for byte in Sha256::digest(name.as_bytes()) {
        let _ = write!(hex, "{byte:02x}");
    }
    hex
}

fn config_error(path: &Path, reason: &str) -> EngineError {
    EngineError::Config {
        path: shown(path),
        reason: crate::text::quoted(reason),
    }
}

fn shown(path: &Path) -> String {
    crate::text::one_line(&path.to_string_lossy())
}

/// Podman's engine: `CONTAINER_HOST`, else the rootless socket under `XDG_RUNTIME_DIR`, else
/// the rootful socket, else the podman command on `PATH`.
pub(crate) fn podman(env: &Env) -> Result<Endpoint, EngineError> {
    if let Some(host) = env.var("CONTAINER_HOST") {
        let Some(path) = host.strip_prefix("unix://") else {
            let what = host.split_once("://").map_or_else(
                || "addresses without a scheme".to_owned(),
                |(scheme, _)| format!("{}:// engines", crate::text::quoted(scheme)),
            );
            return Err(EngineError::Unsupported {
                origin: "CONTAINER_HOST".into(),
                host: crate::text::quoted(host),
                reason: format!(
                    "{what} are not supported (layerscope talks to Podman over a unix:// socket or the podman command)"
                ),
            });
        };
        if path.is_empty() {
            return Err(EngineError::Unsupported {
                origin: "CONTAINER_HOST".into(),
                host: crate::text::quoted(host),
                reason: "it names no socket path".into(),
            });
        }
        return Ok(Endpoint::Unix(PathBuf::from(path)));
    }
    let mut tried = vec!["CONTAINER_HOST is not set".to_owned()];
    match env.var("XDG_RUNTIME_DIR") {
        Some(dir) => {
            let socket = Path::new(dir).join("podman/podman.sock");
            if socket.exists() {
                return Ok(Endpoint::Unix(socket));
            }
            tried.push(format!("there is no {}", shown(&socket)));
        }
        None => tried.push("XDG_RUNTIME_DIR is not set".to_owned()),
    }
    let root = Path::new(PODMAN_ROOT_SOCKET);
    if root.exists() {
        return Ok(Endpoint::Unix(root.to_owned()));
    }
    tried.push(format!("there is no {PODMAN_ROOT_SOCKET}"));
    if let Some(binary) = on_path(env, "podman") {
        return Ok(Endpoint::PodmanCli(binary));
    }
    tried.push("there is no podman command on PATH".to_owned());
    Err(EngineError::NoPodman {
        tried: tried.join(", "),
    })
}

/// The first executable file called `name` in the `PATH` of `env`. Empty entries, which a
/// shell reads as the current directory, are skipped: discovery should not depend on where
/// layerscope was started.
fn on_path(env: &Env, name: &str) -> Option<PathBuf> {
    std::env::split_paths(env.var("PATH")?)
        .filter(|dir| !dir.as_os_str().is_empty())
        .map(|dir| dir.join(name))
        .find(|candidate| {
            std::fs::metadata(candidate)
                .is_ok_and(|meta| meta.is_file() && meta.permissions().mode() & 0o111 != 0)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn context_ids_are_the_sha256_of_the_name() {
        // `printf remote | sha256sum`, the directory the docker CLI keeps the context `remote` in.
        assert_eq!(
            context_id("remote"),
            "b71199ebd070b36beab7317920c2c2f1d777df8d05e5527d8458fda57cb17a7a"
        );
    }
}
