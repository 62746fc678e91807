//! The formats a pipeline reads, through the real binary: every flag in every mode that makes a
//! report, several at once, and what a GitHub Actions run adds by itself.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "util/mod.rs"]
mod util;

use std::process::Command;

use util::{ci, layerscope, stderr, stdout, testdata};

fn demo() -> String {
    testdata("demo.tar").to_str().unwrap().to_owned()
}

#[test]
fn one_run_writes_every_format_beside_the_text() {
    let dir = tempfile::tempdir().unwrap();
    let path = |name: &str| dir.path().join(name).to_str().unwrap().to_owned();
    let o = ci(
        dir.path(),
        &[
            "--json",
            &path("r.json"),
            "--sarif",
            &path("r.sarif"),
            "--junit",
            &path("r.xml"),
            "--markdown",
            &path("r.md"),
            "--html",
            &path("r.html"),
            &demo(),
        ],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("Result:FAIL"),
        "the text is still printed"
    );
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path("r.json")).unwrap()).unwrap();
    assert_eq!(json["gate"]["passed"], false);
    let sarif: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path("r.sarif")).unwrap()).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    assert!(
        std::fs::read_to_string(path("r.xml"))
            .unwrap()
            .contains("<testsuites ")
    );
    assert!(
        std::fs::read_to_string(path("r.md"))
            .unwrap()
            .starts_with("### layerscope: ")
    );
    let html = std::fs::read_to_string(path("r.html")).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"), "{}", &html[..80]);
    assert!(html.contains("testdata/demo.tar"));
}

#[test]
fn the_leak_report_writes_them_too_and_outside_ci_they_exit_zero() {
    let dir = tempfile::tempdir().unwrap();
    let sarif = dir.path().join("l.sarif");
    let o = layerscope(dir.path())
        .args(["leaks", "--sarif", sarif.to_str().unwrap(), &demo()])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).starts_with("Secrets: 5"));
    let text = std::fs::read_to_string(&sarif).unwrap();
    assert!(
        text.contains("\"ruleId\": \"private-key-openssh\""),
        "{text}"
    );
    // Outside CI mode a document alone is a report run, as dive's --json is: exit 0.
    let o = layerscope(dir.path())
        .args(["--junit", "-", &demo()])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).starts_with("<?xml"), "{}", stdout(&o));
}

#[test]
fn dives_own_export_for_scripts_written_for_dive() {
    let dir = tempfile::tempdir().unwrap();
    let o = layerscope(dir.path())
        .args(["--json", "-", "--json-format", "dive", &demo()])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["image"]["inefficientBytes"], 52418);
    assert_eq!(v["layer"].as_array().unwrap().len(), 14);
    assert_eq!(
        v["layer"][5]["fileList"][0]["path"],
        "app/static/.wh.app.js"
    );
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, ["image", "layer"]);
}

#[test]
fn only_one_document_takes_standard_output() {
    let dir = tempfile::tempdir().unwrap();
    let o = ci(dir.path(), &["--json", "-", "--markdown", "-", &demo()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("--json, --markdown all ask for standard output"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn github_actions_gets_a_job_summary_and_annotations() {
    let dir = tempfile::tempdir().unwrap();
    let summary = dir.path().join("summary.md");
    std::fs::write(&summary, "earlier step\n").unwrap();
    let o = layerscope(dir.path())
        .env("CI", "true")
        .env("GITHUB_ACTIONS", "true")
        .env("GITHUB_STEP_SUMMARY", &summary)
        .arg(demo())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    let written = std::fs::read_to_string(&summary).unwrap();
    assert!(
        written.starts_with("earlier step\n### layerscope: "),
        "appended: {written}"
    );
    assert!(written.contains("| `highestUserWastedPercent` | ❌ fail |"));
    let out = stdout(&o);
    let annotations: Vec<&str> = out.lines().filter(|l| l.starts_with("::error ")).collect();
    assert_eq!(annotations.len(), 1, "{out}");
    assert!(annotations[0].starts_with("::error title=layerscope highestUserWastedPercent%3A "));
    assert!(out.find("Result:FAIL").unwrap() < out.find("::error").unwrap());
}

#[test]
fn quiet_and_verbose() {
    let dir = tempfile::tempdir().unwrap();
    let o = ci(dir.path(), &["-q", &demo()]);
    assert_eq!(o.status.code(), Some(1), "the exit code still tells");
    assert!(stdout(&o).is_empty() && stderr(&o).is_empty());
    let o = ci(dir.path(), &["--verbose", &demo()]);
    let err = stderr(&o);
    assert!(
        err.contains("(docker-archive, linux/amd64): 14 layers"),
        "{err}"
    );
    assert!(err.contains("read and scanned in "), "{err}");
}

#[test]
fn the_version_names_its_commit() {
    let dir = tempfile::tempdir().unwrap();
    for flag in ["--version", "-V", "-v"] {
        let o = layerscope(dir.path()).arg(flag).output().unwrap();
        let out = stdout(&o);
        assert!(
            out.starts_with(&format!("layerscope {} (", env!("CARGO_PKG_VERSION"))),
            "{flag}: {out}"
        );
        assert!(out.trim_end().ends_with(')'), "{out}");
    }
}

#[test]
fn completions_complete_in_a_real_bash() {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("layerscope.bash");
    let o = layerscope(dir.path())
        .args(["completions", "bash"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
    std::fs::write(&script, &o.stdout).unwrap();
    let complete = |words: &str, index: usize| -> String {
        let program = format!(
            "source {}; COMP_WORDS=({words}); COMP_CWORD={index}; COMP_LINE='{words}'; COMP_POINT=${{#COMP_LINE}}; _layerscope layerscope; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
            script.display()
        );
        let o = Command::new("bash")
            .args(["--norc", "-c", &program])
            .output()
            .expect("bash runs");
        String::from_utf8_lossy(&o.stdout).into_owned()
    };
    let subcommands = complete("layerscope c", 1);
    assert!(
        subcommands.lines().any(|l| l == "ci") && subcommands.lines().any(|l| l == "completions"),
        "{subcommands}"
    );
    let flags = complete("layerscope --sa", 1);
    assert!(flags.lines().any(|l| l == "--sarif"), "{flags}");
    let shells = complete("layerscope completions ", 2);
    assert!(shells.lines().any(|l| l == "zsh"), "{shells}");
    for shell in ["zsh", "fish", "elvish", "powershell"] {
        let o = layerscope(dir.path())
            .args(["completions", shell])
            .output()
            .unwrap();
        assert!(o.status.success() && !o.stdout.is_empty(), "{shell}");
    }
}

#[test]
fn the_manual_page_documents_the_flags() {
    let dir = tempfile::tempdir().unwrap();
    let o = layerscope(dir.path()).arg("manpage").output().unwrap();
    let page = stdout(&o);
    assert!(page.contains(".TH layerscope 1"), "{page}");
    for flag in [
        "\\-\\-ci\\-config",
        "\\-\\-sarif",
        "\\-\\-junit",
        "\\-\\-markdown",
        "\\-\\-platform",
    ] {
        assert!(page.contains(flag), "{flag}");
    }
}
