//! Key latency on a generated image with a million file versions across 20 layers.
//! Run with `cargo bench -p layerscope-tui --bench keys`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::Instant;

use layerscope_tree::{EntryKind, ImageTree, LayerScan, RawEntry};
use layerscope_tui::{App, ContentReader, Findings, ImageInfo, Keymap, LayerInfo};
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};

fn entry(path: String, kind: EntryKind, size: u64, hash: u64) -> RawEntry {
    RawEntry {
        path: path.into(),
        kind,
        mode: if kind == EntryKind::Dir { 0o755 } else { 0o644 },
        uid: 0,
        gid: 0,
        size,
        hash,
        link: None,
        data_offset: 0,
    }
}

fn big_image(layers: usize, per_layer: usize) -> ImageTree {
    let scans = (0..layers)
        .map(|l| {
            let mut entries = Vec::with_capacity(per_layer);
            for i in 0..per_layer {
                // Half new files, half rewrites of files from the layer below; a few deletions.
                let (layer, index) = if l > 0 && i % 2 == 1 {
                    (l - 1, i)
                } else {
                    (l, i)
                };
                let path = format!(
                    "usr/share/pkg{}/d{}/f{}-{}",
                    index % 500,
                    index % 37,
                    layer,
                    index
                );
                let kind = if l > 0 && i % 97 == 0 {
                    EntryKind::Whiteout
                } else {
                    EntryKind::File
                };
                entries.push(entry(
                    path,
                    kind,
                    (i as u64 * 131) % 20_000,
                    (l * per_layer + i) as u64,
                ));
            }
            LayerScan::<()> {
                entries,
                size_bytes: 0,
                tar_bytes: 0,
                findings: Vec::new(),
            }
        })
        .collect();
    ImageTree::from_scans(scans)
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
    let t = Instant::now();
    let tree = big_image(20, 50_000);
    println!(
        "build tree ({} versions, {} nodes) {:.0} ms",
        tree.version_count(),
        tree.node_count(),
        t.elapsed().as_secs_f64() * 1000.0
    );
    let report = layerscope_waste::analyze(&tree);
    let info = ImageInfo {
        name: "big".into(),
        tags: Vec::new(),
        layers: (0..20)
            .map(|i| LayerInfo {
                digest: format!("sha256:{i:064x}"),
                size_bytes: 0,
                command: format!("RUN step {i}"),
                id: String::new(),
            })
            .collect(),
    };
    let reader: ContentReader = Box::new(|_, _, _| Err("none".into()));
    let start = Instant::now();
    let (keys, findings) = (Keymap::default(), Findings::default());
    let mut app = App::new(info, &tree, &report, reader, keys, findings);
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
