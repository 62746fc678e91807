//! layerscope: what is inside a container image, layer by layer.
//!
//! This binary only reads flags and wires the libraries together: the reader streams layers,
//! the tree crate builds per-layer trees, the report crate runs the analyses, the gate applies
//! the rules, and the printer or the explorer shows the report.

mod cli;
mod diffing;
mod exports;
mod load;
mod output;
mod progress;
#[cfg(feature = "tui")]
mod tui;

use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result};
use clap::{CommandFactory, Parser};
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
    /// Reports to files or standard output (`--json`, `--sarif`, …), exit 0 (dive's `--json`).
    Export,
    /// `layerscope leaks`: the leak report, exit code by the leak rules.
    Leaks,
    /// The interactive explorer.
    Explore,
}

fn run(cli: Cli) -> Result<Exit> {
    let (args, command) = match cli.command {
        Some(Command::Ci(args)) => (args, Some(Task::Ci)),
        Some(Command::Leaks(args)) => (args, Some(Task::Leaks)),
        Some(Command::Diff(args)) => return diffing::run(&args),
        Some(Command::Completions { shell }) => {
            let mut text = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "layerscope", &mut text);
            output::print(&String::from_utf8_lossy(&text))?;
            return Ok(Exit::Success);
        }
        Some(Command::Manpage) => {
            let mut text = Vec::new();
            clap_mangen::Man::new(Cli::command())
                .render(&mut text)
                .context("cannot render the manual page")?;
            output::print(&String::from_utf8_lossy(&text))?;
            return Ok(Exit::Success);
        }
        None => (cli.run, None),
    };
    analyse(&args, command)
}

/// Reads the image, builds its report and shows it as the task asks.
fn analyse(args: &RunArgs, command: Option<Task>) -> Result<Exit> {
    let ci_env = layerscope_gate::ci_env_enabled(std::env::var("CI").ok().as_deref());
    let exports = exports::Requested::of(args)?;
    let task = match command {
        Some(task) => task,
        None if args.ci || ci_env => Task::Ci,
        None if !exports.is_empty() => Task::Export,
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
        Task::Ci | Task::Export => Some((rules(args, &config)?, Applies::All)),
        Task::Leaks => Some((config.rules(Applies::Leaks)?, Applies::Leaks)),
        Task::Explore => None,
    };
    // File contents are scanned for secrets while the layers stream past, in the one pass.
    let scanner = SecretScanner::with_settings(&config.scan_settings()?)?;
    let started = Instant::now();
    let scanning = (!args.no_secret_scan).then_some(&scanner);
    let ((opened, name), baseline, check) = if task == Task::Explore && args.baseline.is_none() {
        let (opened, name, check) =
            load::open_checking_later(&input, &args.source, scanning, !args.quiet)?;
        ((opened, name), None, check)
    } else {
        let (opened, baseline) = diffing::open_with_baseline(
            &input,
            args.baseline.as_deref(),
            &args.source,
            &scanner,
            !args.no_secret_scan,
            !args.quiet,
        )?;
        (opened, baseline, None)
    };
    let read = started.elapsed();
    let mut report = Report::build(&name, &opened, &scanner);
    let diff = baseline
        .as_ref()
        .map(|old| diffing::against(old, &opened, &report));
    if let Some((rules, applies)) = gate {
        report.gate = Some(rules.evaluate(&report, applies, config.file.as_deref(), diff.as_ref()));
    }
    if args.verbose {
        output::describe(
            &report,
            &opened,
            read,
            started.elapsed().saturating_sub(read),
        );
    }
    if !args.quiet {
        for note in &opened.image.notes {
            eprintln!("layerscope: note: {}", output::clean(note));
        }
    }
    #[cfg(feature = "tui")]
    if let Some(keys) = keys {
        tui::run(opened, &report, keys, check)?;
        return Ok(Exit::Success);
    }
    #[cfg(not(feature = "tui"))]
    drop(check);
    exports.write(&report, &opened.tree, args.json_format)?;
    // What is left needs only the report: the trees go before the text is laid out, so the
    // two never share the peak.
    drop((opened, baseline));
    if task == Task::Export {
        return Ok(Exit::Success);
    }
    if !args.quiet && !exports.to_stdout() {
        let color = output::color_stdout();
        let text = match (task, &diff) {
            (Task::Leaks, _) => layerscope_printer::leaks_text(&report, color),
            (_, Some(diff)) => layerscope_printer::ci_text_with_baseline(&report, diff, color),
            (_, None) => layerscope_printer::ci_text(&report, color),
        };
        output::print(&text)?;
    }
    if task == Task::Ci && output::github_actions() {
        exports::github_actions(&report, !exports.to_stdout())?;
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
