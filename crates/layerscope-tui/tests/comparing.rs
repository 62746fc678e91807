//! Journeys through the explorer of a comparison (`layerscope diff OLD NEW` on a terminal): the
//! final filesystems of both images in one tree, coloured by what changed between them.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use layerscope_tui::{Mark, Pane};
use support::{Comparison, E, Fixture, press, render, select};

fn mark_of(app: &layerscope_tui::App<'_>, path: &str) -> Mark {
    app.visible_marks()
        .into_iter()
        .find(|(p, _)| p == path)
        .map_or(Mark::Absent, |(_, m)| m)
}

#[test]
fn opens_on_the_newer_side_with_every_change_marked() {
    let c = Comparison::testdata();
    let app = c.app();
    assert_eq!(app.selected_layer(), 1, "the newer side is shown");
    assert_eq!(app.focus(), Pane::Tree);
    for (path, mark) in [
        ("/usr/lib/pkg/libpkg.so", Mark::Added),
        ("/app/.env", Mark::Added),
        ("/app/docs/faq.md", Mark::Removed),
        ("/app/docs", Mark::Removed),
        ("/app/main.txt", Mark::Modified),
        ("/etc/app/config.yml", Mark::Modified),
        ("/app", Mark::Modified),
        ("/etc/os-release", Mark::Unmodified),
        ("/app/bin/run", Mark::Unmodified),
    ] {
        assert_eq!(mark_of(&app, path), mark, "{path}");
    }
    // The tree shows size changes; the left column names both images.
    let screen = render(&app, 160, 48);
    assert!(screen.contains("Change  Filetree"), "{screen}");
    assert!(screen.contains("old v1"), "{screen}");
    assert!(screen.contains("new v2"), "{screen}");
    assert!(
        screen.contains("7 added, 4 removed, 2 modified"),
        "{screen}"
    );
    assert!(screen.contains("+136 kB"), "{screen}");
}

#[test]
fn sorting_puts_the_largest_change_first_either_way() {
    let c = Comparison::testdata();
    let mut app = c.app();
    press(&mut app, &["ctrl+o"]);
    assert!(app.sorted_by_size());
    let paths = app.visible_paths();
    // /usr grew by 154 kB, /app shrank by 18 kB, /etc grew by 27 B.
    let top: Vec<&str> = paths
        .iter()
        .map(String::as_str)
        .filter(|p| p.matches('/').count() == 1)
        .collect();
    assert_eq!(top, ["/usr", "/app", "/etc"]);
    // A directory's change is the report's growth of it, signed.
    let growth = |path: &str| {
        c.diff
            .directories
            .iter()
            .find(|d| d.path == path)
            .map(|d| d.growth)
    };
    assert_eq!(app.shown_change("/usr"), Some(150 * 1024));
    assert_eq!(app.shown_change("/usr"), growth("/usr"));
    assert!(app.shown_change("/app/docs").unwrap() < -18_000);
    assert_eq!(app.shown_change("/app/docs"), growth("/app/docs"));
    assert_eq!(app.shown_change("/app"), growth("/app"));
}

#[test]
fn the_viewer_shows_both_versions_of_a_modified_file() {
    let c = Comparison::testdata();
    let mut app = c.app();
    select(&mut app, "/app/main.txt");
    press(&mut app, &["enter"]);
    assert_eq!(
        app.viewer_lines().unwrap(),
        [
            "──── old image (8 B) ────",
            "main v1",
            "",
            "",
            "──── new image (34 B) ────",
            "main v2: now with the new package",
            "",
        ]
    );
    press(&mut app, &["esc"]);
    // A removed file shows the old version, an added one the new.
    select(&mut app, "/app/docs/faq.md");
    press(&mut app, &["enter"]);
    assert_eq!(app.viewer_lines().unwrap()[0], "# faq");
    press(&mut app, &["esc"]);
    select(&mut app, "/app/.env");
    press(&mut app, &["enter"]);
    assert!(app.viewer_lines().unwrap()[0].starts_with("GITHUB_TOKEN=ghp_"));
}

#[test]
fn a_table_row_shows_its_path_at_the_newer_side() {
    let c = Comparison::testdata();
    let mut app = c.app();
    // Layers, layer details, image details: the table lists the files that moved most.
    press(&mut app, &["tab", "right", "right", "down", "down"]);
    assert_eq!(app.focus(), Pane::ImageDetails);
    press(&mut app, &["enter"]);
    assert_eq!(app.focus(), Pane::Tree);
    assert_eq!(app.selected_layer(), 1);
    assert_eq!(
        app.selected_path().as_deref(),
        Some("/app/docs/changelog.md"),
        "a removed file is found where it was removed"
    );
}

#[test]
fn a_filter_and_the_change_toggles_work_as_in_an_image() {
    let c = Comparison::testdata();
    let mut app = c.app();
    // Hide what did not change, then what was added: the removed and modified remain.
    press(&mut app, &["ctrl+u", "ctrl+a"]);
    let paths = app.visible_paths();
    assert!(
        paths.contains(&"/app/docs/guide.md".to_owned()),
        "{paths:?}"
    );
    assert!(paths.contains(&"/app/main.txt".to_owned()), "{paths:?}");
    assert!(!paths.iter().any(|p| p.starts_with("/usr")), "{paths:?}");
    assert!(!paths.contains(&"/etc/passwd".to_owned()), "{paths:?}");
}

#[test]
fn kind_link_and_mode_changes_are_modified() {
    let old = Fixture::new(&[(
        "COPY . /",
        vec![
            E::Dir("a/", 0o755),
            E::File("a/x", b"x", 0o644),
            E::File("b", b"file b", 0o644),
            E::Symlink("l", "one"),
            E::File("m", b"mode", 0o644),
            E::File("same", b"same", 0o644),
        ],
    )]);
    let new = Fixture::new(&[(
        "COPY . /",
        vec![
            E::File("a", b"now a file", 0o644),
            E::Dir("b/", 0o755),
            E::File("b/y", b"y", 0o644),
            E::Symlink("l", "two"),
            E::File("m", b"mode", 0o755),
            E::File("same", b"same", 0o644),
        ],
    )]);
    let c = Comparison::of(old, new);
    let app = c.app();
    for (path, mark) in [
        ("/a", Mark::Modified),
        ("/a/x", Mark::Removed),
        ("/b", Mark::Modified),
        ("/b/y", Mark::Added),
        ("/l", Mark::Modified),
        ("/m", Mark::Modified),
        ("/same", Mark::Unmodified),
    ] {
        assert_eq!(mark_of(&app, path), mark, "{path}");
    }
}

#[test]
fn identical_images_show_nothing_changed() {
    let c = Comparison::of(support::demo(), support::demo());
    let app = c.app();
    assert!(c.diff.files.is_empty());
    assert!(
        app.visible_marks()
            .iter()
            .all(|(_, m)| *m == Mark::Unmodified)
    );
    assert!(render(&app, 120, 40).contains("0 added, 0 removed, 0 modified"));
}
