//! The podman-command path against a stand-in `podman` script, for what real podman does not
//! do on demand: failing after part of the archive, writing much to stderr, never ending.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use layerscope_engine::{Endpoint, Engine, EngineError, Env, Kind};
use support::{inner_line, line, read_all};

/// Behaves as the variables of its environment say: `EXISTS` is the exit status of `image
/// exists`, `INSPECT` what `image inspect` prints, `SAVE` how `image save` goes. Every
/// invocation's arguments go to `$DIR/log`, the pid of `save` to `$DIR/pid`.
const SCRIPT: &str = r#"#!/bin/sh
echo "$@" >> "$DIR/log"
case "$2" in
  exists) exit "${EXISTS:-0}" ;;
  inspect) printf '%s' "$INSPECT"; exit "${INSPECT_STATUS:-0}" ;;
  save)
    echo $$ > "$DIR/pid"
    case "$SAVE" in
      fail) printf 'tarbytes'; echo 'warning: slow disk' >&2; echo 'Error: writing: no space left on device' >&2; echo >&2; exit 125 ;;
      endless) exec yes layerscope ;;
      noisy)
        i=0
        while [ $i -lt 20000 ]; do echo "a line of noise on stderr, number $i" >&2; i=$((i+1)); done
        printf 'after the noise'
        echo 'Error: the end' >&2
        exit 2 ;;
      home) printf '%s' "$HOME" ;;
      *) printf 'tarbytes' ;;
    esac ;;
esac
"#;

struct Fake {
    dir: tempfile::TempDir,
    binary: PathBuf,
}

impl Fake {
    fn new() -> Fake {
        let dir = tempfile::tempdir().unwrap();
        let binary = dir.path().join("podman");
        layerscope_testkit::write_executable(&binary, SCRIPT);
        Fake { dir, binary }
    }

    fn engine(&self, vars: &[(&str, &str)]) -> Engine {
        let mut all = HashMap::from([
            ("PATH".to_owned(), "/usr/bin:/bin".to_owned()),
            (
                "DIR".to_owned(),
                self.dir.path().to_string_lossy().into_owned(),
            ),
        ]);
        all.extend(vars.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())));
        let env = Env {
            vars: all,
            home: Some(PathBuf::from("/home/someone")),
        };
        Engine::at(Kind::Podman, Endpoint::PodmanCli(self.binary.clone()), &env)
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("log")).unwrap_or_default()
    }

    fn pid(&self) -> u32 {
        std::fs::read_to_string(self.dir.path().join("pid"))
            .unwrap()
            .trim()
            .parse()
            .unwrap()
    }
}

fn export(engine: &Engine) -> (Vec<u8>, Option<std::io::Error>) {
    read_all(engine.export("app:1", None).unwrap())
}

#[test]
fn the_command_is_asked_with_the_reference_after_a_double_dash() {
    let fake = Fake::new();
    let hex = "ab".repeat(32);
    let inspect = format!(
        r#"[{{"Id":"{hex}","RepoTags":["localhost/app:1"],"Os":"linux","Architecture":"amd64"}}]"#
    );
    let engine = fake.engine(&[("INSPECT", &inspect), ("SAVE", "home")]);
    let info = engine.inspect("-app:1").unwrap();
    assert_eq!(info.id, format!("sha256:{hex}"));
    assert_eq!(info.repo_tags, ["localhost/app:1"]);
    // The Env's home is podman's HOME.
    assert_eq!(export(&engine).0, b"/home/someone");
    assert_eq!(
        fake.log(),
        "image exists -- -app:1\nimage inspect --format json -- -app:1\nimage exists -- app:1\nimage save --format docker-archive -- app:1\n"
    );
}

#[test]
fn what_the_command_says_is_an_error_line() {
    let fake = Fake::new();
    let missing = "podman (the podman command) has no image app:1 (layerscope never pulls: podman pull it first, or name a registry with registry://)";
    let engine = fake.engine(&[("EXISTS", "1")]);
    assert_eq!(line(&engine.inspect("app:1").unwrap_err()), missing);
    assert_eq!(line(&engine.export("app:1", None).err().unwrap()), missing);
    assert_eq!(
        line(
            &fake
                .engine(&[("EXISTS", "125")])
                .inspect("app:1")
                .unwrap_err()
        ),
        "podman (the podman command) failed at the inspection of app:1: exit status 125"
    );
    assert_eq!(
        line(
            &fake
                .engine(&[("INSPECT", "[]")])
                .inspect("app:1")
                .unwrap_err()
        ),
        "podman (the podman command) sent a malformed answer to the inspection of app:1: the inspection holds 0 images, not one"
    );
    let gone = Engine::at(
        Kind::Podman,
        Endpoint::PodmanCli(fake.dir.path().join("no-such-podman")),
        &Env::default(),
    );
    assert_eq!(
        line(&gone.inspect("app:1").unwrap_err()),
        format!(
            "cannot run podman (the podman command) ({}/no-such-podman): No such file or directory (os error 2)",
            fake.dir.path().display()
        )
    );
}

#[test]
fn a_save_that_fails_after_the_stream_fails_the_read() {
    let fake = Fake::new();
    let engine = fake.engine(&[("SAVE", "fail")]);
    let mut reader = engine.export("app:1", None).unwrap();
    let (bytes, error) = read_all(&mut reader);
    assert_eq!(bytes, b"tarbytes");
    let error = error.unwrap();
    let expected = "podman (the podman command) failed at the export of app:1 after 8 bytes: exit status 125: Error: writing: no space left on device";
    assert_eq!(inner_line(&error), expected);
    assert!(matches!(
        EngineError::from_io(&error),
        Some(EngineError::Podman { .. })
    ));
    assert_eq!(inner_line(&reader.read(&mut [0; 8]).unwrap_err()), expected);
    assert!(!Path::new(&format!("/proc/{}", fake.pid())).exists());
}

#[test]
fn stderr_is_drained_while_stdout_streams_and_only_its_end_kept() {
    let fake = Fake::new();
    let (bytes, error) = export(&fake.engine(&[("SAVE", "noisy")]));
    assert_eq!(bytes, b"after the noise");
    assert_eq!(
        inner_line(&error.unwrap()),
        "podman (the podman command) failed at the export of app:1 after 15 bytes: exit status 2: Error: the end"
    );
}

#[test]
fn a_reader_dropped_early_kills_and_reaps_podman() {
    let fake = Fake::new();
    let mut reader = fake
        .engine(&[("SAVE", "endless")])
        .export("app:1", None)
        .unwrap();
    let mut start = [0u8; 11 * 1000];
    reader.read_exact(&mut start).unwrap();
    assert!(start.starts_with(b"layerscope\nlayerscope\n"));
    // The first bytes came after the script wrote its pid.
    let proc = PathBuf::from(format!("/proc/{}", fake.pid()));
    assert!(proc.exists());
    drop(reader);
    // Killed and waited for: not even a zombie is left.
    assert!(!proc.exists(), "podman {} is still there", proc.display());
}
