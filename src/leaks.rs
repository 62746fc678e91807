//! What ships but nobody sees: the secret scan's setup, the leak report, and `layerscope leaks`.

use std::fmt::Write as _;

use anyhow::Result;
use layerscope_leaks::{
    HygieneInput, LeakConfig, LeakInput, LeakReport, LeakRuleResult, RuleStatus, SecretScanner,
    evaluate_leak_rules,
};
use layerscope_waste::{HiddenVersion, hidden_versions};

use crate::ci::RulesFile;
use crate::cli::RunArgs;
use crate::load::Opened;
use crate::output::{self, Exit};

/// The leak settings live in the same rules file as dive's rules.
pub fn config(file: &RulesFile) -> Result<LeakConfig> {
    Ok(match file.contents() {
        Some((path, text)) => LeakConfig::from_dive_ci(text, path)?,
        None => LeakConfig::default(),
    })
}

pub fn scanner(config: &LeakConfig) -> Result<SecretScanner> {
    Ok(SecretScanner::with_config(config)?)
}

pub fn report(opened: &Opened, scanner: &SecretScanner, hidden: &[HiddenVersion]) -> LeakReport {
    let commands: Vec<String> = opened
        .image
        .layers
        .iter()
        .map(|l| l.command.clone())
        .collect();
    let config = &opened.image.config;
    let runtime = config.parsed.config().as_ref();
    let image = HygieneInput {
        user: runtime.and_then(|c| c.user().clone()),
        env: runtime.and_then(|c| c.env().clone()).unwrap_or_default(),
        healthcheck: config.healthcheck.clone(),
        // Empty-layer history carries the ARG and ENV steps, so all of it is read.
        history: config
            .history
            .iter()
            .map(|h| h.created_by.clone())
            .collect(),
    };
    LeakReport::build(
        &LeakInput {
            tree: &opened.tree,
            secrets: &opened.secrets,
            hidden,
            layer_commands: &commands,
            image: &image,
        },
        scanner,
    )
}

/// The CI section: the report, then one line per leak rule in dive's `Results:` shape.
pub fn ci_section(report: &LeakReport, results: &[LeakRuleResult], color: bool) -> String {
    let mut out = layerscope_leaks::render_text(report, color);
    out.push_str("Leak Rules:\n");
    for r in results {
        out.push_str(&r.line());
        out.push('\n');
    }
    let count = |s: RuleStatus| results.iter().filter(|r| r.status == s).count();
    let failed = count(RuleStatus::Fail);
    let _ = writeln!(
        out,
        "Leak Result:{} [Total:{}] [Passed:{}] [Failed:{failed}] [Skipped:{}]",
        if failed == 0 { "PASS" } else { "FAIL" },
        results.len(),
        count(RuleStatus::Pass),
        count(RuleStatus::Skip),
    );
    out
}

pub fn rules(config: &LeakConfig, report: &LeakReport) -> Vec<LeakRuleResult> {
    evaluate_leak_rules(&config.rules, report)
}

/// `layerscope leaks IMAGE`: the report as text (or JSON with `--json`); exit 1 when a leak
/// rule from the rules file fails.
pub fn run(
    args: &RunArgs,
    opened: &Opened,
    config: &LeakConfig,
    scanner: &SecretScanner,
) -> Result<Exit> {
    let report = report(opened, scanner, &hidden_versions(&opened.tree));
    let results = rules(config, &report);
    match args.json.as_deref() {
        Some(target) => {
            let value = serde_json::json!({
                "schemaVersion": layerscope_ci::SCHEMA_VERSION,
                "leaks": report,
                "leakRules": results_json(&results),
            });
            crate::ci::write_value(target, &value)?;
        }
        None => output::print(&ci_section(&report, &results, output::color_stdout()))?,
    }
    Ok(if results.iter().any(|r| r.status == RuleStatus::Fail) {
        Exit::RuleFailed
    } else {
        Exit::Success
    })
}

pub fn results_json(results: &[LeakRuleResult]) -> serde_json::Value {
    results
        .iter()
        .map(|r| {
            serde_json::json!({
                "name": r.name,
                "status": match r.status {
                    RuleStatus::Pass => "pass",
                    RuleStatus::Fail => "fail",
                    RuleStatus::Skip => "skip",
                },
                "message": r.message,
            })
        })
        .collect()
}
