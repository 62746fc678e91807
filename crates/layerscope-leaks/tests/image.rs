//! End to end on in-memory images: secrets planted in some layers and hidden by later ones
//! (whiteout, overwrite, opaque directory) are each reported with both layers; a clean image
//! yields no secret.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use layerscope_leaks::{
    HiddenKind, HygieneInput, LeakConfig, LeakReport, SecretFinding, SecretScanner, render_text,
};
use layerscope_waste::HideKind;
use support::E::{D, DM, F, M, Sym};
use support::{E, report, report_with, tidy_config};

const KEY: &str = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\nQyNTUxOQAAACDGJ5vZ8rWx3kQ0mN2pL4tY6uH9sA1bC7dE5fG3hJ2kLwAAAJgx1a2b\n-----END OPENSSH PRIVATE KEY-----\n";

fn token(seed: &str) -> String {
    format!("ghp_{}", seed.chars().cycle().take(36).collect::<String>())
}

const COMMANDS: [&str; 7] = [
    "/bin/sh -c #(nop) ADD file:0f1e2d in / ",
    "/bin/sh -c #(nop) COPY file:aa11 in /root/.ssh/id_ed25519 ",
    "/bin/sh -c #(nop) COPY dir:bb22 in /app/ ",
    "/bin/sh -c #(nop) COPY file:cc33 in /app/cache/deploy.sh ",
    "/bin/sh -c rm /root/.ssh/id_ed25519 /bin/ls",
    "/bin/sh -c echo 'api_token: ${TOKEN}' > /app/config.yml",
    "/bin/sh -c rm -rf /app/cache && mkdir /app/cache && echo ok > /app/cache/index.html",
];

fn planted() -> LeakReport {
    let config = format!("service:\n  api_token: {}\n", token("Aa1Bb2Cc3"));
    let deploy = format!("#!/bin/sh\nexport GITHUB_TOKEN={}\n", token("Zz9Yy8Xx7"));
    let image = HygieneInput {
        user: None,
        env: vec!["PATH=/bin".to_owned()],
        healthcheck: None,
        history: COMMANDS.iter().map(|c| (*c).to_owned()).collect(),
    };
    report(
        &[
            &[
                D("bin"),
                F("bin/sh", b"#!"),
                Sym("bin/ls", "sh"),
                D("etc"),
                F("etc/passwd", b"root:x:0:0::/root:/bin/sh\n"),
                DM("tmp", 0o1777),
                DM("root", 0o700),
            ],
            &[
                DM("root/.ssh", 0o700),
                M("root/.ssh/id_ed25519", KEY.as_bytes(), 0o600),
            ],
            &[
                D("app"),
                F(
                    "app/.env",
                    b"AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\nREGION=eu-west-1\n",
                ),
                F("app/config.yml", config.as_bytes()),
            ],
            &[
                D("app/cache"),
                M("app/cache/deploy.sh", deploy.as_bytes(), 0o755),
            ],
            &[
                D("root/.ssh"),
                F("root/.ssh/.wh.id_ed25519", b""),
                F("bin/.wh.ls", b""),
            ],
            &[F("app/config.yml", b"api_token: ${TOKEN}\n")],
            &[
                D("app/cache"),
                F("app/cache/.wh..wh..opq", b""),
                F("app/cache/index.html", b"ok\n"),
            ],
        ],
        &COMMANDS,
        &image,
    )
}

fn find<'r>(report: &'r LeakReport, rule: &str, path: &str) -> &'r SecretFinding {
    report
        .secrets
        .iter()
        .find(|s| s.rule == rule && s.path == path)
        .unwrap_or_else(|| panic!("no {rule} at {path} in {:#?}", report.secrets))
}

#[test]
fn every_planted_secret_is_reported_with_the_layer_that_added_it_and_the_one_that_hid_it() {
    let report = planted();
    let hider = |s: &SecretFinding| s.hidden.as_ref().map(|h| (h.layer, h.how));

    let key = find(&report, "private-key-openssh", "/root/.ssh/id_ed25519");
    assert_eq!((key.layer, hider(key)), (1, Some((4, HideKind::Deleted))));
    assert_eq!(key.command, COMMANDS[1]);
    assert_eq!(&*key.hidden.as_ref().unwrap().command, COMMANDS[4]);
    assert_eq!(key.masked, "-----BEGIN OPENSSH PRIVATE KEY----- …");
    let by_name = find(&report, "ssh-private-key-file", "/root/.ssh/id_ed25519");
    assert_eq!(
        (by_name.layer, hider(by_name)),
        (1, Some((4, HideKind::Deleted)))
    );

    let overwritten = find(&report, "github-token", "/app/config.yml");
    assert_eq!(
        (overwritten.layer, hider(overwritten)),
        (2, Some((5, HideKind::Overwritten)))
    );
    assert_eq!(overwritten.line, 2);

    let opaque = find(&report, "github-token", "/app/cache/deploy.sh");
    assert_eq!(
        (opaque.layer, hider(opaque)),
        (3, Some((6, HideKind::OpaqueDir)))
    );

    let visible = find(&report, "aws-access-key-id", "/app/.env");
    assert_eq!((visible.layer, hider(visible)), (2, None));
    assert_eq!(visible.masked, "AKIA************MPLE");
    assert_eq!(visible.fingerprint, "aws-access-key-id:/app/.env:1");
    let dotenv = find(&report, "dotenv-file", "/app/.env");
    assert_eq!(dotenv.layer, 2);

    assert_eq!(report.secrets.len(), 6, "{:#?}", report.secrets);
    assert_eq!(report.hidden_secret_count(), 4);
    // Hidden ones come first.
    assert!(report.secrets[..4].iter().all(|s| s.hidden.is_some()));
    for secret in &report.secrets {
        assert!(!secret.masked.contains("Aa1Bb2Cc3Aa1"), "{}", secret.masked);
        assert!(!secret.masked.contains("IOSFODNN7"), "{}", secret.masked);
    }
}

#[test]
fn hidden_files_carry_both_layers_and_how() {
    let report = planted();
    let rows: Vec<(&str, HiddenKind, usize, usize, HideKind)> = report
        .hidden_files
        .iter()
        .map(|f| {
            (
                f.path.as_str(),
                f.kind,
                f.added.layer,
                f.hidden.layer,
                f.hidden.how,
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("/bin/ls", HiddenKind::Symlink, 0, 4, HideKind::Deleted),
            (
                "/root/.ssh/id_ed25519",
                HiddenKind::File,
                1,
                4,
                HideKind::Deleted
            ),
            (
                "/app/config.yml",
                HiddenKind::File,
                2,
                5,
                HideKind::Overwritten
            ),
            (
                "/app/cache/deploy.sh",
                HiddenKind::File,
                3,
                6,
                HideKind::OpaqueDir
            ),
        ]
    );
    let key = &report.hidden_files[1];
    assert_eq!((key.mode, key.size), (0o600, KEY.len() as u64));
    assert_eq!(&*key.added.command, COMMANDS[1]);
    assert_eq!(report.hidden_files[0].link.as_deref(), Some("sh"));
    let files: u64 = report.hidden_files.iter().map(|f| f.size).sum();
    assert_eq!(report.hidden_bytes, files);
}

#[test]
fn a_clean_image_yields_no_secret() {
    let data = "Zm9vYmFyYmF6cXV4cXV1eA0KJ3ha8f9Kq2Lr7Tz1Wm5Xy0Bc4Nd6Pe8Gh3Jk/+Q==\n".repeat(20);
    let report = report(
        &[
            &[
                D("etc"),
                F("etc/os-release", b"NAME=\"Tiny\"\nID=tiny\n"),
                F("etc/hostname", b"tiny\n"),
            ],
            &[
                D("app"),
                F(
                    "app/main.py",
                    b"password = getpass.getpass()\ntoken = os.environ['TOKEN']\n",
                ),
                F("app/data.b64", data.as_bytes()),
            ],
            &[
                DM("root", 0o700),
                D("root/.ssh"),
                F(
                    "root/.ssh/id_ed25519.pub",
                    b"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMbUfVIWcsr4FJ1kDf user@host\n",
                ),
            ],
            &[
                F("app/main.py", b"print('v2')\n"),
                D("etc"),
                F("etc/.wh.hostname", b""),
            ],
        ],
        &[
            "COPY etc/ /etc/",
            "COPY app/ /app/",
            "COPY pub /root/.ssh/",
            "RUN rm /etc/hostname",
        ],
        &tidy_config(),
    );
    assert!(report.secrets.is_empty(), "{:#?}", report.secrets);
    assert_eq!(report.hidden_files.len(), 2);
    assert!(report.hygiene.is_empty(), "{:#?}", report.hygiene);
}

#[test]
fn text_report() {
    insta::assert_snapshot!(render_text(&planted(), false));
}

#[test]
fn json_report() {
    let report = planted();
    let json: serde_json::Value = serde_json::from_str(&report.to_json().unwrap()).unwrap();
    let first = &json["secrets"][0];
    assert_eq!(first["hidden"]["how"], "deleted");
    assert_eq!(first["severity"], "critical");
    assert!(json["hiddenFiles"].is_array());
    assert!(json["hiddenBytes"].is_u64());
    insta::assert_json_snapshot!(json["secrets"]);
}

#[test]
fn color_is_optional_and_control_characters_never_reach_the_terminal() {
    let report = report(
        &[
            &[
                D("app"),
                F("app/\x1b[2Jevil\n.env", b"A=1\n"),
                F("app/.env", b"TOKEN=1\n"),
            ],
            &[F("app/.wh.\x1b[2Jevil\n.env", b"")],
        ],
        &["COPY . /app", "RUN rm -f '/app/\x1b[2Jevil\n.env'"],
        &tidy_config(),
    );
    let plain = render_text(&report, false);
    assert!(!plain.contains('\x1b'), "{plain}");
    assert!(plain.contains("\\u{1b}[2Jevil\\n.env"), "{plain}");
    let colored = render_text(&report, true);
    assert!(colored.contains("\x1b[1m"));
}

#[test]
fn documentation_examples_can_be_allow_listed_by_path_or_fingerprint() {
    let layers: &[&[E]] = &[&[
        D("usr/share/doc/tool"),
        F("usr/share/doc/tool/example.pem", KEY.as_bytes()),
        D("app"),
        F("app/.env", b"TOKEN=1\n"),
    ]];
    let plain = report(layers, &["ADD / /"], &tidy_config());
    let rules: Vec<&str> = plain.secrets.iter().map(|s| s.rule.as_str()).collect();
    assert_eq!(
        rules,
        ["private-key-openssh", "dotenv-file"],
        "examples are reported by default"
    );
    let config = LeakConfig::from_dive_ci(
        "leaks:\n  allowPaths: ['^/usr/share/doc/']\n  allowFingerprints: ['dotenv-file:/app/.env:1']\n",
        std::path::Path::new(".dive-ci"),
    )
    .unwrap();
    let scanner = SecretScanner::with_config(&config).unwrap();
    let quiet = report_with(layers, &["ADD / /"], &tidy_config(), &scanner);
    assert!(quiet.secrets.is_empty(), "{:#?}", quiet.secrets);
    assert_eq!(quiet.allowed_secrets, 1);
    assert!(render_text(&quiet, false).starts_with("Secrets: 0, 1 allow-listed\n"));
}
