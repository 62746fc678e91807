//! The top of the page: the image, its figures at a glance, and the gate's rules.

use std::fmt::Write as _;

use layerscope_format::bytes;
use layerscope_report::{Measure, Report, RuleId, Status};

use crate::escape::text;
use crate::number::{count, percent};

/// The heading with the verdict, and the image's identity.
pub fn header(out: &mut String, report: &Report) {
    let image = &report.image;
    let (class, word) = match &report.gate {
        Some(g) if g.passed => ("pass", "passed"),
        Some(_) => ("fail", "failed"),
        None => ("none", "no rules ran"),
    };
    let _ = write!(
        out,
        "<header><h1><span class=\"brand\">layerscope</span> <span class=\"name\">{}</span> \
         <span class=\"verdict {class}\">{word}</span></h1>",
        text(&image.name)
    );
    let _ = write!(
        out,
        "<p class=\"meta\">{} · {} {} · {} · image id <code>{}</code>",
        text(image.source.as_str()),
        image.layers.len(),
        if image.layers.len() == 1 {
            "layer"
        } else {
            "layers"
        },
        text(&image.platform),
        text(&image.config_digest)
    );
    for tag in &image.tags {
        let _ = write!(out, " · <code>{}</code>", text(tag));
    }
    out.push_str("</p></header>\n");
}

/// The figures as cards, then the rules.
pub fn figures(out: &mut String, report: &Report) {
    let dive = &report.dive;
    let leaks = &report.leaks;
    out.push_str("<section id=\"summary\" aria-label=\"Summary\"><div class=\"cards\">");
    card(
        out,
        "Image size",
        &bytes(dive.size_bytes),
        &format!(
            "{} bytes in {} layers",
            dive.size_bytes,
            report.image.layers.len()
        ),
        "",
    );
    card(
        out,
        "Reclaimable",
        &bytes(report.reclaimable.bytes),
        &format!(
            "{} hidden versions that ship but no one sees",
            count(report.reclaimable.files.len() as u64)
        ),
        if report.reclaimable.bytes > 0 {
            "warn"
        } else {
            ""
        },
    );
    card(
        out,
        "Efficiency (dive)",
        &percent(dive.efficiency),
        "smallest copy of each path / every copy",
        "",
    );
    card(
        out,
        "Wasted bytes (dive)",
        &bytes(dive.wasted_bytes),
        &format!(
            "{} bytes, every copy of paths seen twice",
            dive.wasted_bytes
        ),
        "",
    );
    card(
        out,
        "User wasted (dive)",
        &percent(dive.user_wasted_percent),
        "wasted / bytes above the base layer",
        "",
    );
    let hidden = leaks.hidden_secret_count();
    card(
        out,
        "Secrets",
        &leaks.secrets.len().to_string(),
        &format!(
            "{hidden} in hidden files · {} hygiene findings",
            leaks.hygiene.len()
        ),
        if leaks.secrets.is_empty() { "" } else { "bad" },
    );
    out.push_str("</div>");
    rules(out, report);
    out.push_str("</section>\n");
}

fn card(out: &mut String, title: &str, value: &str, note: &str, class: &str) {
    let _ = writeln!(
        out,
        "<div class=\"card {class}\"><div class=\"k\">{}</div><div class=\"v\">{}</div>\
         <div class=\"n\">{}</div></div>",
        text(title),
        text(value),
        text(note)
    );
}

fn rules(out: &mut String, report: &Report) {
    let Some(gate) = &report.gate else {
        out.push_str("<p class=\"note\">No rules ran on this report.</p>");
        return;
    };
    let config = gate.config.as_ref().map_or_else(
        || "dive's default rules".to_owned(),
        |p| format!("rules from {}", p.display()),
    );
    let failed = gate
        .rules
        .iter()
        .filter(|r| r.status == Status::Fail)
        .count();
    let _ = writeln!(
        out,
        "<h2 id=\"rules\">Rules <small>{} · {failed} failed of {}</small></h2>\
         <table class=\"rules\"><thead><tr><th>rule</th><th>result</th><th>threshold</th>\
         <th>image</th><th>detail</th></tr></thead><tbody>",
        text(&config),
        gate.rules.len()
    );
    for rule in &gate.rules {
        let status = match rule.status {
            Status::Pass => "pass",
            Status::Fail => "fail",
            Status::Skip => "skip",
        };
        let _ = writeln!(
            out,
            "<tr class=\"{status}\"><td><code title=\"{}\">{}</code></td>\
             <td><span class=\"status {status}\">{}</span></td><td>{}</td><td>{}</td><td>{}</td></tr>",
            text(rule.rule.description()),
            text(rule.rule.as_str()),
            rule.status.word(),
            text(
                &rule
                    .threshold
                    .map_or_else(|| "disabled".to_owned(), |t| measure(rule.rule, t, true))
            ),
            text(&measure(rule.rule, rule.actual, false)),
            text(rule.message.as_deref().unwrap_or_default()),
        );
    }
    out.push_str("</tbody></table>");
}

/// A rule's figure as a person reads it: ratios as percentages, sizes in dive's units.
fn measure(rule: RuleId, value: Measure, threshold: bool) -> String {
    match value {
        Measure::Ratio(v) => percent(v),
        Measure::Bytes(v) => format!("{} ({} bytes)", bytes(v), count(v)),
        Measure::Count(v) => count(v),
        Measure::Flag(v) => match (rule, threshold, v) {
            (_, true, false) => "not allowed".to_owned(),
            (_, true, true) => "allowed".to_owned(),
            (RuleId::RequireHealthcheck, false, true) => "no HEALTHCHECK".to_owned(),
            (RuleId::RequireHealthcheck, false, false) => "has a HEALTHCHECK".to_owned(),
            (RuleId::DisallowRootUser, false, true) => "runs as root".to_owned(),
            (RuleId::DisallowRootUser, false, false) => "runs as another user".to_owned(),
            (_, false, true) => "yes".to_owned(),
            (_, false, false) => "no".to_owned(),
        },
    }
}
