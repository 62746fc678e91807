//! Images built as real archives, read by the real reader and analysed into the report the
//! binary gives the explorer, and helpers to drive the app.
#![allow(dead_code)]

use std::path::Path;
use std::sync::Arc;

use layerscope_leaks::SecretScanner;
use layerscope_reader::{Image, Options};
use layerscope_report::Report;
use layerscope_testkit::{DockerSave, Step, layer, write_temp};
use layerscope_tree::ImageTree;
use layerscope_tui::{App, ContentReader, Keymap, draw};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{
    Event, KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};

pub use layerscope_testkit::Entry as E;

/// An image read from an archive on disk, and its report, as the binary makes them.
pub struct Fixture {
    pub image: Arc<Image>,
    pub tree: ImageTree,
    pub report: Report,
    /// Keeps a generated archive on disk while the fixture lives: the viewer reads it.
    temp: Option<tempfile::TempDir>,
}

impl Fixture {
    /// The archive at `path`, named `name` as a user would.
    pub fn open(path: &Path, name: &str) -> Self {
        let scanner = SecretScanner::new().unwrap();
        let opened = layerscope_report::open(path, &Options::default(), Some(&scanner)).unwrap();
        let report = Report::build(name, &opened, &scanner);
        Fixture {
            image: Arc::new(opened.image),
            tree: opened.tree,
            report,
            temp: None,
        }
    }

    /// A `docker save` archive of these layers, each with the command that made it.
    pub fn new(layers: &[(&str, Vec<E>)]) -> Self {
        Fixture::of(&DockerSave::with_commands(
            &layers
                .iter()
                .map(|(c, entries)| (*c, layer(entries)))
                .collect::<Vec<_>>(),
        ))
    }

    pub fn of(save: &DockerSave) -> Self {
        let (dir, path) = write_temp("demo.tar", &save.build());
        let mut f = Fixture::open(&path, "demo:latest");
        f.temp = Some(dir);
        f
    }

    /// `testdata/demo.tar`, the image the binary's tests and README use.
    pub fn testdata_demo() -> Self {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/demo.tar");
        Fixture::open(&path, "testdata/demo.tar")
    }

    /// The viewer's reader: the real one, reading the archive again.
    pub fn reader(&self) -> ContentReader {
        let image = Arc::clone(&self.image);
        Arc::new(move |layer, offset, len, cancel| {
            image
                .read_at(layer, offset, len, 1 << 20, cancel)
                .map_err(|e| e.to_string())
        })
    }

    pub fn app_with(&self, keys: Keymap, width: u16, height: u16) -> App<'_> {
        let mut app = App::new(&self.report, &self.tree, self.reader(), keys);
        app.resize(width, height);
        app
    }

    pub fn app(&self) -> App<'_> {
        self.app_with(Keymap::default(), 160, 48)
    }
}

const BUSYBOX: &[u8] = &[
    0x7f, b'E', b'L', b'F', 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0x3e, 0,
];

/// The shape of `testdata/demo.tar`: one kind of change per layer.
pub fn demo() -> Fixture {
    let busybox: Vec<u8> = BUSYBOX.iter().copied().cycle().take(2_000).collect();
    let report: Vec<u8> = (0..5_000u32).map(|i| (i * 7 % 251) as u8).collect();
    let busybox: &'static [u8] = Box::leak(busybox.into_boxed_slice());
    let report: &'static [u8] = Box::leak(report.into_boxed_slice());
    let layers: Vec<(&str, Vec<E>)> = vec![
        ("ADD busybox-rootfs.tar /", vec![
            E::Dir("bin/", 0o755),
            E::File("bin/busybox", busybox, 0o755),
            E::Symlink("bin/sh", "busybox"),
            E::Symlink("bin/ls", "busybox"),
            E::Dir("etc/", 0o755),
            E::File("etc/group", b"root:x:0:\n", 0o644),
            E::File("etc/passwd", b"root:x:0:0:root:/root:/bin/sh\n", 0o644),
            E::Dir("root/", 0o700),
            E::Dir("tmp/", 0o1777),
        ]),
        ("COPY app/ /app/", vec![
            E::Dir("app/", 0o755),
            E::File("app/README.txt", b"The demo app.\nIt does nothing, on purpose, in several layers.\n", 0o644),
            E::Dir("app/bin/", 0o755),
            E::File("app/bin/run.sh", b"#!/bin/sh\necho running\n", 0o644),
            E::Dir("app/cache/", 0o755),
            E::File("app/cache/a.html", b"<p>a</p>\n", 0o644),
            E::File("app/cache/b.html", b"<p>b</p>\n", 0o644),
            E::Dir("app/config/", 0o755),
            E::File("app/config/app.conf", b"mode=development\nport=8080\n", 0o644),
            E::Dir("app/plugins/", 0o755),
            E::File("app/plugins/one.so", b"\x00\x01plugin one", 0o755),
            E::File("app/plugins/two.so", b"\x00\x02plugin two", 0o755),
            E::Dir("app/static/", 0o755),
            E::Owned("app/static/app.js", b"console.log('hi');\n", 0o644, 1000, 1000),
        ]),
        ("/bin/sh -c echo 'mode=production' > /app/config/app.conf", vec![
            E::File("app/config/app.conf", b"mode=production\nport=80\n", 0o644),
        ]),
        ("/bin/sh -c cat /app/README.txt > /app/README.new && mv /app/README.new /app/README.txt", vec![
            E::File("app/README.txt", b"The demo app.\nIt does nothing, on purpose, in several layers.\n", 0o644),
        ]),
        ("/bin/sh -c chmod 755 /app/bin/run.sh", vec![
            E::File("app/bin/run.sh", b"#!/bin/sh\necho running\n", 0o755),
        ]),
        ("/bin/sh -c rm /app/static/app.js", vec![E::File("app/static/.wh.app.js", b"", 0o644)]),
        ("/bin/sh -c rm -rf /app/plugins", vec![E::File("app/.wh.plugins", b"", 0o644)]),
        ("/bin/sh -c rm -rf /app/cache && mkdir /app/cache && echo '<p>index</p>' > /app/cache/index.html", vec![
            E::Dir("app/cache/", 0o755),
            E::File("app/cache/.wh..wh..opq", b"", 0o644),
            E::File("app/cache/index.html", b"<p>index</p>\n", 0o644),
        ]),
        ("/bin/sh -c ln /app/bin/run.sh /app/bin/start && ln -s /app/config/app.conf /etc/app.conf", vec![
            E::File("app/bin/run.sh", b"#!/bin/sh\necho running\n", 0o755),
            E::Hardlink("app/bin/start", "app/bin/run.sh"),
            E::Symlink("etc/app.conf", "/app/config/app.conf"),
        ]),
        ("COPY report.bin /app/data/report.bin", vec![E::File("app/data/report.bin", report, 0o644)]),
        ("COPY --chmod=600 deploy_key /root/.ssh/id_ed25519", vec![
            E::File("root/.ssh/id_ed25519", b"-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n-----END OPENSSH PRIVATE KEY-----\n", 0o600),
        ]),
        ("COPY app.env /app/.env", vec![E::File("app/.env", b"AWS_ACCESS_KEY_ID=AKIAQ3EGRBWKZ7JPSX2M\n", 0o644)]),
        ("/bin/sh -c rm /app/data/report.bin", vec![E::File("app/data/.wh.report.bin", b"", 0o644)]),
        ("|1 API_TOKEN=ab12cd34ef56gh78ij90 /bin/sh -c set -e;\\\n    rm /root/.ssh/id_ed25519 /app/.env;\\\n    echo \u{1b}[31mdone\u{1b}[0m", vec![
            E::File("root/.ssh/.wh.id_ed25519", b"", 0o644),
            E::File("app/.wh..env", b"", 0o644),
            // A world-writable file whose name tries to retitle the terminal.
            E::RawName(b"app/\x1b]0;pwned\x07notes.txt", b"notes\n", 0o666),
        ]),
    ];
    let mut save = DockerSave::with_commands(
        &layers
            .iter()
            .map(|(c, entries)| (*c, layer(entries)))
            .collect::<Vec<_>>(),
    );
    save.tags = vec!["demo:latest".to_owned()];
    // A build argument holding a token, recorded in the history of the step after it.
    save.history.insert(
        12,
        Step::empty("/bin/sh -c #(nop) ARG API_TOKEN=ab12cd34ef56gh78ij90"),
    );
    Fixture::of(&save)
}

/// An image with nothing to report: a non-root user, a HEALTHCHECK, no secrets.
pub fn clean() -> Fixture {
    let mut save = DockerSave::with_commands(&[(
        "COPY app /app",
        layer(&[
            E::Dir("app/", 0o755),
            E::File("app/run", b"echo hi\n", 0o755),
        ]),
    )]);
    save.runtime = serde_json::json!({
        "User": "1000",
        "Healthcheck": { "Test": ["CMD", "/app/run"] },
    });
    Fixture::of(&save)
}

/// A key as dive's config writes it: `ctrl+a`, `down`, `q`, `space`.
pub fn key(spec: &str) -> Event {
    let (mods, rest) = match spec.strip_prefix("ctrl+") {
        Some(r) => (KeyModifiers::CONTROL, r),
        None => (KeyModifiers::NONE, spec),
    };
    let code = match rest {
        "down" => KeyCode::Down,
        "up" => KeyCode::Up,
        "left" => KeyCode::Left,
        "right" => KeyCode::Right,
        "tab" => KeyCode::Tab,
        "enter" => KeyCode::Enter,
        "esc" => KeyCode::Esc,
        "space" => KeyCode::Char(' '),
        "backspace" => KeyCode::Backspace,
        "pgdn" => KeyCode::PageDown,
        "pgup" => KeyCode::PageUp,
        "home" => KeyCode::Home,
        "end" => KeyCode::End,
        c if c.chars().count() == 1 => KeyCode::Char(c.chars().next().unwrap()),
        other => panic!("unknown key {other}"),
    };
    Event::Key(KeyEvent::new(code, mods))
}

/// Presses each key; a file the viewer starts reading is waited for, so a journey reads on
/// as the user sees it once the bytes have come.
pub fn press(app: &mut App<'_>, keys: &[&str]) {
    for k in keys {
        app.handle(&key(k));
        app.wait_for_content();
    }
}

pub fn type_text(app: &mut App<'_>, text: &str) {
    for c in text.chars() {
        app.handle(&Event::Key(KeyEvent::new(
            KeyCode::Char(c),
            KeyModifiers::NONE,
        )));
    }
}

pub fn mouse(app: &mut App<'_>, kind: MouseEventKind, column: u16, row: u16) {
    app.handle(&Event::Mouse(MouseEvent {
        kind,
        column,
        row,
        modifiers: KeyModifiers::NONE,
    }));
}

pub fn click(app: &mut App<'_>, column: u16, row: u16) {
    mouse(app, MouseEventKind::Down(MouseButton::Left), column, row);
}

/// Moves the tree cursor onto `path` (the tree pane must be focused).
pub fn select(app: &mut App<'_>, path: &str) {
    press(app, &["home"]);
    for _ in 0..500 {
        if app.selected_path().as_deref() == Some(path) {
            return;
        }
        press(app, &["down"]);
    }
    panic!("{path} is not visible: {:?}", app.visible_paths());
}

pub fn render(app: &App<'_>, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|f| draw(f, app)).unwrap();
    terminal.backend().to_string()
}

/// The buffer itself, to check colours.
pub fn buffer(app: &App<'_>, width: u16, height: u16) -> ratatui::buffer::Buffer {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|f| draw(f, app)).unwrap();
    terminal.backend().buffer().clone()
}

/// Two images compared, as `layerscope diff` makes them for the explorer.
pub struct Comparison {
    pub diff: layerscope_diff::DiffReport,
    pub merged: layerscope_diff::Merged,
    images: [Arc<Image>; 2],
    _temp: Vec<tempfile::TempDir>,
}

impl Comparison {
    pub fn of(old: Fixture, new: Fixture) -> Self {
        let diff = layerscope_diff::diff(
            layerscope_diff::Compared {
                tree: &old.tree,
                report: &old.report,
            },
            layerscope_diff::Compared {
                tree: &new.tree,
                report: &new.report,
            },
        );
        let merged = layerscope_diff::Merged::build(&old.tree, &new.tree, &diff).unwrap();
        Comparison {
            diff,
            merged,
            images: [Arc::clone(&old.image), Arc::clone(&new.image)],
            _temp: [old.temp, new.temp].into_iter().flatten().collect(),
        }
    }

    /// `testdata/diff/v1.tar` and `v2.tar`, the pair buildah made.
    pub fn testdata() -> Self {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/diff");
        Comparison::of(
            Fixture::open(&dir.join("v1.tar"), "v1"),
            Fixture::open(&dir.join("v2.tar"), "v2"),
        )
    }

    pub fn app(&self) -> App<'_> {
        let images = self.images.clone();
        let sources = self.merged.sources.clone();
        let content: ContentReader = Arc::new(move |side, key, len, cancel| {
            let (layer, offset) = sources[side][usize::try_from(key).unwrap()];
            images[side]
                .read_at(layer, offset, len, 1 << 20, cancel)
                .map_err(|e| e.to_string())
        });
        let mut app = App::comparing(&self.diff, &self.merged.tree, content, Keymap::default());
        app.resize(160, 48);
        app
    }
}
