//! What goes in the `Authorization` header: Basic credentials, or a Bearer token fetched from the
//! token server a registry's challenge names, cached per server and scope.
//!
//! A registry's credential is sent to that registry and to the token server its own challenge
//! points at (over HTTPS, or plain HTTP only where plain HTTP is allowed); never to a host a
//! request was redirected to. Tokens are sent only to the registry.

use std::collections::HashMap;
use std::io::Read;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use serde::Deserialize;

use crate::challenge::Challenge;
use crate::credential::{self, Credential};
use crate::error::RegistryError;
use crate::reference::ImageRef;
use crate::text::quoted;
use crate::transport::{Method, Request, Transport, describe, is_tls_error};
use crate::url::{Url, query_escape};

/// Largest token-server answer read.
const MAX_TOKEN_ANSWER: u64 = 1 << 20;
/// A token whose lifetime is not given lasts this long, as the token specification says.
const DEFAULT_LIFETIME: Duration = Duration::from_secs(60);
/// A token is renewed this long before it expires, so that it does not lapse in flight.
const MARGIN: Duration = Duration::from_secs(10);

/// Credentials found, by registry and repository (`None`: anonymous).
type Credentials = HashMap<(String, String), Option<Arc<Credential>>>;

#[derive(Debug, Default)]
pub(crate) struct Auth {
    /// Tokens by token server (realm and service) and scope.
    tokens: Mutex<HashMap<(String, String), Token>>,
    credentials: Mutex<Credentials>,
}

struct Token {
    value: String,
    renew_at: Instant,
}

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Token(<redacted>)")
    }
}

#[derive(Deserialize)]
struct TokenAnswer {
    token: Option<String>,
    access_token: Option<String>,
    expires_in: Option<u64>,
}

impl Auth {
    /// The credential for the image's registry, looked up once (helpers are processes).
    pub(crate) fn credential(
        &self,
        transport: &Transport,
        image: &ImageRef,
    ) -> Result<Option<Arc<Credential>>, RegistryError> {
        let key = (image.registry.clone(), image.repository.clone());
        let mut cache = self
            .credentials
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(found) = cache.get(&key) {
            return Ok(found.clone());
        }
        let found = credential::lookup(transport.options(), &image.registry, &image.repository)
            .map_err(|reason| RegistryError::Credentials {
                image: image.to_string(),
                registry: image.registry.clone(),
                reason,
            })?
            .map(Arc::new);
        cache.insert(key, found.clone());
        Ok(found)
    }

    /// The header for a request to the registry under `challenge`, or `None` to go anonymous.
    /// `fresh` skips the token cache, after the registry refused a cached token.
    pub(crate) fn header(
        &self,
        transport: &Transport,
        challenge: &Challenge,
        image: &ImageRef,
        scope: &str,
        fresh: bool,
    ) -> Result<Option<String>, RegistryError> {
        let credential = self.credential(transport, image)?;
        let (realm, service, wanted) = match challenge {
            Challenge::Basic => return Ok(credential.and_then(|c| c.basic_header())),
            Challenge::Bearer {
                realm,
                service,
                scope: asked,
            } => (realm, service, asked.as_deref().unwrap_or(scope)),
        };
        let key = (
            format!("{realm} {}", service.as_deref().unwrap_or("")),
            wanted.to_owned(),
        );
        if !fresh {
            let tokens = self.tokens.lock().unwrap_or_else(PoisonError::into_inner);
            if let Some(token) = tokens.get(&key)
                && Instant::now() < token.renew_at
            {
                return Ok(Some(format!("Bearer {}", token.value)));
            }
        }
        let token = fetch(
            transport,
            image,
            realm,
            service.as_deref(),
            wanted,
            credential.as_deref(),
        )?;
        let header = format!("Bearer {}", token.value);
        self.tokens
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(key, token);
        Ok(Some(header))
    }
}

/// Asks the token server for a token: GET with Basic credentials (or none), or the `OAuth2`
/// refresh-token POST when the credential is an identity token.
fn fetch(
    transport: &Transport,
    image: &ImageRef,
    realm: &str,
    service: Option<&str>,
    scope: &str,
    credential: Option<&Credential>,
) -> Result<Token, RegistryError> {
    let what = format!("a token for {scope}");
    let bad = |host: &str, reason: String| RegistryError::BadResponse {
        image: image.to_string(),
        host: host.to_owned(),
        what: what.clone(),
        reason,
    };
    let url = Url::parse(realm).ok_or_else(|| {
        bad(
            image.api_host(),
            format!("the token realm `{}` is not an http(s) URL", quoted(realm)),
        )
    })?;
    let host = url.authority;
    if url.scheme == "http" && !transport.plain_allowed(&host) {
        return Err(bad(
            image.api_host(),
            format!("the token realm `{}` is plain HTTP", quoted(realm)),
        ));
    }
    let agent = transport
        .agent(&host)
        .map_err(|reason| RegistryError::Certificates {
            image: image.to_string(),
            host: host.clone(),
            reason,
        })?;
    let request_url;
    let request = if let Some(Credential::IdentityToken(refresh)) = credential {
        let mut request = Request::new(Method::PostForm, realm);
        request.form = vec![
            ("grant_type", "refresh_token".to_owned()),
            ("refresh_token", refresh.clone()),
            ("service", service.unwrap_or("").to_owned()),
            ("scope", scope.to_owned()),
            ("client_id", "layerscope".to_owned()),
        ];
        request
    } else {
        let mut query = Vec::new();
        if let Some(service) = service {
            query.push(format!("service={}", query_escape(service)));
        }
        query.push(format!("scope={}", query_escape(scope)));
        let sep = if realm.contains('?') { '&' } else { '?' };
        request_url = format!("{realm}{sep}{}", query.join("&"));
        let mut request = Request::new(Method::Get, &request_url);
        if let Some(header) = credential.and_then(Credential::basic_header) {
            request.headers.push(("Authorization", header));
        }
        request
    };
    let sent = transport.send(&agent, &request).map_err(|failed| {
        let reason = describe(&failed.error);
        let (image, host) = (image.to_string(), host.clone());
        if is_tls_error(&failed.error) {
            RegistryError::Tls {
                image,
                host,
                reason,
            }
        } else {
            RegistryError::Unreachable {
                image,
                host,
                reason,
            }
        }
    })?;
    let status = sent.response.status().as_u16();
    if !(200..300).contains(&status) {
        return Err(refused(
            image,
            host,
            what,
            status,
            sent.attempts,
            credential.is_some(),
        ));
    }
    let mut bytes = Vec::new();
    sent.response
        .into_body()
        .into_reader()
        .take(MAX_TOKEN_ANSWER)
        .read_to_end(&mut bytes)
        .map_err(|e| bad(&host, format!("reading the answer failed: {e}")))?;
    token(&bytes).map_err(|reason| bad(&host, reason.to_owned()))
}

/// The error for a token server's answer other than success.
fn refused(
    image: &ImageRef,
    host: String,
    what: String,
    status: u16,
    attempts: u32,
    had_credential: bool,
) -> RegistryError {
    let hint = if had_credential {
        format!(
            "the token server refused the credentials for {}",
            image.registry
        )
    } else {
        format!(
            "no credentials for {} were found (log in, or add them to the docker or podman config)",
            image.registry
        )
    };
    let image = image.to_string();
    match status {
        401 => RegistryError::Unauthorized {
            image,
            host,
            what,
            hint,
        },
        403 => RegistryError::Forbidden {
            image,
            host,
            what,
            hint,
        },
        _ => RegistryError::Status {
            image,
            host,
            what,
            status,
            attempts,
            detail: String::new(),
        },
    }
}

/// The token in a token server's JSON answer.
fn token(bytes: &[u8]) -> Result<Token, &'static str> {
    let answer: TokenAnswer =
        serde_json::from_slice(bytes).map_err(|_| "the answer is not token JSON")?;
    let value = answer
        .token
        .or(answer.access_token)
        .filter(|t| !t.is_empty())
        .ok_or("the answer holds no token")?;
    // Tokens go into a header: refuse anything that could split it.
    if value.bytes().any(|b| b.is_ascii_control() || b == b' ') {
        return Err("the token holds control characters or spaces");
    }
    let lifetime = answer
        .expires_in
        .map_or(DEFAULT_LIFETIME, Duration::from_secs)
        .max(DEFAULT_LIFETIME);
    Ok(Token {
        value,
        renew_at: Instant::now() + lifetime.saturating_sub(MARGIN),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_answers() {
        assert_eq!(token(br#"{"token":"abc"}"#).unwrap().value, "abc");
        assert_eq!(
            token(br#"{"access_token":"x","expires_in":300}"#)
                .unwrap()
                .value,
            "x"
        );
        assert_eq!(
            token(br#"{"token":""}"#).unwrap_err(),
            "the answer holds no token"
        );
        assert!(token(b"{\"token\":\"a\\r\\nX: y\"}").is_err());
        assert!(token(b"<html>").is_err());
        assert!(!format!("{:?}", token(br#"{"token":"secret"}"#).unwrap()).contains("secret"));
    }
}
