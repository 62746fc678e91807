//! The Bearer token flow: a real `docker-registry` with token auth, whose JWTs a token server in
//! the test signs with openssl; and a scripted registry and token server, so that every token is
//! seen and counted.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::collections::HashSet;
use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

use layerscope_registry::{Client, ImageRef, OCI_MANIFEST, Options};
use support::fake::{Fake, Reply, Seen};
use support::{Registry, Setup, base64, docker_config, need, openssl, quiet_options, sha256};

const MANIFEST: &str = r#"{"schemaVersion":2,"config":{"digest":"sha256:0","size":0},"layers":[]}"#;

/// A token server: hands out `tok-N`, to anyone or only with `user:pass`, and takes the
/// identity token `refresh-me` in the `OAuth2` POST.
fn token_server(issued: Arc<Mutex<HashSet<String>>>, need_password: bool) -> Fake {
    Fake::start(move |seen: &Seen| {
        let allowed = if seen.method == "POST" {
            seen.body.contains("grant_type=refresh_token")
                && seen.body.contains("refresh_token=refresh-me")
        } else {
            !need_password
                || seen.header("authorization") == Some(&format!("Basic {}", base64("user:pass")))
        };
        if !allowed {
            return Reply::new(401);
        }
        let mut issued = issued.lock().unwrap();
        let token = format!("tok-{}", issued.len() + 1);
        issued.insert(token.clone());
        let key = if seen.method == "POST" {
            "access_token"
        } else {
            "token"
        };
        Reply::new(200).body(format!(r#"{{"{key}":"{token}","expires_in":300}}"#))
    })
}

/// A registry that wants a token from `token_host`. `tok-1` works once only, as a token that
/// expired in flight.
fn registry(token_host: &str, issued: Arc<Mutex<HashSet<String>>>) -> Fake {
    let challenge = format!(
        r#"Bearer realm="http://{token_host}/token",service="fake registry",scope="repository:app:pull""#
    );
    let spent = Mutex::new(false);
    Fake::start(move |seen| {
        let token = seen
            .header("authorization")
            .and_then(|a| a.strip_prefix("Bearer "));
        let valid = token.is_some_and(|t| issued.lock().unwrap().contains(t));
        let expired =
            token == Some("tok-1") && std::mem::replace(&mut *spent.lock().unwrap(), true);
        if !valid || expired {
            return Reply::new(401).header("WWW-Authenticate", &challenge);
        }
        match seen.path.as_str() {
            "/v2/" => Reply::new(200),
            path if path.contains("/blobs/") => Reply::new(200).body(MANIFEST),
            _ => Reply::new(200)
                .header("Content-Type", OCI_MANIFEST)
                .body(MANIFEST),
        }
    })
}

fn token_requests(server: &Fake) -> Vec<Seen> {
    server
        .seen()
        .into_iter()
        .filter(|s| s.path.starts_with("/token"))
        .collect()
}

#[test]
fn anonymous_tokens_are_fetched_cached_and_renewed() {
    let issued = Arc::new(Mutex::new(HashSet::new()));
    let tokens = token_server(Arc::clone(&issued), false);
    let reg = registry(&tokens.host, issued);
    let client = Client::new(quiet_options()).unwrap();
    let image = ImageRef::parse(&format!("{}/app:1", reg.host)).unwrap();
    for _ in 0..3 {
        assert_eq!(
            client.manifest(&image, "1").unwrap().bytes,
            MANIFEST.as_bytes()
        );
    }
    let mut blob = Vec::new();
    client
        .blob(&image, &sha256(MANIFEST.as_bytes()))
        .unwrap()
        .read_to_end(&mut blob)
        .unwrap();
    // The first token lapsed after one use and was renewed once; the second served the rest.
    let asked = token_requests(&tokens);
    assert_eq!(asked.len(), 2, "{asked:?}");
    assert_eq!(
        asked[0].path,
        "/token?service=fake%20registry&scope=repository%3Aapp%3Apull"
    );
    assert!(asked.iter().all(|s| s.header("authorization").is_none()));
    let with_token: Vec<_> = reg
        .seen()
        .into_iter()
        .filter_map(|s| s.header("authorization").map(str::to_owned))
        .collect();
    assert_eq!(
        with_token,
        [
            "Bearer tok-1",
            "Bearer tok-1",
            "Bearer tok-2",
            "Bearer tok-2",
            "Bearer tok-2"
        ]
    );
}

#[test]
fn the_token_server_gets_the_password_and_the_registry_only_tokens() {
    let issued = Arc::new(Mutex::new(HashSet::new()));
    let tokens = token_server(Arc::clone(&issued), true);
    let reg = registry(&tokens.host, issued);
    let image = ImageRef::parse(&format!("{}/app:1", reg.host)).unwrap();
    let r = &reg.host;
    let t = &tokens.host;

    let line = Client::new(quiet_options())
        .unwrap()
        .manifest(&image, "1")
        .unwrap_err()
        .to_string();
    assert_eq!(
        line,
        format!(
            "{r}/app:1: {t} refused access to a token for repository:app:pull (HTTP 401): no credentials for {r} were found (log in, or add them to the docker or podman config)"
        )
    );

    let wrong = docker_config(&format!(
        r#"{{"auths":{{"{r}":{{"auth":"{}"}}}}}}"#,
        base64("user:nope")
    ));
    let line = Client::new(Options {
        docker_config: Some(wrong.path().to_owned()),
        ..quiet_options()
    })
    .unwrap()
    .manifest(&image, "1")
    .unwrap_err()
    .to_string();
    assert_eq!(
        line,
        format!(
            "{r}/app:1: {t} refused access to a token for repository:app:pull (HTTP 401): the token server refused the credentials for {r}"
        )
    );

    let right = docker_config(&format!(
        r#"{{"auths":{{"{r}":{{"auth":"{}"}}}}}}"#,
        base64("user:pass")
    ));
    let client = Client::new(Options {
        docker_config: Some(right.path().to_owned()),
        ..quiet_options()
    })
    .unwrap();
    client.manifest(&image, "1").unwrap();
    assert!(reg.seen().iter().all(|s| {
        !s.header("authorization")
            .is_some_and(|a| a.starts_with("Basic"))
    }));
}

#[test]
fn an_identity_token_is_traded_for_an_access_token() {
    let issued = Arc::new(Mutex::new(HashSet::new()));
    let tokens = token_server(Arc::clone(&issued), true);
    let reg = registry(&tokens.host, issued);
    let image = ImageRef::parse(&format!("{}/app:1", reg.host)).unwrap();
    let config = docker_config(&format!(
        r#"{{"auths":{{"{}":{{"identitytoken":"refresh-me"}}}}}}"#,
        reg.host
    ));
    let client = Client::new(Options {
        docker_config: Some(config.path().to_owned()),
        ..quiet_options()
    })
    .unwrap();
    client.manifest(&image, "1").unwrap();
    let posted = token_requests(&tokens);
    assert_eq!(posted[0].method, "POST");
    assert!(
        posted[0].body.contains("scope=repository%3Aapp%3Apull"),
        "{}",
        posted[0].body
    );
    assert!(posted[0].header("authorization").is_none());
}

fn base64url(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

fn percent_decode(s: &str) -> String {
    let mut out = Vec::new();
    let mut bytes = s.bytes();
    while let Some(b) = bytes.next() {
        match b {
            b'%' => {
                let hex: String = bytes.by_ref().take(2).map(char::from).collect();
                out.push(u8::from_str_radix(&hex, 16).unwrap());
            }
            b'+' => out.push(b' '),
            b => out.push(b),
        }
    }
    String::from_utf8(out).unwrap()
}

/// A JWT for the scopes asked, as docker-registry's token auth wants it: RS256, signed by the
/// key whose certificate is the registry's root bundle, the certificate in `x5c`.
fn jwt(key: &Path, cert_der: &[u8], query: &str) -> String {
    let mut access = Vec::new();
    for pair in query.split('&') {
        let Some(("scope", scope)) = pair.split_once('=') else {
            continue;
        };
        let scope = percent_decode(scope);
        let mut parts = scope.splitn(3, ':');
        let (kind, name, actions) = (
            parts.next().unwrap(),
            parts.next().unwrap(),
            parts.next().unwrap(),
        );
        access.push(serde_json::json!({"type": kind, "name": name, "actions": actions.split(',').collect::<Vec<_>>()}));
    }
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let header =
        serde_json::json!({"typ": "JWT", "alg": "RS256", "x5c": [support::base64_bytes(cert_der)]});
    let claims = serde_json::json!({
        "iss": "layerscope-test", "sub": "", "aud": "layerscope-registry-test",
        "exp": now + 600, "nbf": now - 10, "iat": now, "jti": format!("{now}"), "access": access,
    });
    let signing_input = format!(
        "{}.{}",
        base64url(header.to_string().as_bytes()),
        base64url(claims.to_string().as_bytes())
    );
    let mut child = Command::new("openssl")
        .args(["dgst", "-sha256", "-sign"])
        .arg(key)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(signing_input.as_bytes())
        .unwrap();
    let signed = child.wait_with_output().unwrap();
    assert!(signed.status.success());
    format!("{signing_input}.{}", base64url(&signed.stdout))
}

#[test]
fn a_real_registry_with_token_auth() {
    if !support::need_registry_tools() || !need("openssl", "openssl") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    openssl(
        &[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "token.key",
            "-out",
            "token.crt",
            "-days",
            "2",
            "-subj",
            "/CN=layerscope test token signer",
        ],
        dir.path(),
    );
    let der = Command::new("openssl")
        .args(["x509", "-outform", "DER", "-in"])
        .arg(dir.path().join("token.crt"))
        .output()
        .unwrap()
        .stdout;
    let key = dir.path().join("token.key");
    // Pulling needs user:pass; skopeo seeds with user:pass too.
    let tokens = Fake::start(move |seen| {
        let (_, query) = seen.path.split_once('?').unwrap_or(("", ""));
        if seen.header("authorization") != Some(&format!("Basic {}", base64("user:pass"))) {
            return Reply::new(401);
        }
        Reply::new(200).body(
            serde_json::json!({"token": jwt(&key, &der, query), "expires_in": 300}).to_string(),
        )
    });
    let registry = Registry::start(&Setup {
        token: Some((
            format!("http://{}/token", tokens.host),
            "layerscope-registry-test".to_owned(),
            "layerscope-test".to_owned(),
            dir.path().join("token.crt"),
        )),
        ..Setup::default()
    });
    support::seed(
        &registry,
        "oci-archive-zstd.tar",
        "tiny:zstd",
        &["--dest-tls-verify=false", "--dest-creds", "user:pass"],
    );
    let h = &registry.host;
    let image = ImageRef::parse(&format!("{h}/tiny:zstd")).unwrap();
    let config = docker_config(&format!(
        r#"{{"auths":{{"{h}":{{"auth":"{}"}}}}}}"#,
        base64("user:pass")
    ));
    let before = tokens.seen().len();
    let client = Client::new(Options {
        docker_config: Some(config.path().to_owned()),
        ..quiet_options()
    })
    .unwrap();
    let manifest = client.manifest(&image, "zstd").unwrap();
    let json: serde_json::Value = serde_json::from_slice(&manifest.bytes).unwrap();
    for layer in json["layers"].as_array().unwrap() {
        let digest = layer["digest"].as_str().unwrap();
        let mut bytes = Vec::new();
        client
            .blob(&image, digest)
            .unwrap()
            .read_to_end(&mut bytes)
            .unwrap();
        assert_eq!(sha256(&bytes), digest);
    }
    // One token for the repository's pull scope served every request.
    let asked: Vec<_> = tokens.seen().into_iter().skip(before).collect();
    assert_eq!(asked.len(), 1, "{asked:?}");
    assert!(
        asked[0].path.ends_with("scope=repository%3Atiny%3Apull"),
        "{}",
        asked[0].path
    );

    let t = &tokens.host;
    let line = Client::new(quiet_options())
        .unwrap()
        .manifest(&image, "zstd")
        .unwrap_err()
        .to_string();
    assert_eq!(
        line,
        format!(
            "{h}/tiny:zstd: {t} refused access to a token for repository:tiny:pull (HTTP 401): no credentials for {h} were found (log in, or add them to the docker or podman config)"
        )
    );
}
