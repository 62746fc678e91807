//! One read of an image: the reader streams each layer once, the tree crate records its
//! entries, and the secret scanner looks at file contents on their way past.

use std::io::BufRead;
use std::path::Path;

use layerscope_leaks::{SecretMatch, SecretScanner};
use layerscope_reader::{Image, Input, Options, ReadError};
use layerscope_tree::{ImageTree, Inspector, TarLimits, TreeError, scan_layer};

/// An image read into trees.
#[derive(Debug)]
pub struct Opened {
    pub image: Image,
    pub tree: ImageTree,
    /// Per layer, what the secret scan found (empty when it did not run).
    pub secrets: Vec<Vec<(u32, SecretMatch)>>,
}

/// Why an image could not be read into trees.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error(transparent)]
    Read(#[from] ReadError),
    #[error(transparent)]
    Tree(#[from] TreeError),
}

/// Reads the image at `path`; with a scanner, file contents are scanned for secrets in the
/// same pass.
pub fn open(
    path: &Path,
    options: &Options,
    scanner: Option<&SecretScanner>,
) -> Result<Opened, OpenError> {
    open_input(&Input::Path(path.to_owned()), options, scanner)
}

/// Reads the image wherever it is (a path, an engine's stream, a registry), in one pass.
pub fn open_input(
    input: &Input,
    options: &Options,
    scanner: Option<&SecretScanner>,
) -> Result<Opened, OpenError> {
    let scan = |tar: &mut dyn BufRead| {
        let layer = match scanner {
            Some(scanner) => scan_layer(tar, TarLimits::default(), scanner),
            None => scan_layer(tar, TarLimits::default(), &NoScan),
        };
        layer.map_err(|e| Box::new(e) as Box<dyn std::error::Error + Send + Sync>)
    };
    let loaded = layerscope_reader::load_input(input, options, &scan)?;
    let mut scans = loaded.layers;
    let secrets = scans
        .iter_mut()
        .map(|s| std::mem::take(&mut s.findings))
        .collect();
    Ok(Opened {
        tree: ImageTree::from_scans(scans)?,
        secrets,
        image: loaded.image,
    })
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
