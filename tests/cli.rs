//! The CI gate as a pipeline uses it: how CI mode is switched on, rules files and flags, exit
//! codes and the JSON report.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "util/mod.rs"]
mod util;

use util::{ci, layerscope, stderr, stdout, testdata};

fn demo() -> String {
    testdata("demo.tar").to_str().unwrap().to_owned()
}

#[test]
fn ci_is_switched_on_as_dive_parses_the_variable() {
    let dir = tempfile::tempdir().unwrap();
    for value in ["1", "t", "T", "TRUE", "true", "True"] {
        let o = layerscope(dir.path())
            .env("CI", value)
            .arg(demo())
            .output()
            .unwrap();
        assert!(stdout(&o).contains("Results:"), "CI={value}");
        assert_eq!(o.status.code(), Some(1), "CI={value}");
    }
    let o = layerscope(dir.path())
        .args(["ci", &demo()])
        .output()
        .unwrap();
    assert!(
        stdout(&o).contains("Result:FAIL [Total:3] [Passed:1] [Failed:1] [Warn:0] [Skipped:1]")
    );
}

#[test]
fn a_passing_rules_file_exits_zero() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join(".dive-ci"),
        "plugins:\n  - plugin1\nrules:\n  lowestEfficiency: 0.95\n  highestWastedBytes: 60kB\n  highest-user-wasted-percent: disabled\n",
    )
    .unwrap();
    let o = ci(dir.path(), &[&demo()]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert!(out.starts_with("  Using CI config: .dive-ci\n"), "{out}");
    assert!(out.contains("  PASS: highestWastedBytes\n"));
    assert!(out.contains("  SKIP: highestUserWastedPercent: rule disabled\n"));
}

#[test]
fn flags_override_the_rules_file_with_strict_comparisons() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join(".dive-ci"),
        "rules:\n  highestUserWastedPercent: disabled\n",
    )
    .unwrap();
    // wastedBytes is 52418: equal to the threshold passes, one below fails.
    let at = ci(dir.path(), &["--highestWastedBytes", "52418", &demo()]);
    assert_eq!(at.status.code(), Some(0), "{}", stdout(&at));
    let below = ci(dir.path(), &["--highestWastedBytes", "52417", &demo()]);
    assert_eq!(below.status.code(), Some(1));
    assert!(stdout(&below).contains(
        "FAIL: highestWastedBytes: too many bytes wasted (wasted-bytes=52418 > threshold=52417)"
    ));
}

#[test]
fn an_invalid_rules_file_names_the_file_line_and_key() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("rules.yaml"),
        "rules:\n  lowestEfficiency: 0.5\n  highestUserWastedPercent: 1.5\n",
    )
    .unwrap();
    let o = ci(dir.path(), &["--ci-config", "rules.yaml", &demo()]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("rules.yaml:3: rules.highestUserWastedPercent"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1);
}

#[test]
fn json_report_carries_figures_rules_and_a_schema_version() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.json");
    // A longer stale file must not leave bytes behind (dive's export does).
    std::fs::write(&path, "x".repeat(1 << 20)).unwrap();
    let o = ci(dir.path(), &["--json", path.to_str().unwrap(), &demo()]);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(v["schemaVersion"], 2);
    assert_eq!(v["dive"]["wastedBytes"], 52418);
    assert_eq!(v["image"]["layers"].as_array().unwrap().len(), 14);
    assert_eq!(v["image"]["platform"], "linux/amd64");
    assert_eq!(v["gate"]["passed"], false);
    let failed: Vec<&str> = v["gate"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["status"] == "fail")
        .map(|r| r["rule"].as_str().unwrap())
        .collect();
    assert_eq!(failed, ["highestUserWastedPercent"]);
    let secret = v["reclaimable"]["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["path"] == "/root/.ssh/id_ed25519")
        .expect("the deleted key is reclaimable");
    assert_eq!(secret["hiddenBy"]["layer"], 13);
    assert_eq!(secret["hiddenBy"]["how"], "deleted");
    // Valid against the schema the report crate keeps.
    util::assert_matches_schema(&v, "crates/layerscope-report/report.schema.json");
}

#[test]
fn json_to_stdout_outside_ci_mode_exits_zero() {
    let dir = tempfile::tempdir().unwrap();
    let o = layerscope(dir.path())
        .args(["--json", "-", &demo()])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(v["dive"]["efficiency"].as_f64().unwrap() > 0.97);
}

#[test]
fn no_colour_off_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let o = layerscope(dir.path())
        .env_remove("NO_COLOR")
        .env("CI", "true")
        .arg(demo())
        .output()
        .unwrap();
    assert!(!stdout(&o).contains('\u{1b}'));
}

#[test]
fn usage_errors_exit_two() {
    let dir = tempfile::tempdir().unwrap();
    let o = ci(dir.path(), &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no image given"));
    let o = ci(dir.path(), &["--source", "docker", &demo()]);
    assert_eq!(o.status.code(), Some(2));
}

#[cfg(feature = "tui")]
#[test]
fn the_explorer_without_a_terminal_says_what_to_run_instead() {
    let dir = tempfile::tempdir().unwrap();
    let o = layerscope(dir.path()).arg(demo()).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("the explorer needs a terminal"),
        "{}",
        stderr(&o)
    );
}

#[cfg(not(feature = "tui"))]
#[test]
fn a_build_without_the_explorer_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let o = layerscope(dir.path()).arg(demo()).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("no interactive explorer"),
        "{}",
        stderr(&o)
    );
}
