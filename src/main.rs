//! layerscope: what is inside a container image, layer by layer.
//!
//! This binary only reads flags and wires the libraries together: the reader streams layers,
//! the tree crate builds per-layer trees, the report crate runs the analyses, the gate applies
//! the rules, and the printer or the explorer shows the report.

mod cli;
mod load;
mod output;
mod progress;
#[cfg(feature = "tui")]
mod tui;

use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Parser;
use layerscope_gate::{Applies, GateConfig, Rules};
use layerscope_leaks::SecretScanner;
use layerscope_report::{Report, RuleId};

use cli::{Cli, Command, RunArgs};
use output::Exit;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(Exit::Success) => ExitCode::SUCCESS,
        Ok(Exit::RuleFailed) => ExitCode::from(1),
        Err(e) => {
            eprintln!("layerscope: {}", output::error_line(&e));
            ExitCode::from(2)
        }
    }
}

/// What this run does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Task {
    /// dive's CI gate and the leak rules: text, exit code by the rules.
    Ci,
    /// The whole report as JSON, exit 0 (dive's `--json`).
    Json,
    /// `layerscope leaks`: the leak report, exit code by the leak rules.
    Leaks,
    /// The interactive explorer.
    Explore,
}

fn run(cli: Cli) -> Result<Exit> {
    let (args, command) = match cli.command {
        Some(Command::Ci(args)) => (args, Some(Task::Ci)),
        Some(Command::Leaks(args)) => (args, Some(Task::Leaks)),
        None => (cli.run, None),
    };
    let ci_env = layerscope_gate::ci_env_enabled(std::env::var("CI").ok().as_deref());
    let task = match command {
        Some(task) => task,
        None if args.ci || ci_env => Task::Ci,
        None if args.json.is_some() => Task::Json,
        None => Task::Explore,
    };
    let Some(input) = args.image.clone() else {
        anyhow::bail!(
            "no image given: layerscope IMAGE (a docker save archive, an oci-archive or an OCI layout directory)"
        );
    };
    // Everything that can be wrong with the flags, the rules file or the key bindings is said
    // before the image, which may take a while, is read.
    #[cfg(feature = "tui")]
    let keys = if task == Task::Explore {
        Some(tui::prepare()?)
    } else {
        None
    };
    #[cfg(not(feature = "tui"))]
    if task == Task::Explore {
        anyhow::bail!(
            "this build has no interactive explorer; run with CI=true, `layerscope ci IMAGE` or --json -"
        );
    }
    let cwd = std::env::current_dir().context("cannot read the current directory")?;
    let config = GateConfig::read(args.ci_config.as_deref(), &cwd)?;
    let gate = match task {
        Task::Ci | Task::Json => Some((rules(&args, &config)?, Applies::All)),
        Task::Leaks => Some((config.rules(Applies::Leaks)?, Applies::Leaks)),
        Task::Explore => None,
    };
    // File contents are scanned for secrets while the layers stream past, in the one pass.
    let scanner = SecretScanner::with_settings(&config.scan_settings()?)?;
    let (opened, name) = load::open(
        &input,
        &args.source,
        (!args.no_secret_scan).then_some(&scanner),
    )
    .map_err(|e| e.context(output::clean(&input)))?;
    let mut report = Report::build(&name, &opened, &scanner);
    if let Some((rules, applies)) = gate {
        report.gate = Some(rules.evaluate(&report, applies, config.file.as_deref()));
    }
    for note in &opened.image.notes {
        eprintln!("layerscope: note: {}", output::clean(note));
    }
    match task {
        #[cfg(feature = "tui")]
        Task::Explore => {
            if let Some(keys) = keys {
                tui::run(opened, &report, keys)?;
            }
            return Ok(Exit::Success);
        }
        #[cfg(not(feature = "tui"))]
        Task::Explore => return Ok(Exit::Success),
        Task::Json => {
            output::write(
                args.json.as_deref().unwrap_or("-"),
                &layerscope_printer::json(&report),
            )?;
            return Ok(Exit::Success);
        }
        Task::Ci | Task::Leaks => {}
    }
    let to_stdout = args.json.as_deref() == Some("-");
    if let Some(target) = &args.json {
        output::write(target, &layerscope_printer::json(&report))?;
    }
    if !to_stdout {
        let color = output::color_stdout();
        let text = if task == Task::Leaks {
            layerscope_printer::leaks_text(&report, color)
        } else {
            layerscope_printer::ci_text(&report, color)
        };
        output::print(&text)?;
    }
    Ok(if report.passed() {
        Exit::Success
    } else {
        Exit::RuleFailed
    })
}

/// Every rule from the file, with the flags over dive's three.
fn rules(args: &RunArgs, config: &GateConfig) -> Result<Rules> {
    let mut rules = config.rules(Applies::All)?;
    for (rule, value) in [
        (RuleId::LowestEfficiency, &args.lowest_efficiency),
        (RuleId::HighestWastedBytes, &args.highest_wasted_bytes),
        (
            RuleId::HighestUserWastedPercent,
            &args.highest_user_wasted_percent,
        ),
    ] {
        if let Some(value) = value {
            rules.override_with(rule, value)?;
        }
    }
    Ok(rules)
}
