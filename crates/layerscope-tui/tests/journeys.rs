//! Journeys through the explorer: key presses in, state out, as a user would walk an image.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use layerscope_tui::{Keymap, Mark, Pane, load_keymap};
use ratatui::crossterm::event::MouseEventKind;
use ratatui::style::Color;
use support::{click, demo, mouse, press, render, select, type_text};

fn to_layer(app: &mut layerscope_tui::App<'_>, layer: usize) {
    press(app, &["home"]);
    for _ in 0..layer {
        press(app, &["down"]);
    }
    assert_eq!(app.selected_layer(), layer);
}

fn marks_of(app: &layerscope_tui::App<'_>, paths: &[&str]) -> Vec<Mark> {
    let all = app.visible_marks();
    paths
        .iter()
        .map(|p| {
            all.iter()
                .find(|(q, _)| q == p)
                .map_or(Mark::Absent, |(_, m)| *m)
        })
        .collect()
}

#[test]
fn starts_on_the_first_layer_with_its_files() {
    let f = demo();
    let app = f.app();
    assert_eq!(app.selected_layer(), 0);
    assert_eq!(app.focus(), Pane::Layers);
    assert!(!app.is_aggregated());
    assert_eq!(
        app.visible_paths(),
        [
            "/bin",
            "/bin/busybox",
            "/bin/ls",
            "/bin/sh",
            "/etc",
            "/etc/group",
            "/etc/passwd",
            "/root",
            "/tmp"
        ]
    );
    assert!(
        app.visible_marks()
            .iter()
            .all(|(_, m)| *m == Mark::Unmodified)
    );
}

#[test]
fn moving_through_layers_marks_each_change() {
    let f = demo();
    let mut app = f.app();
    press(&mut app, &["down"]);
    assert_eq!(app.selected_layer(), 1);
    assert_eq!(
        marks_of(&app, &["/app", "/app/plugins/one.so", "/bin"]),
        [Mark::Added, Mark::Added, Mark::Unmodified]
    );

    press(&mut app, &["j"]);
    assert_eq!(
        marks_of(
            &app,
            &[
                "/app",
                "/app/config",
                "/app/config/app.conf",
                "/app/README.txt"
            ]
        ),
        [
            Mark::Modified,
            Mark::Modified,
            Mark::Modified,
            Mark::Unmodified
        ]
    );

    // Layer 3 rewrites README.txt with the same bytes: unmodified, as dive says.
    press(&mut app, &["down"]);
    assert_eq!(
        marks_of(&app, &["/app", "/app/README.txt"]),
        [Mark::Unmodified, Mark::Unmodified]
    );

    // Layer 4 only changes a mode.
    press(&mut app, &["down"]);
    assert_eq!(marks_of(&app, &["/app/bin/run.sh"]), [Mark::Modified]);

    // Layer 6 deletes a directory: it and its files are shown removed; its size counts them.
    press(&mut app, &["down", "down"]);
    assert_eq!(
        marks_of(
            &app,
            &[
                "/app",
                "/app/plugins",
                "/app/plugins/one.so",
                "/app/plugins/two.so"
            ]
        ),
        [Mark::Modified, Mark::Removed, Mark::Removed, Mark::Removed]
    );
    assert_eq!(app.shown_size("/app/plugins"), Some(24));
    // The parent leaves removed files out of its size: README 62 + run.sh 23 + cache 18 + app.conf 24.
    assert_eq!(app.shown_size("/app"), Some(62 + 23 + 18 + 24));
    assert!(
        !app.visible_paths()
            .contains(&"/app/static/app.js".to_owned()),
        "removed one layer earlier"
    );

    // Layer 7 makes /app/cache opaque and adds a file to it.
    press(&mut app, &["down"]);
    assert_eq!(
        marks_of(
            &app,
            &["/app/cache", "/app/cache/a.html", "/app/cache/index.html"]
        ),
        [Mark::Modified, Mark::Removed, Mark::Added]
    );

    // Layer 13 deletes the secrets again.
    press(&mut app, &["end"]);
    assert_eq!(app.selected_layer(), 13);
    assert_eq!(
        marks_of(&app, &["/root/.ssh/id_ed25519", "/app/.env", "/root"]),
        [Mark::Removed, Mark::Removed, Mark::Modified]
    );
    press(&mut app, &["up"]);
    assert_eq!(app.selected_layer(), 12);
    press(&mut app, &["pgup"]);
    assert_eq!(app.selected_layer(), 0);
}

#[test]
fn aggregated_mode_compares_with_the_first_layer() {
    let f = demo();
    let mut app = f.app();
    to_layer(&mut app, 13);
    press(&mut app, &["ctrl+a"]);
    assert!(app.is_aggregated());
    assert_eq!(
        marks_of(
            &app,
            &[
                "/app",
                "/app/bin/start",
                "/etc",
                "/etc/app.conf",
                "/etc/passwd",
                "/root/.ssh"
            ]
        ),
        [
            Mark::Added,
            Mark::Added,
            Mark::Modified,
            Mark::Added,
            Mark::Unmodified,
            Mark::Added
        ]
    );
    // Gone since layer 0 is the same as never there.
    assert!(
        !app.visible_paths()
            .contains(&"/root/.ssh/id_ed25519".to_owned())
    );
    // Moving keeps the mode.
    press(&mut app, &["up"]);
    assert!(app.is_aggregated());
    assert_eq!(marks_of(&app, &["/root/.ssh/id_ed25519"]), [Mark::Added]);
    press(&mut app, &["ctrl+l"]);
    assert!(!app.is_aggregated());
    assert_eq!(
        marks_of(&app, &["/root/.ssh/id_ed25519"]),
        [Mark::Unmodified]
    );
}

#[test]
fn collapsing_one_directory_and_all() {
    let f = demo();
    let mut app = f.app();
    press(&mut app, &["down", "tab"]);
    assert_eq!(app.focus(), Pane::Tree);
    select(&mut app, "/app");
    press(&mut app, &["space"]);
    assert!(app.is_collapsed("/app"));
    assert_eq!(app.visible_paths()[..2], ["/app", "/bin"]);
    press(&mut app, &["right"]);
    assert!(!app.is_collapsed("/app"));
    assert_eq!(app.visible_paths()[1], "/app/README.txt");

    press(&mut app, &["ctrl+space"]);
    assert_eq!(
        app.visible_paths(),
        ["/app", "/bin", "/etc", "/root", "/tmp"]
    );
    press(&mut app, &["ctrl+space"]);
    assert_eq!(app.visible_paths().len(), 23);

    // left goes to the parent directory.
    select(&mut app, "/app/config/app.conf");
    press(&mut app, &["left"]);
    assert_eq!(app.selected_path().as_deref(), Some("/app/config"));
    // A collapsed directory stays collapsed on another layer.
    press(&mut app, &["space", "tab", "down"]);
    assert!(app.is_collapsed("/app/config"));
    assert!(
        !app.visible_paths()
            .contains(&"/app/config/app.conf".to_owned())
    );
}

#[test]
fn filter_is_live_and_survives_bad_regexes() {
    let f = demo();
    let mut app = f.app();
    to_layer(&mut app, 8);
    press(&mut app, &["ctrl+f"]);
    type_text(&mut app, "conf");
    assert_eq!(
        app.visible_paths(),
        [
            "/app",
            "/app/config",
            "/app/config/app.conf",
            "/etc",
            "/etc/app.conf"
        ]
    );
    // q is text while the filter line has the keyboard.
    type_text(&mut app, "(q");
    assert!(!app.should_quit());
    assert!(app.filter_error().is_some());
    assert_eq!(
        app.visible_paths().len(),
        5,
        "the last good filter stays applied"
    );
    press(&mut app, &["backspace", "backspace"]);
    assert_eq!(app.filter_error(), None);
    type_text(&mut app, "$");
    assert_eq!(
        app.visible_paths(),
        [
            "/app",
            "/app/config",
            "/app/config/app.conf",
            "/etc",
            "/etc/app.conf"
        ]
    );
    // Enter hands the keyboard to the tree; the filter stays.
    press(&mut app, &["enter"]);
    assert_eq!(app.focus(), Pane::Tree);
    select(&mut app, "/app");
    press(&mut app, &["down"]);
    assert_eq!(app.selected_path().as_deref(), Some("/app/config"));
    press(&mut app, &["esc"]);
    assert_eq!(app.visible_paths().len(), 20);
    assert_eq!(app.selected_path().as_deref(), Some("/app/config"));
}

#[test]
fn hide_toggles_and_their_scope() {
    let f = demo();
    let mut app = f.app();
    press(&mut app, &["down", "tab"]);
    press(&mut app, &["ctrl+u"]);
    assert!(app.visible_paths().iter().all(|p| p.starts_with("/app")));
    press(&mut app, &["ctrl+a"]);
    assert!(app.visible_paths().is_empty());
    assert!(!app.is_aggregated(), "ctrl+a in the tree hides added files");
    press(&mut app, &["ctrl+a", "ctrl+u"]);
    assert_eq!(app.visible_paths().len(), 23);

    // Removed files hide too, and dive's directory rule keeps their parent.
    press(&mut app, &["tab"]);
    to_layer(&mut app, 6);
    press(&mut app, &["tab", "ctrl+r"]);
    assert!(
        !app.visible_paths()
            .iter()
            .any(|p| p.starts_with("/app/plugins"))
    );
    press(&mut app, &["ctrl+m"]);
    let marks = app.visible_marks();
    assert!(marks.iter().all(|(_, m)| *m != Mark::Removed));
    // /app is modified, yet stays as the parent of its unmodified files; /app/plugins is gone.
    assert!(
        marks
            .iter()
            .any(|(p, m)| p == "/app" && *m == Mark::Modified)
    );
    assert!(marks.iter().any(|(p, _)| p == "/app/README.txt"));
}

#[test]
fn sorting_by_size() {
    let f = demo();
    let mut app = f.app();
    to_layer(&mut app, 9);
    press(&mut app, &["tab", "ctrl+space", "ctrl+o"]);
    assert!(app.sorted_by_size());
    assert_eq!(
        app.visible_paths(),
        ["/app", "/bin", "/etc", "/root", "/tmp"]
    );
    press(&mut app, &["home", "space"]);
    assert_eq!(
        app.visible_paths()[1..7],
        [
            "/app/data",
            "/app/README.txt",
            "/app/config",
            "/app/bin",
            "/app/cache",
            "/app/static"
        ]
    );
    press(&mut app, &["ctrl+o"]);
    assert!(!app.sorted_by_size());
    // Back in name order, the first child of /app is README.txt.
    assert_eq!(app.visible_paths()[1], "/app/README.txt");
}

#[test]
fn viewer_shows_text_binary_links_and_deleted_files() {
    let f = demo();
    let mut app = f.app();
    to_layer(&mut app, 2);
    press(&mut app, &["tab"]);
    select(&mut app, "/app/config/app.conf");
    press(&mut app, &["enter"]);
    assert_eq!(
        app.viewer_lines(),
        Some(vec![
            "mode=production".into(),
            "port=80".into(),
            String::new()
        ])
    );
    press(&mut app, &["down", "q"]);
    assert_eq!(app.viewer_lines(), None);
    assert!(!app.should_quit(), "q closes the viewer first");

    press(&mut app, &["tab"]);
    to_layer(&mut app, 9);
    press(&mut app, &["tab"]);
    select(&mut app, "/app/data/report.bin");
    press(&mut app, &["v"]);
    let lines = app.viewer_lines().unwrap();
    assert_eq!(lines.len(), 5_000usize.div_ceil(16));
    assert!(
        lines[0].starts_with("00000000  00 07 0e 15 1c 23 2a 31  38 3f 46 4d 54 5b 62 69  |"),
        "{}",
        lines[0]
    );
    press(&mut app, &["esc", "tab"]);

    // A hard link shows the bytes of the file it names.
    to_layer(&mut app, 8);
    press(&mut app, &["tab"]);
    select(&mut app, "/app/bin/start");
    press(&mut app, &["enter"]);
    assert_eq!(
        app.viewer_lines().unwrap()[..2],
        ["#!/bin/sh", "echo running"]
    );
    press(&mut app, &["esc"]);
    select(&mut app, "/etc/app.conf");
    press(&mut app, &["enter"]);
    assert_eq!(
        app.viewer_lines(),
        Some(vec!["symbolic link to /app/config/app.conf".into()])
    );
    press(&mut app, &["esc", "tab"]);

    // A file the layer deletes still opens: its bytes ship in the layer that added it.
    to_layer(&mut app, 13);
    press(&mut app, &["tab"]);
    select(&mut app, "/root/.ssh/id_ed25519");
    press(&mut app, &["enter"]);
    assert_eq!(
        app.viewer_lines().unwrap()[0],
        "-----BEGIN OPENSSH PRIVATE KEY-----"
    );

    // Enter on a directory folds it instead.
    press(&mut app, &["esc"]);
    select(&mut app, "/root/.ssh");
    press(&mut app, &["enter"]);
    assert!(app.is_collapsed("/root/.ssh"));
    assert_eq!(app.viewer_lines(), None);
}

#[test]
fn inefficient_row_jumps_to_the_layer_that_last_added_it() {
    let f = demo();
    let mut app = f.app();
    press(&mut app, &["ctrl+space"]);
    press(&mut app, &["right", "right"]);
    assert_eq!(app.focus(), Pane::ImageDetails);
    // Rows: report.bin, README.txt, id_ed25519, run.sh ...
    press(&mut app, &["down", "down", "down", "enter"]);
    assert_eq!(app.selected_layer(), 8);
    assert_eq!(app.focus(), Pane::Tree);
    assert_eq!(app.selected_path().as_deref(), Some("/app/bin/run.sh"));

    // A filter that hides the path is dropped to show it.
    press(&mut app, &["ctrl+f"]);
    type_text(&mut app, "passwd");
    press(&mut app, &["enter", "tab", "left"]);
    assert_eq!(app.focus(), Pane::ImageDetails);
    press(&mut app, &["home", "enter"]);
    assert_eq!(app.selected_layer(), 9);
    assert_eq!(app.selected_path().as_deref(), Some("/app/data/report.bin"));
}

#[test]
fn hidden_but_shipped_shows_only_what_later_layers_hid() {
    let f = demo();
    let mut app = f.app();
    to_layer(&mut app, 10);
    let everything = app.visible_paths();
    press(&mut app, &["tab", "ctrl+h"]);
    assert_eq!(
        app.visible_paths(),
        [
            "/app",
            "/app/data",
            "/app/data/report.bin",
            "/root",
            "/root/.ssh",
            "/root/.ssh/id_ed25519"
        ]
    );
    let screen = render(&app, 160, 48);
    assert!(
        screen.contains("report.bin  [deleted in layer 12]"),
        "{screen}"
    );
    press(&mut app, &["ctrl+h"]);
    assert_eq!(app.visible_paths(), everything);
}

#[test]
fn mouse_selects_and_scrolls() {
    let f = demo();
    let mut app = f.app();
    // Layer rows start under the title and the column header.
    click(&mut app, 10, 2 + 3);
    assert_eq!(app.selected_layer(), 3);
    mouse(&mut app, MouseEventKind::ScrollDown, 10, 5);
    assert_eq!(app.selected_layer(), 4);
    click(&mut app, 100, 2 + 3);
    assert_eq!(app.focus(), Pane::Tree);
    assert_eq!(app.selected_path().as_deref(), Some("/app/bin/run.sh"));
    mouse(&mut app, MouseEventKind::ScrollDown, 100, 10);
    assert_eq!(app.selected_path().as_deref(), Some("/app/cache"));
    // Clicking the selected directory folds it.
    click(&mut app, 100, 2 + 4);
    assert!(app.is_collapsed("/app/cache"));
}

#[test]
fn help_quit_and_resize() {
    let f = demo();
    let mut app = f.app();
    press(&mut app, &["?"]);
    assert!(app.help_shown());
    press(&mut app, &["q"]);
    assert!(!app.help_shown());
    assert!(!app.should_quit(), "the first key only closes the help");
    app.resize(70, 20);
    assert!(render(&app, 70, 20).contains("Layer"));
    press(&mut app, &["q"]);
    assert!(app.should_quit());
    let mut app = f.app();
    press(&mut app, &["ctrl+f", "ctrl+c"]);
    assert!(app.should_quit());
}

#[test]
fn colours_follow_the_change() {
    let f = demo();
    let mut app = f.app();
    to_layer(&mut app, 6);
    let buf = support::buffer(&app, 160, 48);
    let colour_of = |needle: &str| {
        (0..48u16).find_map(|y| {
            let line: String = (0..160u16)
                .map(|x| buf[(x, y)].symbol().to_owned())
                .collect();
            let at = line.find(needle)?;
            let x = line[..at].chars().count() as u16;
            (x >= 80).then(|| buf[(x, y)].fg)
        })
    };
    assert_eq!(colour_of("plugins"), Some(Color::Red));
    assert_eq!(colour_of("app "), Some(Color::Yellow));
    assert_eq!(colour_of("busybox"), Some(Color::Reset));
    press(&mut app, &["home", "down"]);
    let buf = support::buffer(&app, 160, 48);
    let line: String = (0..160u16)
        .map(|x| buf[(x, 3)].symbol().to_owned())
        .collect();
    assert!(line.contains("app/"), "{line}");
}

#[test]
fn config_file_rebinds_keys() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dive.yaml");
    std::fs::write(
        &path,
        "keybinding:\n  quit: x\n  down: n\nfiletree:\n  collapse-dir: true\n",
    )
    .unwrap();
    let keys = load_keymap(Some(&path)).unwrap();
    let f = demo();
    let mut app = f.app_with(keys, 160, 48);
    assert_eq!(
        app.visible_paths(),
        ["/bin", "/etc", "/root", "/tmp"],
        "collapse-dir starts folded"
    );
    press(&mut app, &["n"]);
    assert_eq!(app.selected_layer(), 1);
    press(&mut app, &["q"]);
    assert!(!app.should_quit());
    press(&mut app, &["x"]);
    assert!(app.should_quit());
    let _ = Keymap::default();
}

#[test]
fn any_terminal_size_and_an_empty_image_draw_without_panicking() {
    let f = demo();
    let mut app = f.app();
    let states: [&[&str]; 5] = [
        &[],
        &["?"],
        &["ctrl+f", "x"],
        &["down", "tab", "home", "down", "enter"],
        &["end", "ctrl+a"],
    ];
    for keys in states {
        for (w, h) in [
            (1, 1),
            (5, 3),
            (20, 5),
            (59, 10),
            (60, 12),
            (89, 10),
            (90, 30),
            (300, 100),
        ] {
            app.resize(w, h);
            press(&mut app, keys);
            let _ = render(&app, w, h);
            press(&mut app, &["esc", "esc"]);
        }
    }
    let empty = support::Fixture::new(&[]);
    let mut app = empty.app();
    press(
        &mut app,
        &[
            "down",
            "end",
            "ctrl+a",
            "tab",
            "space",
            "ctrl+space",
            "ctrl+o",
            "enter",
            "ctrl+h",
        ],
    );
    press(&mut app, &["ctrl+f", "a", "left", "left", "enter"]);
    assert!(render(&app, 160, 48).contains("Image efficiency score: 100 %"));
    assert!(app.visible_paths().is_empty());
}

#[test]
fn a_slow_read_leaves_the_screen_live_and_esc_calls_it_off() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::time::{Duration, Instant};

    let f = demo();
    let (started, read_started) = std::sync::mpsc::channel();
    let stopped = Arc::new(AtomicBool::new(false));
    let seen = Arc::clone(&stopped);
    // A read that would never end on its own, as a large compressed layer feels.
    let reader: layerscope_tui::ContentReader = Arc::new(move |_, _, _, cancel: &AtomicBool| {
        let _ = started.send(());
        while !cancel.load(Ordering::Relaxed) {
            std::thread::sleep(Duration::from_millis(1));
        }
        seen.store(true, Ordering::Relaxed);
        Err("the read was cancelled".to_owned())
    });
    let mut app = layerscope_tui::App::new(&f.report, &f.tree, reader, Keymap::default());
    app.resize(160, 48);
    press(&mut app, &["tab"]);
    select(&mut app, "/etc/passwd");
    app.handle(&support::key("enter"));
    read_started
        .recv_timeout(Duration::from_secs(60))
        .expect("the read starts on its own thread");
    assert!(app.is_reading());
    assert_eq!(
        app.viewer_lines(),
        Some(vec!["reading the file… (Esc cancels)".to_owned()])
    );
    assert!(!app.poll_content(), "nothing has come");
    app.handle(&support::key("esc"));
    assert!(!app.is_reading());
    assert_eq!(app.viewer_lines(), None);
    let deadline = Instant::now() + Duration::from_secs(60);
    while !stopped.load(Ordering::Relaxed) {
        assert!(Instant::now() < deadline, "the read was never called off");
        std::thread::sleep(Duration::from_millis(5));
    }
    // The explorer goes on as before.
    press(&mut app, &["down"]);
    assert!(!app.should_quit());
}

#[test]
fn a_multi_line_command_shows_its_line_breaks_and_no_secret() {
    // Layer 13's RUN spans three lines, carries a build argument and colours its output.
    let f = demo();
    let mut app = f.app();
    to_layer(&mut app, 13);
    let screen = render(&app, 160, 48);
    assert!(
        screen.contains("|1 API_TOKEN=ab12************ij90 /bin/sh -c set -e;\\↵    rm /root/"),
        "the list keeps it on one line, breaks shown as dive shows them:\n{screen}"
    );
    for line in [
        "|1 API_TOKEN=ab12************ij90 /bin/sh -c set -e;\\",
        "    rm /root/.ssh/id_ed25519 /app/.env;\\",
        "    echo \\u{1b}[31mdone\\u{1b}[0m",
    ] {
        assert!(
            screen.lines().any(|l| l.contains(line)),
            "the details show each line of it: {line}\n{screen}"
        );
    }
    assert!(!screen.contains("ab12cd34ef56gh78ij90"), "{screen}");
    assert!(!screen.contains('\u{1b}'), "{screen}");
}
