//! From what the user typed to per-layer trees: the source crate finds the image, the reader
//! streams it, the tree crate scans.

use std::sync::Arc;

use anyhow::{Context, Result};
use layerscope_leaks::SecretScanner;
use layerscope_reader::{Options, Platform, Progress};
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
    read(input, args, scanner, show_progress).with_context(|| crate::output::clean(input))
}

fn read(
    input: &str,
    args: &SourceArgs,
    scanner: Option<&SecretScanner>,
    show_progress: bool,
) -> Result<(Opened, String)> {
    let source = args.source.as_deref().map(Transport::parse).transpose()?;
    let platform = args.platform.as_deref().map(Platform::parse).transpose()?;
    let max_layer_bytes = layerscope_format::parse_bytes(&args.max_layer_size)
        .with_context(|| format!("--max-layer-size {}", args.max_layer_size))?;
    let mut registry = layerscope_registry::Options::from_env();
    registry
        .insecure
        .extend(args.insecure_registry.iter().cloned());
    let located = layerscope_source::locate(&Request {
        input: input.to_owned(),
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
    let display = show_progress.then(|| crate::progress::Display::start(&progress));
    let opened = layerscope_report::open_input(&input, &options, scanner);
    drop(display);
    Ok((opened?, name))
}
