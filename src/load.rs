//! From what the user typed to per-layer trees: the source crate finds the image, the reader
//! streams it, the tree crate scans.

use std::sync::Arc;

use anyhow::{Context, Result};
use layerscope_leaks::SecretScanner;
use layerscope_reader::{Input, Options, Platform, Progress};
use layerscope_report::Opened;
use layerscope_source::{Request, Transport};

use crate::cli::SourceArgs;

/// Reads the image; with a scanner, file contents are scanned for secrets in the same pass.
/// Also returns the image as the user named it, without a transport prefix. An error names
/// the image.
pub fn open(
    input: &str,
    args: &SourceArgs,
    scanner: Option<&SecretScanner>,
    show_progress: bool,
) -> Result<(Opened, String)> {
    let (opened, name, _) = read(input, args, scanner, show_progress, false)
        .with_context(|| crate::output::clean(input))?;
    Ok((opened, name))
}

/// As [`open`], but an archive or layout directory is read without its digest checks, which
/// are handed back to run beside the explorer: its first screen does not wait for the hash.
/// Engines and registries are checked in the one pass, since reading again means fetching again.
pub fn open_checking_later(
    input: &str,
    args: &SourceArgs,
    scanner: Option<&SecretScanner>,
    show_progress: bool,
) -> Result<(Opened, String, Option<Check>)> {
    read(input, args, scanner, show_progress, true).with_context(|| crate::output::clean(input))
}

/// Digest checks left for later: every blob and layer of the image read again and checked.
/// Only the explorer runs them (a build without it never defers them).
pub struct Check {
    input: Input,
    options: Options,
    /// The image as the user typed it, for the error line.
    typed: String,
}

impl Check {
    /// Runs the checks; a mismatch is the error a CI run of the image gives.
    #[cfg_attr(not(feature = "tui"), expect(dead_code))]
    pub fn run(&self) -> Result<()> {
        layerscope_reader::check_input(&self.input, &self.options)
            .with_context(|| crate::output::clean(&self.typed))
    }
}

fn read(
    typed: &str,
    args: &SourceArgs,
    scanner: Option<&SecretScanner>,
    show_progress: bool,
    later: bool,
) -> Result<(Opened, String, Option<Check>)> {
    let source = args.source.as_deref().map(Transport::parse).transpose()?;
    let platform = args.platform.as_deref().map(Platform::parse).transpose()?;
    let max_layer_bytes = layerscope_format::parse_bytes(&args.max_layer_size)
        .with_context(|| format!("--max-layer-size {}", args.max_layer_size))?;
    let mut registry = layerscope_registry::Options::from_env();
    registry
        .insecure
        .extend(args.insecure_registry.iter().cloned());
    let located = layerscope_source::locate(&Request {
        input: typed.to_owned(),
        source,
        platform: platform.clone(),
        registry,
    })?;
    let name = located.name();
    let (input, image) = located.into_input();
    let progress = Arc::new(Progress::default());
    let options = Options {
        image: args.pick.clone().or(image),
        platform,
        bomb: layerscope_reader::BombLimits {
            max_layer_bytes,
            ..Default::default()
        },
        verify: !args.no_verify,
        progress: Some(Arc::clone(&progress)),
        ..Options::default()
    };
    let later = later && options.verify && matches!(input, Input::Path(_));
    let reading = Options {
        verify: options.verify && !later,
        ..options.clone()
    };
    let display = show_progress.then(|| crate::progress::Display::start(&progress));
    let opened = layerscope_report::open_input(&input, &reading, scanner);
    drop(display);
    let check = later.then(|| Check {
        input,
        options,
        typed: typed.to_owned(),
    });
    Ok((opened?, name, check))
}
