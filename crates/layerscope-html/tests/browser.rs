//! The page in a real browser: headless Chromium opens it from a file, with networking off, and
//! the test looks at what it made. The page's script writes into `<body data-*>` where it drew
//! the chart and the treemap and how many errors it met; the screenshot must show those regions
//! drawn, and nothing may reach the console (an uncaught error, a blocked script, a refused
//! load).
//!
//! Without Chromium (Debian's `chromium` package) the tests say so and pass, unless `CI` is
//! set: there a missing browser is a failure, not a skip.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use layerscope_html::html;

/// Generous: a cold start of Chromium on a loaded machine takes seconds, not minutes.
const DEADLINE: Duration = Duration::from_secs(180);

const WIDTH: u32 = 1400;
const HEIGHT: u32 = 2200;

fn browser(test: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let found = [
        "chromium",
        "chromium-browser",
        "google-chrome",
        "google-chrome-stable",
    ]
    .iter()
    .flat_map(|name| std::env::split_paths(&path).map(move |dir| dir.join(name)))
    .find(|candidate| candidate.is_file());
    if found.is_none() {
        assert!(
            std::env::var_os("CI").is_none(),
            "{test}: CI is set and no Chromium is on PATH (.ci/run installs Debian's `chromium`)"
        );
        eprintln!("skipped {test}: no Chromium on PATH (Debian package `chromium`)");
    }
    found
}

/// What a headless run printed: the DOM or nothing on stdout, the browser's log on stderr.
struct Run {
    stdout: String,
    stderr: String,
}

impl Run {
    /// Lines of the log that are the page's console: errors, blocked scripts, refused loads.
    fn console(&self) -> Vec<&str> {
        self.stderr
            .lines()
            .filter(|l| l.contains(":CONSOLE") || l.contains("Uncaught"))
            .collect()
    }
}

fn run(browser: &Path, page: &Path, fragment: &str, args: &[String]) -> Run {
    let profile = tempfile::tempdir().unwrap();
    let url = format!("file://{}{fragment}", page.display());
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            "--hide-scrollbars",
            "--force-device-scale-factor=1",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("--window-size={WIDTH},{HEIGHT}"))
        .args(args)
        .arg(&url)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    let stdout = child.stdout.take().unwrap();
    let stderr = child.stderr.take().unwrap();
    let (done, finished) = mpsc::channel();
    std::thread::spawn(move || {
        let read = |mut pipe: Box<dyn std::io::Read + Send>| {
            std::thread::spawn(move || {
                let mut text = String::new();
                let _ = std::io::Read::read_to_string(&mut pipe, &mut text);
                text
            })
        };
        let (out, err) = (read(Box::new(stdout)), read(Box::new(stderr)));
        let status = child.wait();
        let _ = done.send((status, out.join(), err.join()));
    });
    let Ok((status, Ok(stdout), Ok(stderr))) = finished.recv_timeout(DEADLINE) else {
        let _ = Command::new("kill")
            .args(["-KILL", &pid.to_string()])
            .status();
        panic!("Chromium did not finish within {DEADLINE:?} on {url}");
    };
    assert!(
        status.unwrap().success(),
        "Chromium failed on {url}:\n{stderr}"
    );
    Run { stdout, stderr }
}

/// The attributes of the DOM's `<body>` tag, which the page's script wrote.
fn body(dom: &str) -> Vec<(String, String)> {
    let start = dom.find("<body").expect("a body in the DOM");
    let tag = &dom[start..start + dom[start..].find('>').unwrap()];
    tag.split(" data-")
        .skip(1)
        .filter_map(|a| {
            let (key, value) = a.split_once("=\"")?;
            Some((key.to_owned(), value.trim_end_matches('"').to_owned()))
        })
        .collect()
}

fn attribute<'a>(attributes: &'a [(String, String)], key: &str) -> &'a str {
    attributes.iter().find(|(k, _)| k == key).map_or_else(
        || panic!("no data-{key} on <body>: {attributes:?}"),
        |(_, v)| v,
    )
}

/// `x,y,width,height` in CSS pixels, which the forced scale factor makes screen pixels.
fn region(text: &str) -> [u32; 4] {
    let v: Vec<u32> = text.split(',').map(|n| n.parse().unwrap()).collect();
    [v[0], v[1], v[2], v[3]]
}

struct Screenshot {
    width: u32,
    height: u32,
    rgb: Vec<[u8; 3]>,
}

fn decode(path: &Path) -> Screenshot {
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(path).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buffer = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buffer).unwrap();
    let channels = info.color_type.samples();
    assert_eq!(info.bit_depth, png::BitDepth::Eight);
    let rgb = buffer[..info.buffer_size()]
        .chunks(channels)
        .map(|p| [p[0], p[1], p[2]])
        .collect();
    Screenshot {
        width: info.width,
        height: info.height,
        rgb,
    }
}

/// How much of a region is in colour (the page's ink is greys; layers are hues), and how many
/// distinct colours it holds.
fn colour_in(shot: &Screenshot, [x, y, width, height]: [u32; 4]) -> (f64, usize) {
    let (x_end, y_end) = ((x + width).min(shot.width), (y + height).min(shot.height));
    assert!(
        (x_end - x) * (y_end - y) * 2 >= width * height,
        "the region {x},{y} {width}×{height} is mostly off the {}×{} screenshot",
        shot.width,
        shot.height
    );
    let mut coloured = 0_u64;
    let mut total = 0_u64;
    let mut colours = std::collections::HashSet::new();
    for row in y..y_end {
        for column in x..x_end {
            let pixel = shot.rgb[(row * shot.width + column) as usize];
            let spread = pixel.iter().max().unwrap() - pixel.iter().min().unwrap();
            coloured += u64::from(spread > 40);
            total += 1;
            colours.insert(pixel);
        }
    }
    (coloured as f64 / total as f64, colours.len())
}

#[test]
fn the_demo_page_draws_its_chart_and_treemap() {
    let Some(browser) = browser("the_demo_page_draws_its_chart_and_treemap") else {
        return;
    };
    let (opened, report) = common::demo();
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("demo.html");
    std::fs::write(&page, html(&report, &opened.tree)).unwrap();

    let dom = run(&browser, &page, "", &["--dump-dom".to_owned()]);
    assert!(dom.console().is_empty(), "console: {:#?}", dom.console());
    let attributes = body(&dom.stdout);
    assert_eq!(attribute(&attributes, "errors"), "0", "{attributes:?}");
    assert!(attribute(&attributes, "cells").parse::<u32>().unwrap() >= 3);
    let chart = region(attribute(&attributes, "chart"));
    let treemap = region(attribute(&attributes, "treemap"));

    let shot_path = Path::new(env!("CARGO_TARGET_TMPDIR")).join("layerscope-html-demo.png");
    let shot = run(
        &browser,
        &page,
        "",
        &[format!("--screenshot={}", shot_path.display())],
    );
    assert!(shot.console().is_empty(), "console: {:#?}", shot.console());
    let screenshot = decode(&shot_path);
    assert_eq!((screenshot.width, screenshot.height), (WIDTH, HEIGHT));
    let (share, colours) = colour_in(&screenshot, chart);
    assert!(
        share > 0.01 && colours > 10,
        "the chart at {chart:?} looks blank: {share:.4} in colour, {colours} colours"
    );
    let (share, colours) = colour_in(&screenshot, treemap);
    assert!(
        share > 0.3 && colours > 3,
        "the treemap at {treemap:?} looks blank: {share:.4} in colour, {colours} colours"
    );
    eprintln!("screenshot: {}", shot_path.display());
}

#[test]
fn a_link_opens_a_directory_of_the_treemap() {
    let Some(browser) = browser("a_link_opens_a_directory_of_the_treemap") else {
        return;
    };
    let (opened, report) = common::demo();
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("demo.html");
    std::fs::write(&page, html(&report, &opened.tree)).unwrap();
    let run = run(&browser, &page, "#treemap=/app", &["--dump-dom".to_owned()]);
    assert!(run.console().is_empty(), "console: {:#?}", run.console());
    let dom = &run.stdout;
    assert_eq!(attribute(&body(dom), "errors"), "0");
    let slice = |id: &str, end: &str| {
        let from = dom.find(&format!("id=\"{id}\"")).unwrap();
        dom[from..from + dom[from..].find(end).unwrap()].to_owned()
    };
    let crumbs = slice("crumbs", "</nav>");
    assert!(crumbs.contains(">app</button>"), "{crumbs}");
    let list = slice("tm-list", "</ol>");
    for name in ["static/", "bin/", "README.txt", "config/", "cache/"] {
        assert!(
            list.contains(&format!(">{name}</span>")),
            "{name} in {list}"
        );
    }
    assert!(!list.contains(">busybox<"), "{list}");
}

#[test]
fn hostile_names_stay_text_in_the_rendered_page() {
    let Some(browser) = browser("hostile_names_stay_text_in_the_rendered_page") else {
        return;
    };
    let (opened, report) = common::built(&common::hostile_image());
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("hostile.html");
    std::fs::write(&page, html(&report, &opened.tree)).unwrap();
    // With layer 1's details open: its command, which closes a script element, is on the page.
    for fragment in ["#layer-1", "#treemap-hidden"] {
        let run = run(&browser, &page, fragment, &["--dump-dom".to_owned()]);
        assert!(run.console().is_empty(), "console: {:#?}", run.console());
        let dom = &run.stdout;
        let attributes = body(dom);
        assert_eq!(attribute(&attributes, "errors"), "0", "{attributes:?}");
        assert!(
            attributes.iter().all(|(k, _)| k != "pwned"),
            "a name ran as script: {attributes:?}"
        );
        assert!(
            !dom.contains("<img") && !dom.contains("<marquee"),
            "a name became markup"
        );
        // The list beside the treemap is built by the script, from the data.
        let list = &dom[dom.find("id=\"tm-list\"").unwrap()..];
        let list = &list[..list.find("</ol>").unwrap()];
        if fragment == "#treemap-hidden" {
            assert!(list.contains("&lt;script&gt;alert(1)&lt;/"), "{list}");
        } else {
            assert!(
                list.contains(
                    "&lt;img src=x onerror=\"document.body.setAttribute('data-pwned','1')\"&gt;"
                ),
                "{list}"
            );
            let detail = &dom[dom.find("id=\"layer-detail\"").unwrap()..];
            let detail = &detail[..detail.find("</pre>").unwrap()];
            assert!(
                detail.contains(
                    "rm '\"&gt;&lt;img src=x onerror=alert(1)&gt;' &lt;/script&gt;&lt;!--"
                ),
                "{detail}"
            );
        }
    }
}
