//! The explorer on `testdata/demo.tar`, the real image buildah built: the same journeys as on
//! the hand-made image, against what the real tools wrote.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use layerscope_tui::{Keymap, Mark, Pane};
use support::{Fixture, press, render, select, type_text};

fn mark(app: &layerscope_tui::App<'_>, path: &str) -> Mark {
    app.visible_marks()
        .into_iter()
        .find(|(p, _)| p == path)
        .map_or(Mark::Absent, |(_, m)| m)
}

fn to_layer(app: &mut layerscope_tui::App<'_>, layer: usize) {
    press(app, &["home"]);
    for _ in 0..layer {
        press(app, &["down"]);
    }
}

#[test]
fn walks_the_demo_image() {
    let f = Fixture::testdata_demo();
    assert_eq!(f.tree.layers.len(), 14);
    let mut app = f.app();
    assert!(app.visible_paths().contains(&"/bin/busybox".to_owned()));

    // Layer 7: the opaque whiteout empties /app/cache before the new index.html lands.
    to_layer(&mut app, 7);
    assert_eq!(mark(&app, "/app/cache/a.html"), Mark::Removed);
    assert_eq!(mark(&app, "/app/cache/index.html"), Mark::Added);
    assert_eq!(mark(&app, "/app/cache"), Mark::Modified);

    // Layer 8: a hard link and a symlink, shown with their targets.
    press(&mut app, &["down"]);
    let screen = render(&app, 160, 48);
    assert!(screen.contains("start → app/bin/run.sh"), "{screen}");
    assert!(
        screen.contains("app.conf → /app/config/app.conf"),
        "{screen}"
    );

    // Layer 13 deletes the planted secrets; the viewer still reads them from the layer below.
    press(&mut app, &["end"]);
    assert_eq!(mark(&app, "/app/.env"), Mark::Removed);
    assert_eq!(mark(&app, "/root/.ssh/id_ed25519"), Mark::Removed);
    press(&mut app, &["tab"]);
    select(&mut app, "/app/.env");
    press(&mut app, &["enter"]);
    let lines = app.viewer_lines().unwrap();
    assert_eq!(lines[2], "AWS_ACCESS_KEY_ID=AKIA2FH2JM2HSYM7IFDD");
    press(&mut app, &["esc", "ctrl+h"]);
    assert!(
        app.visible_paths()
            .contains(&"/root/.ssh/id_ed25519".to_owned())
    );
    assert!(!app.visible_paths().contains(&"/bin/busybox".to_owned()));
}

#[test]
fn inefficient_rows_jump_into_the_tree() {
    let f = Fixture::testdata_demo();
    let mut app = f.app();
    press(&mut app, &["left"]);
    assert_eq!(app.focus(), Pane::ImageDetails);
    // dive's first row: the 51 kB report.bin, added in layer 9 and deleted in layer 12.
    press(&mut app, &["enter"]);
    assert_eq!(app.selected_layer(), 9);
    assert_eq!(app.selected_path().as_deref(), Some("/app/data/report.bin"));
}

#[test]
fn demo_screens() {
    let f = Fixture::testdata_demo();
    for (w, h) in [(80, 24), (160, 48)] {
        let mut app = f.app_with(Keymap::default(), w, h);
        to_layer(&mut app, 7);
        press(&mut app, &["tab"]);
        select(&mut app, "/app/cache");
        insta::assert_snapshot!(format!("demo_layer7_{w}x{h}"), render(&app, w, h));
        press(&mut app, &["ctrl+f"]);
        type_text(&mut app, "conf");
        insta::assert_snapshot!(format!("demo_filter_{w}x{h}"), render(&app, w, h));
        press(&mut app, &["esc", "f"]);
        insta::assert_snapshot!(format!("demo_findings_{w}x{h}"), render(&app, w, h));
    }
}
