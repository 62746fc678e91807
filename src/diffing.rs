//! `layerscope diff OLD NEW`: both images read at once, each in its one pass, then compared.

use anyhow::{Context, Result};
#[cfg(feature = "tui")]
use layerscope_diff::Merged;
use layerscope_diff::{Compared, DiffReport, diff};
use layerscope_gate::GateConfig;
use layerscope_leaks::SecretScanner;
use layerscope_report::{Opened, Report};

use crate::cli::{DiffArgs, SourceArgs};
use crate::load;
use crate::output::{self, Exit};
#[cfg(feature = "tui")]
use crate::tui;

/// An image read, with the name it is reported under.
pub type Named = (Opened, String);

/// One side of a comparison: the image read and its report.
pub struct Side {
    pub opened: Opened,
    pub report: Report,
}

/// Reads one side of a comparison and builds its report, so that both sides' analyses run at
/// once too; an error says which side it is.
fn open_side(
    side: &str,
    input: &str,
    source: &SourceArgs,
    scanner: &SecretScanner,
    scan: bool,
    progress: bool,
) -> Result<Side> {
    let (opened, name) = load::open(input, source, scan.then_some(scanner), progress)
        .with_context(|| format!("the {side}"))?;
    let report = Report::build(&name, &opened, scanner);
    Ok(Side { opened, report })
}

/// The image and, when one is given, the baseline it is compared with: both read at once, each
/// in the one pass it has.
pub fn open_with_baseline(
    input: &str,
    baseline: Option<&str>,
    source: &SourceArgs,
    scanner: &SecretScanner,
    scan: bool,
    progress: bool,
) -> Result<(Named, Option<Side>)> {
    let scanning = scan.then_some(scanner);
    let Some(old) = baseline else {
        return Ok((load::open(input, source, scanning, progress)?, None));
    };
    let (old, new) = rayon::join(
        || open_side("baseline", old, source, scanner, scan, false),
        || load::open(input, source, scanning, progress).context("the image"),
    );
    Ok((new?, Some(old?)))
}

/// What changed from OLD to the image NEW whose report is REPORT.
pub fn against(old: &Side, new: &Opened, report: &Report) -> DiffReport {
    diff(
        Compared {
            tree: &old.opened.tree,
            report: &old.report,
        },
        Compared {
            tree: &new.tree,
            report,
        },
    )
}

pub fn run(args: &DiffArgs) -> Result<Exit> {
    // Key bindings are checked before the images, which may take a while, are read.
    #[cfg(feature = "tui")]
    let keys = if args.json.is_none()
        && !args.text
        && !args.quiet
        && !layerscope_gate::ci_env_enabled(std::env::var("CI").ok().as_deref())
        && tui::on_terminal()
    {
        Some(tui::prepare()?)
    } else {
        None
    };
    let cwd = std::env::current_dir().context("cannot read the current directory")?;
    let config = GateConfig::read(args.ci_config.as_deref(), &cwd)?;
    let scanner = SecretScanner::with_settings(&config.scan_settings()?)?;
    let scan = !args.no_secret_scan;
    let (old, new) = rayon::join(
        || open_side("old image", &args.old, &args.source, &scanner, scan, false),
        || {
            open_side(
                "new image",
                &args.new,
                &args.source,
                &scanner,
                scan,
                !args.quiet,
            )
        },
    );
    let (old, new) = (old?, new?);
    let diff = against(&old, &new.opened, &new.report);
    if let Some(target) = &args.json {
        output::write(target, &layerscope_printer::diff_json(&diff))?;
    } else if !args.quiet {
        #[cfg(feature = "tui")]
        if let Some(keys) = keys {
            let merged = Merged::build(&old.opened.tree, &new.opened.tree, &diff)
                .context("cannot put both images in one tree")?;
            tui::run_diff((old.opened, new.opened), &diff, merged, keys)?;
            return Ok(Exit::Success);
        }
        output::print(&layerscope_printer::diff_text(
            &diff,
            output::color_stdout(),
        ))?;
    }
    Ok(Exit::Success)
}
