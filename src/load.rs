//! From an image reference to per-layer trees: the reader streams, the tree crate scans.

use std::sync::Arc;

use anyhow::{Context, Result, bail};
use layerscope_leaks::SecretScanner;
use layerscope_reader::{Options, Platform, Progress, reference};
use layerscope_report::Opened;

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
    let r = reference::parse(input);
    if let Some(source) = &args.source
        && r.transport.is_none()
        && !matches!(
            source.as_str(),
            "docker-archive" | "docker-tar" | "oci-archive" | "oci" | "dir"
        )
    {
        bail!(
            "--source {source}: only docker-archive, oci-archive and oci are supported (engine and registry sources are not yet)"
        );
    }
    let name = r.path.display().to_string();
    let progress = Arc::new(Progress::default());
    let options = Options {
        image: args.pick.clone().or(r.image),
        platform: args.platform.as_deref().map(Platform::parse).transpose()?,
        bomb: layerscope_reader::BombLimits {
            max_layer_bytes: layerscope_format::parse_bytes(&args.max_layer_size)
                .with_context(|| format!("--max-layer-size {}", args.max_layer_size))?,
            ..Default::default()
        },
        verify: !args.no_verify,
        progress: Some(Arc::clone(&progress)),
        ..Options::default()
    };
    let display = show_progress.then(|| crate::progress::Display::start(&progress));
    let opened = layerscope_report::open(&r.path, &options, scanner);
    drop(display);
    Ok((opened?, name))
}
