//! A blocking client for OCI distribution registries (Docker Hub, GHCR, Quay, a `registry:2`,
//! …), made for layerscope's reader: synchronous, shared by the rayon threads that read layers,
//! each blob streamed as a plain [`std::io::Read`].
//!
//! ```no_run
//! use layerscope_registry::{Client, ImageRef, Options};
//!
//! let client = Client::new(Options::from_env())?;
//! let image = ImageRef::parse("nginx")?; // docker.io/library/nginx:latest
//! let manifest = client.manifest(&image, image.reference())?;
//! // An index lists one manifest per platform; fetch the chosen one by its digest.
//! // A manifest names its config (read whole with `blob_bytes`) and its layers:
//! let mut layer = client.blob(&image, "sha256:…")?;
//! std::io::copy(&mut layer, &mut std::io::sink())?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # What it does
//! - **References** as Docker normalises them ([`ImageRef::parse`]): `nginx` is
//!   `docker.io/library/nginx:latest`, and Hub's API is on `registry-1.docker.io`.
//! - **Manifests and indexes** by tag or digest ([`Client::manifest`]), OCI and Docker v2 media
//!   types; anything else is an error. Capped at 16 MiB and checked against their digest. The
//!   caller picks a platform from an index and fetches that manifest by digest.
//! - **Blobs**: small ones read whole and checked ([`Client::blob_bytes`]); layers streamed
//!   ([`Client::blob`]), the caller hashing what it reads. A body cut short is an error, never a
//!   short read. [`Client::bytes_read`] counts blob bytes for a progress line.
//! - **Authentication**: anonymous, Basic, and the Bearer token flow from a `WWW-Authenticate`
//!   challenge (token from the realm, with Basic credentials or an identity token as `OAuth2`
//!   refresh token; cached per token server and scope, renewed once if refused).
//! - **Credentials** from Docker's `config.json` (`auths`, `credHelpers`, `credsStore` through
//!   `docker-credential-NAME`), then Podman's `auth.json`; see [`Options::from_env`]. A missing
//!   helper or "credentials not found" means anonymous. Credentials go to their registry and to
//!   the token server its challenge names, never to a host a request is redirected to (blob
//!   storage behind a CDN), and are never printed, in errors or `Debug`.
//! - **Plain HTTP** only for loopback hosts (`localhost`, 127.0.0.0/8, `::1`) and hosts in
//!   [`Options::insecure`]: HTTPS is tried first, then HTTP if HTTPS fails for any reason but a
//!   bad certificate. Insecure hosts also accept any certificate, as Docker's
//!   `--insecure-registry` does; a loopback host's certificate is still verified. A redirect to
//!   plain HTTP elsewhere is refused. Proxies come from `HTTPS_PROXY`/`HTTP_PROXY`/`NO_PROXY`
//!   as ureq reads them, except for loopback hosts.
//! - **TLS** through rustls: the system's roots (`SSL_CERT_FILE`, `SSL_CERT_DIR` honoured), plus
//!   `*.crt` CAs and a `*.cert`/`*.key` client certificate from `CERTS_DIR/HOST[:PORT]/` for
//!   each directory in [`Options::certs_dirs`] (`/etc/docker/certs.d`, `/etc/containers/certs.d`).
//! - **Retries**: 429 (honouring `Retry-After`), 5xx and connections that fail before an answer
//!   are retried [`Options::retries`] times with doubling backoff, each wait capped. Timeouts
//!   cover connecting, the wait for headers, and a stalled body, never a long body.
//!
//! # Why these crates
//! - **ureq 3** (with rustls and ring): a blocking client whose response body is a plain
//!   `Read`, so a layer streams straight into the reader's decompressor on a rayon thread. An
//!   async stack (reqwest, hyper, oci-client) would bring a tokio runtime into a program that
//!   has no other use for one, and a bridge from async bodies back to `Read`. ureq's agents pool
//!   connections and are shared by threads; its per-read timeout catches a stalled body without
//!   limiting a long one. Redirects are followed here rather than by ureq, to decide per hop
//!   where credentials go.
//! - **rustls** (ring) rather than native-tls: no OpenSSL to link, and its certificate errors
//!   are typed, so a bad certificate is told apart from a server that does not speak TLS.
//! - **rustls-native-certs**: the system's roots as OpenSSL finds them, `SSL_CERT_FILE` and
//!   `SSL_CERT_DIR` included. `webpki-roots` comes with ureq's `rustls` feature and is used only
//!   when the system has no roots at all.
//! - **`docker_credential`**: reads `config.json` and `auth.json` (inline `auths`, `identitytoken`,
//!   `credHelpers`, `credsStore`) and speaks the credential-helper protocol; this crate adds the
//!   choice of files, Hub's key, Podman's per-namespace keys, and what counts as anonymous.
//! - The distribution API itself (challenges, tokens, manifests, blobs) is a few hundred lines
//!   here: the crates that implement it are async.
//!
//! # Errors
//! Every failure is one [`RegistryError`], whose `Display` is one line naming the image, the
//! host, and what is wrong: not reachable, TLS, 401/403 with a hint about credentials for the
//! registry, 404 (manifest or blob unknown, with the registry's own code), 429 after retries,
//! a digest mismatch, an unknown media type, too large, a body cut short.

mod auth;
mod blob;
mod challenge;
mod client;
mod credential;
mod digest;
mod error;
mod manifest;
mod options;
mod reference;
mod response;
mod text;
mod tls;
mod transport;
mod url;

pub use client::Client;
pub use error::RegistryError;
pub use manifest::{
    DOCKER_MANIFEST, DOCKER_MANIFEST_LIST, MANIFEST_TYPES, Manifest, ManifestHead, OCI_INDEX,
    OCI_MANIFEST,
};
pub use options::Options;
pub use reference::{DOCKER_HUB, ImageRef, RefError};

#[cfg(test)]
mod tests {
    #[test]
    fn client_is_shared_between_threads() {
        fn shared<T: Send + Sync>() {}
        shared::<super::Client>();
    }
}
