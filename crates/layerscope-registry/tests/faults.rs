//! Every fault a registry can have, from a scripted server: each is one line naming the image and
//! the host.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::io::Read;

use layerscope_registry::{Client, ImageRef, OCI_MANIFEST, Options, RegistryError};
use support::fake::{Fake, Reply, Seen};
use support::{docker_config, quiet_options, sha256};

const MANIFEST: &str = r#"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:0000000000000000000000000000000000000000000000000000000000000000","size":2},"layers":[]}"#;

fn manifest_reply() -> Reply {
    Reply::new(200)
        .header("Content-Type", OCI_MANIFEST)
        .header("Docker-Content-Digest", &sha256(MANIFEST.as_bytes()))
        .body(MANIFEST)
}

fn image(fake: &Fake, name: &str) -> ImageRef {
    ImageRef::parse(&format!("{}/{name}", fake.host)).unwrap()
}

fn client() -> Client {
    Client::new(quiet_options()).unwrap()
}

fn error_line<T>(result: Result<T, RegistryError>) -> String {
    let Err(error) = result else {
        panic!("expected an error")
    };
    let line = error.to_string();
    assert!(!line.contains('\n'), "not one line: {line}");
    line
}

/// A registry that answers `/v2/` and hands everything else to `rest`.
fn registry(rest: impl Fn(&Seen) -> Reply + Send + Sync + 'static) -> Fake {
    Fake::start(move |seen| {
        if seen.path == "/v2/" {
            Reply::new(200).body("{}")
        } else {
            rest(seen)
        }
    })
}

#[test]
fn a_registry_that_is_down_is_not_reachable() {
    let port = support::free_port();
    let image = ImageRef::parse(&format!("127.0.0.1:{port}/app:1")).unwrap();
    let line = error_line(client().manifest(&image, "1"));
    assert_eq!(
        line,
        format!(
            "127.0.0.1:{port}/app:1: registry 127.0.0.1:{port} is not reachable: connection refused (4 attempts)"
        )
    );
}

#[test]
fn refused_forbidden_and_unknown() {
    let fake = registry(|seen| match seen.path.as_str() {
        "/v2/locked/manifests/1" => {
            Reply::new(401).header("WWW-Authenticate", r#"Basic realm="x""#)
        }
        "/v2/secret/manifests/1" => Reply::new(403),
        _ => Reply::new(404)
            .header("Content-Type", "application/json")
            .body(
                r#"{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown\u001b[2J"}]}"#,
            ),
    });
    let h = &fake.host;
    let c = client();
    assert_eq!(
        error_line(c.manifest(&image(&fake, "locked:1"), "1")),
        format!(
            "{h}/locked:1: {h} refused access to manifest `1` (HTTP 401): no credentials for {h} were found (log in, or add them to the docker or podman config)"
        )
    );
    assert_eq!(
        error_line(c.manifest(&image(&fake, "secret:1"), "1")),
        format!(
            "{h}/secret:1: {h} denied access to manifest `1` (HTTP 403): no credentials for {h} were found (log in, or add them to the docker or podman config)"
        )
    );
    assert_eq!(
        error_line(c.manifest(&image(&fake, "gone:1"), "1")),
        format!(
            "{h}/gone:1: registry {h} has no manifest `1` (HTTP 404, MANIFEST_UNKNOWN: manifest unknown\\u{{1b}}[2J)"
        )
    );
    let digest = format!("sha256:{}", "0".repeat(64));
    assert_eq!(
        error_line(c.blob(&image(&fake, "gone:1"), &digest)),
        format!(
            "{h}/gone:1: registry {h} has no blob {digest} (HTTP 404, MANIFEST_UNKNOWN: manifest unknown\\u{{1b}}[2J)"
        )
    );
}

#[test]
fn wrong_credentials_are_named_not_shown() {
    let fake = registry(|_| Reply::new(401).header("WWW-Authenticate", r#"Basic realm="x""#));
    let config = docker_config(&format!(
        r#"{{"auths":{{"{}":{{"auth":"{}"}}}}}}"#,
        fake.host,
        support::base64("user:hunter2")
    ));
    let c = Client::new(Options {
        docker_config: Some(config.path().to_owned()),
        ..quiet_options()
    })
    .unwrap();
    let err = c.manifest(&image(&fake, "app:1"), "1").unwrap_err();
    let h = &fake.host;
    assert_eq!(
        err.to_string(),
        format!(
            "{h}/app:1: {h} refused access to manifest `1` (HTTP 401): the credentials for {h} were not accepted"
        )
    );
    assert!(!format!("{err:?}{c:?}").contains("hunter2"));
    // The credential was offered once after the challenge, and not again.
    let sent = fake.seen_at("/v2/app/manifests/1");
    assert_eq!(sent.len(), 2);
    assert_eq!(sent[0].header("authorization"), None);
    assert_eq!(
        sent[1].header("authorization"),
        Some("Basic dXNlcjpodW50ZXIy")
    );
}

#[test]
fn rate_limits_and_server_errors_are_retried() {
    let fake = registry(|seen| match (seen.path.as_str(), seen.nth) {
        // Retry-After is honoured but capped by max_backoff, so this takes milliseconds.
        ("/v2/busy/manifests/1", 0 | 1) => Reply::new(429).header("Retry-After", "3600"),
        ("/v2/flaky/manifests/1", 0) => Reply::new(503),
        ("/v2/dropped/manifests/1", 0) => Reply {
            hang_up: true,
            ..Reply::default()
        },
        ("/v2/always-busy/manifests/1", _) => Reply::new(429),
        ("/v2/broken/manifests/1", _) => Reply::new(500),
        _ => manifest_reply(),
    });
    let c = client();
    for name in ["busy", "flaky", "dropped"] {
        let got = c
            .manifest(&image(&fake, &format!("{name}:1")), "1")
            .unwrap();
        assert_eq!(got.bytes, MANIFEST.as_bytes(), "{name}");
    }
    assert_eq!(fake.seen_at("/v2/busy/manifests/1").len(), 3);
    let h = &fake.host;
    assert_eq!(
        error_line(c.manifest(&image(&fake, "always-busy:1"), "1")),
        format!(
            "{h}/always-busy:1: {h} is still rate-limiting (HTTP 429) manifest `1` after 4 attempts"
        )
    );
    assert_eq!(
        error_line(c.manifest(&image(&fake, "broken:1"), "1")),
        format!("{h}/broken:1: {h} answered HTTP 500 for manifest `1` after 4 attempts")
    );
}

#[test]
fn bodies_cut_short_are_errors_naming_the_blob() {
    let blob = vec![7u8; 10_000];
    let digest = sha256(&blob);
    let fake = registry(move |seen| {
        let reply = if seen.path.contains("/blobs/") {
            Reply::new(200).body(blob.clone())
        } else {
            manifest_reply()
        };
        Reply {
            cut_at: Some(100),
            ..reply
        }
    });
    let h = &fake.host;
    let c = client();
    let img = image(&fake, "app:1");
    let mut reader = c.blob(&img, &digest).unwrap();
    let mut out = Vec::new();
    let err = reader.read_to_end(&mut out).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "{h}/app:1: {h} cut blob {digest} short: the connection ended after 100 of 10000 bytes"
        )
    );
    assert!(matches!(
        RegistryError::from_io(&err),
        Some(RegistryError::Truncated { read: 100, .. })
    ));
    assert_eq!(
        error_line(c.blob_bytes(&img, &digest, 1 << 20)),
        format!(
            "{h}/app:1: {h} cut blob {digest} short: the connection ended after 100 of 10000 bytes"
        )
    );
    assert_eq!(
        error_line(c.manifest(&img, "1")),
        format!(
            "{h}/app:1: {h} cut manifest `1` short: the connection ended after 100 of {} bytes",
            MANIFEST.len()
        )
    );
}

#[test]
fn wrong_digests_unknown_types_and_oversized_manifests_are_refused() {
    let fake = registry(|seen| match seen.path.as_str() {
        "/v2/app/manifests/lying" => Reply::new(200)
            .header("Content-Type", OCI_MANIFEST)
            .header(
                "Docker-Content-Digest",
                &format!("sha256:{}", "1".repeat(64)),
            )
            .body(MANIFEST),
        "/v2/app/manifests/v1" => Reply::new(200)
            .header(
                "Content-Type",
                "application/vnd.docker.distribution.manifest.v1+prettyjws",
            )
            .body("{}"),
        "/v2/app/manifests/huge" => Reply::new(200)
            .header("Content-Type", OCI_MANIFEST)
            .body(vec![b' '; 2048]),
        _ if seen.path.contains("/blobs/") => Reply::new(200).body("not what was asked for"),
        _ => manifest_reply(),
    });
    let h = &fake.host;
    let c = Client::new(Options {
        max_manifest_bytes: 1024,
        ..quiet_options()
    })
    .unwrap();
    let img = image(&fake, "app:1");
    let digest = format!("sha256:{}", "2".repeat(64));
    assert_eq!(
        error_line(c.blob_bytes(&img, &digest, 1 << 20)),
        format!(
            "{h}/app:1: {h} served blob {digest} with digest {}, expected {digest}",
            sha256(b"not what was asked for")
        )
    );
    // A streamed blob is the caller's to check: its bytes arrive as served.
    let mut out = String::new();
    c.blob(&img, &digest)
        .unwrap()
        .read_to_string(&mut out)
        .unwrap();
    assert_eq!(out, "not what was asked for");
    // A tag's manifest is checked against the digest the registry announces.
    assert_eq!(
        error_line(c.manifest(&img, "lying")),
        format!(
            "{h}/app:1: {h} served manifest `lying` with digest {}, expected sha256:{}",
            sha256(MANIFEST.as_bytes()),
            "1".repeat(64)
        )
    );
    let by_digest = format!("sha256:{}", "3".repeat(64));
    assert_eq!(
        error_line(c.manifest(&img, &by_digest)),
        format!(
            "{h}/app:1: {h} served manifest {by_digest} with digest {}, expected {by_digest}",
            sha256(MANIFEST.as_bytes())
        )
    );
    assert_eq!(
        error_line(c.manifest(&img, "v1")),
        format!(
            "{h}/app:1: {h} served manifest `v1` of unknown media type `application/vnd.docker.distribution.manifest.v1+prettyjws`"
        )
    );
    assert_eq!(
        error_line(c.manifest(&img, "huge")),
        format!("{h}/app:1: {h} served manifest `huge` larger than 1024 bytes; refused")
    );
    assert_eq!(
        error_line(c.manifest(&img, "a/../../b")),
        format!(
            "{h}/app:1: `a/../../b` is not a tag or digest: a tag is up to 128 letters, digits, `_`, `.` and `-`, not starting with `.` or `-`"
        )
    );
}

#[test]
fn credentials_stay_home_when_a_blob_is_redirected() {
    let blob = b"layer bytes".to_vec();
    let digest = sha256(&blob);
    let cdn = {
        let blob = blob.clone();
        // Another loopback address is another host to the client.
        Fake::start_on("127.0.0.2", move |_| Reply::new(200).body(blob.clone()))
    };
    let cdn_host = cdn.host.clone();
    let fake = Fake::start(move |seen| {
        if seen.header("authorization") != Some("Basic dXNlcjpwYXNz") {
            return Reply::new(401).header("WWW-Authenticate", r#"Basic realm="x""#);
        }
        match seen.path.as_str() {
            "/v2/" => Reply::new(200),
            _ => {
                Reply::new(307).header("Location", &format!("http://{cdn_host}/store/blob?sig=abc"))
            }
        }
    });
    let config = docker_config(&format!(
        r#"{{"auths":{{"{}":{{"username":"user","password":"pass"}}}}}}"#,
        fake.host
    ));
    let c = Client::new(Options {
        docker_config: Some(config.path().to_owned()),
        ..quiet_options()
    })
    .unwrap();
    let img = image(&fake, "app:1");
    assert_eq!(c.blob_bytes(&img, &digest, 1 << 20).unwrap(), blob);
    let mut streamed = Vec::new();
    c.blob(&img, &digest)
        .unwrap()
        .read_to_end(&mut streamed)
        .unwrap();
    assert_eq!(streamed, blob);
    let at_cdn = cdn.seen_at("/store/blob?sig=abc");
    assert_eq!(at_cdn.len(), 2);
    assert!(at_cdn.iter().all(|s| s.header("authorization").is_none()));
    assert_eq!(c.bytes_read(), 2 * blob.len() as u64);
}

#[test]
fn a_redirect_to_plain_http_elsewhere_is_refused() {
    let fake = registry(|_| Reply::new(307).header("Location", "http://cdn.invalid/x"));
    let h = &fake.host;
    let digest = format!("sha256:{}", "4".repeat(64));
    assert_eq!(
        error_line(client().blob(&image(&fake, "app:1"), &digest)),
        format!(
            "{h}/app:1: {h} redirected blob {digest} to plain HTTP at cdn.invalid, which is refused"
        )
    );
}

#[test]
fn bad_settings_are_named() {
    let err = Client::new(Options {
        insecure: vec!["no spaces".into()],
        ..quiet_options()
    })
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "registry client: insecure registry `no spaces` is not HOST[:PORT]"
    );
    Client::new(Options {
        insecure: vec!["myhost".into(), "reg.lan:5000".into(), "[::1]:5000".into()],
        ..quiet_options()
    })
    .unwrap();

    let fake = registry(|_| manifest_reply());
    let certs_d = tempfile::tempdir().unwrap();
    std::fs::create_dir(certs_d.path().join(&fake.host)).unwrap();
    let ca = certs_d.path().join(&fake.host).join("ca.crt");
    std::fs::write(&ca, "junk").unwrap();
    let c = Client::new(Options {
        certs_dirs: vec![certs_d.path().to_owned()],
        ..quiet_options()
    })
    .unwrap();
    let h = &fake.host;
    assert_eq!(
        error_line(c.manifest(&image(&fake, "app:1"), "1")),
        format!(
            "{h}/app:1: certificates for {h}: {} holds no PEM certificate",
            ca.display()
        )
    );
}
