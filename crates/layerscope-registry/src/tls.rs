//! Which certificates a connection to one host trusts and presents.
//!
//! System roots come from `rustls-native-certs`, which honours `SSL_CERT_FILE` and
//! `SSL_CERT_DIR`; when the system has none, Mozilla's roots (`webpki-roots`, through ureq) stand
//! in so that a bare machine still reaches public registries. A host's own folder in a certs.d
//! directory adds CA certificates (`*.crt`) and a client certificate (`NAME.cert` + `NAME.key`),
//! as Docker and Podman read them.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use ureq::tls::{Certificate, ClientCert, PemItem, PrivateKey, RootCerts, TlsConfig, TlsProvider};

/// Largest certificate or key file read.
const MAX_PEM: u64 = 1 << 20;

/// The system's CA roots, loaded once per client.
pub(crate) fn system_roots() -> Vec<Certificate<'static>> {
    // Unreadable entries are skipped, as OpenSSL does; no roots at all falls back to Mozilla's.
    let found = rustls_native_certs::load_native_certs();
    found
        .certs
        .iter()
        .map(|der| Certificate::from_der(der.as_ref()).to_owned())
        .collect()
}

/// The TLS settings for `authority` (`host[:port]`). `insecure` accepts any certificate, as
/// Docker does for an insecure registry.
pub(crate) fn config_for(
    authority: &str,
    system: &[Certificate<'static>],
    certs_dirs: &[PathBuf],
    insecure: bool,
) -> Result<TlsConfig, String> {
    let mut extra = Vec::new();
    let mut client = None;
    for base in certs_dirs {
        let dir = base.join(authority);
        let mut names = match fs::read_dir(&dir) {
            Ok(entries) => entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .collect::<Vec<_>>(),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(format!("cannot read {}: {e}", dir.display())),
        };
        names.sort();
        for path in names {
            match path.extension().and_then(|e| e.to_str()) {
                Some("crt") => extra.extend(certificates(&path)?),
                Some("cert") if client.is_none() => client = Some(client_cert(&path)?),
                _ => {}
            }
        }
    }
    let roots = if system.is_empty() && extra.is_empty() {
        RootCerts::WebPki
    } else {
        RootCerts::new_with_certs(&[system, &extra].concat())
    };
    Ok(TlsConfig::builder()
        .provider(TlsProvider::Rustls)
        .root_certs(roots)
        .client_cert(client)
        .disable_verification(insecure)
        .build())
}

fn read_pem(path: &Path) -> Result<Vec<u8>, String> {
    let len = fs::metadata(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?
        .len();
    if len > MAX_PEM {
        return Err(format!("{} is larger than {MAX_PEM} bytes", path.display()));
    }
    fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

fn certificates(path: &Path) -> Result<Vec<Certificate<'static>>, String> {
    let pem = read_pem(path)?;
    let mut certs = Vec::new();
    for item in ureq::tls::parse_pem(&pem) {
        match item {
            Ok(PemItem::Certificate(cert)) => certs.push(cert),
            Ok(_) => {}
            Err(e) => return Err(format!("{} is not PEM: {e}", path.display())),
        }
    }
    if certs.is_empty() {
        return Err(format!("{} holds no PEM certificate", path.display()));
    }
    Ok(certs)
}

fn client_cert(cert_path: &Path) -> Result<ClientCert, String> {
    let chain = certificates(cert_path)?;
    let key_path = cert_path.with_extension("key");
    let pem = read_pem(&key_path).map_err(|e| {
        format!(
            "client certificate {} needs its key: {e}",
            cert_path.display()
        )
    })?;
    let key = PrivateKey::from_pem(&pem)
        .map_err(|e| format!("{} is not a PEM private key: {e}", key_path.display()))?;
    usable(&chain, &pem).map_err(|e| {
        format!(
            "client certificate {} cannot be used: {e}",
            cert_path.display()
        )
    })?;
    Ok(ClientCert::new_with_certs(&chain, key))
}

/// Checks a client certificate and key as rustls will, because ureq takes a refusal there for
/// a bug and panics.
fn usable(chain: &[Certificate<'static>], key_pem: &[u8]) -> Result<(), rustls::Error> {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};
    let chain = chain
        .iter()
        .map(|c| CertificateDer::from(c.der().to_vec()))
        .collect();
    let key = PrivateKeyDer::from_pem_slice(key_pem)
        .map_err(|e| rustls::Error::General(format!("private key: {e}")))?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_root_certificates(rustls::RootCertStore::empty())
        .with_client_auth_cert(chain, key)
        .map(drop)
}
