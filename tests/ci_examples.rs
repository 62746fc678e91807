//! The pipeline examples in docs/ci run as written: every shell command in them, with podman
//! standing in for the Docker engine the hosted runners have, and layerscope from this build.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "util/mod.rs"]
mod util;

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;
use util::require;

/// The shell commands of a GitHub Actions workflow (`run:`) or a GitLab job (`script:`).
fn commands(file: &str) -> Vec<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("docs/ci")
        .join(file);
    let yaml: Value = serde_saphyr::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut out = Vec::new();
    collect(&yaml, &mut out);
    out
}

fn collect(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                match (key.as_str(), v) {
                    ("run", Value::String(command)) => out.push(command.clone()),
                    ("script", Value::Array(lines)) => {
                        out.extend(lines.iter().filter_map(|l| l.as_str().map(str::to_owned)));
                    }
                    _ => collect(v, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect(v, out)),
        _ => {}
    }
}

/// A directory on PATH with `docker` (podman with its own storage) and `layerscope`.
fn toolbox(dir: &Path) -> PathBuf {
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let storage = dir.join("storage");
    let docker = format!(
        "#!/bin/sh\nexport BUILDAH_ISOLATION=chroot\nexec podman --storage-driver vfs --root '{0}/root' --runroot '{0}/run' \"$@\"\n",
        storage.display()
    );
    layerscope_testkit::write_executable(&bin.join("docker"), &docker);
    let layerscope = assert_cmd::cargo::cargo_bin("layerscope");
    std::os::unix::fs::symlink(layerscope, bin.join("layerscope")).unwrap();
    bin
}

/// A project with an image to build: one file, and a `.dive-ci` its gate passes.
fn project(dir: &Path) -> PathBuf {
    let project = dir.join("project");
    std::fs::create_dir_all(&project).unwrap();
    std::fs::write(
        project.join("Dockerfile"),
        "FROM scratch\nCOPY hello.txt /\nUSER 1000\n",
    )
    .unwrap();
    std::fs::write(project.join("hello.txt"), "hello\n").unwrap();
    std::fs::write(
        project.join(".dive-ci"),
        "rules:\n  lowestEfficiency: 0.95\n  maxSecretFindings: 0\n",
    )
    .unwrap();
    project
}

/// Runs every command of `file` in a new project; the directory lives as long as the guard.
fn run_all(file: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let bin = toolbox(dir.path());
    let project = project(dir.path());
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let commands = commands(file);
    assert!(
        commands.iter().any(|c| c.starts_with("layerscope ")),
        "{commands:?}"
    );
    for command in &commands {
        let o = Command::new("sh")
            .args(["-ec", command])
            .current_dir(&project)
            .env("PATH", &path)
            .env("CI", "true")
            .env("NO_COLOR", "1")
            .env_remove("GITHUB_ACTIONS")
            .output()
            .unwrap();
        assert!(
            o.status.success(),
            "{file}: `{command}` failed:\n{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
    }
    (dir, project)
}

#[test]
fn the_github_actions_workflow_runs() {
    if !require("podman", "--version") {
        return;
    }
    let (_dir, project) = run_all("github-actions.yml");
    let sarif: Value =
        serde_json::from_str(&std::fs::read_to_string(project.join("layerscope.sarif")).unwrap())
            .unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let junit = std::fs::read_to_string(project.join("layerscope.xml")).unwrap();
    assert!(junit.contains("<testsuite name=\"leaks\""), "{junit}");
}

#[test]
fn the_gitlab_job_runs() {
    if !require("podman", "--version") {
        return;
    }
    let (_dir, project) = run_all("gitlab-ci.yml");
    for file in ["layerscope.xml", "layerscope.sarif", "layerscope.md"] {
        assert!(project.join(file).is_file(), "{file}");
    }
    let summary = std::fs::read_to_string(project.join("layerscope.md")).unwrap();
    assert!(summary.contains("✅ passed"), "{summary}");
}
