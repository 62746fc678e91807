//! From an image reference to per-layer trees: the reader streams, the tree crate scans.

use std::io::BufRead;
use std::sync::Arc;

use anyhow::{Context, Result, bail};
use layerscope_leaks::{SecretMatch, SecretScanner};
use layerscope_reader::{Image, Options, Platform, Progress, reference};
use layerscope_tree::{ImageTree, Inspector, TarLimits, scan_layer};

use crate::cli::SourceArgs;

/// An opened image and its trees.
pub struct Opened {
    pub image: Image,
    pub tree: ImageTree,
    /// Per layer, what the secret scan found (empty when it did not run).
    pub secrets: Vec<Vec<(u32, SecretMatch)>>,
    /// The image as the user named it, without a transport prefix.
    pub name: String,
}

/// Reads the image; with a scanner, file contents are scanned for secrets in the same pass.
pub fn open(input: &str, args: &SourceArgs, scanner: Option<&SecretScanner>) -> Result<Opened> {
    let r = reference::parse(input);
    if let Some(source) = &args.source
        && r.transport.is_none()
        && !matches!(
            source.as_str(),
            "docker-archive" | "docker-tar" | "oci-archive" | "oci"
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
            max_layer_bytes: parse_size(&args.max_layer_size)
                .with_context(|| format!("--max-layer-size {}", args.max_layer_size))?,
            ..Default::default()
        },
        verify: !args.no_verify,
        progress: Some(Arc::clone(&progress)),
        ..Options::default()
    };
    let scan = |tar: &mut dyn BufRead| {
        let layer = match scanner {
            Some(scanner) => scan_layer(tar, TarLimits::default(), scanner),
            None => scan_layer(tar, TarLimits::default(), &NoScan),
        };
        layer.map_err(|e| Box::new(e) as Box<dyn std::error::Error + Send + Sync>)
    };
    let display = crate::progress::Display::start(&progress);
    let loaded = layerscope_reader::load(&r.path, &options, &scan);
    drop(display);
    let loaded = loaded?;
    let mut scans = loaded.layers;
    let secrets = scans
        .iter_mut()
        .map(|s| std::mem::take(&mut s.findings))
        .collect();
    Ok(Opened {
        tree: ImageTree::from_scans(scans),
        secrets,
        image: loaded.image,
        name,
    })
}

fn parse_size(s: &str) -> Result<u64> {
    Ok(layerscope_ci::humanize::parse_bytes(s)?)
}

/// Looks at nothing, with the scanner's finding type, so one scan function serves both modes.
struct NoScan;

impl Inspector for NoScan {
    type Finding = SecretMatch;
    fn wants(&self, _: &str, _: u64) -> bool {
        false
    }
    fn inspect(&self, _: &str, _: &[u8], _: &mut Vec<SecretMatch>) {}
}
