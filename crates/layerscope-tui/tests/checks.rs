//! Digest checks that run beside the explorer: the status bar says they are running, then that
//! they passed; a failed check is the line the session stops with.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::sync::mpsc::channel;

use layerscope_tui::Digests;
use support::{demo, press, render};

fn status_line(screen: &str) -> &str {
    screen.lines().last().unwrap()
}

#[test]
fn trees_read_before_their_checks_say_so_until_the_checks_pass() {
    let f = demo();
    let mut app = f.app();
    assert_eq!(app.digests(), Digests::Settled);
    assert!(!render(&app, 160, 48).contains("digests"));

    let (answer, answers) = channel();
    app.checking_digests(answers);
    app.poll_checks().unwrap();
    assert_eq!(app.digests(), Digests::Checking);
    let screen = render(&app, 160, 48);
    assert!(
        status_line(&screen).contains("checking digests…"),
        "{screen}"
    );
    // The explorer is live meanwhile.
    press(&mut app, &["down"]);
    assert_eq!(app.selected_layer(), 1);

    answer.send(Ok(())).unwrap();
    app.poll_checks().unwrap();
    assert_eq!(app.digests(), Digests::Checked);
    let screen = render(&app, 160, 48);
    assert!(status_line(&screen).contains("digests checked"), "{screen}");
    // Asked again, the answer already taken stays taken.
    app.poll_checks().unwrap();
    assert_eq!(app.digests(), Digests::Checked);
}

#[test]
fn a_failed_check_is_the_line_the_session_stops_with() {
    let f = demo();
    let mut app = f.app();
    let (answer, answers) = channel();
    app.checking_digests(answers);
    let line = "demo.tar: layer 0 (`layer0/layer.tar`): diff_id digest mismatch".to_owned();
    answer.send(Err(line.clone())).unwrap();
    assert_eq!(app.poll_checks(), Err(line));
}

#[test]
fn checks_that_end_without_an_answer_stop_the_session_too() {
    let f = demo();
    let mut app = f.app();
    let (answer, answers) = channel::<layerscope_tui::CheckAnswer>();
    app.checking_digests(answers);
    drop(answer);
    let stopped = app.poll_checks().unwrap_err();
    assert!(stopped.contains("without an answer"), "{stopped}");
}
