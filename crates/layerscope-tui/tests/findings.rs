//! The findings list: secrets and hygiene over the explorer, and `Enter` taking the tree to the
//! file at the layer that shipped it.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use layerscope_tui::{Keymap, Pane};
use ratatui::crossterm::event::MouseEventKind;
use support::{Fixture, demo, mouse, press, render};

#[test]
fn enter_on_a_secret_shows_it_at_the_layer_that_added_it() {
    let f = Fixture::testdata_demo();
    let mut app = f.app();
    press(&mut app, &["f"]);
    assert!(app.findings_shown());
    assert_eq!(app.findings_cursor(), Some(0));
    let screen = render(&app, 160, 48);
    for needle in [
        "Secrets: 5 (5 in hidden files)",
        "private-key-openssh    /root/.ssh/id_ed25519:1",
        "aws-secret-access-key  /app/.env:4",
        "ssh-private-key-file   /root/.ssh/id_ed25519",
        "aws-access-key-id      /app/.env:3",
        "dotenv-file            /app/.env:2",
        "added in layer 10 · deleted in layer 13 · -----BEGIN OPENSSH PRIVATE KEY----- …",
        "added in layer 11 · deleted in layer 13 · AKIA************IFDD",
        "Hygiene: 3",
        "LS-H003  history entry 16: ARG NPM_TOKEN = npm_****************RNqT",
        "LS-H001  the config sets no USER, so processes run as root",
    ] {
        assert!(screen.contains(needle), "{needle}:\n{screen}");
    }

    // The second secret: the AWS key in /app/.env, which layer 11 added.
    press(&mut app, &["down", "enter"]);
    assert!(!app.findings_shown());
    assert_eq!(app.focus(), Pane::Tree);
    assert_eq!(app.selected_layer(), 11);
    assert_eq!(app.selected_path().as_deref(), Some("/app/.env"));

    // Arrows, paging and the ends stay within the eight findings.
    press(&mut app, &["f"]);
    assert_eq!(app.findings_cursor(), Some(0), "the list opens at the top");
    press(&mut app, &["pgdn", "pgdn"]);
    assert_eq!(app.findings_cursor(), Some(7));
    press(&mut app, &["up", "k"]);
    assert_eq!(app.findings_cursor(), Some(5));
    press(&mut app, &["pgup", "home"]);
    assert_eq!(app.findings_cursor(), Some(0));
    press(&mut app, &["down", "down", "down"]);
    press(&mut app, &["esc"]);
    assert!(!app.findings_shown());
    assert_eq!(
        app.selected_path().as_deref(),
        Some("/app/.env"),
        "esc moves nothing"
    );

    // The key that opens the list closes it, and so does `q`, which quits only outside it.
    press(&mut app, &["f", "f"]);
    assert!(!app.findings_shown());
    press(&mut app, &["f", "q"]);
    assert!(!app.findings_shown());
    assert!(!app.should_quit());
    press(&mut app, &["q"]);
    assert!(app.should_quit());
}

#[test]
fn the_key_from_deep_in_the_tree_and_a_filter_that_hides_the_file() {
    let f = demo();
    let mut app = f.app();
    press(&mut app, &["tab", "ctrl+f"]);
    support::type_text(&mut app, "passwd");
    // While the filter line has the keyboard, `f` is part of the pattern.
    support::type_text(&mut app, "f");
    assert!(!app.findings_shown());
    press(&mut app, &["backspace", "enter", "f"]);
    assert!(app.findings_shown());
    // The hand-made image lists four secrets; the first is the key layer 10 added.
    press(&mut app, &["enter"]);
    assert_eq!(app.selected_layer(), 10);
    assert_eq!(
        app.selected_path().as_deref(),
        Some("/root/.ssh/id_ed25519")
    );
}

#[test]
fn hygiene_findings_jump_only_when_they_name_a_file() {
    let f = demo();
    let mut app = f.app();
    // Hygiene comes after the four secrets: LS-H003, LS-H001, LS-H007, LS-H004.
    press(&mut app, &["f", "end", "up", "up", "up"]);
    assert_eq!(app.findings_cursor(), Some(4));
    // LS-H003 is about the history: Enter explains and keeps the list open.
    press(&mut app, &["enter"]);
    assert!(app.findings_shown());
    assert!(render(&app, 160, 48).contains("LS-H003 is about the image config, not a file"));
    // LS-H007 names the world-writable file: the tree shows it where it was last added.
    press(&mut app, &["down", "down", "enter"]);
    assert!(!app.findings_shown());
    assert_eq!(app.selected_layer(), 13);
    assert_eq!(
        app.selected_path().as_deref(),
        Some("/app/\u{1b}]0;pwned\u{7}notes.txt")
    );
}

#[test]
fn escapes_in_findings_never_reach_the_terminal() {
    let f = demo();
    let mut app = f.app();
    press(&mut app, &["f", "end"]);
    let screen = render(&app, 160, 48);
    assert!(
        screen.contains("file /app/\\u{1b}]0;pwned\\u{7}notes.txt is world-writable"),
        "{screen}"
    );
    assert!(!screen.contains('\u{1b}') && !screen.contains('\u{7}'));
}

#[test]
fn an_image_without_findings_says_so() {
    let f = support::clean();
    let mut app = f.app();
    let screen = render(&app, 160, 48);
    assert!(screen.contains("Secrets: 0 (0 hidden)"), "{screen}");
    press(&mut app, &["f", "down", "enter"]);
    assert!(app.findings_shown(), "Enter on nothing keeps the list open");
    let screen = render(&app, 160, 48);
    assert!(
        screen
            .contains("No findings: no secrets in any layer, nothing to fix in the image config."),
        "{screen}"
    );
}

#[test]
fn help_and_the_wheel_over_the_list() {
    let f = demo();
    let mut app = f.app();
    press(&mut app, &["f", "?"]);
    assert!(app.help_shown());
    assert!(render(&app, 160, 48).contains("Secrets and image hygiene; Enter jumps to the file"));
    press(&mut app, &["x"]);
    assert!(!app.help_shown());
    assert!(
        app.findings_shown(),
        "closing the help goes back to the list"
    );
    mouse(&mut app, MouseEventKind::ScrollDown, 100, 10);
    mouse(&mut app, MouseEventKind::ScrollDown, 100, 10);
    assert_eq!(app.findings_cursor(), Some(2));
    // A click lands on the list, not on the panes beneath it.
    support::click(&mut app, 10, 5);
    assert_eq!(app.selected_layer(), 0);
    assert!(app.findings_shown());
}

#[test]
fn a_rebound_key_and_any_terminal_size() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dive.yaml");
    std::fs::write(&path, "keybinding:\n  toggle-findings: ctrl+s\n").unwrap();
    let keys = layerscope_tui::load_keymap(Some(&path)).unwrap();
    let f = demo();
    let mut app = f.app_with(keys, 160, 48);
    press(&mut app, &["f"]);
    assert!(!app.findings_shown());
    press(&mut app, &["ctrl+s"]);
    assert!(app.findings_shown());
    assert!(render(&app, 160, 48).contains("Esc or ^S close"));

    let mut app = f.app_with(Keymap::default(), 160, 48);
    press(&mut app, &["f"]);
    for (w, h) in [(1, 1), (5, 3), (20, 5), (59, 10), (60, 12), (300, 100)] {
        app.resize(w, h);
        press(&mut app, &["end", "up", "pgup"]);
        let _ = render(&app, w, h);
    }
    assert!(app.findings_shown());
}
