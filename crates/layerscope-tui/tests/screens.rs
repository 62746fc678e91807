//! The whole screen, rendered into a test backend at dive's two usual sizes.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use support::{Fixture, demo, press, render, select, type_text};

const SIZES: [(u16, u16); 2] = [(80, 24), (160, 48)];

/// Renders the app after `setup` at both sizes; the app is laid out for each size first.
fn screens(name: &str, setup: impl Fn(&mut layerscope_tui::App<'_>)) {
    let f: Fixture = demo();
    for (w, h) in SIZES {
        let mut app = f.app_with(layerscope_tui::Keymap::default(), w, h);
        setup(&mut app);
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), render(&app, w, h));
    }
}

#[test]
fn start() {
    screens("start", |_| {});
}

#[test]
fn tree_focused() {
    screens("tree", |app| {
        press(
            app,
            &[
                "down", "down", "down", "down", "down", "down", "down", "tab",
            ],
        );
        select(app, "/app/cache");
    });
}

#[test]
fn filter_active() {
    screens("filter", |app| {
        press(app, &["end", "ctrl+f"]);
        type_text(app, "conf");
    });
}

#[test]
fn filter_invalid() {
    screens("filter_invalid", |app| {
        press(app, &["ctrl+f"]);
        type_text(app, "bin/(");
    });
}

#[test]
fn viewer_open() {
    screens("viewer", |app| {
        press(app, &["down", "down", "tab"]);
        select(app, "/app/config/app.conf");
        press(app, &["enter"]);
    });
}

#[test]
fn help_overlay() {
    screens("help", |app| press(app, &["?"]));
}

#[test]
fn details_scrolled_and_aggregated() {
    screens("aggregated", |app| {
        press(app, &["end", "ctrl+a", "right", "down"]);
    });
}

#[test]
fn findings_list() {
    screens("findings", |app| press(app, &["f", "down", "down"]));
}

#[test]
fn findings_list_scrolled_to_hygiene() {
    screens("findings_hygiene", |app| press(app, &["f", "end"]));
}
