//! An engine found on this machine, and the two things asked of it: inspect an image, export it.

use std::collections::HashMap;
use std::io::Read;
use std::sync::OnceLock;

use crate::api::{self, ApiVersion};
use crate::command::Podman;
use crate::endpoint::Endpoint;
use crate::env::Env;
use crate::error::EngineError;
use crate::http::Exchange;
use crate::image::{ImageInfo, PlatformSpec};

/// Which engine the user asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Docker,
    Podman,
}

impl Kind {
    /// The engine's name (`Docker`) and its command (`docker`).
    fn names(self) -> (&'static str, &'static str) {
        match self {
            Kind::Docker => ("Docker", "docker"),
            Kind::Podman => ("Podman", "podman"),
        }
    }
}

/// A Docker or Podman engine: where it is, and how to ask it for images.
#[derive(Debug, Clone)]
pub struct Engine {
    kind: Kind,
    endpoint: Endpoint,
    /// What the podman command runs with (for the other endpoints, unused).
    vars: HashMap<String, String>,
    /// The API version spoken, asked once.
    api_version: OnceLock<ApiVersion>,
}

impl Engine {
    /// Finds the engine as the docker or podman CLI would, reading only `env` (see the crate
    /// documentation for the order). Nothing is contacted yet.
    pub fn find(kind: Kind, env: &Env) -> Result<Engine, EngineError> {
        let endpoint = match kind {
            Kind::Docker => crate::discovery::docker(env)?,
            Kind::Podman => crate::discovery::podman(env)?,
        };
        Ok(Engine::at(kind, endpoint, env))
    }

    /// The engine at a known endpoint (a `--host` given by the user, a test's own service);
    /// a podman command is run with the variables of `env`, and its `home` as `HOME`.
    pub fn at(kind: Kind, endpoint: Endpoint, env: &Env) -> Engine {
        let mut vars = env.vars.clone();
        if let Some(home) = &env.home {
            vars.entry("HOME".into())
                .or_insert_with(|| home.to_string_lossy().into_owned());
        }
        Engine {
            kind,
            endpoint,
            vars,
            api_version: OnceLock::new(),
        }
    }

    pub fn kind(&self) -> Kind {
        self.kind
    }

    pub fn endpoint(&self) -> &Endpoint {
        &self.endpoint
    }

    /// How errors name the engine: `the Docker engine at unix:///var/run/docker.sock`,
    /// `podman (the podman command)`.
    pub fn describe(&self) -> String {
        match &self.endpoint {
            Endpoint::PodmanCli(_) => "podman (the podman command)".into(),
            endpoint => format!("the {} engine at {endpoint}", self.kind.names().0),
        }
    }

    /// Whether the engine has the image; its id (config digest `sha256:…`), tags, os/architecture/variant.
    ///
    /// An image the engine does not have is [`EngineError::NoSuchImage`]; nothing is pulled.
    pub fn inspect(&self, reference: &str) -> Result<ImageInfo, EngineError> {
        let engine = self.describe();
        check_reference(&engine, reference)?;
        let what = format!("the inspection of {}", crate::text::cut(reference));
        match &self.endpoint {
            Endpoint::PodmanCli(binary) => self.podman(binary, &engine).inspect(reference, &what),
            endpoint => {
                let version = self.version(endpoint, &engine)?;
                let exchange = Exchange {
                    endpoint,
                    engine: &engine,
                    what: &what,
                };
                api::inspect(&exchange, version, reference, self.kind.names().1)
            }
        }
    }

    /// The `docker save` tar of the image as it streams from the engine.
    ///
    /// `platform` is sent to engines with API 1.48 or later, which pick that platform from a
    /// multi-platform image; older engines and the podman command export the one image they
    /// have under the reference, so the caller checks [`Engine::inspect`]'s platform itself.
    /// The bytes are never held whole nor written to a file; errors in the middle of the
    /// stream are `io::Error`s with an [`EngineError`] inside ([`EngineError::from_io`]).
    pub fn export(
        &self,
        reference: &str,
        platform: Option<&PlatformSpec>,
    ) -> Result<Box<dyn Read + Send>, EngineError> {
        let engine = self.describe();
        check_reference(&engine, reference)?;
        let what = format!("the export of {}", crate::text::cut(reference));
        match &self.endpoint {
            Endpoint::PodmanCli(binary) => Ok(Box::new(
                self.podman(binary, &engine).save(reference, &what)?,
            )),
            endpoint => {
                let version = self.version(endpoint, &engine)?;
                let exchange = Exchange {
                    endpoint,
                    engine: &engine,
                    what: &what,
                };
                let body =
                    api::export(&exchange, version, reference, platform, self.kind.names().1)?;
                Ok(Box::new(body))
            }
        }
    }

    fn podman<'a>(&'a self, binary: &'a std::path::Path, engine: &'a str) -> Podman<'a> {
        Podman {
            binary,
            vars: &self.vars,
            engine,
        }
    }

    /// The API version, asked of the engine the first time it is needed. A failure is not
    /// kept: the next call asks again.
    fn version(&self, endpoint: &Endpoint, engine: &str) -> Result<ApiVersion, EngineError> {
        if let Some(version) = self.api_version.get() {
            return Ok(*version);
        }
        let exchange = Exchange {
            endpoint,
            engine,
            what: "the version request",
        };
        let version = api::version(&exchange)?;
        Ok(*self.api_version.get_or_init(|| version))
    }
}

fn check_reference(engine: &str, reference: &str) -> Result<(), EngineError> {
    if reference.trim().is_empty() {
        return Err(EngineError::BadReference {
            engine: engine.to_owned(),
            reference: crate::text::cut(reference),
            reason: "it is empty",
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn engines_describe_themselves_by_endpoint() {
        let env = Env::default();
        let docker = Engine::at(
            Kind::Docker,
            Endpoint::Unix("/var/run/docker.sock".into()),
            &env,
        );
        assert_eq!(
            docker.describe(),
            "the Docker engine at unix:///var/run/docker.sock"
        );
        let tcp = Engine::at(Kind::Docker, Endpoint::Tcp("h:2375".into()), &env);
        assert_eq!(tcp.describe(), "the Docker engine at tcp://h:2375");
        let podman = Engine::at(
            Kind::Podman,
            Endpoint::Unix("/run/podman/podman.sock".into()),
            &env,
        );
        assert_eq!(
            podman.describe(),
            "the Podman engine at unix:///run/podman/podman.sock"
        );
        let cli = Engine::at(
            Kind::Podman,
            Endpoint::PodmanCli("/bin/podman".into()),
            &env,
        );
        assert_eq!(cli.describe(), "podman (the podman command)");
    }

    #[test]
    fn an_empty_reference_is_refused_before_anything_is_asked() {
        let docker = Engine::at(
            Kind::Docker,
            Endpoint::Unix("/nonexistent/docker.sock".into()),
            &Env::default(),
        );
        assert_eq!(
            docker.inspect(" ").unwrap_err().to_string(),
            "the Docker engine at unix:///nonexistent/docker.sock: ` ` is not an image reference: it is empty"
        );
    }

    #[test]
    fn a_missing_socket_is_unreachable() {
        let docker = Engine::at(
            Kind::Docker,
            Endpoint::Unix("/nonexistent/docker.sock".into()),
            &Env::default(),
        );
        assert_eq!(
            docker.inspect("nginx").unwrap_err().to_string(),
            "cannot reach the Docker engine at unix:///nonexistent/docker.sock: no such socket (is it running?)"
        );
    }

    #[test]
    fn engines_and_exports_go_between_threads() {
        fn shared<T: Send + Sync>() {}
        fn send<T: Send>() {}
        shared::<Engine>();
        send::<crate::api::Export>();
        send::<crate::command::Save>();
    }
}
