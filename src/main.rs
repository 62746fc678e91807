//! layerscope: what is inside a container image, layer by layer.
//!
//! This binary only reads flags and wires the libraries together: the reader streams layers,
//! the tree crate builds per-layer trees, the waste crate measures, and the CI crate or the TUI
//! shows the result.

mod ci;
mod cli;
mod leaks;
mod load;
mod output;
mod progress;
#[cfg(feature = "tui")]
mod tui;

use std::process::ExitCode;

use clap::Parser;

use cli::{Cli, Command};
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

fn run(cli: Cli) -> anyhow::Result<Exit> {
    let (args, command) = match cli.command {
        Some(Command::Ci(args)) => (args, Some(Task::Ci)),
        Some(Command::Leaks(args)) => (args, Some(Task::Leaks)),
        None => (cli.run, None),
    };
    let ci_env = layerscope_ci::ci_env_enabled(std::env::var("CI").ok().as_deref());
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
    // Everything that can be wrong with the flags or the rules file is said before the image,
    // which may take a while, is read. dive's rules matter only to a report: a rules file
    // written for CI never stops the explorer.
    if task == Task::Explore {
        explorer_can_start()?;
    }
    let rules_file = ci::RulesFile::read(&args)?;
    let rules = match task {
        Task::Ci | Task::Json => ci::rules(&args, &rules_file)?,
        Task::Leaks | Task::Explore => layerscope_ci::Rules::default(),
    };
    let leak_config = leaks::config(&rules_file)?;
    // File contents are scanned for secrets while the layers stream past, in the one pass.
    let scanner = leaks::scanner(&leak_config)?;
    let scan_contents = (!args.no_secret_scan).then_some(&scanner);
    let opened = load::open(&input, &args.source, scan_contents)
        .map_err(|e| e.context(output::clean(&input)))?;
    if task == Task::Leaks {
        return leaks::run(&args, &opened, &leak_config, &scanner);
    }
    let hidden = layerscope_waste::hidden_versions(&opened.tree);
    let report = layerscope_waste::analyze_with(&opened.tree, &hidden);
    let leak_report = leaks::report(&opened, &scanner, &hidden);
    if task == Task::Explore {
        return interactive(opened, &report, &leak_report);
    }
    let leak_results = leaks::rules(&leak_config, &leak_report);
    let leak_view = ci::Leaks {
        report: &leak_report,
        results: &leak_results,
    };
    if task == Task::Json {
        return ci::json_only(&args, &rules, &opened, &report, &leak_view);
    }
    ci::run(
        &args,
        &rules,
        &rules_file.origin,
        &opened,
        &report,
        &leak_view,
    )
}

/// What this run does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Task {
    /// dive's CI gate and the leak rules: text, exit code by the rules.
    Ci,
    /// The whole report as JSON, exit 0 (dive's `--json`).
    Json,
    /// `layerscope leaks`.
    Leaks,
    /// The interactive explorer.
    Explore,
}

#[cfg(not(feature = "tui"))]
fn explorer_can_start() -> anyhow::Result<()> {
    anyhow::bail!(
        "this build has no interactive explorer; run with CI=true or `layerscope ci IMAGE`"
    )
}

#[cfg(not(feature = "tui"))]
fn interactive(
    _: load::Opened,
    _: &layerscope_waste::WasteReport,
    _: &layerscope_leaks::LeakReport,
) -> anyhow::Result<Exit> {
    explorer_can_start().map(|()| Exit::Success)
}

#[cfg(feature = "tui")]
fn explorer_can_start() -> anyhow::Result<()> {
    use std::io::IsTerminal;
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        anyhow::bail!(
            "the explorer needs a terminal; for a report run with CI=true, `layerscope ci IMAGE` or --json -"
        );
    }
    Ok(())
}

#[cfg(feature = "tui")]
fn interactive(
    opened: load::Opened,
    report: &layerscope_waste::WasteReport,
    leaks: &layerscope_leaks::LeakReport,
) -> anyhow::Result<Exit> {
    tui::run(opened, report, leaks)?;
    Ok(Exit::Success)
}
