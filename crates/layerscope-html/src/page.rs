//! The page around the sections: the head with its Content-Security-Policy, the style sheet,
//! the data and the script, each inlined, so the one file is the whole report and opens with no
//! network at all.

use std::fmt::Write as _;

use layerscope_format::bytes;
use layerscope_report::Report;
use sha2::{Digest, Sha256};

use crate::data::Data;
use crate::escape::{script_json, text};
use crate::number::count;
use crate::treemap::{Kind, Treemap};
use crate::{chart, findings, summary, tables};

/// The style sheet and the script, kept as files of their own so they read as CSS and JS.
const STYLE: &str = include_str!("../assets/page.css");
const SCRIPT: &str = include_str!("../assets/page.js");

pub fn write(report: &Report, data: &Data) -> String {
    let json = script_json(data);
    let mut out = String::with_capacity(json.len() + STYLE.len() + SCRIPT.len() + 64 * 1024);
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n");
    // Nothing may load from anywhere: no fetch, image, font, frame or form target. Only this
    // page's own script runs, named by its hash, so markup that slipped into the page could
    // not run a script or an event handler even if it were there.
    let _ = writeln!(
        out,
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; \
         style-src 'unsafe-inline'; script-src 'sha256-{}'; base-uri 'none'; \
         form-action 'none'\">",
        base64(&Sha256::digest(SCRIPT.as_bytes()))
    );
    out.push_str(
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"referrer\" content=\"no-referrer\">\n<meta name=\"color-scheme\" \
         content=\"light\">\n",
    );
    let _ = writeln!(
        out,
        "<title>layerscope: {}</title>",
        text(&report.image.name)
    );
    let _ = writeln!(out, "<style>\n{STYLE}</style>\n</head>");
    out.push_str(
        "<body><nav class=\"top\"><a href=\"#summary\">Summary</a><a href=\"#layers\">Layers</a>\
         <a href=\"#treemap\">Treemap</a><a href=\"#secrets\">Secrets</a>\
         <a href=\"#inefficient\">Inefficient files</a><a href=\"#reclaimable\">Reclaimable \
         files</a></nav>\n<main>\n",
    );
    summary::header(&mut out, report);
    summary::figures(&mut out, report);
    chart::write(&mut out, &data.layers);
    treemap_section(&mut out, data);
    findings::write(&mut out, report, &data.layers);
    tables::inefficient(&mut out, report);
    tables::reclaimable(&mut out, report, &data.layers);
    let _ = writeln!(
        out,
        "</main>\n<footer>layerscope {} · everything on this page is in this one file; it \
         loads nothing from the network.</footer>",
        env!("CARGO_PKG_VERSION")
    );
    let _ = writeln!(
        out,
        "<script type=\"application/json\" id=\"data\">{json}</script>"
    );
    let _ = writeln!(out, "<script>{SCRIPT}</script>\n</body></html>");
    out
}

fn treemap_section(out: &mut String, data: &Data) {
    out.push_str(
        "<section id=\"treemap\"><h2>Where the bytes are <small>a treemap by size; click a \
         directory to zoom in</small></h2>\
         <div class=\"tm-controls js-only\"><div class=\"toggle\" role=\"group\" \
         aria-label=\"What the treemap shows\">\
         <button type=\"button\" data-view=\"files\" aria-pressed=\"true\">Final filesystem, \
         by the layer that added each file</button>\
         <button type=\"button\" data-view=\"hidden\" aria-pressed=\"false\">Shipped but \
         hidden, by the layer that hid each version</button></div>\
         <nav class=\"crumbs\" id=\"crumbs\" aria-label=\"Directory\"></nav></div>",
    );
    note(out, "files", &data.files, "files in the final filesystem");
    note(
        out,
        "hidden",
        &data.hidden,
        "hidden versions (every copy that ships but cannot be seen)",
    );
    out.push_str(
        "<div class=\"tm-wrap js-only\" id=\"tm-wrap\"><div class=\"tm-canvas\">\
         <canvas id=\"tm\" width=\"1000\" height=\"560\" aria-label=\"Treemap\"></canvas>\
         <div class=\"tip\" id=\"tm-tip\" hidden></div></div><div class=\"tm-side\">\
         <div class=\"tm-side-head\" id=\"tm-here\"></div><ol class=\"tm-list\" id=\"tm-list\">\
         </ol></div></div>\
         <div class=\"detail js-only\" id=\"tm-info\">Point at a box for its path, size and \
         layer; click a directory to zoom into it, and the path above to come back.</div>\
         <noscript><p class=\"note\">The treemap needs scripts; the summary and the tables \
         read without them. The largest directories:</p>",
    );
    biggest(out, &data.files);
    out.push_str("</noscript></section>\n");
}

/// The largest directories up to three levels down, as `du -d 3 | sort -h` would list them:
/// the treemap's gist for a reader without scripts.
fn biggest(out: &mut String, map: &Treemap) {
    const DEPTH: usize = 3;
    const ROWS: usize = 15;
    let mut paths: Vec<(String, usize)> = Vec::with_capacity(map.rows.len());
    let mut dirs = Vec::new();
    for (index, row) in map.rows.iter().enumerate() {
        let (path, depth) = match row.parent.and_then(|p| paths.get(p)) {
            Some((parent, depth)) => (
                format!("{}/{}", parent.trim_end_matches('/'), row.name),
                depth + 1,
            ),
            None => ("/".to_owned(), 0),
        };
        if matches!(row.kind, Kind::Dir { .. }) && depth <= DEPTH {
            dirs.push((row.bytes, index));
        }
        paths.push((path, depth));
    }
    dirs.sort_by_key(|&(bytes, index)| (std::cmp::Reverse(bytes), index));
    out.push_str(
        "<table class=\"files\"><thead><tr><th>directory</th><th class=\"num\">size</th>\
                  <th class=\"num\">files</th></tr></thead><tbody>\n",
    );
    for &(bytes, index) in dirs.iter().take(ROWS) {
        let files = match map.rows[index].kind {
            Kind::Dir { files } => files,
            _ => 0,
        };
        let _ = writeln!(
            out,
            "<tr><td class=\"path\">{}</td>{}<td class=\"num\">{}</td></tr>",
            text(&paths[index].0),
            tables::size_cell(bytes),
            count(files)
        );
    }
    out.push_str("</tbody></table>");
}

/// What a treemap holds and what it drew as small-files boxes.
fn note(out: &mut String, view: &str, map: &Treemap, what: &str) {
    let mut text_ = format!("{} {what}, {}.", count(map.files), bytes(map.bytes));
    if map.small_files > 0 {
        let exact = if map.threshold >= 1000 {
            format!(" ({} bytes)", count(map.threshold))
        } else {
            String::new()
        };
        let _ = write!(
            text_,
            " Directories and files under {}{exact} are drawn as one \u{201c}small files\u{201d} \
             box per directory: {} files in {} boxes.",
            bytes(map.threshold),
            count(map.small_files),
            count(map.small_boxes)
        );
    } else if map.files > 0 {
        text_.push_str(" Every file has a box of its own.");
    }
    if !map.secrets.is_empty() {
        let _ = write!(
            text_,
            " A red frame marks the {} that hold a secret.",
            if map.secrets.len() == 1 {
                "file".to_owned()
            } else {
                format!("{} files", count(map.secrets.len() as u64))
            }
        );
    }
    if map.empty_files > 0 {
        let _ = write!(
            text_,
            " {} files of 0 bytes (links, empty files, devices) have no area.",
            count(map.empty_files)
        );
    }
    let _ = write!(
        out,
        "<p class=\"note tm-note\" data-view=\"{view}\">{}</p>",
        text(&text_)
    );
}

/// Standard base64 with padding, for the script's hash in the policy.
fn base64(data: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = u32::from(b[0]) << 16 | u32::from(b[1]) << 8 | u32::from(b[2]);
        for (i, shift) in [18, 12, 6, 0].into_iter().enumerate() {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> shift & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_pads() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foob"), "Zm9vYg==");
    }
}
