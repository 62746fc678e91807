//! Every way talking to a registry can fail, each a single line naming the image and the host.

use crate::reference::RefError;

/// A registry failure. `image` is the fully qualified reference, `host` the server that answered
/// (the registry's API host, its token server, or the host a blob was redirected to), and `what`
/// the manifest or blob asked for (``manifest `latest` ``, `blob sha256:…`). Credentials never
/// appear in any of them.
#[derive(Debug, thiserror::Error)]
pub enum RegistryError {
    #[error(transparent)]
    Reference(#[from] RefError),
    #[error("{image}: `{reference}` is not a tag or digest: {reason}")]
    BadReference {
        image: String,
        reference: String,
        reason: &'static str,
    },
    #[error("registry client: {what}")]
    Setup { what: String },
    #[error("{image}: certificates for {host}: {reason}")]
    Certificates {
        image: String,
        host: String,
        reason: String,
    },
    #[error("{image}: credentials for {registry}: {reason}")]
    Credentials {
        image: String,
        registry: String,
        reason: String,
    },
    #[error("{image}: registry {host} is not reachable: {reason}")]
    Unreachable {
        image: String,
        host: String,
        reason: String,
    },
    #[error("{image}: TLS with {host} failed: {reason}")]
    Tls {
        image: String,
        host: String,
        reason: String,
    },
    #[error("{image}: {host} refused access to {what} (HTTP 401): {hint}")]
    Unauthorized {
        image: String,
        host: String,
        what: String,
        hint: String,
    },
    #[error("{image}: {host} denied access to {what} (HTTP 403): {hint}")]
    Forbidden {
        image: String,
        host: String,
        what: String,
        hint: String,
    },
    #[error("{image}: registry {host} has no {what} (HTTP 404{detail})")]
    NotFound {
        image: String,
        host: String,
        what: String,
        /// The registry's own error code and message, if it sent them (`, MANIFEST_UNKNOWN: …`).
        detail: String,
    },
    #[error("{image}: {host} is still rate-limiting (HTTP 429) {what} after {attempts} attempts")]
    RateLimited {
        image: String,
        host: String,
        what: String,
        attempts: u32,
    },
    #[error(
        "{image}: {host} answered HTTP {status} for {what}{}{detail}",
        after(*attempts)
    )]
    Status {
        image: String,
        host: String,
        what: String,
        status: u16,
        attempts: u32,
        detail: String,
    },
    #[error("{image}: {host} served {what} with digest {actual}, expected {expected}")]
    DigestMismatch {
        image: String,
        host: String,
        what: String,
        expected: String,
        actual: String,
    },
    #[error("{image}: {host} served {what} of unknown media type `{media_type}`")]
    MediaType {
        image: String,
        host: String,
        what: String,
        media_type: String,
    },
    #[error("{image}: {host} served {what} larger than {limit} bytes; refused")]
    TooLarge {
        image: String,
        host: String,
        what: String,
        limit: u64,
    },
    #[error(
        "{image}: {host} cut {what} short: the connection ended after {read} of {expected} bytes"
    )]
    Truncated {
        image: String,
        host: String,
        what: String,
        read: u64,
        expected: u64,
    },
    #[error("{image}: reading {what} from {host} failed after {read} bytes: {reason}")]
    Body {
        image: String,
        host: String,
        what: String,
        read: u64,
        reason: String,
    },
    #[error("{image}: {host} redirected {what} {reason}")]
    Redirect {
        image: String,
        host: String,
        what: String,
        reason: String,
    },
    #[error("{image}: {host} gave a bad answer for {what}: {reason}")]
    BadResponse {
        image: String,
        host: String,
        what: String,
        reason: String,
    },
}

/// `after N attempts` when a request was retried, nothing when it was not.
fn after(attempts: u32) -> String {
    if attempts > 1 {
        format!(" after {attempts} attempts")
    } else {
        String::new()
    }
}

impl RegistryError {
    /// The error inside an `io::Error` that a blob reader returned, when it came from there.
    pub fn from_io(error: &std::io::Error) -> Option<&RegistryError> {
        error.get_ref()?.downcast_ref::<RegistryError>()
    }
}
