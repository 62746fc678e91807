//! Key latency on a generated image with a million file versions across 20 layers.
//! Run with `cargo bench -p layerscope-tui --bench keys`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::Instant;

use layerscope_leaks::SecretScanner;
use layerscope_reader::Options;
use layerscope_report::Report;
use layerscope_tui::{App, ContentReader, Keymap};
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};

/// One layer of the generated image: half new files, half rewrites of files from the layer
/// below, a few deletions; one file in ten holds data.
fn layer(l: usize, per_layer: usize) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    let data = vec![b'x'; 20_000];
    for i in 0..per_layer {
        let (layer, index) = if l > 0 && i % 2 == 1 {
            (l - 1, i)
        } else {
            (l, i)
        };
        let dir = format!("usr/share/pkg{}/d{}", index % 500, index % 37);
        let name = format!("f{layer}-{index}");
        let mut h = tar::Header::new_gnu();
        h.set_mode(0o644);
        h.set_mtime(1_704_067_200);
        let (path, size) = if l > 0 && i % 97 == 0 {
            (format!("{dir}/.wh.{name}"), 0)
        } else {
            let size = if i % 10 == 0 { (i * 131) % 20_000 } else { 0 };
            (format!("{dir}/{name}"), size)
        };
        h.set_size(size as u64);
        b.append_data(&mut h, path, &data[..size]).unwrap();
    }
    b.into_inner().unwrap()
}

fn key(code: KeyCode, mods: KeyModifiers) -> Event {
    Event::Key(KeyEvent::new(code, mods))
}

fn timed(app: &mut App<'_>, label: &str, event: &Event) -> f64 {
    let start = Instant::now();
    app.handle(event);
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(160, 48)).unwrap();
    terminal.draw(|f| layerscope_tui::draw(f, app)).unwrap();
    let ms = start.elapsed().as_secs_f64() * 1000.0;
    println!("{label:<28} {ms:8.1} ms");
    ms
}

fn main() {
    let (layers, per_layer) = (20, 50_000);
    let dir = tempfile::tempdir().unwrap();
    let t = Instant::now();
    layerscope_testkit::oci_dir(
        dir.path(),
        (0..layers).map(|l| (format!("RUN step {l}"), layer(l, per_layer))),
    );
    println!(
        "write image                  {:8.0} ms",
        t.elapsed().as_secs_f64() * 1000.0
    );
    let t = Instant::now();
    let scanner = SecretScanner::new().unwrap();
    let opened = layerscope_report::open(dir.path(), &Options::default(), Some(&scanner)).unwrap();
    let report = Report::build("big", &opened, &scanner);
    println!(
        "read and analyse ({} versions, {} nodes) {:.0} ms",
        opened.tree.version_count(),
        opened.tree.node_count(),
        t.elapsed().as_secs_f64() * 1000.0
    );
    let tree = opened.tree;
    let reader: ContentReader = std::sync::Arc::new(|_, _, _, _| Err("none".into()));
    let start = Instant::now();
    let mut app = App::new(&report, &tree, reader, Keymap::default());
    app.resize(160, 48);
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(160, 48)).unwrap();
    terminal.draw(|f| layerscope_tui::draw(f, &app)).unwrap();
    println!(
        "first frame                  {:8.1} ms",
        start.elapsed().as_secs_f64() * 1000.0
    );
    let none = KeyModifiers::NONE;
    let ctrl = KeyModifiers::CONTROL;
    let mut worst: f64 = 0.0;
    for i in 0..3 {
        worst = worst.max(timed(
            &mut app,
            &format!("layer down {i}"),
            &key(KeyCode::Down, none),
        ));
    }
    worst = worst.max(timed(&mut app, "layer end (19)", &key(KeyCode::End, none)));
    worst = worst.max(timed(&mut app, "layer home (0)", &key(KeyCode::Home, none)));
    worst = worst.max(timed(
        &mut app,
        "layer 10 via pgdn",
        &key(KeyCode::PageDown, none),
    ));
    worst = worst.max(timed(
        &mut app,
        "aggregated",
        &key(KeyCode::Char('a'), ctrl),
    ));
    worst = worst.max(timed(&mut app, "tab", &key(KeyCode::Tab, none)));
    worst = worst.max(timed(&mut app, "cursor down", &key(KeyCode::Down, none)));
    worst = worst.max(timed(&mut app, "page down", &key(KeyCode::PageDown, none)));
    worst = worst.max(timed(
        &mut app,
        "collapse all",
        &key(KeyCode::Char(' '), ctrl),
    ));
    worst = worst.max(timed(
        &mut app,
        "expand all",
        &key(KeyCode::Char(' '), ctrl),
    ));
    worst = worst.max(timed(
        &mut app,
        "sort by size",
        &key(KeyCode::Char('o'), ctrl),
    ));
    worst = worst.max(timed(
        &mut app,
        "filter open",
        &key(KeyCode::Char('f'), ctrl),
    ));
    for c in "pkg42/".chars() {
        worst = worst.max(timed(
            &mut app,
            &format!("filter key {c}"),
            &key(KeyCode::Char(c), none),
        ));
    }
    worst = worst.max(timed(&mut app, "filter close", &key(KeyCode::Esc, none)));
    worst = worst.max(timed(
        &mut app,
        "hidden only",
        &key(KeyCode::Char('h'), ctrl),
    ));
    worst = worst.max(timed(
        &mut app,
        "hidden only off",
        &key(KeyCode::Char('h'), ctrl),
    ));
    println!("worst key                    {worst:8.1} ms");
}
