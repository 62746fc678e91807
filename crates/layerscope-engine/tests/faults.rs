//! The engine API against a scripted fake engine on a unix socket: every framing of a body,
//! old and new API versions, error statuses, and the faults no real engine makes on demand.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::io::Read;

use layerscope_engine::{EngineError, PlatformSpec};
use support::fake::{FakeEngine, Reply, encode_chunked};
use support::{inner_line, line, read_all};

/// A body long enough to cross every buffer, and different at every offset.
fn payload(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 7 + i / 251) as u8).collect()
}

fn arm64() -> PlatformSpec {
    PlatformSpec {
        os: "linux".into(),
        architecture: "arm64".into(),
        variant: Some("v8".into()),
    }
}

#[test]
fn a_chunked_body_split_at_awkward_places_arrives_whole() {
    let data = payload(100_000);
    let wire = encode_chunked(&data, 7000);
    // Inside the first size line, between its CR and LF, inside data, between a chunk's data
    // and its CRLF, inside the last chunk's size line and in the final CRLF.
    let first_lf = wire.iter().position(|&b| b == b'\n').unwrap();
    let cuts = [
        1,
        first_lf,
        first_lf + 1,
        5000,
        7000 + first_lf + 1,
        wire.len() - 4,
        wire.len() - 1,
    ];
    let fake = FakeEngine::start(vec![
        Reply::version("1.41"),
        Reply::chunked(200, &wire, &cuts),
    ]);
    let engine = fake.docker();
    // An old API: the platform is not sent, and the caller picks it itself.
    let reader = engine.export("nginx:latest", Some(&arm64())).unwrap();
    let (bytes, error) = read_all(reader);
    assert!(error.is_none(), "{error:?}");
    assert_eq!(bytes.len(), data.len());
    assert!(bytes == data, "the body differs from what was sent");
    assert_eq!(
        fake.targets(),
        ["/version", "/v1.41/images/nginx%3Alatest/get"]
    );
    let seen = fake.seen();
    assert_eq!(
        seen[1].request_line,
        "GET /v1.41/images/nginx%3Alatest/get HTTP/1.1"
    );
    assert_eq!(seen[1].headers["host"], "docker");
    assert_eq!(seen[1].headers["connection"], "close");
}

#[test]
fn a_new_api_is_sent_the_platform_and_capped_at_what_is_known() {
    let fake = FakeEngine::start(vec![
        Reply::version("1.51"),
        Reply::with_length(200, "application/x-tar", b"tar bytes"),
        Reply::with_length(200, "application/x-tar", b"more"),
    ]);
    let engine = fake.docker();
    let mut bytes = Vec::new();
    engine
        .export("docker.io/library/nginx@sha256:ab", Some(&arm64()))
        .unwrap()
        .read_to_end(&mut bytes)
        .unwrap();
    assert_eq!(bytes, b"tar bytes");
    bytes.clear();
    engine
        .export("nginx", None)
        .unwrap()
        .read_to_end(&mut bytes)
        .unwrap();
    assert_eq!(bytes, b"more");
    let targets = fake.targets();
    // The version is asked once.
    assert_eq!(targets.len(), 3);
    assert_eq!(targets[0], "/version");
    let (path, query) = targets[1].split_once('?').unwrap();
    assert_eq!(
        path,
        "/v1.48/images/docker.io%2Flibrary%2Fnginx%40sha256%3Aab/get"
    );
    let json = query.strip_prefix("platform=").unwrap();
    assert!(
        json.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~%".contains(&b)),
        "not percent-encoded: {json}"
    );
    let decoded: serde_json::Value = serde_json::from_str(&percent_decode(json)).unwrap();
    assert_eq!(
        decoded,
        serde_json::json!({"os": "linux", "architecture": "arm64", "variant": "v8"})
    );
    assert_eq!(targets[2], "/v1.48/images/nginx/get");
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap();
            out.push(u8::from_str_radix(hex, 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

#[test]
fn content_length_and_close_delimited_bodies() {
    let data = payload(300_000);
    let mut close_head = b"HTTP/1.1 200 OK\r\nContent-Type: application/x-tar\r\n\r\n".to_vec();
    close_head.extend_from_slice(&data[..10]);
    let fake = FakeEngine::start(vec![
        Reply::version("1.43"),
        Reply::with_length(200, "application/x-tar", &data),
        Reply::raw([
            close_head,
            data[10..150_001].to_vec(),
            data[150_001..].to_vec(),
        ]),
    ]);
    let engine = fake.docker();
    for _ in 0..2 {
        let (bytes, error) = read_all(engine.export("app:1", None).unwrap());
        assert!(error.is_none(), "{error:?}");
        assert!(bytes == data, "the body differs from what was sent");
    }
}

#[test]
fn the_body_streams_before_the_engine_has_sent_it_all() {
    let data = payload(50_000);
    let wire = encode_chunked(&data, 4096);
    // The engine holds back everything after the first 10,000 bytes until the test has read
    // the first 5,000: an export that waited for the whole body would never get them.
    let (reply, open) = Reply::chunked(200, &wire, &[10_000]).gated(2);
    let fake = FakeEngine::start(vec![Reply::version("1.41"), reply]);
    let mut reader = fake.docker().export("app:1", None).unwrap();
    let mut first = vec![0u8; 5000];
    reader.read_exact(&mut first).unwrap();
    assert!(first == data[..5000]);
    open.send(()).unwrap();
    let (rest, error) = read_all(reader);
    assert!(error.is_none(), "{error:?}");
    assert!(rest == data[5000..]);
}

#[test]
fn inspect_reads_the_image_and_names_what_is_missing() {
    let hex = "c82df3d83a3817a0479d54ca0981367c15ee2e8b9f25364792143453e2b16e96";
    let json = format!(
        r#"{{"Id":"sha256:{hex}","RepoTags":["nginx:latest","nginx:1"],"Os":"linux","Architecture":"arm","Variant":"v7","RootFS":{{"Type":"layers"}}}}"#
    );
    let wire = encode_chunked(json.as_bytes(), 10);
    let fake = FakeEngine::start(vec![
        Reply::version("1.41"),
        Reply::chunked(200, &wire, &[3, 30]),
        Reply::json(404, r#"{"message":"No such image: nope:latest"}"#),
        Reply::json(404, r#"{"message":"No such image: nope:latest"}"#),
    ]);
    let engine = fake.docker();
    let info = engine.inspect("nginx:latest").unwrap();
    assert_eq!(info.id, format!("sha256:{hex}"));
    assert_eq!(info.repo_tags, ["nginx:latest", "nginx:1"]);
    assert_eq!(
        (info.os.as_str(), info.architecture.as_str()),
        ("linux", "arm")
    );
    assert_eq!(info.variant.as_deref(), Some("v7"));
    let missing = format!(
        "the Docker engine at {} has no image nope:latest (layerscope never pulls: docker pull it first, or name a registry with registry://)",
        fake.host()
    );
    let error = engine.inspect("nope:latest").unwrap_err();
    assert!(error.is_no_such_image());
    assert_eq!(line(&error), missing);
    let error = engine.export("nope:latest", None).err().unwrap();
    assert_eq!(line(&error), missing);
    assert_eq!(
        fake.targets()[1..],
        [
            "/v1.41/images/nginx%3Alatest/json",
            "/v1.41/images/nope%3Alatest/json",
            "/v1.41/images/nope%3Alatest/get"
        ]
    );
}

#[test]
fn error_statuses_carry_the_engines_message_cleaned_and_cut() {
    let long = "y".repeat(5000);
    let fake = FakeEngine::start(vec![
        Reply::version("1.41"),
        Reply::json(
            500,
            r#"{"message":"normalizing image: repository name must be lowercase\n\u001b[31mred"}"#,
        ),
        Reply::json(500, &format!(r#"{{"message":"{long}"}}"#)),
        Reply::with_length(400, "text/plain", b"page not found\n"),
        Reply::with_length(503, "text/plain", b""),
    ]);
    let engine = fake.docker();
    let host = fake.host();
    assert_eq!(
        line(&engine.inspect("UPPER").unwrap_err()),
        format!(
            "the Docker engine at {host} answered HTTP 500 to the inspection of UPPER: normalizing image: repository name must be lowercase\\n\\u{{1b}}[31mred"
        )
    );
    let cut = line(&engine.export("x", None).err().unwrap());
    assert!(cut.starts_with(&format!(
        "the Docker engine at {host} answered HTTP 500 to the export of x: yyy"
    )));
    assert!(cut.ends_with("y…") && cut.len() < 400, "{cut}");
    assert_eq!(
        line(&engine.inspect("x").unwrap_err()),
        format!(
            "the Docker engine at {host} answered HTTP 400 to the inspection of x: page not found"
        )
    );
    assert_eq!(
        line(&engine.inspect("x").unwrap_err()),
        format!("the Docker engine at {host} answered HTTP 503 to the inspection of x: no message")
    );
}

#[test]
fn a_malformed_chunk_in_the_middle_fails_the_read_with_an_engine_error() {
    let mut wire = b"4\r\nabcd\r\n3\r\nefg\r\n".to_vec();
    wire.extend_from_slice(b"zz\r\nhij\r\n0\r\n\r\n");
    let fake = FakeEngine::start(vec![
        Reply::version("1.41"),
        Reply::chunked(200, &wire, &[6]),
    ]);
    let engine = fake.docker();
    let mut reader = engine.export("app:1", None).unwrap();
    let (bytes, error) = read_all(&mut reader);
    assert_eq!(bytes, b"abcdefg");
    let error = error.unwrap();
    let expected = format!(
        "reading the export of app:1 from the Docker engine at {} failed after 7 bytes: `zz` is not a chunk size",
        fake.host()
    );
    assert_eq!(inner_line(&error), expected);
    assert!(matches!(
        EngineError::from_io(&error),
        Some(EngineError::Body { read: 7, .. })
    ));
    // The reader stays failed.
    let again = reader.read(&mut [0; 16]).unwrap_err();
    assert_eq!(inner_line(&again), expected);
}

#[test]
fn a_connection_dropped_in_the_middle_of_a_body_is_an_error() {
    let data = payload(1000);
    let mut head = b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n".to_vec();
    head.extend_from_slice(&data[..100]);
    // `258\r\n`, 600 bytes, CRLF, `190\r\n`, then 88 of the second chunk's 400 bytes.
    let mut chunked = encode_chunked(&data, 600);
    chunked.truncate(700);
    let fake = FakeEngine::start(vec![
        Reply::version("1.41"),
        Reply::raw([head, data[100..400].to_vec()]),
        Reply::chunked(200, &chunked, &[]),
    ]);
    let engine = fake.docker();
    let host = fake.host();
    let (bytes, error) = read_all(engine.export("app:1", None).unwrap());
    assert!(bytes == data[..400]);
    assert_eq!(
        inner_line(&error.unwrap()),
        format!(
            "reading the export of app:1 from the Docker engine at {host} failed after 400 bytes: the connection closed 600 bytes before the end of the body (Content-Length 1000)"
        )
    );
    let (bytes, error) = read_all(engine.export("app:1", None).unwrap());
    assert!(bytes == data[..688]);
    assert_eq!(
        inner_line(&error.unwrap()),
        format!(
            "reading the export of app:1 from the Docker engine at {host} failed after 688 bytes: the connection closed in the middle of a chunk, 312 bytes short"
        )
    );
}

#[test]
fn answers_that_are_not_http_are_malformed() {
    let huge_header = format!(
        "HTTP/1.1 200 OK\r\nX-Big: {}\r\n\r\n",
        "h".repeat(70 * 1024)
    );
    let fake = FakeEngine::start(vec![
        Reply::raw(["SSH-2.0-OpenSSH_9.2\r\n\r\n"]),
        Reply::raw([huge_header]),
        Reply::raw([""]),
        Reply::raw(["HTTP/1.1 200 OK\r\nContent-Le"]),
        Reply::json(200, r#"{"Version":"1"}"#),
        Reply::raw(["HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello"]),
        Reply::raw(["HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nhello"]),
    ]);
    let engine = fake.docker();
    let host = fake.host();
    let malformed = |reason: &str| {
        format!(
            "the Docker engine at {host} sent a malformed answer to the version request: {reason}"
        )
    };
    for reason in [
        "the response head is not HTTP: invalid HTTP version",
        "a response head longer than 64 KiB",
        "the connection closed without an answer",
        "the connection closed in the middle of the response head",
        "it has no ApiVersion",
        "two different Content-Length headers",
        "Transfer-Encoding `gzip` (only chunked is understood)",
    ] {
        assert_eq!(
            line(&engine.inspect("app:1").unwrap_err()),
            malformed(reason)
        );
    }
}

#[test]
fn an_engine_that_is_not_running_is_unreachable() {
    let dir = tempfile::tempdir().unwrap();
    // A socket file with no one listening: the engine died and left it behind.
    let socket = dir.path().join("docker.sock");
    drop(std::os::unix::net::UnixListener::bind(&socket).unwrap());
    let env = layerscope_engine::Env {
        vars: [(
            "DOCKER_HOST".to_owned(),
            format!("unix://{}", socket.display()),
        )]
        .into(),
        home: None,
    };
    let engine = layerscope_engine::Engine::find(layerscope_engine::Kind::Docker, &env).unwrap();
    assert_eq!(
        line(&engine.export("nginx:latest", None).err().unwrap()),
        format!(
            "cannot reach the Docker engine at unix://{}: connection refused (is it running?)",
            socket.display()
        )
    );
    std::fs::remove_file(&socket).unwrap();
    assert_eq!(
        line(&engine.inspect("nginx:latest").unwrap_err()),
        format!(
            "cannot reach the Docker engine at unix://{}: no such socket (is it running?)",
            socket.display()
        )
    );
}
