//! A real registry over TLS with a password (htpasswd): a CA and certificate made by openssl,
//! trusted through a certs.d directory or `SSL_CERT_FILE`; credentials from a temporary docker
//! config, a credential helper on `PATH`, and podman's auth.json.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::io::Read;
use std::path::PathBuf;
use std::process::Command;

use layerscope_registry::{Client, ImageRef, Options};
use support::fake::{Fake, Reply};
use support::{
    Certs, Registry, Setup, base64, docker_config, in_child, need, quiet_options, run_child, sha256,
};

const HELPER: &str = r#"#!/bin/sh
# docker-credential-test: knows one registry, as docker-credential-pass or -secretservice would.
read -r server
[ "$1" = get ] || exit 1
echo "$server" >> "$(dirname "$0")/asked"
if [ "$server" = "$LAYERSCOPE_TEST_HOST" ]; then
    printf '{"ServerURL":"%s","Username":"user","Secret":"pass"}\n' "$server"
else
    echo "credentials not found in native keychain"
    exit 1
fi
"#;

fn env(name: &str) -> String {
    std::env::var(name).unwrap()
}

/// Pulls the image's manifest, config and layers, checking every digest.
fn pull(client: &Client, image: &ImageRef) {
    let manifest = client.manifest(image, image.reference()).unwrap();
    let json: serde_json::Value = serde_json::from_slice(&manifest.bytes).unwrap();
    let config = json["config"]["digest"].as_str().unwrap();
    client.blob_bytes(image, config, 1 << 20).unwrap();
    for layer in json["layers"].as_array().unwrap() {
        let digest = layer["digest"].as_str().unwrap();
        let mut bytes = Vec::new();
        client
            .blob(image, digest)
            .unwrap()
            .read_to_end(&mut bytes)
            .unwrap();
        assert_eq!(sha256(&bytes), digest);
    }
}

#[test]
fn a_registry_over_tls_with_a_password() {
    if !support::need_registry_tools()
        || !need("openssl", "openssl")
        || !need("htpasswd", "apache2-utils")
    {
        return;
    }
    let certs = Certs::make();
    let htpasswd = certs.dir.path().join("htpasswd");
    let made = Command::new("htpasswd")
        .args(["-Bbn", "user", "pass"])
        .output()
        .unwrap();
    assert!(made.status.success());
    std::fs::write(&htpasswd, made.stdout).unwrap();
    let registry = Registry::start(&Setup {
        tls: Some((certs.cert.clone(), certs.key.clone())),
        htpasswd: Some(htpasswd),
        ..Setup::default()
    });
    let ca_dir = certs.ca_dir.to_str().unwrap();
    support::seed(
        &registry,
        "oci-archive-gzip.tar",
        "tiny:gzip",
        &["--dest-cert-dir", ca_dir, "--dest-creds", "user:pass"],
    );
    let h = registry.host.clone();
    let image = ImageRef::parse(&format!("{h}/tiny:gzip")).unwrap();
    let certs_d = certs.certs_d(&h);
    let good = docker_config(&format!(
        r#"{{"auths":{{"{h}":{{"auth":"{}"}}}}}}"#,
        base64("user:pass")
    ));
    let bad = docker_config(&format!(
        r#"{{"auths":{{"https://{h}":{{"username":"user","password":"wrong"}}}}}}"#
    ));
    let with = |certs_dirs: Vec<PathBuf>, config: Option<&tempfile::TempDir>| {
        Client::new(Options {
            certs_dirs,
            docker_config: config.map(|c| c.path().to_owned()),
            ..quiet_options()
        })
        .unwrap()
    };

    pull(&with(vec![certs_d.clone()], Some(&good)), &image);

    let line = with(vec![certs_d.clone()], None)
        .manifest(&image, "gzip")
        .unwrap_err()
        .to_string();
    assert_eq!(
        line,
        format!(
            "{h}/tiny:gzip: {h} refused access to manifest `gzip` (HTTP 401): no credentials for {h} were found (log in, or add them to the docker or podman config)"
        )
    );
    let line = with(vec![certs_d.clone()], Some(&bad))
        .manifest(&image, "gzip")
        .unwrap_err()
        .to_string();
    assert_eq!(
        line,
        format!(
            "{h}/tiny:gzip: {h} refused access to manifest `gzip` (HTTP 401): the credentials for {h} were not accepted"
        )
    );

    // Without the CA the certificate is refused, never downgraded to plain HTTP.
    let line = with(Vec::new(), Some(&good))
        .manifest(&image, "gzip")
        .unwrap_err()
        .to_string();
    assert_eq!(
        line,
        format!(
            "{h}/tiny:gzip: TLS with {h} failed: invalid peer certificate: UnknownIssuer (trust its CA in certs.d/{h}/ca.crt or SSL_CERT_FILE)"
        )
    );

    // An insecure registry is trusted whatever its certificate.
    let insecure = Client::new(Options {
        insecure: vec![h.clone()],
        docker_config: Some(good.path().to_owned()),
        ..quiet_options()
    })
    .unwrap();
    pull(&insecure, &image);

    // Podman's auth.json alone.
    let podman = Client::new(Options {
        certs_dirs: vec![certs_d.clone()],
        auth_file: Some(good.path().join("config.json")),
        ..quiet_options()
    })
    .unwrap();
    pull(&podman, &image);

    with_a_credential_helper(&h, &certs_d);

    // The system roots from SSL_CERT_FILE, in a child process with that variable.
    run_child(
        "child_with_ssl_cert_file",
        &[
            ("SSL_CERT_FILE", certs.ca.as_os_str()),
            ("LAYERSCOPE_TEST_HOST", h.as_ref()),
            ("LAYERSCOPE_TEST_DOCKER_CONFIG", good.path().as_os_str()),
        ],
    );
}

/// A credential helper on `PATH` (`credsStore`), in a child process with that `PATH`.
fn with_a_credential_helper(h: &str, certs_d: &std::path::Path) {
    let bin = tempfile::tempdir().unwrap();
    let helper = bin.path().join("docker-credential-test");
    layerscope_testkit::write_executable(&helper, HELPER);
    let store = docker_config(r#"{"credsStore":"test"}"#);
    let path = std::env::join_paths(std::iter::once(bin.path().to_owned()).chain(
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
    ))
    .unwrap();
    run_child(
        "child_with_a_credential_helper",
        &[
            ("PATH", path.as_os_str()),
            ("LAYERSCOPE_TEST_HOST", std::ffi::OsStr::new(h)),
            ("LAYERSCOPE_TEST_CERTS_D", certs_d.as_os_str()),
            ("LAYERSCOPE_TEST_DOCKER_CONFIG", store.path().as_os_str()),
        ],
    );
    let asked = std::fs::read_to_string(bin.path().join("asked")).unwrap();
    assert!(asked.lines().any(|l| l == h), "{asked}");
}

/// Run by `a_registry_over_tls_with_a_password` with the helper on `PATH`.
#[test]
fn child_with_a_credential_helper() {
    if !in_child() {
        return;
    }
    let options = Options {
        certs_dirs: vec![PathBuf::from(env("LAYERSCOPE_TEST_CERTS_D"))],
        docker_config: Some(PathBuf::from(env("LAYERSCOPE_TEST_DOCKER_CONFIG"))),
        ..quiet_options()
    };
    let client = Client::new(options).unwrap();
    let image = ImageRef::parse(&format!("{}/tiny:gzip", env("LAYERSCOPE_TEST_HOST"))).unwrap();
    pull(&client, &image);
    // For a registry the helper does not know, it says "credentials not found": anonymous.
    let other = Fake::start(|_| Reply::new(401).header("WWW-Authenticate", r#"Basic realm="x""#));
    let o = &other.host;
    let line = client
        .manifest(&ImageRef::parse(&format!("{o}/app:1")).unwrap(), "1")
        .unwrap_err()
        .to_string();
    assert!(
        line.ends_with(&format!(
            "no credentials for {o} were found (log in, or add them to the docker or podman config)"
        )),
        "{line}"
    );
}

/// Run by `a_registry_over_tls_with_a_password` with `SSL_CERT_FILE` naming the test CA.
#[test]
fn child_with_ssl_cert_file() {
    if !in_child() {
        return;
    }
    let client = Client::new(Options {
        docker_config: Some(PathBuf::from(env("LAYERSCOPE_TEST_DOCKER_CONFIG"))),
        ..quiet_options()
    })
    .unwrap();
    let image = ImageRef::parse(&format!("{}/tiny:gzip", env("LAYERSCOPE_TEST_HOST"))).unwrap();
    pull(&client, &image);
}

#[test]
fn a_client_certificate_from_certs_d() {
    if !support::need_registry_tools() || !need("openssl", "openssl") {
        return;
    }
    let certs = Certs::make();
    let registry = Registry::start(&Setup {
        tls: Some((certs.cert.clone(), certs.key.clone())),
        client_ca: Some(certs.ca.clone()),
        ..Setup::default()
    });
    let h = registry.host.clone();
    let image = ImageRef::parse(&format!("{h}/tiny:gzip")).unwrap();
    let certs_d = certs.certs_d(&h);
    let client = |dirs: Vec<PathBuf>| {
        Client::new(Options {
            certs_dirs: dirs,
            ..quiet_options()
        })
        .unwrap()
    };

    let line = client(vec![certs_d.clone()])
        .manifest(&image, "gzip")
        .unwrap_err()
        .to_string();
    assert!(
        line.starts_with(&format!("{h}/tiny:gzip: TLS with {h} failed: ")),
        "{line}"
    );

    // A version 1 certificate (no extensions) is refused by rustls: an error, not a crash.
    certs.client_cert(&certs_d.join(&h), None);
    let line = client(vec![certs_d.clone()])
        .manifest(&image, "gzip")
        .unwrap_err()
        .to_string();
    assert!(
        line.starts_with(&format!(
            "{h}/tiny:gzip: certificates for {h}: client certificate {}",
            certs_d.join(&h).join("client.cert").display()
        )),
        "{line}"
    );
    assert!(
        line.ends_with(
            "cannot be used: invalid peer certificate: Other(OtherError(UnsupportedCertVersion))"
        ),
        "{line}"
    );

    certs.client_cert(&certs_d.join(&h), Some("extendedKeyUsage=clientAuth"));
    let line = client(vec![certs_d.clone()])
        .manifest(&image, "gzip")
        .unwrap_err()
        .to_string();
    assert!(line.contains("has no manifest `gzip` (HTTP 404"), "{line}");

    std::fs::write(certs_d.join(&h).join("client.key"), "not a key").unwrap();
    let line = client(vec![certs_d.clone()])
        .manifest(&image, "gzip")
        .unwrap_err()
        .to_string();
    assert_eq!(
        line,
        format!(
            "{h}/tiny:gzip: certificates for {h}: {} is not a PEM private key: {}",
            certs_d.join(&h).join("client.key").display(),
            line.rsplit(": ").next().unwrap()
        )
    );
}
