//! Command-line flags, dive's spellings kept where dive has them.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "layerscope",
    version,
    about = "See what is inside a container image, layer by layer",
    long_about = "See what is inside a container image, layer by layer: what each layer added, changed \
and removed, how many bytes the image wastes, and what it ships that nobody can see.\n\n\
IMAGE is a `docker save` archive (any layout, optionally gzip- or zstd-compressed), an \
oci-archive tarball or an OCI layout directory; skopeo's transport prefixes (docker-archive:, \
oci:, oci-archive:) and dive's docker-archive:// are accepted.\n\n\
With CI=true (or --ci) it runs the CI gate instead of the interactive explorer.",
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub run: RunArgs,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check the image against the .dive-ci rules; exit 1 when a rule fails.
    Ci(RunArgs),
    /// What ships but nobody sees: secrets in any layer, files later layers hid, config hygiene.
    Leaks(RunArgs),
}

#[derive(Debug, Args, Clone, Default)]
pub struct RunArgs {
    /// The image to open.
    pub image: Option<String>,

    #[command(flatten)]
    pub source: SourceArgs,

    /// Run the CI gate (also when the CI environment variable is true).
    #[arg(long)]
    pub ci: bool,

    /// The CI rules file [default: .dive-ci in the current directory, when there is one].
    #[arg(long, value_name = "PATH")]
    pub ci_config: Option<PathBuf>,

    /// Write the whole report as JSON to PATH (`-` for standard output).
    #[arg(short = 'j', long, value_name = "PATH")]
    pub json: Option<String>,

    /// Fail when the efficiency score (0..1) is below this; overrides the rules file.
    #[arg(long = "lowestEfficiency", value_name = "RATIO")]
    pub lowest_efficiency: Option<String>,

    /// Fail when more than this many bytes are wasted (20MB, 15 kB, disabled); overrides the rules file.
    #[arg(long = "highestWastedBytes", value_name = "SIZE")]
    pub highest_wasted_bytes: Option<String>,

    /// Fail when wasted bytes exceed this share (0..1) of the bytes above the base layer.
    #[arg(long = "highestUserWastedPercent", value_name = "RATIO")]
    pub highest_user_wasted_percent: Option<String>,

    /// Skip the secret scan of file contents (the leak report keeps hidden files and hygiene).
    #[arg(long)]
    pub no_secret_scan: bool,

    /// Accepted for dive compatibility; layerscope's trees have no path errors to ignore.
    #[arg(short = 'i', long, hide = true)]
    pub ignore_errors: bool,
}

#[derive(Debug, Args, Clone, Default)]
pub struct SourceArgs {
    /// Where the image comes from: docker-archive, oci-archive or oci (dive's --source).
    #[arg(long, value_name = "SOURCE", env = "DIVE_SOURCE")]
    pub source: Option<String>,

    /// Platform to pick from a multi-platform index (default: this machine's).
    #[arg(long, value_name = "OS/ARCH[/VARIANT]")]
    pub platform: Option<String>,

    /// Image to pick from an archive holding several (a tag, or a position from 0).
    #[arg(long = "image", value_name = "NAME")]
    pub pick: Option<String>,

    /// Skip the digest checks of blobs and layers: faster, for archives you already trust.
    #[arg(long)]
    pub no_verify: bool,

    /// Refuse a layer that decompresses past this size (a decompression-bomb guard).
    #[arg(long, value_name = "SIZE", default_value = "64GiB")]
    pub max_layer_size: String,
}
