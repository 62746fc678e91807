//! layerscope's own image: the Containerfile builds (buildah), and layerscope reads the result
//! with the binary inside it: one layer, nothing wasted, nothing found, not root.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "util/mod.rs"]
mod util;

use std::path::Path;
use std::process::Command;

use util::{require, run_tool};

/// A static build of its own, beside the test build, whose target directory it cannot share.
fn static_build(root: &Path) {
    let target = root.join("target/static");
    let status = Command::new(env!("CARGO"))
        .current_dir(root)
        .args(["build", "--locked", "--target", "x86_64-unknown-linux-gnu"])
        .env("CARGO_TARGET_DIR", &target)
        .env("RUSTFLAGS", "-C target-feature=+crt-static")
        .env("CARGO_PROFILE_DEV_DEBUG", "0")
        .status()
        .unwrap();
    assert!(status.success(), "the static build fails");
}

#[test]
fn the_containerfile_builds_a_clean_image_of_layerscope() {
    if !require("buildah", "--version") {
        return;
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    static_build(root);
    let work = tempfile::tempdir().unwrap();
    let store = |name: &str| work.path().join(name).to_str().unwrap().to_owned();
    let (storage, run) = (store("storage"), store("run"));
    let buildah = |args: &[&str]| {
        let mut all = vec![
            "--storage-driver",
            "vfs",
            "--root",
            &storage,
            "--runroot",
            &run,
        ];
        all.extend_from_slice(args);
        run_tool("buildah", &all)
    };
    let context = root.to_str().unwrap();
    buildah(&[
        "bud",
        "--isolation",
        "chroot",
        "--format",
        "docker",
        "-f",
        &format!("{context}/Containerfile"),
        "--build-arg",
        "BINARY=target/static/x86_64-unknown-linux-gnu/debug/layerscope",
        "-t",
        "layerscope-self",
        context,
    ]);
    let archive = store("self.tar");
    buildah(&[
        "push",
        "layerscope-self",
        &format!("docker-archive:{archive}:layerscope:self"),
    ]);

    let (ours, theirs) = run_on_itself(work.path(), &archive);
    for report in [&ours, &theirs] {
        assert!(report.contains("  efficiency: 100.0000 %\n"), "{report}");
        assert!(report.contains("Secrets: 0\n"), "{report}");
        assert!(
            report.contains("Hygiene: 0\n"),
            "not root, HEALTHCHECK NONE: {report}"
        );
    }
    let json = util::layerscope(work.path())
        .args(["--json", "-", &archive])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(v["leaks"]["hygiene"].as_array().unwrap().len(), 0);
    assert_eq!(v["image"]["platform"], "linux/amd64");
}

/// The CI report of the image by this build, and by the binary inside the image, taken out of
/// it and run on the image it came from.
fn run_on_itself(work: &Path, archive: &str) -> (String, String) {
    let layers = tempfile::tempdir().unwrap();
    run_tool(
        "tar",
        &["-xf", archive, "-C", layers.path().to_str().unwrap()],
    );
    let manifest: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(layers.path().join("manifest.json")).unwrap(),
    )
    .unwrap();
    let image_layers = manifest[0]["Layers"].as_array().unwrap();
    assert_eq!(image_layers.len(), 1, "one layer: the binary");
    let layer = layers.path().join(image_layers[0].as_str().unwrap());
    run_tool(
        "tar",
        &[
            "-xf",
            layer.to_str().unwrap(),
            "-C",
            layers.path().to_str().unwrap(),
            "layerscope",
        ],
    );
    let inside = layers.path().join("layerscope");
    let o = util::layerscope(work)
        .env("CI", "true")
        .arg(archive)
        .output()
        .unwrap();
    let ours = util::stdout(&o);
    let o = Command::new(&inside)
        .current_dir(work)
        .env("CI", "true")
        .env("NO_COLOR", "1")
        .args(["--ci-config", "/dev/null", archive])
        .output()
        .unwrap();
    let theirs = String::from_utf8_lossy(&o.stdout).into_owned();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{theirs}{}",
        String::from_utf8_lossy(&o.stderr)
    );
    (ours, theirs)
}
