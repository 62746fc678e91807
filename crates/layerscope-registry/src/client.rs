//! The client: finds how to speak to a registry, authenticates, follows redirects, and turns
//! every answer into bytes or a one-line error.

use std::collections::HashMap;
use std::io::Read;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use ureq::Body;
use ureq::http::Response;

use crate::auth::Auth;
use crate::blob::{BlobReader, Origin};
use crate::challenge::Challenge;
use crate::digest;
use crate::error::RegistryError;
use crate::manifest::{self, MANIFEST_TYPES, Manifest, ManifestHead};
use crate::options::Options;
use crate::reference::{ImageRef, check_digest, check_host, check_reference};
use crate::response::{failure, header, preferred, read_capped, registry_detail, status_error};
use crate::text::quoted;
use crate::transport::{Method, Request, Transport, is_certificate_error, is_tls_error};
use crate::url::Url;

/// Redirects followed for one request (registries send one, to their blob storage).
const MAX_REDIRECTS: u32 = 5;

/// A blocking registry client, shared by the threads that fetch layers (`Send + Sync`).
///
/// It remembers per registry whether it speaks HTTPS or (loopback and insecure hosts only) plain
/// HTTP and which authentication it wants, per repository the credential found, and per token
/// server and scope the Bearer token.
pub struct Client {
    transport: Transport,
    auth: Auth,
    endpoints: Mutex<HashMap<String, Arc<Endpoint>>>,
    bytes_read: Arc<AtomicU64>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("bytes_read", &self.bytes_read())
            .finish_non_exhaustive()
    }
}

/// How one registry is spoken to, learnt from `GET /v2/`.
#[derive(Debug)]
struct Endpoint {
    scheme: &'static str,
    authority: String,
    challenge: Option<Challenge>,
}

/// A response to a registry request, after authentication and redirects.
struct Answer {
    response: Response<Body>,
    /// The host that gave it (the blob storage, after a redirect).
    host: String,
    attempts: u32,
}

impl Client {
    /// A client with these options. Fails only on an `insecure` entry that is not `HOST[:PORT]`.
    pub fn new(options: Options) -> Result<Client, RegistryError> {
        for entry in &options.insecure {
            if check_host(entry).is_err() {
                return Err(RegistryError::Setup {
                    what: format!("insecure registry `{}` is not HOST[:PORT]", quoted(entry)),
                });
            }
        }
        let bytes_read = options.progress.clone().unwrap_or_default();
        Ok(Client {
            transport: Transport::new(options),
            auth: Auth::default(),
            endpoints: Mutex::new(HashMap::new()),
            bytes_read,
        })
    }

    /// Bytes of blobs read so far, by every thread (for a progress line).
    pub fn bytes_read(&self) -> u64 {
        self.bytes_read.load(Ordering::Relaxed)
    }

    /// A manifest or index by tag or digest, asking for the media types in [`MANIFEST_TYPES`].
    /// The bytes are capped (`max_manifest_bytes`) and checked against the digest asked for, or
    /// else against the `Docker-Content-Digest` the registry sends.
    pub fn manifest(&self, image: &ImageRef, reference: &str) -> Result<Manifest, RegistryError> {
        let what = manifest_what(reference);
        Self::check_reference(image, reference)?;
        let answer = self.request(
            image,
            Method::Get,
            &format!("manifests/{reference}"),
            Some(&MANIFEST_TYPES.join(", ")),
            &what,
        )?;
        let host = answer.host.clone();
        let response = self.expect_ok(image, &what, answer)?;
        let content_type = header(&response, "content-type");
        let announced = header(&response, "docker-content-digest");
        let origin = Origin {
            image: image.to_string(),
            host: host.clone(),
            what: what.clone(),
        };
        let limit = self.transport.options().max_manifest_bytes;
        let bytes = read_capped(response, limit, &Arc::new(AtomicU64::new(0)), &origin)?;
        let media_type = manifest::media_type(content_type.as_deref(), &bytes).map_err(|t| {
            RegistryError::MediaType {
                image: image.to_string(),
                host: host.clone(),
                what: what.clone(),
                media_type: quoted(&t),
            }
        })?;
        // A digest asked for is the one that counts; a tag's is what the registry says it is.
        let expected = if reference.contains(':') {
            Some(reference.to_owned())
        } else {
            announced.filter(|d| check_digest(d).is_ok())
        };
        let digest = digest::of(&bytes, expected.as_deref());
        if let Some(expected) = expected
            && expected != digest
        {
            return Err(RegistryError::DigestMismatch {
                image: image.to_string(),
                host,
                what,
                expected,
                actual: digest,
            });
        }
        Ok(Manifest {
            bytes,
            media_type,
            digest,
        })
    }

    /// What a `HEAD` of a manifest says: its digest, media type and size, without the bytes.
    pub fn manifest_head(
        &self,
        image: &ImageRef,
        reference: &str,
    ) -> Result<ManifestHead, RegistryError> {
        let what = manifest_what(reference);
        Self::check_reference(image, reference)?;
        let answer = self.request(
            image,
            Method::Head,
            &format!("manifests/{reference}"),
            Some(&MANIFEST_TYPES.join(", ")),
            &what,
        )?;
        let response = self.expect_ok(image, &what, answer)?;
        Ok(ManifestHead {
            media_type: header(&response, "content-type")
                .map(|t| t.split(';').next().unwrap_or("").trim().to_owned()),
            digest: header(&response, "docker-content-digest").filter(|d| check_digest(d).is_ok()),
            size: header(&response, "content-length").and_then(|l| l.parse().ok()),
        })
    }

    /// A small blob (a config) read whole: at most `max` bytes, checked against `digest`.
    pub fn blob_bytes(
        &self,
        image: &ImageRef,
        digest: &str,
        max: u64,
    ) -> Result<Vec<u8>, RegistryError> {
        let (response, origin) = self.blob_response(image, digest)?;
        let bytes = read_capped(response, max, &self.bytes_read, &origin)?;
        let actual = digest::of(&bytes, Some(digest));
        if actual != digest {
            return Err(RegistryError::DigestMismatch {
                image: origin.image,
                host: origin.host,
                what: origin.what,
                expected: digest.to_owned(),
                actual,
            });
        }
        Ok(bytes)
    }

    /// A blob as it arrives, for the caller to hash as it reads (layerscope's reader checks every
    /// layer itself). Redirects are followed, without credentials when the host changes. A body
    /// that ends early or fails is an `io::Error` wrapping a [`RegistryError`] that names the
    /// blob ([`RegistryError::from_io`]).
    pub fn blob(
        &self,
        image: &ImageRef,
        digest: &str,
    ) -> Result<Box<dyn Read + Send>, RegistryError> {
        let (response, origin) = self.blob_response(image, digest)?;
        let length = header(&response, "content-length").and_then(|l| l.parse().ok());
        let body = Box::new(response.into_body().into_reader());
        Ok(Box::new(BlobReader::new(
            body,
            length,
            Arc::clone(&self.bytes_read),
            origin,
        )))
    }

    fn blob_response(
        &self,
        image: &ImageRef,
        digest: &str,
    ) -> Result<(Response<Body>, Origin), RegistryError> {
        let what = format!("blob {}", quoted(digest));
        check_digest(digest).map_err(|reason| RegistryError::BadReference {
            image: image.to_string(),
            reference: quoted(digest),
            reason,
        })?;
        let answer = self.request(image, Method::Get, &format!("blobs/{digest}"), None, &what)?;
        let origin = Origin {
            image: image.to_string(),
            host: answer.host.clone(),
            what: what.clone(),
        };
        Ok((self.expect_ok(image, &what, answer)?, origin))
    }

    fn check_reference(image: &ImageRef, reference: &str) -> Result<(), RegistryError> {
        check_reference(reference).map_err(|reason| RegistryError::BadReference {
            image: image.to_string(),
            reference: quoted(reference),
            reason,
        })
    }

    /// Sends a request for `/v2/REPOSITORY/PATH`, with the authorization the registry wants
    /// (fetching a new token once if a cached one is refused), following redirects.
    fn request(
        &self,
        image: &ImageRef,
        method: Method,
        path: &str,
        accept: Option<&str>,
        what: &str,
    ) -> Result<Answer, RegistryError> {
        let endpoint = self.endpoint(image)?;
        let scope = format!("repository:{}:pull", image.repository);
        let mut auth = match &endpoint.challenge {
            Some(c) => self.auth.header(&self.transport, c, image, &scope, false)?,
            None => None,
        };
        let mut url = Url {
            scheme: endpoint.scheme,
            authority: endpoint.authority.clone(),
            path: format!("/v2/{}/{path}", image.repository),
        };
        let mut reauthenticated = false;
        let mut hops = 0;
        loop {
            // The credential (or its token) is for the registry alone, never for where it points.
            let own_host = url.authority == endpoint.authority;
            let text = url.to_string();
            let mut request = Request::new(method, &text);
            if let Some(accept) = accept {
                request.headers.push(("Accept", accept.to_owned()));
            }
            if own_host && let Some(auth) = &auth {
                request.headers.push(("Authorization", auth.clone()));
            }
            let agent = self.transport.agent(&url.authority).map_err(|reason| {
                RegistryError::Certificates {
                    image: image.to_string(),
                    host: url.authority.clone(),
                    reason,
                }
            })?;
            let sent = self
                .transport
                .send(&agent, &request)
                .map_err(|f| failure(image, &url.authority, &f))?;
            let status = sent.response.status().as_u16();
            if status == 401 && own_host && !reauthenticated {
                reauthenticated = true;
                if let Some(offered) = preferred(&sent.response) {
                    let fresh = self
                        .auth
                        .header(&self.transport, &offered, image, &scope, true)?;
                    if fresh.is_some() && fresh != auth {
                        auth = fresh;
                        continue;
                    }
                }
            }
            if matches!(status, 301 | 302 | 303 | 307 | 308)
                && let Some(location) = header(&sent.response, "location")
            {
                hops += 1;
                let redirect = |reason: String| RegistryError::Redirect {
                    image: image.to_string(),
                    host: url.authority.clone(),
                    what: what.to_owned(),
                    reason,
                };
                if hops > MAX_REDIRECTS {
                    return Err(redirect(format!("more than {MAX_REDIRECTS} times")));
                }
                let next = url.join(&location).ok_or_else(|| {
                    redirect(format!("to a bad location `{}`", quoted(&location)))
                })?;
                if next.scheme == "http" && !self.transport.plain_allowed(&next.authority) {
                    return Err(redirect(format!(
                        "to plain HTTP at {}, which is refused",
                        next.authority
                    )));
                }
                url = next;
                continue;
            }
            return Ok(Answer {
                response: sent.response,
                host: url.authority,
                attempts: sent.attempts,
            });
        }
    }

    /// The registry's endpoint, learnt on first use.
    fn endpoint(&self, image: &ImageRef) -> Result<Arc<Endpoint>, RegistryError> {
        let authority = image.api_host().to_ascii_lowercase();
        let mut endpoints = self
            .endpoints
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(found) = endpoints.get(&authority) {
            return Ok(Arc::clone(found));
        }
        let found = Arc::new(self.ping(image, &authority)?);
        endpoints.insert(authority, Arc::clone(&found));
        Ok(found)
    }

    /// `GET /v2/`: whether the registry speaks HTTPS and which authentication it wants. A host
    /// allowed plain HTTP is tried over HTTPS first, then HTTP when HTTPS fails for any reason
    /// but its certificate (a bad certificate is reported, never downgraded), as Docker does.
    fn ping(&self, image: &ImageRef, authority: &str) -> Result<Endpoint, RegistryError> {
        let agent =
            self.transport
                .agent(authority)
                .map_err(|reason| RegistryError::Certificates {
                    image: image.to_string(),
                    host: authority.to_owned(),
                    reason,
                })?;
        let plain = self.transport.plain_allowed(authority);
        let https = format!("https://{authority}/v2/");
        let mut probe = Request::new(Method::Get, &https);
        probe.retry_transport = !plain;
        let (sent, scheme) = match self.transport.send(&agent, &probe) {
            Ok(sent) => (sent, "https"),
            Err(failed) if plain && !is_certificate_error(&failed.error) => {
                let http = format!("http://{authority}/v2/");
                let sent = self
                    .transport
                    .send(&agent, &Request::new(Method::Get, &http))
                    .map_err(|f| failure(image, authority, &f))?;
                // An HTTPS server refuses plain HTTP with a 400: its TLS failure is the news.
                if sent.response.status() == 400 && is_tls_error(&failed.error) {
                    return Err(failure(image, authority, &failed));
                }
                (sent, "http")
            }
            Err(failed) => return Err(failure(image, authority, &failed)),
        };
        let status = sent.response.status().as_u16();
        if status == 429 || status >= 500 {
            return Err(status_error(
                image,
                authority,
                "the API root /v2/",
                sent.attempts,
                sent.response,
            ));
        }
        // The root's challenge is for no repository in particular: each request names its own
        // scope. A scope in a later 401's challenge is the registry's word and is used as given.
        let challenge = if status == 401 {
            preferred(&sent.response).map(|c| match c {
                Challenge::Bearer { realm, service, .. } => Challenge::Bearer {
                    realm,
                    service,
                    scope: None,
                },
                Challenge::Basic => Challenge::Basic,
            })
        } else {
            None
        };
        Ok(Endpoint {
            scheme,
            authority: authority.to_owned(),
            challenge,
        })
    }

    /// The response if it is a success, else the error its status means.
    fn expect_ok(
        &self,
        image: &ImageRef,
        what: &str,
        answer: Answer,
    ) -> Result<Response<Body>, RegistryError> {
        let status = answer.response.status().as_u16();
        if (200..300).contains(&status) {
            return Ok(answer.response);
        }
        let name = image.to_string();
        let what = what.to_owned();
        let host = answer.host;
        let has_credential = || {
            self.auth
                .credential(&self.transport, image)
                .map(|c| c.is_some())
        };
        Err(match status {
            401 => RegistryError::Unauthorized {
                hint: if has_credential()? {
                    format!("the credentials for {} were not accepted", image.registry)
                } else {
                    no_credentials(&image.registry)
                },
                image: name,
                host,
                what,
            },
            403 => RegistryError::Forbidden {
                hint: if has_credential()? {
                    format!(
                        "the credentials for {} do not allow pulling {}",
                        image.registry, image.repository
                    )
                } else {
                    no_credentials(&image.registry)
                },
                image: name,
                host,
                what,
            },
            404 => RegistryError::NotFound {
                image: name,
                host,
                what,
                detail: registry_detail(answer.response),
            },
            429 => RegistryError::RateLimited {
                image: name,
                host,
                what,
                attempts: answer.attempts,
            },
            _ => status_error(image, &host, &what, answer.attempts, answer.response),
        })
    }
}

fn no_credentials(registry: &str) -> String {
    format!(
        "no credentials for {registry} were found (log in, or add them to the docker or podman config)"
    )
}

fn manifest_what(reference: &str) -> String {
    if reference.contains(':') {
        format!("manifest {}", quoted(reference))
    } else {
        format!("manifest `{}`", quoted(reference))
    }
}
