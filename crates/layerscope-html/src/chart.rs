//! The bar chart of the layers, written as HTML so it reads with scripts off: one row per
//! layer, its bar split into what it added, left unchanged and shipped hidden, labelled with
//! its command (whole in the tooltip). The script only adds the details of a clicked bar and a
//! log scale.

use std::fmt::Write as _;

use layerscope_format::bytes;

use crate::data::Layer;
use crate::escape::{markup, text};

/// The chart's section. Bars are to scale with the largest layer; a part too narrow to see
/// still gets the minimum width the style sheet gives it, so no figure is invisible.
pub fn write(out: &mut String, layers: &[Layer]) {
    let widest = layers.iter().map(|l| l.bytes).max().unwrap_or(0).max(1);
    out.push_str(
        "<section id=\"layers\"><h2>Layers <small>where each layer's bytes went</small></h2>\
         <div class=\"legend\" id=\"chart-legend\">\
         <span><i class=\"sw sw-added\"></i><b>added</b>: new files and changed ones, still \
         visible in the final filesystem (drawn in the layer's colour, as in the treemap)</span>\
         <span><i class=\"sw sw-unchanged\"></i><b>unchanged</b>: files written again exactly as \
         the layer below had them (same content, mode and owner), still visible</span>\
         <span><i class=\"sw sw-hidden\"></i><b>hidden later</b>: files this layer ships that a \
         later layer (or a later entry of its own) deleted, overwrote or hid with an opaque \
         directory: waste anyone who pulls the image still downloads</span></div>\
         <p class=\"note\">A layer's size is the sum of its tar entries' sizes, as dive counts \
         it; the three parts add up to it. Point at a command for the whole of it; click a bar \
         for its details.</p>\
         <table class=\"chart\" id=\"chart\"><thead><tr><th>#</th><th>command</th>\
         <th class=\"bar-h\">bytes</th><th class=\"num\">size</th></tr></thead><tbody>\n",
    );
    for layer in layers {
        let split = layer.split;
        let title = format!(
            "layer {}: {} added, {} unchanged, {} hidden later",
            layer.index,
            bytes(split.added),
            bytes(split.unchanged),
            bytes(split.hidden)
        );
        let _ = write!(
            out,
            "<tr class=\"layer\" data-layer=\"{index}\" tabindex=\"0\">\
             <td class=\"idx\"><i class=\"sw\" style=\"background:{color}\"></i>{index}</td>\
             <td class=\"cmd\" title=\"{command}\">{label}</td>\
             <td class=\"track\" title=\"{title}\"><div class=\"bar\">",
            index = layer.index,
            color = markup(&layer.color),
            command = markup(&layer.command),
            label = text(&layer.label),
            title = text(&title),
        );
        for (class, part) in [
            ("added", split.added),
            ("unchanged", split.unchanged),
            ("hidden", split.hidden),
        ] {
            if part == 0 {
                continue;
            }
            let width = part as f64 * 100.0 / widest as f64;
            let color = if class == "added" {
                format!(";background:{}", markup(&layer.color))
            } else {
                String::new()
            };
            let _ = write!(
                out,
                "<span class=\"seg seg-{class}\" data-bytes=\"{part}\" \
                 style=\"width:{width:.3}%{color}\"></span>"
            );
        }
        let _ = writeln!(
            out,
            "</div></td><td class=\"num\" data-v=\"{}\">{}</td></tr>",
            layer.bytes,
            text(&bytes(layer.bytes))
        );
    }
    out.push_str(
        "</tbody></table><div id=\"layer-detail\" class=\"detail\" hidden></div></section>\n",
    );
}
