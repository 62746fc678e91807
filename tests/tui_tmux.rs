//! The real binary in a real terminal (tmux): open the demo image, walk to a layer, filter the
//! tree, read a deleted key's bytes in the viewer, quit, and find the terminal given back; and
//! an archive whose digest does not match, checked while the explorer runs.

#![cfg(feature = "tui")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "util/archive.rs"]
mod archive;
#[path = "util/mod.rs"]
mod util;

use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use archive::layer;
use layerscope_testkit::{DockerSave, sha256};

/// Tells apart the sessions of tests that run at once.
static NEXT: AtomicUsize = AtomicUsize::new(0);

struct Session(String);

impl Session {
    /// Runs COMMAND in a new tmux session of 160×48, in the background.
    fn start(command: &str) -> Self {
        let name = format!(
            "layerscope-test-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        let status = Command::new("tmux")
            .args([
                "new-session",
                "-d",
                "-s",
                &name,
                "-x",
                "160",
                "-y",
                "48",
                command,
            ])
            .status()
            .unwrap();
        assert!(status.success());
        Session(name)
    }

    fn tmux(args: &[&str]) -> String {
        let o = Command::new("tmux").args(args).output().expect("tmux runs");
        String::from_utf8_lossy(&o.stdout).into_owned()
    }

    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", &self.0];
        args.extend_from_slice(keys);
        Self::tmux(&args);
    }

    fn text(&self, literal: &str) {
        Self::tmux(&["send-keys", "-t", &self.0, "-l", literal]);
    }

    fn screen(&self) -> String {
        Self::tmux(&["capture-pane", "-p", "-t", &self.0])
    }

    /// Waits until the screen shows `needle`, and returns that screen.
    fn wait_for(&self, needle: &str) -> String {
        self.wait_until(needle, |screen| screen.contains(needle))
    }

    /// Polls the screen until `done` holds. The limit only ends a test that would otherwise
    /// hang: it is far beyond any wait on a loaded machine, and a screen that shows what is
    /// awaited returns at once.
    fn wait_until(&self, what: &str, done: impl Fn(&str) -> bool) -> String {
        const LIMIT: Duration = Duration::from_secs(300);
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if done(&screen) {
                return screen;
            }
            assert!(start.elapsed() < LIMIT, "never showed {what}:\n{screen}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["kill-session", "-t", &self.0])
            .status();
    }
}

#[test]
fn explore_the_demo_image_in_a_real_terminal() {
    if !util::require("tmux", "-V") {
        return;
    }
    let bin = assert_cmd::cargo::cargo_bin("layerscope");
    let demo = util::testdata("demo.tar");
    let s = Session::start(&format!(
        "env -u CI {} {}; echo EXITED $?; sleep 60",
        bin.display(),
        demo.display()
    ));

    let first = s.wait_for("Image efficiency score");
    assert!(first.contains("Image efficiency score: 97 %"), "{first}");
    assert!(first.contains("Potential wasted space: 52 kB"), "{first}");
    assert!(first.contains("FROM c0f0ba2e2b281ac"), "{first}");
    // The build argument in layer 13's command is masked, as in every report.
    assert!(
        first.contains("|1 NPM_TOKEN=npm_****************RNqT /bin/sh -c rm"),
        "{first}"
    );
    assert!(!first.contains("KLuBs8O5ba20Vo7CKU2aBIIP"), "{first}");

    // Layer 10 adds the key that layer 13 deletes.
    for _ in 0..10 {
        s.keys(&["Down"]);
    }
    s.keys(&["Tab", "C-f"]);
    s.text("id_ed");
    // The filter leaves the key and the folders above it; busybox and the rest are hidden.
    s.wait_until("the filtered tree", |screen| {
        screen.contains("Path Filter: id_ed")
            && screen.contains("└── id_ed25519")
            && !screen.contains("busybox")
    });

    s.keys(&["Enter"]);
    s.keys(&["Down", "Down", "v"]);
    s.wait_for("-----BEGIN OPENSSH PRIVATE KEY-----");

    s.keys(&["Escape"]);
    // The findings list names the layer that shipped each secret and the one that deleted it;
    // Enter on the AWS key in /app/.env shows layer 11, whose command copied the file in.
    s.keys(&["f"]);
    let list = s.wait_for("Secrets: 5 (5 in hidden files)");
    for needle in [
        "private-key-openssh    /root/.ssh/id_ed25519:1",
        "added in layer 10 · deleted in layer 13",
        "aws-secret-access-key  /app/.env:4",
        "added in layer 11 · deleted in layer 13",
    ] {
        assert!(list.contains(needle), "{needle}:\n{list}");
    }
    s.keys(&["Down", "Enter"]);
    s.wait_until("layer 11 and /app/.env", |screen| {
        !screen.contains("Findings (") && screen.contains(" in /app/.env")
    });
    s.keys(&["q"]);
    let end = s.wait_for("EXITED");
    assert!(end.contains("EXITED 0"), "{end}");
    assert!(
        !end.contains("Image Details"),
        "the alternate screen is gone:\n{end}"
    );
}

/// The explorer opens an archive before its digests are checked; a layer whose digest does not
/// match then ends the session with the line a CI run prints, exit 2, the terminal given back.
#[test]
fn a_digest_that_does_not_match_ends_the_session_with_the_ci_error() {
    if !util::require("tmux", "-V") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mut save = DockerSave::new(vec![layer(&[("etc/", b""), ("etc/a", b"hello")])]);
    save.diff_ids = Some(vec![format!("sha256:{}", sha256(b"not the layer"))]);
    let archive = dir.path().join("forged.tar");
    std::fs::write(&archive, save.build()).unwrap();
    let ci = util::ci(dir.path(), &[archive.to_str().unwrap()]);
    assert_eq!(ci.status.code(), Some(2));
    let expected = util::stderr(&ci);
    assert!(expected.contains("diff_id digest mismatch"), "{expected}");

    let errors = dir.path().join("stderr");
    let bin = assert_cmd::cargo::cargo_bin("layerscope");
    let s = Session::start(&format!(
        "env -u CI {} {} 2>{}; echo EXITED $?; sleep 60",
        bin.display(),
        archive.display(),
        errors.display()
    ));
    let end = s.wait_for("EXITED");
    assert!(end.contains("EXITED 2"), "{end}");
    assert!(
        !end.contains("Image Details"),
        "the alternate screen is gone:\n{end}"
    );
    assert_eq!(std::fs::read_to_string(&errors).unwrap(), expected);
}
