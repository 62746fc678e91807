//! The report documents a run writes (`--json`, `--sarif`, `--junit`, `--markdown`, `--html`),
//! and what a GitHub Actions run adds by itself: every one a view of the one report.

use std::io::Write as _;

use anyhow::{Context, Result, bail};
use layerscope_report::Report;
use layerscope_tree::ImageTree;

use crate::cli::{JsonFormat, RunArgs};
use crate::output;

/// Where each document goes; `-` is standard output.
pub struct Requested {
    json: Option<String>,
    sarif: Option<String>,
    junit: Option<String>,
    markdown: Option<String>,
    html: Option<String>,
}

impl Requested {
    /// The documents the flags ask for. Only one can go to standard output.
    pub fn of(args: &RunArgs) -> Result<Requested> {
        let requested = Requested {
            json: args.json.clone(),
            sarif: args.sarif.clone(),
            junit: args.junit.clone(),
            markdown: args.markdown.clone(),
            html: args.html.clone(),
        };
        let to_stdout: Vec<&str> = requested
            .targets()
            .filter(|(_, target)| *target == "-")
            .map(|(flag, _)| flag)
            .collect();
        if to_stdout.len() > 1 {
            bail!(
                "{} all ask for standard output; give all but one of them a file",
                to_stdout.join(", ")
            );
        }
        Ok(requested)
    }

    fn targets(&self) -> impl Iterator<Item = (&'static str, &str)> {
        [
            ("--json", &self.json),
            ("--sarif", &self.sarif),
            ("--junit", &self.junit),
            ("--markdown", &self.markdown),
            ("--html", &self.html),
        ]
        .into_iter()
        .filter_map(|(flag, target)| target.as_deref().map(|t| (flag, t)))
    }

    pub fn is_empty(&self) -> bool {
        self.targets().next().is_none()
    }

    /// Whether a document takes standard output, where the text report would go.
    pub fn to_stdout(&self) -> bool {
        self.targets().any(|(_, target)| target == "-")
    }

    /// Writes every document asked for.
    pub fn write(&self, report: &Report, tree: &ImageTree, format: JsonFormat) -> Result<()> {
        if let Some(target) = &self.json {
            match format {
                JsonFormat::Layerscope => {
                    output::write_with(target, |out| layerscope_printer::write_json(report, out))?;
                }
                JsonFormat::Dive => {
                    output::write(target, &layerscope_printer::dive_json(report, tree))?;
                }
            }
        }
        if let Some(target) = &self.sarif {
            output::write(target, &layerscope_printer::sarif(report))?;
        }
        if let Some(target) = &self.junit {
            output::write(target, &layerscope_printer::junit(report))?;
        }
        if let Some(target) = &self.markdown {
            output::write(target, &layerscope_printer::markdown(report))?;
        }
        if let Some(target) = &self.html {
            output::write(target, &layerscope_html::html(report, tree))?;
        }
        Ok(())
    }
}

/// Under GitHub Actions the gate writes the job summary (`$GITHUB_STEP_SUMMARY`, appended to,
/// as the runner expects) and, when standard output is free, an `::error` line per failed rule.
pub fn github_actions(report: &Report, annotate: bool) -> Result<()> {
    if let Some(summary) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|s| !s.is_empty()) {
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&summary)
            .and_then(|mut f| {
                f.write_all(layerscope_printer::markdown(report).as_bytes())?;
                Ok(f)
            })
            .with_context(|| {
                format!(
                    "cannot append the job summary to {}",
                    output::clean(&summary.to_string_lossy())
                )
            })?;
        file.flush().ok();
    }
    if annotate {
        output::print(&layerscope_printer::annotations(report))?;
    }
    Ok(())
}
