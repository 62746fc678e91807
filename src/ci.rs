//! The CI gate and the JSON report: analyses in, dive-shaped text and exit codes out.

use std::io::Write;

use anyhow::{Context, Result};
use std::path::Path;

use layerscope_ci::{
    ConfigOrigin, Evaluation, ImageSummary, LayerSummary, RuleName, Rules, evaluate,
};
use layerscope_leaks::{LeakReport, LeakRuleResult, RuleStatus};
use layerscope_waste::WasteReport;

use crate::cli::RunArgs;
use crate::load::Opened;
use crate::output::{self, Exit};

pub fn summary(opened: &Opened) -> ImageSummary {
    ImageSummary {
        name: output::clean(&opened.name),
        source: opened.image.format.source_name().to_owned(),
        layers: opened
            .image
            .layers
            .iter()
            .zip(&opened.tree.layers)
            .enumerate()
            .map(|(index, (info, layer))| LayerSummary {
                index,
                digest: info.blob.diff_id.to_string(),
                size_bytes: layer.size_bytes,
                command: output::clean(&info.command),
            })
            .collect(),
    }
}

/// The rules file of this run (`--ci-config`, or `.dive-ci` here), read once: dive's rules and
/// the leak rules both come from it.
pub struct RulesFile {
    pub origin: ConfigOrigin,
    pub text: Option<String>,
}

impl RulesFile {
    pub fn read(args: &RunArgs) -> Result<Self> {
        let cwd = std::env::current_dir().context("cannot read the current directory")?;
        let (origin, text) = layerscope_ci::read_config(args.ci_config.as_deref(), &cwd)?;
        Ok(RulesFile { origin, text })
    }

    /// The file's path and text, when there is a file.
    pub fn contents(&self) -> Option<(&Path, &str)> {
        match (&self.origin, &self.text) {
            (ConfigOrigin::File(path), Some(text)) => Some((path, text)),
            _ => None,
        }
    }
}

/// dive's rules from the file, with the flags over them.
pub fn rules(args: &RunArgs, file: &RulesFile) -> Result<Rules> {
    let mut rules = match file.contents() {
        Some((path, text)) => Rules::from_yaml(text, path)?,
        None => Rules::default(),
    };
    for (rule, value) in [
        (RuleName::LowestEfficiency, &args.lowest_efficiency),
        (RuleName::HighestWastedBytes, &args.highest_wasted_bytes),
        (
            RuleName::HighestUserWastedPercent,
            &args.highest_user_wasted_percent,
        ),
    ] {
        if let Some(value) = value {
            rules.override_with(rule, value)?;
        }
    }
    Ok(rules)
}

/// What the leak analysis adds to a CI run.
pub struct Leaks<'a> {
    pub report: &'a LeakReport,
    pub results: &'a [LeakRuleResult],
}

/// Evaluates the rules and prints dive's report, then the leak section; the exit says whether
/// every rule, dive's and the leak rules, passed.
pub fn run(
    args: &RunArgs,
    rules: &Rules,
    origin: &ConfigOrigin,
    opened: &Opened,
    report: &WasteReport,
    leaks: &Leaks,
) -> Result<Exit> {
    let eval = evaluate(rules, &report.dive);
    let image = summary(opened);
    let json_to_stdout = args.json.as_deref() == Some("-");
    if let Some(target) = &args.json {
        write_json(target, &image, report, &eval, leaks)?;
    }
    if !json_to_stdout {
        let color = output::color_stdout();
        // dive's report first and unchanged, so scripts that read dive's output read this.
        let mut text = layerscope_ci::render_text(&image, report, &eval, origin, color);
        text.push_str(&crate::leaks::ci_section(
            leaks.report,
            leaks.results,
            color,
        ));
        output::print(&text)?;
    }
    for note in &opened.image.notes {
        eprintln!("layerscope: note: {}", output::clean(note));
    }
    let leak_failed = leaks.results.iter().any(|r| r.status == RuleStatus::Fail);
    Ok(if eval.passed() && !leak_failed {
        Exit::Success
    } else {
        Exit::RuleFailed
    })
}

/// `--json` outside CI mode: the report with rule results, no text, exit 0 (as dive's `--json`).
pub fn json_only(
    args: &RunArgs,
    rules: &Rules,
    opened: &Opened,
    report: &WasteReport,
    leaks: &Leaks,
) -> Result<Exit> {
    let eval = evaluate(rules, &report.dive);
    let target = args.json.as_deref().unwrap_or("-");
    write_json(target, &summary(opened), report, &eval, leaks)?;
    Ok(Exit::Success)
}

fn write_json(
    target: &str,
    image: &ImageSummary,
    report: &WasteReport,
    eval: &Evaluation,
    leaks: &Leaks,
) -> Result<()> {
    let mut value = layerscope_ci::render_json(image, report, Some(eval));
    if let Some(object) = value.as_object_mut() {
        object.insert("leaks".into(), serde_json::to_value(leaks.report)?);
        object.insert(
            "leakRules".into(),
            crate::leaks::results_json(leaks.results),
        );
    }
    write_value(target, &value)
}

/// Writes a JSON document to a file (truncating it) or, for `-`, to standard output.
pub fn write_value(target: &str, value: &serde_json::Value) -> Result<()> {
    let mut text = serde_json::to_string_pretty(value).context("cannot encode the JSON report")?;
    text.push('\n');
    if target == "-" {
        output::print(&text)
    } else {
        // Truncates, unlike dive, so a shorter report never leaves stale bytes behind.
        let mut file =
            std::fs::File::create(target).with_context(|| format!("cannot write {target}"))?;
        file.write_all(text.as_bytes())
            .with_context(|| format!("cannot write {target}"))
    }
}
