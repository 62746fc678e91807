//! The Docker Engine API, which Podman's service speaks too: the version, an image's
//! inspection, and the image itself as `docker save` writes it.

use std::fmt;
use std::io::{self, Read};

use serde::Deserialize;

use crate::error::EngineError;
use crate::http::{self, Body, Exchange};
use crate::image::{ImageInfo, PlatformSpec};

/// Most bytes of a JSON answer (the version, an inspection, an error) read.
pub(crate) const JSON_LIMIT: u64 = 1 << 20;

/// An API version, `major.minor`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct ApiVersion {
    major: u32,
    minor: u32,
}

/// Where `platform` on `GET /images/{name}/get` appeared, and the newest version whose requests
/// this crate knows: an engine newer than this is spoken to as this version.
pub(crate) const NEWEST: ApiVersion = ApiVersion {
    major: 1,
    minor: 48,
};

impl ApiVersion {
    fn parse(text: &str) -> Option<ApiVersion> {
        let (major, minor) = text.split_once('.')?;
        let number = |s: &str| {
            s.bytes()
                .all(|b| b.is_ascii_digit())
                .then(|| s.parse().ok())?
        };
        Some(ApiVersion {
            major: number(major)?,
            minor: number(minor)?,
        })
    }
}

impl fmt::Display for ApiVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)
    }
}

/// The engine's API version (`GET /version`), capped at [`NEWEST`].
pub(crate) fn version(exchange: &Exchange<'_>) -> Result<ApiVersion, EngineError> {
    #[derive(Deserialize)]
    struct Version {
        #[serde(rename = "ApiVersion")]
        api_version: Option<String>,
    }
    let response = http::get(exchange, "/version")?;
    if response.status != 200 {
        return Err(status_error(response, exchange));
    }
    let bytes = read_json(response.body, exchange)?;
    let version: Version =
        serde_json::from_slice(&bytes).map_err(|e| malformed(exchange, &e.to_string()))?;
    let text = version
        .api_version
        .ok_or_else(|| malformed(exchange, "it has no ApiVersion"))?;
    let version = ApiVersion::parse(&text).ok_or_else(|| {
        malformed(
            exchange,
            &format!("`{}` is not an API version", crate::text::quoted(&text)),
        )
    })?;
    Ok(version.min(NEWEST))
}

/// `GET /v{version}/images/{reference}/json`.
pub(crate) fn inspect(
    exchange: &Exchange<'_>,
    version: ApiVersion,
    reference: &str,
    tool: &'static str,
) -> Result<ImageInfo, EngineError> {
    let target = format!("/v{version}/images/{}/json", escape(reference));
    let response = http::get(exchange, &target)?;
    match response.status {
        200 => {
            let bytes = read_json(response.body, exchange)?;
            ImageInfo::from_json(&bytes).map_err(|reason| malformed(exchange, &reason))
        }
        404 => Err(no_such_image(exchange, reference, tool)),
        _ => Err(status_error(response, exchange)),
    }
}

/// `GET /v{version}/images/{reference}/get`, with `platform` when the version has it.
pub(crate) fn export(
    exchange: &Exchange<'_>,
    version: ApiVersion,
    reference: &str,
    platform: Option<&PlatformSpec>,
    tool: &'static str,
) -> Result<Export, EngineError> {
    let mut target = format!("/v{version}/images/{}/get", escape(reference));
    if let Some(platform) = platform.filter(|_| version >= NEWEST) {
        let json = serde_json::to_string(platform)
            .map_err(|e| malformed(exchange, &format!("the platform as JSON: {e}")))?;
        target.push_str("?platform=");
        target.push_str(&escape(&json));
    }
    let response = http::get(exchange, &target)?;
    match response.status {
        200 => {
            // The head is in; the image may take as long as it takes.
            response
                .body
                .without_timeout()
                .map_err(|e| EngineError::Unreachable {
                    engine: exchange.engine.to_owned(),
                    reason: crate::text::quoted(&e.to_string()),
                })?;
            Ok(Export {
                body: response.body,
                engine: exchange.engine.to_owned(),
                what: exchange.what.to_owned(),
                read: 0,
                failed: None,
            })
        }
        404 => Err(no_such_image(exchange, reference, tool)),
        _ => Err(status_error(response, exchange)),
    }
}

/// An image body as it streams; its errors are [`EngineError`]s inside `io::Error`s, and
/// once it has failed it keeps failing the same way.
pub(crate) struct Export {
    body: Body,
    engine: String,
    what: String,
    read: u64,
    failed: Option<EngineError>,
}

impl Read for Export {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if let Some(error) = &self.failed {
            return Err(error.clone().into_io());
        }
        match self.body.read(buf) {
            Ok(n) => {
                self.read += n as u64;
                Ok(n)
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => Err(e),
            Err(e) => {
                let error = EngineError::body(&self.engine, &self.what, self.read, &e);
                self.failed = Some(error.clone());
                Err(error.into_io())
            }
        }
    }
}

fn no_such_image(exchange: &Exchange<'_>, reference: &str, tool: &'static str) -> EngineError {
    EngineError::NoSuchImage {
        engine: exchange.engine.to_owned(),
        reference: crate::text::cut(reference),
        tool,
    }
}

fn malformed(exchange: &Exchange<'_>, reason: &str) -> EngineError {
    EngineError::BadResponse {
        engine: exchange.engine.to_owned(),
        what: exchange.what.to_owned(),
        reason: crate::text::quoted(reason),
    }
}

/// A JSON body, whole, refused past [`JSON_LIMIT`].
fn read_json(body: Body, exchange: &Exchange<'_>) -> Result<Vec<u8>, EngineError> {
    let mut bytes = Vec::new();
    body.take(JSON_LIMIT + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| EngineError::Body {
            engine: exchange.engine.to_owned(),
            what: exchange.what.to_owned(),
            read: bytes.len() as u64,
            reason: crate::text::quoted(&e.to_string()),
        })?;
    if bytes.len() as u64 > JSON_LIMIT {
        return Err(malformed(
            exchange,
            &format!("its body is larger than {} MiB", JSON_LIMIT >> 20),
        ));
    }
    Ok(bytes)
}

/// An unexpected status, with the `message` of the engine's JSON error body (or the body as
/// text). What of the body can be read is used; an error reading it is not the news.
fn status_error(response: http::Response, exchange: &Exchange<'_>) -> EngineError {
    #[derive(Deserialize)]
    struct Message {
        message: String,
    }
    let mut bytes = Vec::new();
    let _ = response.body.take(JSON_LIMIT).read_to_end(&mut bytes);
    let message = match serde_json::from_slice::<Message>(&bytes) {
        Ok(Message { message }) => crate::text::quoted(&message),
        Err(_) => crate::text::quoted(&String::from_utf8_lossy(&bytes)),
    };
    EngineError::Status {
        engine: exchange.engine.to_owned(),
        what: exchange.what.to_owned(),
        status: response.status,
        message: if message.is_empty() {
            "no message".into()
        } else {
            message
        },
    }
}

/// Percent-encodes everything but RFC 3986's unreserved characters, so that a reference's `/`,
/// `:` and `@` stay inside one path segment whatever router the engine has.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push('%');
            out.push(char::from(b"0123456789ABCDEF"[usize::from(byte >> 4)]));
            out.push(char::from(b"0123456789ABCDEF"[usize::from(byte & 15)]));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_parse_and_compare() {
        let v = |s| ApiVersion::parse(s).unwrap();
        assert_eq!(v("1.41").to_string(), "1.41");
        assert!(v("1.41") < NEWEST);
        assert!(v("1.100") > NEWEST);
        assert!(v("2.0") > NEWEST);
        assert_eq!(v("1.51").min(NEWEST).to_string(), "1.48");
        for bad in ["1", "1.x", "", "1.41.0", "+1.2", "1. 2"] {
            assert_eq!(ApiVersion::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn references_are_escaped_outside_unreserved_characters() {
        assert_eq!(escape("nginx"), "nginx");
        assert_eq!(
            escape("docker.io/library/x_y-z~1:latest"),
            "docker.io%2Flibrary%2Fx_y-z~1%3Alatest"
        );
        assert_eq!(escape("x@sha256:ab"), "x%40sha256%3Aab");
        assert_eq!(
            escape(r#"{"os":"l"} é"#),
            "%7B%22os%22%3A%22l%22%7D%20%C3%A9"
        );
    }
}
