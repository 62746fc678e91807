//! Credentials from Docker's `config.json` (inline `auths`, `credHelpers`, `credsStore`) and
//! Podman's `auth.json`.
//!
//! The `docker_credential` crate reads the files and speaks the `docker-credential-NAME get`
//! protocol; this module picks the files, the key a registry is filed under, and what counts as
//! "no credential" (none configured, a helper that is not installed, a helper that says
//! "credentials not found") as opposed to a broken configuration, which is an error.

use std::fmt;
use std::fs;
use std::path::Path;

use base64::Engine;
use docker_credential::{CredentialRetrievalError as Lookup, DockerCredential};

use crate::options::Options;
use crate::reference::DOCKER_HUB;
use crate::text::quoted;

/// Largest credential file read.
const MAX_FILE: u64 = 4 << 20;

/// A secret for one registry. Its `Debug` shows no secret.
#[derive(Clone, PartialEq, Eq)]
pub(crate) enum Credential {
    Basic {
        username: String,
        password: String,
    },
    /// An `OAuth2` refresh token (`identitytoken`), traded at the token server for access tokens.
    IdentityToken(String),
}

impl fmt::Debug for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Credential::Basic { .. } => f.write_str("Credential::Basic(<redacted>)"),
            Credential::IdentityToken(_) => f.write_str("Credential::IdentityToken(<redacted>)"),
        }
    }
}

impl Credential {
    /// The `Authorization` value for HTTP Basic, when this is a user and password.
    pub(crate) fn basic_header(&self) -> Option<String> {
        match self {
            Credential::Basic { username, password } => {
                let raw = format!("{username}:{password}");
                Some(format!(
                    "Basic {}",
                    base64::engine::general_purpose::STANDARD.encode(raw)
                ))
            }
            Credential::IdentityToken(_) => None,
        }
    }
}

/// The credential for `registry` (as named in the image reference), Docker's config first, then
/// Podman's. `Ok(None)` means anonymous. The error says which file or helper is broken.
pub(crate) fn lookup(
    options: &Options,
    registry: &str,
    repository: &str,
) -> Result<Option<Credential>, String> {
    if let Some(dir) = &options.docker_config {
        let file = dir.join("config.json");
        // Docker files Hub's credentials under its v1 index URL; everything else by host[:port].
        let key = if registry == DOCKER_HUB {
            "https://index.docker.io/v1/"
        } else {
            registry
        };
        if let Some(found) = from_file(&file, &[key])? {
            return Ok(Some(found));
        }
    }
    if let Some(file) = &options.auth_file {
        // Podman also files credentials per namespace: the most specific entry wins.
        let mut keys = vec![format!("{registry}/{repository}")];
        let mut path = repository;
        while let Some((parent, _)) = path.rsplit_once('/') {
            keys.push(format!("{registry}/{parent}"));
            path = parent;
        }
        keys.push(registry.to_owned());
        let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
        if let Some(found) = from_file(file, &keys)? {
            return Ok(Some(found));
        }
    }
    Ok(None)
}

fn from_file(file: &Path, keys: &[&str]) -> Result<Option<Credential>, String> {
    let bytes = match read_capped(file) {
        Ok(Some(bytes)) => bytes,
        Ok(None) => return Ok(None),
        Err(e) => return Err(format!("cannot read {}: {e}", file.display())),
    };
    for key in keys {
        match docker_credential::get_credential_from_reader(bytes.as_slice(), key) {
            Ok(DockerCredential::UsernamePassword(username, password)) => {
                if username.is_empty() && password.is_empty() {
                    continue;
                }
                return Ok(Some(Credential::Basic { username, password }));
            }
            Ok(DockerCredential::IdentityToken(token)) => {
                return Ok(Some(Credential::IdentityToken(token)));
            }
            // Not configured, or a helper that is not installed: anonymous, as docker does.
            Err(Lookup::NoCredentialConfigured | Lookup::HelperCommunicationError) => {}
            Err(Lookup::HelperFailure {
                helper,
                stdout,
                stderr,
            }) => {
                if stdout.contains("credentials not found") {
                    continue;
                }
                let said = if stderr.trim().is_empty() {
                    String::new()
                } else {
                    format!(": {}", quoted(stderr.lines().next().unwrap_or("")))
                };
                return Err(format!("credential helper `{helper}` failed{said}"));
            }
            Err(Lookup::MalformedHelperResponse) => {
                return Err(
                    "the credential helper's answer is not {\"Username\", \"Secret\"} JSON"
                        .to_owned(),
                );
            }
            Err(Lookup::CredentialDecodingError) => {
                return Err(format!(
                    "{}: an `auth` entry is not base64 of user:password",
                    file.display()
                ));
            }
            Err(Lookup::CredentialMismatchError) => {
                return Err(format!(
                    "{}: `auth` and `username`/`password` disagree",
                    file.display()
                ));
            }
            Err(Lookup::ConfigReadError | Lookup::ConfigNotFound) => {
                return Err(format!("{} is not a valid credential file", file.display()));
            }
        }
    }
    Ok(None)
}

fn read_capped(file: &Path) -> std::io::Result<Option<Vec<u8>>> {
    let meta = match fs::metadata(file) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    if meta.len() > MAX_FILE {
        return Err(std::io::Error::other(format!(
            "larger than {MAX_FILE} bytes"
        )));
    }
    fs::read(file).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(dir: &Path) -> Options {
        Options {
            docker_config: Some(dir.to_owned()),
            auth_file: Some(dir.join("auth.json")),
            ..Options::default()
        }
    }

    #[allow(clippy::unnecessary_wraps)]
    fn basic(u: &str, p: &str) -> Option<Credential> {
        Some(Credential::Basic {
            username: u.into(),
            password: p.into(),
        })
    }

    #[test]
    fn docker_auths_hub_key_and_podman_namespaces() {
        let dir = tempfile::tempdir().unwrap();
        let auth = base64::engine::general_purpose::STANDARD.encode("hub:secret");
        fs::write(
            dir.path().join("config.json"),
            format!(
                r#"{{"auths":{{"https://index.docker.io/v1/":{{"auth":"{auth}"}},
                "r.example:5000":{{"username":"u","password":"p"}},
                "tok.example":{{"identitytoken":"refresh"}}}}}}"#
            ),
        )
        .unwrap();
        fs::write(
            dir.path().join("auth.json"),
            format!(
                r#"{{"auths":{{"quay.example":{{"auth":"{}"}},
                "quay.example/org":{{"auth":"{}"}}}}}}"#,
                base64::engine::general_purpose::STANDARD.encode("wide:1"),
                base64::engine::general_purpose::STANDARD.encode("narrow:2"),
            ),
        )
        .unwrap();
        let o = options(dir.path());
        assert_eq!(
            lookup(&o, "docker.io", "library/x"),
            Ok(basic("hub", "secret"))
        );
        assert_eq!(lookup(&o, "r.example:5000", "a"), Ok(basic("u", "p")));
        assert_eq!(
            lookup(&o, "tok.example", "a"),
            Ok(Some(Credential::IdentityToken("refresh".into())))
        );
        assert_eq!(
            lookup(&o, "quay.example", "org/app"),
            Ok(basic("narrow", "2"))
        );
        assert_eq!(
            lookup(&o, "quay.example", "other/app"),
            Ok(basic("wide", "1"))
        );
        assert_eq!(lookup(&o, "nowhere.example", "a"), Ok(None));
    }

    #[test]
    fn missing_helper_is_anonymous_and_broken_files_are_errors() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(
            dir.path().join("config.json"),
            r#"{"credsStore":"layerscope-none-such"}"#,
        )
        .unwrap();
        assert_eq!(lookup(&options(dir.path()), "r.example", "a"), Ok(None));
        fs::write(dir.path().join("config.json"), "{not json").unwrap();
        let err = lookup(&options(dir.path()), "r.example", "a").unwrap_err();
        assert!(
            err.ends_with("config.json is not a valid credential file"),
            "{err}"
        );
    }

    #[test]
    fn debug_hides_secrets() {
        let c = basic("user", "hunter2").unwrap();
        assert!(!format!("{c:?}").contains("hunter2"));
        assert_eq!(c.basic_header().unwrap(), "Basic dXNlcjpodW50ZXIy");
    }
}
