//! Names from an untrusted archive stay text: a file named `<script>` or `"><img onerror=…>`,
//! a command that closes the script element, a line separator in the data. The page is
//! checked as Rust wrote it; `tests/browser.rs` checks the DOM a browser made of it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use layerscope_html::html;
use serde_json::Value;

fn page() -> String {
    let (opened, report) = common::built(&common::hostile_image());
    html(&report, &opened.tree)
}

/// Every tag Rust writes, by name.
const TAGS: &[&str] = &[
    "!doctype", "html", "head", "meta", "title", "style", "body", "nav", "a", "main", "header",
    "h1", "h2", "span", "p", "code", "section", "div", "table", "thead", "tbody", "tr", "th", "td",
    "i", "b", "small", "button", "canvas", "ol", "noscript", "footer", "script",
];

/// The attribute names of a tag's text (`td class="x" hidden`). Values are double-quoted, and
/// a quote inside one is an entity, so the next quote ends it.
fn attributes(tag: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut rest = tag.split_once(' ').map_or("", |(_, r)| r);
    loop {
        rest = rest.trim_start();
        if rest.is_empty() {
            return names;
        }
        let end = rest.find(['=', ' ']).unwrap_or(rest.len());
        names.push(&rest[..end]);
        rest = &rest[end..];
        if let Some(value) = rest.strip_prefix("=\"") {
            rest = &value[value.find('"').unwrap() + 1..];
        }
    }
}

#[test]
fn hostile_names_cannot_add_markup() {
    let page = page();
    assert_eq!(
        page.matches("<script").count(),
        2,
        "the data and the script"
    );
    assert_eq!(page.matches("</script").count(), 2);
    assert!(!page.contains("<!--"));
    let json = &page[page.find("id=\"data\">").unwrap()..];
    let json = &json[..json.find("</script>").unwrap()];
    assert!(
        !json.contains('\u{2028}') && !json.contains('\u{2029}'),
        "line separators end a line in older JavaScript"
    );
    assert!(!page.contains("<img") && !page.contains("<marquee"));
    let markup = common::markup(&page);
    let (mut tags, mut attributes_seen) = (0, 0);
    for (at, _) in markup.match_indices('<') {
        let tag = &markup[at + 1..];
        let tag = &tag[..tag.find('>').unwrap()];
        let name = tag
            .trim_start_matches('/')
            .split([' ', '>'])
            .next()
            .unwrap();
        assert!(
            TAGS.contains(&name.to_ascii_lowercase().as_str()),
            "a tag the page does not write: <{tag}>"
        );
        for attribute in attributes(tag) {
            attributes_seen += 1;
            assert!(
                !attribute.to_ascii_lowercase().starts_with("on"),
                "an event handler: <{tag}>"
            );
        }
        tags += 1;
    }
    assert!(tags > 100 && attributes_seen > 100);
    // The names are there, as text.
    assert!(markup.contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"));
    assert!(markup.contains("/&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(markup.contains("&lt;marquee&gt;x&lt;/marquee&gt;/.env"));
    assert!(
        markup.contains("bidi\\u{202e}txt.exe"),
        "bidirectional overrides are shown"
    );
    assert!(
        markup.contains("ctl\\u{1b}[2Jname"),
        "control characters are shown"
    );
    assert!(markup.contains("&amp;amp;&amp;lt;&#39;quote&#39;"));
    assert!(markup.contains("echo &#39;&lt;script&gt;alert(3)&lt;/script&gt;&#39;"));
}

#[test]
fn hostile_names_reach_the_script_unchanged() {
    let data = common::data(&page());
    let names: Vec<&str> = data["files"]["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r[2].as_str().unwrap())
        .collect();
    for name in [
        "\"><img src=x onerror=alert(1)>",
        "<img src=x onerror=\"document.body.setAttribute('data-pwned','1')\">",
        "line\u{2028}sep\u{2029}<!--x",
        "<script>alert(1)<",
        "script>",
        "&amp;&lt;'quote'",
    ] {
        if name.starts_with("\">") {
            continue; // deleted by the second layer
        }
        assert!(names.contains(&name), "{name:?} in {names:?}");
    }
    let hidden = &data["hidden"]["rows"];
    let deleted = hidden
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r[1] == "f" && r[6] == "deleted")
        .unwrap();
    assert_eq!(deleted[2], "\"><img src=x onerror=alert(1)>");
    assert_eq!(deleted[6], "deleted");
    let command = &data["layers"][1]["command"];
    assert_eq!(
        command,
        &Value::from("rm '\"><img src=x onerror=alert(1)>' </script><!-- \u{2028}")
    );
}
