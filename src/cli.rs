//! Command-line flags, dive's spellings kept where dive has them.

use std::path::PathBuf;

use clap::{ArgAction, Args, Parser, Subcommand, ValueEnum};

/// The version, with the commit it was built from.
pub const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (",
    env!("LAYERSCOPE_COMMIT"),
    ")"
);

#[derive(Debug, Parser)]
#[command(
    name = "layerscope",
    version = VERSION,
    disable_version_flag = true,
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
    /// Print the version and the commit it was built from (`-v` as in dive).
    #[arg(short = 'V', visible_short_alias = 'v', long, action = ArgAction::Version)]
    version: Option<bool>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check the image against the .dive-ci rules; exit 1 when a rule fails.
    Ci(RunArgs),
    /// What ships but nobody sees: secrets in any layer, files later layers hid, config hygiene.
    Leaks(RunArgs),
    /// What changed from OLD to NEW: layers, files, growth by directory, figures, findings.
    Diff(DiffArgs),
    /// Print a completion script for a shell (`layerscope completions bash > /etc/bash_completion.d/layerscope`).
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (`layerscope manpage > layerscope.1; man ./layerscope.1`).
    Manpage,
}

/// The JSON `--json` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum JsonFormat {
    /// layerscope's report, with the rule results (its schema is in the docs).
    #[default]
    Layerscope,
    /// What `dive -j` writes, key for key, for scripts written for dive.
    Dive,
}

#[derive(Debug, Args, Clone, Default)]
#[allow(
    clippy::struct_excessive_bools,
    reason = "each is a command-line switch of its own"
)]
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

    /// Which JSON `--json` writes.
    #[arg(long, value_enum, value_name = "FORMAT", default_value_t)]
    pub json_format: JsonFormat,

    /// Write the findings and failed rules as SARIF 2.1.0 to PATH, for code scanning.
    #[arg(long, value_name = "PATH")]
    pub sarif: Option<String>,

    /// Write the rules as `JUnit` XML to PATH, for a CI server's test report.
    #[arg(long, value_name = "PATH")]
    pub junit: Option<String>,

    /// Write a Markdown summary to PATH, for a pull request or a job summary.
    #[arg(long, value_name = "PATH")]
    pub markdown: Option<String>,

    /// Write the report as one self-contained HTML page to PATH: the layers as bars, a treemap
    /// of where the bytes went, the findings and the file tables.
    #[arg(long, value_name = "PATH")]
    pub html: Option<String>,

    /// Print no report and no progress, only errors: the exit code and the files written say it all.
    #[arg(short, long, conflicts_with = "verbose")]
    pub quiet: bool,

    /// Say on standard error what was read and how long each step took.
    #[arg(long)]
    pub verbose: bool,

    /// Gate the image against this earlier one too: the baseline rules of the rules file
    /// (maxSizeGrowth, maxEfficiencyDrop, maxNewSecretFindings) apply, and the diff is printed.
    #[arg(long, value_name = "OLD")]
    pub baseline: Option<String>,

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
    /// Where the image comes from when its name has no prefix: docker, podman, registry,
    /// docker-archive, oci-archive, oci or dir (dive's --source). Without it, a path is read as
    /// a file and a reference is looked for in the Docker engine, then Podman, then its registry.
    #[arg(long, value_name = "SOURCE", env = "DIVE_SOURCE")]
    pub source: Option<String>,

    /// Allow plain HTTP and unverified certificates for this registry (HOST[:PORT]), as
    /// Docker's --insecure-registry; loopback registries need no flag.
    #[arg(long, value_name = "HOST[:PORT]")]
    pub insecure_registry: Vec<String>,

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

/// `layerscope diff OLD NEW`.
#[derive(Debug, Args, Clone)]
pub struct DiffArgs {
    /// The earlier image.
    pub old: String,
    /// The later image.
    pub new: String,

    #[command(flatten)]
    pub source: SourceArgs,

    /// The rules file, for the secret scanner's settings [default: .dive-ci here, if any].
    #[arg(long, value_name = "PATH")]
    pub ci_config: Option<PathBuf>,

    /// Write the diff as JSON to PATH (`-` for standard output) instead of the text.
    #[arg(short = 'j', long, value_name = "PATH")]
    pub json: Option<String>,

    /// Skip the secret scan of file contents (new and gone secrets are then not compared).
    #[arg(long)]
    pub no_secret_scan: bool,

    /// Print the text even on a terminal, where the explorer would open (as it does not with
    /// CI=true).
    #[arg(long)]
    pub text: bool,

    /// Print only errors.
    #[arg(short, long)]
    pub quiet: bool,
}
