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

/// Reads one side of a comparison; an error says which side it is.
pub fn open_side(
    side: &str,
    input: &str,
    source: &SourceArgs,
    scanner: Option<&SecretScanner>,
    progress: bool,
) -> Result<Named> {
    load::open(input, source, scanner, progress).with_context(|| format!("the {side}"))
}

/// The image and, when one is given, the baseline it is compared with: both read at once, each
/// in the one pass it has.
pub fn open_with_baseline(
    input: &str,
    baseline: Option<&str>,
    source: &SourceArgs,
    scanner: Option<&SecretScanner>,
    progress: bool,
) -> Result<(Named, Option<Named>)> {
    let Some(old) = baseline else {
        return Ok((load::open(input, source, scanner, progress)?, None));
    };
    let (old, new) = rayon::join(
        || open_side("baseline", old, source, scanner, false),
        || open_side("image", input, source, scanner, progress),
    );
    Ok((new?, Some(old?)))
}

/// What changed from the baseline to the image whose report is REPORT.
pub fn against(
    (old, old_name): &Named,
    new: &Opened,
    report: &Report,
    scanner: &SecretScanner,
) -> DiffReport {
    let old_report = Report::build(old_name, old, scanner);
    diff(
        Compared {
            tree: &old.tree,
            report: &old_report,
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
    let scan = (!args.no_secret_scan).then_some(&scanner);
    let (old, new) = rayon::join(
        || open_side("old image", &args.old, &args.source, scan, false),
        || open_side("new image", &args.new, &args.source, scan, !args.quiet),
    );
    let (old, (new, new_name)) = (old?, new?);
    let new_report = Report::build(&new_name, &new, &scanner);
    let diff = against(&old, &new, &new_report, &scanner);
    if let Some(target) = &args.json {
        output::write(target, &layerscope_printer::diff_json(&diff))?;
    } else if !args.quiet {
        #[cfg(feature = "tui")]
        if let Some(keys) = keys {
            let merged = Merged::build(&old.0.tree, &new.tree, &diff)
                .context("cannot put both images in one tree")?;
            tui::run_diff((old.0, new), &diff, merged, keys)?;
            return Ok(Exit::Success);
        }
        output::print(&layerscope_printer::diff_text(
            &diff,
            output::color_stdout(),
        ))?;
    }
    Ok(Exit::Success)
}
