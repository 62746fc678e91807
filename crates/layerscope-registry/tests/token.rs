//! The Bearer token flow: a registry that answers 401 with a `WWW-Authenticate: Bearer` challenge
//! and checks the token, and the token server it names, both scripted so that every token is
//! seen and counted.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::collections::HashSet;
use std::io::Read;
use std::sync::{Arc, Mutex};

use layerscope_registry::{Client, ImageRef, OCI_MANIFEST, Options};
use support::fake::{Fake, Reply, Seen};
use support::{base64, docker_config, quiet_options, sha256};

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
