//! Reading what a registry answered: headers, challenges, its own error words, whole bodies,
//! and the failures before any answer.

use std::fmt::Write as _;
use std::io::{self, Read};
use std::sync::Arc;
use std::sync::atomic::AtomicU64;

use ureq::Body;
use ureq::http::Response;

use crate::blob::{BlobReader, Origin};
use crate::challenge::{self, Challenge};
use crate::error::RegistryError;
use crate::reference::ImageRef;
use crate::text::quoted;
use crate::transport::{Failed, describe, is_certificate_error, is_tls_error};

/// Largest error body read to quote the registry's own words.
const MAX_ERROR_BODY: u64 = 64 << 10;

/// The challenge to answer: Bearer when offered, else Basic.
pub(crate) fn preferred(response: &Response<Body>) -> Option<Challenge> {
    let offered: Vec<Challenge> = response
        .headers()
        .get_all("www-authenticate")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(challenge::parse)
        .collect();
    offered
        .iter()
        .find(|c| matches!(c, Challenge::Bearer { .. }))
        .or_else(|| offered.first())
        .cloned()
}

pub(crate) fn header(response: &Response<Body>, name: &str) -> Option<String> {
    response
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// A request that got no response, as the error to report.
pub(crate) fn failure(image: &ImageRef, host: &str, failed: &Failed) -> RegistryError {
    let mut reason = describe(&failed.error);
    if is_tls_error(&failed.error) {
        if is_certificate_error(&failed.error) {
            let _ = write!(
                reason,
                " (trust its CA in certs.d/{host}/ca.crt or SSL_CERT_FILE)"
            );
        }
        return RegistryError::Tls {
            image: image.to_string(),
            host: host.to_owned(),
            reason,
        };
    }
    if failed.attempts > 1 {
        let _ = write!(reason, " ({} attempts)", failed.attempts);
    }
    RegistryError::Unreachable {
        image: image.to_string(),
        host: host.to_owned(),
        reason,
    }
}

pub(crate) fn status_error(
    image: &ImageRef,
    host: &str,
    what: &str,
    attempts: u32,
    response: Response<Body>,
) -> RegistryError {
    RegistryError::Status {
        image: image.to_string(),
        host: host.to_owned(),
        what: what.to_owned(),
        status: response.status().as_u16(),
        attempts,
        detail: registry_detail(response),
    }
}

/// The registry's own `{"errors":[{"code","message"}]}`, as `, CODE: message`.
pub(crate) fn registry_detail(response: Response<Body>) -> String {
    #[derive(serde::Deserialize)]
    struct Errors {
        errors: Vec<Entry>,
    }
    #[derive(serde::Deserialize)]
    struct Entry {
        code: Option<String>,
        message: Option<String>,
    }
    let mut bytes = Vec::new();
    if response
        .into_body()
        .into_reader()
        .take(MAX_ERROR_BODY)
        .read_to_end(&mut bytes)
        .is_err()
    {
        return String::new();
    }
    let Ok(parsed) = serde_json::from_slice::<Errors>(&bytes) else {
        return String::new();
    };
    let Some(first) = parsed.errors.first() else {
        return String::new();
    };
    match (&first.code, &first.message) {
        (Some(code), Some(message)) => format!(", {}: {}", quoted(code), quoted(message)),
        (Some(text), None) | (None, Some(text)) => format!(", {}", quoted(text)),
        (None, None) => String::new(),
    }
}

/// Reads a whole body, refusing more than `limit` bytes and a body cut short.
pub(crate) fn read_capped(
    response: Response<Body>,
    limit: u64,
    counter: &Arc<AtomicU64>,
    origin: &Origin,
) -> Result<Vec<u8>, RegistryError> {
    let length: Option<u64> = header(&response, "content-length").and_then(|l| l.parse().ok());
    let too_large = |origin: &Origin| RegistryError::TooLarge {
        image: origin.image.clone(),
        host: origin.host.clone(),
        what: origin.what.clone(),
        limit,
    };
    if length.is_some_and(|l| l > limit) {
        return Err(too_large(origin));
    }
    let body = Box::new(response.into_body().into_reader());
    let reader = BlobReader::new(body, length, Arc::clone(counter), origin.clone());
    let mut bytes = Vec::new();
    reader
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| from_io(e, origin))?;
    if bytes.len() as u64 > limit {
        return Err(too_large(origin));
    }
    Ok(bytes)
}

fn from_io(error: io::Error, origin: &Origin) -> RegistryError {
    let reason = error.to_string();
    match error
        .into_inner()
        .map(<dyn std::error::Error + Send + Sync>::downcast::<RegistryError>)
    {
        Some(Ok(inner)) => *inner,
        _ => RegistryError::Body {
            image: origin.image.clone(),
            host: origin.host.clone(),
            what: origin.what.clone(),
            read: 0,
            reason,
        },
    }
}
