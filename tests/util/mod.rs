//! Running the real binary against archives, the way a user or a CI job would.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;

pub fn testdata(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata")
        .join(rel)
}

/// The binary with a clean environment: no colour, no inherited CI setting, a fresh directory
/// (so no stray `.dive-ci` is picked up).
pub fn layerscope(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("layerscope").expect("binary builds");
    cmd.current_dir(dir)
        .env_remove("CI")
        .env_remove("DIVE_SOURCE")
        .env("NO_COLOR", "1")
        .env("HOME", dir)
        .env("XDG_CONFIG_HOME", dir.join(".config"));
    cmd
}

pub fn ci(dir: &Path, args: &[&str]) -> Output {
    layerscope(dir)
        .env("CI", "true")
        .args(args)
        .output()
        .expect("binary runs")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The three figures and the inefficient table, sorted so tie order does not matter.
pub fn figures(text: &str) -> (Vec<String>, Vec<String>) {
    let lines: Vec<&str> = text.lines().collect();
    let heads = lines
        .iter()
        .filter(|l| {
            l.starts_with("  efficiency:")
                || l.starts_with("  wastedBytes:")
                || l.starts_with("  userWastedPercent:")
        })
        .map(|l| (*l).to_owned())
        .collect();
    let start = lines
        .iter()
        .position(|l| l.starts_with("Count  Wasted Space"))
        .map_or(lines.len(), |i| i + 1);
    let end = lines
        .iter()
        .position(|l| l.starts_with("Reclaimable Files:") || l.starts_with("Results:"))
        .unwrap_or(lines.len());
    let mut rows: Vec<String> = lines[start.min(end)..end]
        .iter()
        .map(|l| (*l).to_owned())
        .collect();
    rows.sort();
    (heads, rows)
}

/// Whether `program` runs here. CI installs every tool a test needs (`.ci/run`), so there a
/// missing one fails the test instead of skipping it; elsewhere the test says why it skips.
pub fn require(program: &str, version_flag: &str) -> bool {
    let found = std::process::Command::new(program)
        .arg(version_flag)
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "{program} is required in CI (.ci/run installs it)"
        );
        eprintln!("{program} is not installed: skipping (CI runs this test)");
    }
    found
}

/// A command from `.ci/run`'s toolbox, failing the test with what it printed.
pub fn run_tool(program: &str, args: &[&str]) -> std::process::Output {
    let o = std::process::Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{program} does not run: {e}"));
    assert!(
        o.status.success(),
        "{program} {args:?} failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    o
}

/// The bytes of the first version of PATH in OPENED, read again as the explorer's viewer reads
/// them.
pub fn read_back(
    opened: &layerscope_report::Opened,
    path: &str,
) -> Result<Vec<u8>, layerscope_reader::ReadError> {
    let node = opened.tree.lookup(path).expect("the path is in the image");
    let (layer, entry) = opened
        .tree
        .layers
        .iter()
        .enumerate()
        .find_map(|(i, l)| l.entries.iter().find(|e| e.node == node).map(|e| (i, *e)))
        .expect("a version of the path");
    opened.image.read_at(
        layer,
        entry.data_offset,
        entry.size,
        1 << 20,
        &std::sync::atomic::AtomicBool::new(false),
    )
}

/// Asserts that a JSON document is valid against the schema at SCHEMA (relative to the
/// workspace root), naming the first place where it is not.
pub fn assert_matches_schema(document: &serde_json::Value, schema: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(schema);
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    assert!(
        validator.is_valid(document),
        "{}: {:?}",
        path.display(),
        validator.iter_errors(document).next()
    );
}
