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

/// How much lower than the explorer's the checks' threads run (a `nice` increment): the
/// checks fill every core for seconds, and the explorer and the terminal must still answer.
#[cfg(all(feature = "tui", target_os = "linux"))]
const CHECK_NICENESS: i32 = 10;

impl Check {
    /// Runs the checks on threads of lower priority than the caller's; a mismatch is the error
    /// a CI run of the image gives.
    #[cfg_attr(not(feature = "tui"), expect(dead_code))]
    pub fn run(&self) -> Result<()> {
        background_pool()?
            .install(|| layerscope_reader::check_input(&self.input, &self.options))
            .with_context(|| crate::output::clean(&self.typed))
    }
}

/// Threads for the checks, one a core as the read's, each at the lowered priority.
fn background_pool() -> Result<rayon::ThreadPool> {
    rayon::ThreadPoolBuilder::new()
        .thread_name(|i| format!("digest-check-{i}"))
        .start_handler(|_| lower_priority())
        .build()
        .context("starting the digest checks")
}

/// Lowers the calling thread's priority; the threads it starts inherit it. On Linux `nice`
/// applies to the calling thread alone; elsewhere it would slow the explorer too, so there this
/// does nothing. A refusal only leaves the priority as it was.
fn lower_priority() {
    #[cfg(all(feature = "tui", target_os = "linux"))]
    let _ = rustix::process::nice(CHECK_NICENESS);
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

#[cfg(all(test, feature = "tui", target_os = "linux"))]
mod tests {
    use super::*;

    #[test]
    fn the_checks_threads_and_theirs_run_below_the_callers_priority() {
        let own = || rustix::process::getpriority_process(None).expect("own priority");
        let caller = own();
        let (worker, spawned) = background_pool()
            .expect("pool")
            .install(|| (own(), std::thread::spawn(own).join().expect("thread")));
        let lowered = (caller + CHECK_NICENESS).min(19);
        assert_eq!((worker, spawned), (lowered, lowered));
        assert_eq!(own(), caller, "the caller keeps its priority");
    }
}
