//! The leak findings: each secret at every place it ships, with the layer and command that
//! added it and the layer and command that hid it, its value masked; then config hygiene. The
//! values come masked from the report; nothing here ever sees a whole one.

use std::fmt::Write as _;

use layerscope_report::Report;

use crate::data::Layer;
use crate::escape::text;
use crate::number::count;
use crate::tables::{ROWS, heading, layer_cell};

pub fn write(out: &mut String, report: &Report, layers: &[Layer]) {
    let leaks = &report.leaks;
    let places: usize = leaks.secrets.iter().map(|s| s.places.len()).sum();
    let what = if leaks.secrets.is_empty() {
        "secrets in any layer's files, hidden ones included".to_owned()
    } else {
        format!(
            "{} secrets ({} in hidden files) at {} places; values are masked, and a secret a \
             later layer deleted still ships in the layer that added it",
            count(leaks.secrets.len() as u64),
            count(leaks.hidden_secret_count() as u64),
            count(places as u64)
        )
    };
    heading(out, "secrets", "Secrets", &what, places);
    if leaks.secrets.is_empty() {
        out.push_str("<p class=\"note\">None found.</p>");
    } else {
        out.push_str(
            "<table class=\"sortable findings\"><thead><tr><th data-sort=\"num\">severity</th>\
             <th data-sort=\"text\">rule</th><th data-sort=\"text\">value (masked)</th>\
             <th data-sort=\"text\">where</th><th data-sort=\"num\">added by layer</th>\
             <th data-sort=\"num\">hidden by layer</th></tr></thead><tbody>\n",
        );
        let rows = leaks
            .secrets
            .iter()
            .flat_map(|s| s.places.iter().map(move |p| (s, p)));
        for (secret, place) in rows.take(ROWS) {
            let at = if place.line == 0 {
                text(&place.path)
            } else {
                format!("{}:{}", text(&place.path), place.line)
            };
            let hidden = match place.hidden_by {
                Some(h) => layer_cell(layers, h.layer as usize, Some(h.how.word())),
                None => "<td data-v=\"-1\" class=\"visible\">still visible</td>".to_owned(),
            };
            let severity = secret.severity.as_str();
            let _ = writeln!(
                out,
                "<tr><td data-v=\"{}\"><span class=\"sev {severity}\">{severity}</span></td>\
                 <td><code title=\"{}\">{}</code></td><td><code class=\"masked\">{}</code></td>\
                 <td class=\"path\" title=\"{}\">{at}</td>{}{hidden}</tr>",
                severity_rank(secret.severity),
                text(&secret.description),
                text(&secret.rule),
                if secret.masked.is_empty() {
                    "(flagged by its name)".to_owned()
                } else {
                    text(&secret.masked)
                },
                text(&place.fingerprint),
                layer_cell(layers, place.layer, None),
            );
        }
        out.push_str("</tbody></table>");
    }
    if leaks.allowed_secrets > 0 {
        let _ = write!(
            out,
            "<p class=\"note\">{} places allowed by the rules file are left out.</p>",
            leaks.allowed_secrets
        );
    }
    out.push_str("</section>\n");
    hygiene(out, report, layers);
}

fn hygiene(out: &mut String, report: &Report, layers: &[Layer]) {
    let findings = &report.leaks.hygiene;
    heading(
        out,
        "hygiene",
        "Config hygiene",
        "how the image is configured and built",
        findings.len(),
    );
    if findings.is_empty() {
        out.push_str("<p class=\"note\">None.</p></section>\n");
        return;
    }
    out.push_str(
        "<table class=\"sortable findings\"><thead><tr><th data-sort=\"num\">severity</th>\
         <th data-sort=\"text\">check</th><th data-sort=\"text\">finding</th>\
         <th data-sort=\"text\">fix</th><th data-sort=\"text\">where</th></tr></thead><tbody>\n",
    );
    for finding in findings.iter().take(ROWS) {
        let severity = finding.severity.as_str();
        let mut at = String::new();
        for path in finding.paths.iter().take(20) {
            let _ = write!(at, "<code>{}</code> ", text(path));
        }
        if finding.paths.len() > 20 {
            let _ = write!(at, "and {} more ", finding.paths.len() - 20);
        }
        for &layer in &finding.layers {
            let label = layers.get(layer).map_or("", |l| l.label.as_str());
            let _ = write!(
                at,
                "<span class=\"lref\">layer {layer} <span class=\"cmd-s\">{}</span></span> ",
                text(label)
            );
        }
        let _ = writeln!(
            out,
            "<tr><td data-v=\"{}\"><span class=\"sev {severity}\">{severity}</span></td>\
             <td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td></tr>",
            severity_rank(finding.severity),
            text(finding.id),
            text(&finding.message),
            text(finding.fix),
            at.trim_end(),
        );
    }
    out.push_str("</tbody></table></section>\n");
}

/// Sorts critical first.
fn severity_rank(severity: layerscope_report::Severity) -> u8 {
    match severity {
        layerscope_report::Severity::Critical => 0,
        layerscope_report::Severity::High => 1,
        layerscope_report::Severity::Medium => 2,
        layerscope_report::Severity::Low => 3,
    }
}
