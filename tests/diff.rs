//! `layerscope diff` and `layerscope ci --baseline` through the real binary, on two real
//! versions of one image (testdata/make-diff.sh).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "util/mod.rs"]
mod util;

use util::{ci, layerscope, stderr, stdout, testdata};

fn v(name: &str) -> String {
    testdata(&format!("diff/{name}.tar"))
        .to_str()
        .unwrap()
        .to_owned()
}

/// Runs from testdata/ with relative names, so the text does not depend on the checkout.
fn run(args: &[&str]) -> std::process::Output {
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = layerscope(dir.path());
    cmd.current_dir(testdata("")).args(args).output().unwrap()
}

#[test]
fn the_diff_says_how_much_it_grew_and_what_explains_it() {
    let o = run(&["diff", "diff/v1.tar", "diff/v2.tar"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = stdout(&o);
    let first = text.lines().next().unwrap();
    assert_eq!(
        first,
        "diff/v1.tar → diff/v2.tar: +136 kB (18 kB → 154 kB); 7 added, 4 removed, 2 modified (154 kB in, 18 kB out of the final filesystem)"
    );
    let dirs = &text[text.find("Directories:\n").unwrap()..];
    assert!(
        dirs.lines()
            .nth(1)
            .unwrap()
            .trim_start()
            .starts_with("+154 kB  /usr (5 changed)"),
        "{dirs}"
    );
    let files = &text[text.find("Files:\n").unwrap()..];
    let top = files.lines().nth(1).unwrap();
    assert!(
        top.contains("+123 kB  /usr/lib/pkg/libpkg.so  added by layer 3 `COPY dir:"),
        "{top}"
    );
    assert!(
        text.contains("  - -6.0 kB  /app/docs/guide.md  removed (was layer 1 `COPY dir:"),
        "{text}"
    );
    assert!(
        text.contains("/etc/app/config.yml  layer 2 `COPY file:"),
        "the reordered layer: {text}"
    );
    assert!(
        text.contains("  + critical  github-token  ghp_****************"),
        "{text}"
    );
    insta::assert_snapshot!("diff_v1_v2", text);
}

#[test]
fn the_json_is_the_diff_report() {
    let o = run(&["diff", "--json", "-", "diff/v1.tar", "diff/v2.tar"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["schemaVersion"], 1);
    assert_eq!(v["summary"]["growth"], 135_681);
    assert_eq!(v["layers"]["shared"], 1);
    util::assert_matches_schema(&v, "crates/layerscope-diff/diff.schema.json");
    // The token planted in v2 is masked wherever it appears.
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains("ghp_"), "the secret is reported");
    assert!(
        text.match_indices("ghp_")
            .all(|(i, _)| text[i + 4..].starts_with('*')),
        "{text}"
    );
}

#[test]
fn a_side_that_cannot_be_read_is_named() {
    let o = run(&["diff", "nope.tar", "diff/v2.tar"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.starts_with("layerscope: the old image: nope.tar: cannot open"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1);
    let o = run(&["diff", "diff/v1.tar", "demo.tar.missing"]);
    assert!(
        stderr(&o).starts_with("layerscope: the new image: demo.tar.missing"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn the_gate_holds_an_image_to_its_baseline() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join(".dive-ci"),
        "rules:\n  maxSizeGrowth: 100kB\n  maxEfficiencyDrop: 0.01\n  max-new-secret-findings: 0\n",
    )
    .unwrap();
    let o = ci(dir.path(), &["--baseline", &v("v1"), &v("v2")]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let out = stdout(&o);
    let rules = &out[out.find("Baseline Rules:\n").unwrap()..];
    assert_eq!(
        rules,
        "Baseline Rules:
  PASS: maxEfficiencyDrop
  FAIL: maxNewSecretFindings: too many secrets the baseline did not have (new-secret-findings=2 > threshold=0)
  FAIL: maxSizeGrowth: image grew too much since the baseline (growth=135681 > threshold=100000)
Baseline Result:FAIL [Total:3] [Passed:1] [Failed:2] [Skipped:0]
"
    );
    // A share of the baseline's size works too, and dive's block is untouched.
    std::fs::write(
        dir.path().join(".dive-ci"),
        "rules:\n  maxSizeGrowth: 800%\n",
    )
    .unwrap();
    let o = ci(dir.path(), &["--baseline", &v("v1"), &v("v2")]);
    let out = stdout(&o);
    assert!(out.contains("  PASS: maxSizeGrowth\n"), "{out}");
    assert!(
        out.contains("Result:PASS [Total:3] [Passed:2] [Failed:0] [Warn:0] [Skipped:1]"),
        "{out}"
    );
    assert_eq!(o.status.code(), Some(0));
    // Without a baseline the baseline rules are not in the report at all.
    let o = ci(dir.path(), &[&v("v2")]);
    assert!(!stdout(&o).contains("maxSizeGrowth"));
}
