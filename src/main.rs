//! layerscope: what is inside a container image, layer by layer.
//!
//! This binary only reads flags and wires the libraries together: the reader streams layers,
//! the tree crate builds per-layer trees, the waste crate measures, and the CI crate or the TUI
//! shows the result.

mod ci;
mod cli;
mod load;
mod output;
mod progress;
#[cfg(feature = "tui")]
mod tui;

use std::process::ExitCode;

use clap::Parser;

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

fn run(cli: Cli) -> anyhow::Result<Exit> {
    let (args, forced_ci) = match cli.command {
        Some(Command::Ci(args)) => (args, true),
        None => (cli.run, false),
    };
    let ci =
        forced_ci || args.ci || layerscope_ci::ci_env_enabled(std::env::var("CI").ok().as_deref());
    let Some(input) = args.image.clone() else {
        anyhow::bail!(
            "no image given: layerscope IMAGE (a docker save archive, an oci-archive or an OCI layout directory)"
        );
    };
    let opened = load::open(&input, &args.source).map_err(|e| e.context(output::clean(&input)))?;
    let report = layerscope_waste::analyze(&opened.tree);
    if ci {
        return ci::run(&args, &opened, &report);
    }
    if args.json.is_some() {
        return ci::json_only(&args, &opened, &report);
    }
    interactive(&args, opened, &report)
}

#[cfg(not(feature = "tui"))]
fn interactive(
    _: &RunArgs,
    _: load::Opened,
    _: &layerscope_waste::WasteReport,
) -> anyhow::Result<Exit> {
    anyhow::bail!(
        "this build has no interactive explorer; run with CI=true or `layerscope ci IMAGE`"
    )
}

#[cfg(feature = "tui")]
fn interactive(
    _: &RunArgs,
    opened: load::Opened,
    report: &layerscope_waste::WasteReport,
) -> anyhow::Result<Exit> {
    use std::io::IsTerminal;
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        anyhow::bail!(
            "the explorer needs a terminal; for a report run with CI=true, `layerscope ci IMAGE` or --json -"
        );
    }
    tui::run(opened, report)?;
    Ok(Exit::Success)
}
