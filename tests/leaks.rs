//! What ships but nobody sees, through the real binary: `layerscope leaks`, the leak section and
//! rules of the CI gate, and the JSON report.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "util/mod.rs"]
mod util;

use util::{ci, layerscope, stdout, testdata};

fn demo() -> String {
    testdata("demo.tar").to_str().unwrap().to_owned()
}

#[test]
fn every_planted_secret_is_tied_to_the_layer_that_added_it_and_the_one_that_deleted_it() {
    let dir = tempfile::tempdir().unwrap();
    for image in [
        demo(),
        testdata("demo-vfs.oci.tar").to_str().unwrap().to_owned(),
    ] {
        let o = layerscope(dir.path())
            .args(["leaks", &image])
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(0), "no leak rule is set");
        let out = stdout(&o);
        assert!(out.starts_with("Secrets: 5 (5 in hidden files)"), "{out}");
        let key = out
            .find("private-key-openssh    /root/.ssh/id_ed25519:1")
            .expect("the key");
        assert!(
            out[key..]
                .lines()
                .nth(1)
                .unwrap()
                .contains("layer 10 `COPY"),
            "{out}"
        );
        assert!(
            out[key..]
                .lines()
                .nth(1)
                .unwrap()
                .contains("deleted by layer 13 `rm /root/.ssh/id_ed25519 /app/.env`")
        );
        assert!(
            out.contains("aws-access-key-id      /app/.env:3              AKIA************IFDD"),
            "{out}"
        );
        assert!(
            out.contains("LS-H003  history entry 16: ARG NPM_TOKEN = npm_****************RNqT")
        );
        assert_no_secret(&out);
        assert!(
            out.contains("LS-H001") && out.contains("LS-H004"),
            "root user and no healthcheck"
        );
    }
}

/// The values planted in `testdata/demo.tar` (make.sh draws them from a fixed seed): no report
/// may print one whole.
const DEMO_SECRETS: [&str; 3] = [
    "npm_KLuBs8O5ba20Vo7CKU2aBIIPnYsMTsKeRNqT",
    "AKIA2FH2JM2HSYM7IFDD",
    "0t9mlbfqhgrse9LKdJmcPQji4MVPWgzv8hQm1kjk",
];

fn assert_no_secret(out: &str) {
    for secret in DEMO_SECRETS {
        assert!(!out.contains(secret), "{secret} printed whole: {out}");
    }
}

#[test]
fn a_build_argument_is_masked_in_every_command_every_report_prints() {
    // Layer 13's history records `|1 NPM_TOKEN=npm_… /bin/sh -c rm …`; the finding masks the
    // token, and so must every line that shows that layer's command.
    let dir = tempfile::tempdir().unwrap();
    for args in [
        vec!["leaks".to_owned(), demo()],
        vec![
            "leaks".to_owned(),
            "--json".to_owned(),
            "-".to_owned(),
            demo(),
        ],
        vec!["ci".to_owned(), demo()],
        vec!["--json".to_owned(), "-".to_owned(), demo()],
    ] {
        let o = layerscope(dir.path()).args(&args).output().unwrap();
        let out = stdout(&o);
        assert!(out.contains("npm_****************RNqT"), "{args:?}: {out}");
        assert_no_secret(&out);
    }
}

#[test]
fn a_clean_image_has_no_secret_finding() {
    let dir = tempfile::tempdir().unwrap();
    for image in [
        "tiny/docker-archive.tar",
        "tiny/oci-archive-zstd.tar",
        "tiny/oci-dir",
    ] {
        let o = layerscope(dir.path())
            .args(["leaks", testdata(image).to_str().unwrap()])
            .output()
            .unwrap();
        assert!(
            stdout(&o).starts_with("Secrets: 0\n"),
            "{image}: {}",
            stdout(&o)
        );
    }
}

#[test]
fn a_secret_rule_fails_the_ci_gate_without_touching_dives_lines() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join(".dive-ci"),
        "rules:\n  lowestEfficiency: 0.5\n  highestUserWastedPercent: disabled\n  maxSecretFindings: 0\n",
    )
    .unwrap();
    let o = ci(dir.path(), &[&demo()]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(
        out.contains("Result:PASS [Total:3] [Passed:1] [Failed:0] [Warn:0] [Skipped:2]"),
        "dive's rules pass: {out}"
    );
    assert!(out.contains("  FAIL: maxSecretFindings:"), "{out}");
    assert!(out.contains("Leak Result:FAIL"), "{out}");

    // The same file read by the leaks command gates it too.
    let o = layerscope(dir.path())
        .args(["leaks", &demo()])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn the_json_report_carries_the_leaks() {
    let dir = tempfile::tempdir().unwrap();
    let o = layerscope(dir.path())
        .args(["--json", "-", &demo()])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let secrets = v["leaks"]["secrets"].as_array().unwrap();
    assert_eq!(secrets.len(), 5);
    assert!(secrets.iter().all(|s| {
        let place = &s["places"][0];
        (place["layer"] == 10 || place["layer"] == 11) && place["hiddenBy"]["layer"] == 13
    }));
    assert_no_secret(&String::from_utf8_lossy(&o.stdout));
    let leak_rules = v["gate"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["rule"].as_str().unwrap().starts_with(['m', 'd', 'r']))
        .count();
    assert_eq!(leak_rules, 4);
}

#[test]
fn each_secret_kind_is_found_however_a_later_layer_hid_it_and_look_alikes_are_not() {
    // testdata/make-secrets.sh: seven kinds planted by buildah, hidden by a whiteout, an
    // overwrite or an opaque directory; plus a password variable in code, random base64 and
    // `password=changeme`, none of which is a secret.
    let dir = tempfile::tempdir().unwrap();
    let image = testdata("secrets.oci.tar");
    let o = layerscope(dir.path())
        .args(["leaks", "--json", "-", image.to_str().unwrap()])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let mut found: Vec<(String, String, u64, u64, String)> = v["leaks"]["secrets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let place = &s["places"][0];
            (
                s["rule"].as_str().unwrap().to_owned(),
                place["path"].as_str().unwrap().to_owned(),
                place["layer"].as_u64().unwrap(),
                place["hiddenBy"]["layer"].as_u64().unwrap(),
                place["hiddenBy"]["how"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    found.sort();
    let expected = [
        (
            "gcp-service-account",
            "/srv/cache/sa.json",
            5,
            11,
            "opaqueDir",
        ),
        ("github-token", "/app/gh.txt", 1, 9, "deleted"),
        ("gitlab-token", "/srv/cache/glpat.sh", 7, 11, "opaqueDir"),
        (
            "kubeconfig-credentials",
            "/root/.kube/config",
            6,
            12,
            "deleted",
        ),
        ("npm-token", "/root/.npmrc", 2, 9, "deleted"),
        ("private-key-rsa", "/srv/keys/server.key", 4, 9, "deleted"),
        ("slack-token", "/srv/cache/slack.cfg", 7, 10, "overwritten"),
    ];
    let expected: Vec<(String, String, u64, u64, String)> = expected
        .iter()
        .map(|(r, p, l, h, how)| ((*r).into(), (*p).into(), *l, *h, (*how).into()))
        .collect();
    assert_eq!(found, expected);
}

#[test]
fn a_dive_rule_the_ci_gate_rejects_does_not_stop_the_leak_report() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join(".dive-ci"),
        "rules:\n  lowestEfficiency: 1.5\n",
    )
    .unwrap();
    let o = layerscope(dir.path())
        .args(["leaks", &demo()])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", util::stderr(&o));
    // The CI gate itself does reject it, naming the file, line and key.
    let o = ci(dir.path(), &[&demo()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        util::stderr(&o).contains(".dive-ci:2: rules.lowestEfficiency"),
        "{}",
        util::stderr(&o)
    );
}
