//! A demo image built in memory, run through the real scanner, and helpers to drive the app.
#![allow(dead_code)]

use std::fmt::Write as _;

use layerscope_tree::{ImageTree, NoInspector, TarLimits, scan_layer};
use layerscope_tui::{
    App, ContentReader, Finding, Findings, HiddenBy, ImageInfo, Keymap, LayerInfo, draw,
};
use layerscope_waste::WasteReport;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{
    Event, KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};

/// One tar entry.
pub enum E<'a> {
    File(&'a str, &'a [u8], u32),
    Dir(&'a str, u32),
    Sym(&'a str, &'a str),
    Hard(&'a str, &'a str),
    Owned(&'a str, &'a [u8], u32, u64, u64),
}

pub fn layer_tar(entries: &[E]) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    for e in entries {
        let mut h = tar::Header::new_gnu();
        h.set_mtime(1_704_067_200);
        match *e {
            E::File(p, data, mode) => file(&mut b, &mut h, p, data, mode, 0, 0),
            E::Owned(p, data, mode, uid, gid) => file(&mut b, &mut h, p, data, mode, uid, gid),
            E::Dir(p, mode) => {
                h.set_entry_type(tar::EntryType::Directory);
                h.set_mode(mode);
                h.set_size(0);
                b.append_data(&mut h, p, std::io::empty()).unwrap();
            }
            E::Sym(p, t) => {
                h.set_entry_type(tar::EntryType::Symlink);
                h.set_mode(0o777);
                h.set_size(0);
                b.append_link(&mut h, p, t).unwrap();
            }
            E::Hard(p, t) => {
                h.set_entry_type(tar::EntryType::Link);
                h.set_mode(0o755);
                h.set_size(0);
                b.append_link(&mut h, p, t).unwrap();
            }
        }
    }
    b.into_inner().unwrap()
}

fn file(
    b: &mut tar::Builder<Vec<u8>>,
    h: &mut tar::Header,
    p: &str,
    data: &[u8],
    mode: u32,
    uid: u64,
    gid: u64,
) {
    h.set_entry_type(tar::EntryType::Regular);
    h.set_mode(mode);
    h.set_uid(uid);
    h.set_gid(gid);
    h.set_size(data.len() as u64);
    b.append_data(h, p, data).unwrap();
}

/// An image whose layers stay in memory, so the viewer can read them back.
pub struct Fixture {
    pub tree: ImageTree,
    pub report: WasteReport,
    pub tars: Vec<Vec<u8>>,
    pub info: ImageInfo,
    pub findings: Findings,
}

impl Fixture {
    pub fn new(layers: &[(&str, Vec<E>)]) -> Self {
        let tars: Vec<Vec<u8>> = layers.iter().map(|(_, l)| layer_tar(l)).collect();
        let scans = tars
            .iter()
            .map(|t| scan_layer(t.as_slice(), TarLimits::default(), &NoInspector).unwrap())
            .collect();
        let tree = ImageTree::from_scans(scans);
        let report = layerscope_waste::analyze(&tree);
        let info = ImageInfo {
            name: "demo:latest".to_owned(),
            tags: vec!["demo:latest".to_owned()],
            layers: layers
                .iter()
                .enumerate()
                .map(|(i, (command, _))| LayerInfo {
                    digest: format!("sha256:{}", fake_hex(i as u64 * 2 + 1)),
                    size_bytes: tree.layers[i].size_bytes,
                    command: (*command).to_owned(),
                    id: fake_hex(i as u64 * 2 + 2),
                })
                .collect(),
        };
        Fixture {
            tree,
            report,
            tars,
            info,
            findings: Findings::default(),
        }
    }

    /// `testdata/demo.tar`, read with the `tar` crate alone: a docker-archive whose layers are
    /// plain tars named in `manifest.json`.
    pub fn testdata_demo() -> Self {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/demo.tar");
        let bytes = std::fs::read(path).unwrap();
        let mut files = std::collections::HashMap::new();
        let mut v1_ids = std::collections::HashMap::new();
        for entry in tar::Archive::new(bytes.as_slice()).entries().unwrap() {
            let mut entry = entry.unwrap();
            let name = entry.path().unwrap().to_string_lossy().into_owned();
            if let Some(target) = entry.link_name().unwrap() {
                let target = target
                    .to_string_lossy()
                    .trim_start_matches("../")
                    .to_owned();
                v1_ids.insert(target, name.trim_end_matches("/layer.tar").to_owned());
                continue;
            }
            let mut data = Vec::new();
            std::io::Read::read_to_end(&mut entry, &mut data).unwrap();
            files.insert(name, data);
        }
        let manifest: serde_json::Value = serde_json::from_slice(&files["manifest.json"]).unwrap();
        let image = &manifest[0];
        let config: serde_json::Value =
            serde_json::from_slice(&files[image["Config"].as_str().unwrap()]).unwrap();
        let commands: Vec<String> = config["history"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|h| !h["empty_layer"].as_bool().unwrap_or(false))
            .map(|h| h["created_by"].as_str().unwrap_or_default().to_owned())
            .collect();
        let names: Vec<String> = image["Layers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l.as_str().unwrap().to_owned())
            .collect();
        let tars: Vec<Vec<u8>> = names.iter().map(|n| files[n].clone()).collect();
        let scans = tars
            .iter()
            .map(|t| scan_layer(t.as_slice(), TarLimits::default(), &NoInspector).unwrap())
            .collect();
        let tree = ImageTree::from_scans(scans);
        let report = layerscope_waste::analyze(&tree);
        let info = ImageInfo {
            name: "testdata/demo.tar".to_owned(),
            tags: vec![image["RepoTags"][0].as_str().unwrap().to_owned()],
            layers: names
                .iter()
                .enumerate()
                .map(|(i, n)| LayerInfo {
                    digest: format!("sha256:{}", n.trim_end_matches(".tar")),
                    size_bytes: tree.layers[i].size_bytes,
                    command: commands.get(i).cloned().unwrap_or_default(),
                    id: v1_ids.get(n).cloned().unwrap_or_default(),
                })
                .collect(),
        };
        Fixture {
            tree,
            report,
            tars,
            info,
            findings: testdata_findings(),
        }
    }

    pub fn reader(&self) -> ContentReader {
        let tars = self.tars.clone();
        Box::new(move |layer, offset, len| {
            let tar = tars.get(layer).ok_or_else(|| format!("no layer {layer}"))?;
            let (start, end) = (offset as usize, (offset + len) as usize);
            tar.get(start..end)
                .map(<[u8]>::to_vec)
                .ok_or_else(|| "past the end of the layer".to_owned())
        })
    }

    pub fn app_with(&self, keys: Keymap, width: u16, height: u16) -> App<'_> {
        let mut app = App::new(
            self.info.clone(),
            &self.tree,
            &self.report,
            self.reader(),
            keys,
            self.findings.clone(),
        );
        app.resize(width, height);
        app
    }

    pub fn app(&self) -> App<'_> {
        self.app_with(Keymap::default(), 160, 48)
    }
}

fn secret(
    severity: &str,
    rule: &str,
    path: &str,
    line: u32,
    layer: usize,
    detail: &str,
) -> Finding {
    Finding {
        severity: severity.to_owned(),
        rule: rule.to_owned(),
        path: Some(path.to_owned()),
        line: (line > 0).then_some(line),
        layer: Some(layer),
        detail: detail.to_owned(),
        hidden_by: Some(HiddenBy {
            layer: 13,
            how: "deleted".to_owned(),
        }),
        fix: None,
    }
}

fn check(severity: &str, id: &str, message: &str, fix: &str, path: Option<&str>) -> Finding {
    Finding {
        severity: severity.to_owned(),
        rule: id.to_owned(),
        path: path.map(str::to_owned),
        detail: message.to_owned(),
        fix: Some(fix.to_owned()),
        ..Finding::default()
    }
}

const ROOT_MESSAGE: &str = "the config sets no USER, so processes run as root";
const ROOT_FIX: &str = "add `USER <non-zero uid>` after the steps that need root";

/// What `layerscope leaks testdata/demo.tar` reports, written out: the explorer does not
/// depend on the leak analysis, the binary converts its report.
pub fn testdata_findings() -> Findings {
    Findings {
        secrets: vec![
            secret(
                "critical",
                "private-key-openssh",
                "/root/.ssh/id_ed25519",
                1,
                10,
                "-----BEGIN OPENSSH PRIVATE KEY----- …",
            ),
            secret(
                "critical",
                "aws-secret-access-key",
                "/app/.env",
                4,
                11,
                "AWS_SECRET_ACCESS_KEY=wJal****************EKEY",
            ),
            secret(
                "high",
                "ssh-private-key-file",
                "/root/.ssh/id_ed25519",
                0,
                10,
                "(SSH private key file, by name)",
            ),
            secret(
                "high",
                "aws-access-key-id",
                "/app/.env",
                3,
                11,
                "AKIA************MPLE",
            ),
            secret("medium", "dotenv-file", "/app/.env", 2, 11, "APP_ENV= …"),
        ],
        hygiene: vec![
            check("high", "LS-H001", ROOT_MESSAGE, ROOT_FIX, None),
            check(
                "low",
                "LS-H004",
                "the image config has no HEALTHCHECK",
                "add a HEALTHCHECK instruction (or `HEALTHCHECK NONE` to opt out on purpose)",
                None,
            ),
        ],
    }
}

/// Findings for the hand-made image, with a hostile escape sequence in one message and a
/// hygiene finding about a file.
pub fn demo_findings() -> Findings {
    Findings {
        secrets: vec![
            secret(
                "critical",
                "private-key-openssh",
                "/root/.ssh/id_ed25519",
                1,
                10,
                "-----BEGIN OPENSSH PRIVATE KEY----- …",
            ),
            secret(
                "high",
                "ssh-private-key-file",
                "/root/.ssh/id_ed25519",
                0,
                10,
                "(SSH private key file, by name)",
            ),
            secret(
                "high",
                "aws-access-key-id",
                "/app/.env",
                1,
                11,
                "AKIA************MPLE",
            ),
        ],
        hygiene: vec![
            check("high", "LS-H001", ROOT_MESSAGE, ROOT_FIX, None),
            check(
                "medium",
                "LS-H003",
                "history: ENV API_TOKEN=\u{1b}[2Jab12****\u{1b}]0;pwned\u{7}",
                "use `RUN --mount=type=secret`; ARG and ENV values are recorded in the image history",
                None,
            ),
            check(
                "medium",
                "LS-H007",
                "/app/cache is world-writable",
                "`chmod o-w` it, or give a shared directory the sticky bit (`chmod +t`)",
                Some("/app/cache"),
            ),
        ],
    }
}

/// 64 hex digits that look like a digest and never change.
fn fake_hex(seed: u64) -> String {
    let mut x = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    let mut out = String::new();
    for _ in 0..4 {
        x ^= x >> 29;
        x = x.wrapping_mul(0xbf58_476d_1ce4_e5b9);
        let _ = write!(out, "{x:016x}");
    }
    out
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
    let mut fixture = Fixture::new(&[
        ("ADD busybox-rootfs.tar /", vec![
            E::Dir("bin/", 0o755),
            E::File("bin/busybox", busybox, 0o755),
            E::Sym("bin/sh", "busybox"),
            E::Sym("bin/ls", "busybox"),
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
            E::Hard("app/bin/start", "app/bin/run.sh"),
            E::Sym("etc/app.conf", "/app/config/app.conf"),
        ]),
        ("COPY report.bin /app/data/report.bin", vec![E::File("app/data/report.bin", report, 0o644)]),
        ("COPY --chmod=600 deploy_key /root/.ssh/id_ed25519", vec![
            E::File("root/.ssh/id_ed25519", b"-----BEGIN OPENSSH PRIVATE KEY-----\nbm90IGEgcmVhbCBrZXk=\n-----END OPENSSH PRIVATE KEY-----\n", 0o600),
        ]),
        ("COPY app.env /app/.env", vec![E::File("app/.env", b"AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\n", 0o644)]),
        ("/bin/sh -c rm /app/data/report.bin", vec![E::File("app/data/.wh.report.bin", b"", 0o644)]),
        ("/bin/sh -c set -e;\\\n    rm /root/.ssh/id_ed25519 /app/.env;\\\n    echo \u{1b}[31mdone\u{1b}[0m", vec![
            E::File("root/.ssh/.wh.id_ed25519", b"", 0o644),
            E::File("app/.wh..env", b"", 0o644),
        ]),
    ]);
    fixture.findings = demo_findings();
    fixture
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

pub fn press(app: &mut App<'_>, keys: &[&str]) {
    for k in keys {
        app.handle(&key(k));
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
