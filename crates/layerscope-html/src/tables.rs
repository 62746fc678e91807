//! The file tables: dive's inefficient files and every version that ships hidden. They are
//! HTML, so they read with scripts off; the script sorts them by any column. A table shows its
//! largest rows only, saying how many it leaves out: the JSON report has them all.

use std::cmp::Reverse;
use std::fmt::Write as _;

use layerscope_format::{bytes, command};
use layerscope_report::{HiddenFile, Report};

use crate::data::Layer;
use crate::escape::{markup, text};
use crate::number::count;

/// Rows of each table at most.
pub const ROWS: usize = 500;

/// dive's inefficient files: paths seen in two or more layers.
pub fn inefficient(out: &mut String, report: &Report) {
    let rows = &report.dive.inefficient;
    heading(
        out,
        "inefficient",
        "Inefficient files",
        "paths seen in two or more layers, dive's count: every copy counts, the surviving one too",
        rows.len(),
    );
    if rows.is_empty() {
        out.push_str("<p class=\"note\">None.</p></section>\n");
        return;
    }
    out.push_str(
        "<table class=\"sortable files\"><thead><tr><th data-sort=\"text\">path</th>\
         <th data-sort=\"num\" class=\"num\">copies</th>\
         <th data-sort=\"num\" class=\"num\">wasted</th></tr></thead><tbody>\n",
    );
    for row in rows.iter().take(ROWS) {
        let _ = writeln!(
            out,
            "<tr><td class=\"path\">{}</td><td class=\"num\" data-v=\"{}\">{}</td>{}</tr>",
            text(&row.path.to_string()),
            row.count,
            row.count,
            size_cell(row.bytes)
        );
    }
    out.push_str("</tbody></table></section>\n");
}

/// Every hidden version, largest first, with the layer that ships it and the one that hid it.
pub fn reclaimable(out: &mut String, report: &Report, layers: &[Layer]) {
    let files = &report.reclaimable.files;
    heading(
        out,
        "reclaimable",
        "Reclaimable files",
        "versions that ship in a layer but that the final filesystem cannot show",
        files.len(),
    );
    if files.is_empty() {
        out.push_str("<p class=\"note\">None.</p></section>\n");
        return;
    }
    let order = |a: &&HiddenFile, b: &&HiddenFile| {
        (Reverse(a.size), &a.path, a.layer, a.hidden_by.layer).cmp(&(
            Reverse(b.size),
            &b.path,
            b.layer,
            b.hidden_by.layer,
        ))
    };
    // Only the rows shown are sorted: a million hidden versions cost one linear selection.
    let mut rows: Vec<&HiddenFile> = files.iter().collect();
    if rows.len() > ROWS {
        rows.select_nth_unstable_by(ROWS, order);
        rows.truncate(ROWS);
    }
    rows.sort_by(order);
    out.push_str(
        "<table class=\"sortable files\"><thead><tr><th data-sort=\"text\">path</th>\
         <th data-sort=\"num\" class=\"num\">size</th><th data-sort=\"text\">kind</th>\
         <th data-sort=\"num\">shipped in layer</th><th data-sort=\"num\">hidden by layer</th>\
         </tr></thead><tbody>\n",
    );
    for file in rows.into_iter().take(ROWS) {
        let _ = writeln!(
            out,
            "<tr><td class=\"path\">{}</td>{}<td>{}</td>{}{}</tr>",
            text(&file.path.to_string()),
            size_cell(file.size),
            kind(file),
            layer_cell(layers, file.layer as usize, None),
            layer_cell(
                layers,
                file.hidden_by.layer as usize,
                Some(file.hidden_by.how.word())
            ),
        );
    }
    out.push_str("</tbody></table></section>\n");
}

fn kind(file: &HiddenFile) -> String {
    let word = match file.kind {
        layerscope_report::EntryKind::File => "file",
        layerscope_report::EntryKind::Dir => "directory",
        layerscope_report::EntryKind::Symlink => "symlink",
        layerscope_report::EntryKind::Hardlink => "hard link",
        layerscope_report::EntryKind::Char => "char device",
        layerscope_report::EntryKind::Block => "block device",
        layerscope_report::EntryKind::Fifo => "fifo",
        layerscope_report::EntryKind::Whiteout | layerscope_report::EntryKind::Opaque => "marker",
    };
    match &file.link {
        Some(target) => format!("{word} → {}", text(target)),
        None => word.to_owned(),
    }
}

/// A section's heading, with how many rows the table leaves out.
pub fn heading(out: &mut String, id: &str, title: &str, what: &str, total: usize) {
    let shown = if total > ROWS {
        format!("the largest {ROWS} of {}", count(total as u64))
    } else {
        count(total as u64)
    };
    let _ = write!(
        out,
        "<section id=\"{id}\"><h2>{} <small>{}</small></h2><p class=\"note\">{}.</p>",
        text(title),
        text(&shown),
        text(what)
    );
}

pub fn size_cell(size: u64) -> String {
    format!(
        "<td class=\"num\" data-v=\"{size}\" title=\"{} bytes\">{}</td>",
        count(size),
        text(&bytes(size))
    )
}

/// A layer by its index and colour, its command cut short beside it (whole in the tooltip),
/// and how it hid a version when it did.
pub fn layer_cell(layers: &[Layer], index: usize, how: Option<&str>) -> String {
    let Some(layer) = layers.get(index) else {
        return format!("<td data-v=\"{index}\">{index}</td>");
    };
    let how = how.map_or_else(String::new, |h| format!("{} by ", text(h)));
    format!(
        "<td data-v=\"{index}\" class=\"lref\">{how}<i class=\"sw\" style=\"background:{}\"></i>\
         {index} <span class=\"cmd-s\" title=\"{}\">{}</span></td>",
        markup(&layer.color),
        markup(&layer.command),
        text(&command::short(&layer.command, 40)),
    )
}
