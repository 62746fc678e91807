//! Finding the engine through an `Env` the test makes: Docker's variables, config and contexts,
//! Podman's variables, sockets and command. Nothing here reads the real environment.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use layerscope_engine::{Endpoint, Engine, Env, Kind};
use support::line;

fn env(vars: &[(&str, &str)], home: Option<&Path>) -> Env {
    Env {
        vars: vars
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect::<HashMap<_, _>>(),
        home: home.map(Path::to_owned),
    }
}

fn docker(env: &Env) -> Endpoint {
    Engine::find(Kind::Docker, env)
        .unwrap_or_else(|e| panic!("{e}"))
        .endpoint()
        .clone()
}

fn docker_error(env: &Env) -> String {
    line(&Engine::find(Kind::Docker, env).unwrap_err())
}

fn unix(path: &str) -> Endpoint {
    Endpoint::Unix(PathBuf::from(path))
}

/// A Docker config directory with `config.json` and one context per (name, meta.json host).
fn docker_config(config: &str, contexts: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("config.json"), config).unwrap();
    for (name, host) in contexts {
        let meta = dir.path().join("contexts/meta").join(sha256_hex(name));
        std::fs::create_dir_all(&meta).unwrap();
        std::fs::write(
            meta.join("meta.json"),
            format!(
                r#"{{"Name":"{name}","Metadata":{{"Description":"test"}},"Endpoints":{{"docker":{{"Host":"{host}","SkipTLSVerify":false}}}}}}"#
            ),
        )
        .unwrap();
    }
    dir
}

/// The hex SHA-256 the docker CLI names a context's directory by, from `sha256sum`.
fn sha256_hex(name: &str) -> String {
    let mut child = std::process::Command::new("sha256sum")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), name.as_bytes()).unwrap();
    let output = child.wait_with_output().unwrap();
    String::from_utf8(output.stdout).unwrap()[..64].to_owned()
}

#[test]
fn docker_defaults_to_its_socket() {
    let home = tempfile::tempdir().unwrap();
    assert_eq!(
        docker(&env(&[], Some(home.path()))),
        unix("/var/run/docker.sock")
    );
    assert_eq!(docker(&env(&[], None)), unix("/var/run/docker.sock"));
    // An empty variable counts as unset.
    assert_eq!(
        docker(&env(&[("DOCKER_HOST", "")], None)),
        unix("/var/run/docker.sock")
    );
    let config = docker_config(r#"{"currentContext":"default"}"#, &[]);
    let dir = config.path().to_str().unwrap();
    assert_eq!(
        docker(&env(&[("DOCKER_CONFIG", dir)], None)),
        unix("/var/run/docker.sock")
    );
}

#[test]
fn docker_host_names_the_engine_and_wins_over_contexts() {
    let config = docker_config(
        r#"{"auths":{},"currentContext":"remote"}"#,
        &[("remote", "unix:///from/context.sock")],
    );
    let dir = config.path().to_str().unwrap();
    assert_eq!(
        docker(&env(
            &[("DOCKER_HOST", "unix:///run/user/1000/docker.sock")],
            None
        )),
        unix("/run/user/1000/docker.sock")
    );
    assert_eq!(
        docker(&env(&[("DOCKER_HOST", "tcp://127.0.0.1:2375")], None)),
        Endpoint::Tcp("127.0.0.1:2375".into())
    );
    assert_eq!(
        docker(&env(
            &[
                ("DOCKER_HOST", "unix:///from/host.sock"),
                ("DOCKER_CONTEXT", "remote"),
                ("DOCKER_CONFIG", dir)
            ],
            None
        )),
        unix("/from/host.sock")
    );
    assert_eq!(
        docker(&env(
            &[
                ("DOCKER_HOST", "unix:///from/host.sock"),
                ("DOCKER_CONFIG", dir)
            ],
            None
        )),
        unix("/from/host.sock")
    );
    // TLS asked for a unix socket means nothing, as in the docker CLI.
    assert_eq!(
        docker(&env(
            &[
                ("DOCKER_HOST", "unix:///x.sock"),
                ("DOCKER_TLS_VERIFY", "1")
            ],
            None
        )),
        unix("/x.sock")
    );
}

#[test]
fn contexts_from_docker_context_and_current_context() {
    let config = docker_config(
        r#"{"currentContext":"remote"}"#,
        &[
            ("remote", "unix:///from/remote.sock"),
            ("other", "tcp://10.0.0.7:2375"),
        ],
    );
    let dir = config.path().to_str().unwrap();
    assert_eq!(
        docker(&env(&[("DOCKER_CONFIG", dir)], None)),
        unix("/from/remote.sock")
    );
    assert_eq!(
        docker(&env(
            &[("DOCKER_CONFIG", dir), ("DOCKER_CONTEXT", "other")],
            None
        )),
        Endpoint::Tcp("10.0.0.7:2375".into())
    );
    assert_eq!(
        docker(&env(
            &[("DOCKER_CONFIG", dir), ("DOCKER_CONTEXT", "default")],
            None
        )),
        unix("/var/run/docker.sock")
    );
    // Without DOCKER_CONFIG, ~/.docker.
    let home = tempfile::tempdir().unwrap();
    let dot_docker = home.path().join(".docker");
    std::fs::rename(config.path(), &dot_docker).unwrap();
    assert_eq!(
        docker(&env(&[], Some(home.path()))),
        unix("/from/remote.sock")
    );
}

#[test]
fn a_missing_or_broken_context_is_named() {
    let config = docker_config(r#"{"currentContext":"gone"}"#, &[("nohost", "")]);
    let dir = config.path().to_str().unwrap();
    let meta = |name: &str| {
        config
            .path()
            .join("contexts/meta")
            .join(sha256_hex(name))
            .join("meta.json")
            .display()
            .to_string()
    };
    assert_eq!(
        docker_error(&env(&[("DOCKER_CONFIG", dir)], None)),
        format!(
            "Docker context `gone` (the currentContext of {dir}/config.json) does not exist: there is no {}",
            meta("gone")
        )
    );
    assert_eq!(
        docker_error(&env(
            &[("DOCKER_CONFIG", dir), ("DOCKER_CONTEXT", "nope")],
            None
        )),
        format!(
            "Docker context `nope` (named by DOCKER_CONTEXT) does not exist: there is no {}",
            meta("nope")
        )
    );
    assert_eq!(
        docker_error(&env(
            &[("DOCKER_CONFIG", dir), ("DOCKER_CONTEXT", "nohost")],
            None
        )),
        format!(
            "cannot use the Docker configuration {}: it names no Endpoints.docker.Host",
            meta("nohost")
        )
    );
    std::fs::write(config.path().join("config.json"), "{not json").unwrap();
    let broken = docker_error(&env(&[("DOCKER_CONFIG", dir)], None));
    assert!(
        broken.starts_with(&format!(
            "cannot use the Docker configuration {dir}/config.json: key must be a string"
        )),
        "{broken}"
    );
}

#[test]
fn engines_that_cannot_be_talked_to_are_refused_with_the_reason() {
    assert_eq!(
        docker_error(&env(
            &[("DOCKER_HOST", "npipe:////./pipe/docker_engine")],
            None
        )),
        "DOCKER_HOST is npipe:////./pipe/docker_engine: npipe:// engines are not supported (layerscope talks to unix:// sockets and plain tcp://)"
    );
    assert_eq!(
        docker_error(&env(&[("DOCKER_HOST", "ssh://me@build-box")], None)),
        "DOCKER_HOST is ssh://me@build-box: ssh:// engines are not supported (layerscope talks to unix:// sockets and plain tcp://)"
    );
    assert_eq!(
        docker_error(&env(
            &[
                ("DOCKER_HOST", "tcp://10.0.0.7:2376"),
                ("DOCKER_TLS_VERIFY", "1")
            ],
            None
        )),
        "DOCKER_HOST is tcp://10.0.0.7:2376 with TLS (DOCKER_TLS_VERIFY is set): TLS to the engine is not supported (use its unix socket, or a plain tcp:// engine)"
    );
    let config = docker_config(
        "{}",
        &[("box", "ssh://me@box"), ("tls", "tcp://10.0.0.7:2376")],
    );
    std::fs::create_dir_all(
        config
            .path()
            .join("contexts/tls")
            .join(sha256_hex("tls"))
            .join("docker"),
    )
    .unwrap();
    let dir = config.path().to_str().unwrap();
    assert_eq!(
        docker_error(&env(
            &[("DOCKER_CONFIG", dir), ("DOCKER_CONTEXT", "box")],
            None
        )),
        "Docker context `box` is ssh://me@box: ssh:// engines are not supported (layerscope talks to unix:// sockets and plain tcp://)"
    );
    assert_eq!(
        docker_error(&env(
            &[("DOCKER_CONFIG", dir), ("DOCKER_CONTEXT", "tls")],
            None
        )),
        "Docker context `tls` is tcp://10.0.0.7:2376 with TLS (the context has TLS material): TLS to the engine is not supported (use its unix socket, or a plain tcp:// engine)"
    );
    let skip = config.path().join("contexts/meta").join(sha256_hex("skip"));
    std::fs::create_dir_all(&skip).unwrap();
    std::fs::write(
        skip.join("meta.json"),
        r#"{"Name":"skip","Endpoints":{"docker":{"Host":"tcp://10.0.0.7:2376","SkipTLSVerify":true}}}"#,
    )
    .unwrap();
    assert_eq!(
        docker_error(&env(
            &[("DOCKER_CONFIG", dir), ("DOCKER_CONTEXT", "skip")],
            None
        )),
        "Docker context `skip` is tcp://10.0.0.7:2376 with TLS (the context sets SkipTLSVerify): TLS to the engine is not supported (use its unix socket, or a plain tcp:// engine)"
    );
}

fn podman(env: &Env) -> Result<Endpoint, String> {
    Engine::find(Kind::Podman, env)
        .map(|engine| engine.endpoint().clone())
        .map_err(|e| line(&e))
}

/// An executable file called `podman` in a new directory, and that directory.
fn fake_podman_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let binary = dir.path().join("podman");
    layerscope_testkit::write_executable(&binary, "#!/bin/sh\nexit 0\n");
    dir
}

/// Whether this machine has rootful Podman's socket, which discovery looks at after the
/// variables; where it does, the command is never reached.
fn machine_socket() -> Option<Endpoint> {
    let root = Path::new("/run/podman/podman.sock");
    root.exists().then(|| Endpoint::Unix(root.to_owned()))
}

#[test]
fn podman_host_then_rootless_socket_then_root_socket_then_command() {
    let runtime = tempfile::tempdir().unwrap();
    let xdg = runtime.path().to_str().unwrap();
    let bin = fake_podman_dir();
    let path = format!("/nonexistent:{}", bin.path().display());

    // CONTAINER_HOST first, even with a socket under XDG_RUNTIME_DIR.
    std::fs::create_dir(runtime.path().join("podman")).unwrap();
    let socket = runtime.path().join("podman/podman.sock");
    std::fs::write(&socket, "").unwrap();
    assert_eq!(
        podman(&env(
            &[
                ("CONTAINER_HOST", "unix:///elsewhere/podman.sock"),
                ("XDG_RUNTIME_DIR", xdg)
            ],
            None
        )),
        Ok(unix("/elsewhere/podman.sock"))
    );
    assert_eq!(
        podman(&env(&[("XDG_RUNTIME_DIR", xdg), ("PATH", &path)], None)),
        Ok(Endpoint::Unix(socket.clone()))
    );

    // No rootless socket: the root one if this machine has it, else the command on PATH.
    std::fs::remove_file(&socket).unwrap();
    assert_eq!(
        podman(&env(&[("XDG_RUNTIME_DIR", xdg), ("PATH", &path)], None)),
        Ok(machine_socket().unwrap_or(Endpoint::PodmanCli(bin.path().join("podman"))))
    );
    if machine_socket().is_none() {
        let engine = Engine::find(Kind::Podman, &env(&[("PATH", &path)], None)).unwrap();
        assert_eq!(engine.describe(), "podman (the podman command)");
        assert_eq!(
            podman(&env(
                &[("XDG_RUNTIME_DIR", xdg), ("PATH", "/nonexistent:")],
                None
            )),
            Err(format!(
                "no Podman engine found: CONTAINER_HOST is not set, there is no {xdg}/podman/podman.sock, there is no /run/podman/podman.sock, there is no podman command on PATH"
            ))
        );
        // A file called podman that cannot be run is not the command.
        let plain = tempfile::tempdir().unwrap();
        std::fs::write(plain.path().join("podman"), "").unwrap();
        assert_eq!(
            podman(&env(&[("PATH", plain.path().to_str().unwrap())], None)),
            Err("no Podman engine found: CONTAINER_HOST is not set, XDG_RUNTIME_DIR is not set, there is no /run/podman/podman.sock, there is no podman command on PATH".into())
        );
    }
}

#[test]
fn podman_hosts_other_than_unix_are_refused() {
    assert_eq!(
        podman(&env(&[("CONTAINER_HOST", "ssh://core@127.0.0.1:22/run/podman/podman.sock")], None)),
        Err("CONTAINER_HOST is ssh://core@127.0.0.1:22/run/podman/podman.sock: ssh:// engines are not supported (layerscope talks to Podman over a unix:// socket or the podman command)".into())
    );
    assert_eq!(
        podman(&env(&[("CONTAINER_HOST", "tcp://127.0.0.1:8080")], None)),
        Err("CONTAINER_HOST is tcp://127.0.0.1:8080: tcp:// engines are not supported (layerscope talks to Podman over a unix:// socket or the podman command)".into())
    );
    assert_eq!(
        podman(&env(&[("CONTAINER_HOST", "unix://")], None)),
        Err("CONTAINER_HOST is unix://: it names no socket path".into())
    );
}
