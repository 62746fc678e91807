//! Reports made the way the binary makes them (read, analysed, gated by dive's defaults), and
//! the pieces of a page the tests look at.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use layerscope_gate::{Applies, GateConfig};
use layerscope_leaks::SecretScanner;
use layerscope_reader::Options;
use layerscope_report::{Opened, Report};
use layerscope_testkit::{DockerSave, Entry, Step, layer, write_temp};
use serde_json::Value;

pub fn testdata(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../testdata")
        .join(name)
}

/// The image at `path`, read with the secret scan, named `name`, gated by dive's defaults.
pub fn open(path: &Path, name: &str) -> (Opened, Report) {
    let scanner = SecretScanner::new().unwrap();
    let opened = layerscope_report::open(path, &Options::default(), Some(&scanner)).unwrap();
    let mut report = Report::build(name, &opened, &scanner);
    let rules = GateConfig::defaults().rules(Applies::All).unwrap();
    report.gate = Some(rules.evaluate(&report, Applies::All, None, None));
    (opened, report)
}

/// `testdata/demo.tar`, named as the README runs it.
pub fn demo() -> (Opened, Report) {
    open(&testdata("demo.tar"), "testdata/demo.tar")
}

/// An archive built in the test.
pub fn built(save: &DockerSave) -> (Opened, Report) {
    let (_dir, path) = write_temp("image.tar", &save.build());
    open(&path, "image.tar")
}

/// The page's embedded data, parsed.
pub fn data(page: &str) -> Value {
    let start = "<script type=\"application/json\" id=\"data\">";
    let from = page.find(start).unwrap() + start.len();
    let to = from + page[from..].find("</script>").unwrap();
    serde_json::from_str(&page[from..to]).unwrap()
}

/// The page with its style sheet, data and script left out: the HTML that Rust writes.
pub fn markup(page: &str) -> String {
    let mut out = page.to_owned();
    for (open, close) in [
        ("<style>", "</style>"),
        (
            "<script type=\"application/json\" id=\"data\">",
            "</script>",
        ),
        ("<script>", "</script>"),
    ] {
        let from = out.find(open).unwrap() + open.len();
        let to = from + out[from..].find(close).unwrap();
        out.replace_range(from..to, "…");
    }
    out
}

/// What an archive built to break the page writes: the names go into the tar headers byte for
/// byte, and the commands into the history.
pub fn hostile_image() -> DockerSave {
    let names: [&[u8]; 8] = [
        b"<script>alert(1)</script>",
        b"\"><img src=x onerror=alert(1)>",
        b"<img src=x onerror=\"document.body.setAttribute('data-pwned','1')\">",
        b"<script>document.body.setAttribute('data-pwned','2')</script>",
        "line\u{2028}sep\u{2029}<!--x".as_bytes(),
        "bidi\u{202e}txt.exe".as_bytes(),
        b"ctl\x1b[2Jname",
        b"&amp;&lt;'quote'",
    ];
    let content = [b'x'; 4096];
    let mut first: Vec<Entry> = names
        .iter()
        .enumerate()
        .map(|(i, name)| Entry::RawName(name, &content[..400 + i * 300], 0o644))
        .collect();
    first.push(Entry::File(
        "<marquee>x</marquee>/.env",
        b"APP_ENV=production\n",
        0o644,
    ));
    // The second layer rewrites every name, so each is also a hidden version in the tables,
    // and deletes one.
    let mut second: Vec<Entry> = names[2..]
        .iter()
        .map(|name| Entry::RawName(name, b"rewritten", 0o644))
        .collect();
    second.push(Entry::RawName(
        b"<script>alert(1)</script>",
        b"again",
        0o644,
    ));
    second.push(Entry::RawName(
        b".wh.\"><img src=x onerror=alert(1)>",
        b"",
        0o644,
    ));
    let layers = vec![layer(&first), layer(&second)];
    let mut save = DockerSave::new(layers);
    save.history = vec![
        Step::layer("/bin/sh -c echo '<script>alert(3)</script>' \"><img src=x onerror=alert(4)>"),
        Step::layer("/bin/sh -c rm '\"><img src=x onerror=alert(1)>' </script><!-- \u{2028}"),
    ];
    save
}
