//! End to end on in-memory images: secrets planted in some layers and hidden by later ones
//! (whiteout, overwrite, opaque directory) are each reported with both layers; a clean image
//! yields no secret.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use layerscope_leaks::{
    HistoryStep, HygieneInput, LeakReport, ScanSettings, SecretFinding, SecretPlace, SecretScanner,
};
use layerscope_waste::Hide;
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
        history: COMMANDS
            .iter()
            .map(|c| HistoryStep {
                created_by: (*c).to_owned(),
                empty_layer: false,
            })
            .collect(),
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
                    b"AWS_ACCESS_KEY_ID=AKIAQ3EGRBWKZ7JPSX2M\nREGION=eu-west-1\n",
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
        &image,
    )
}

/// The one place of the finding of `rule` at `path`.
fn find<'r>(report: &'r LeakReport, rule: &str, path: &str) -> &'r SecretPlace {
    report
        .secrets
        .iter()
        .filter(|s| s.rule == rule)
        .flat_map(|s| &s.places)
        .find(|p| p.path == path)
        .unwrap_or_else(|| panic!("no {rule} at {path} in {:#?}", report.secrets))
}

/// Where a secret is: path, layer, and who hid it.
type Place<'a> = (&'a str, usize, Option<(u32, Hide)>);

fn hider(place: &SecretPlace) -> Option<(u32, Hide)> {
    place.hidden_by.map(|h| (h.layer, h.how))
}

#[test]
fn every_planted_secret_is_reported_with_the_layer_that_added_it_and_the_one_that_hid_it() {
    let report = planted();

    let key = find(&report, "private-key-openssh", "/root/.ssh/id_ed25519");
    assert_eq!((key.layer, hider(key)), (1, Some((4, Hide::Deleted))));
    let by_name = find(&report, "ssh-private-key-file", "/root/.ssh/id_ed25519");
    assert_eq!(
        (by_name.layer, hider(by_name)),
        (1, Some((4, Hide::Deleted)))
    );

    let overwritten = find(&report, "github-token", "/app/config.yml");
    assert_eq!(
        (overwritten.layer, hider(overwritten)),
        (2, Some((5, Hide::Overwritten)))
    );
    assert_eq!(overwritten.line, 2);

    let opaque = find(&report, "github-token", "/app/cache/deploy.sh");
    assert_eq!(
        (opaque.layer, hider(opaque)),
        (3, Some((6, Hide::OpaqueDir)))
    );

    let visible = find(&report, "aws-access-key-id", "/app/.env");
    assert_eq!((visible.layer, hider(visible)), (2, None));
    assert_eq!(visible.fingerprint, "aws-access-key-id:/app/.env:1");
    assert_eq!(find(&report, "dotenv-file", "/app/.env").layer, 2);

    assert_eq!(report.secrets.len(), 6, "{:#?}", report.secrets);
    assert_eq!(report.hidden_secret_count(), 4);
    // Hidden ones come first.
    assert!(report.secrets[..4].iter().all(SecretFinding::is_hidden));
    let masked: Vec<&str> = report.secrets.iter().map(|s| s.masked.as_str()).collect();
    assert!(masked.contains(&"-----BEGIN OPENSSH PRIVATE KEY----- …"));
    assert!(masked.contains(&"AKIA************SX2M"));
    for secret in &report.secrets {
        assert!(!secret.masked.contains("Aa1Bb2Cc3Aa1"), "{}", secret.masked);
        assert!(!secret.masked.contains("EGRBWKZ7J"), "{}", secret.masked);
    }
}

#[test]
fn one_secret_is_one_finding_with_every_place_it_ships() {
    let env = b"AWS_ACCESS_KEY_ID=AKIAQ3EGRBWKZ7JPSX2M\n";
    let report = report(
        &[
            &[D("app"), F("app/.env", env)],
            // `chmod` copies the file up again: the same secret, a second place.
            &[D("app"), M("app/.env", env, 0o600)],
            &[D("srv"), F("srv/copy.env", env)],
            &[D("app"), F("app/.wh..env", b"")],
        ],
        &tidy_config(),
    );
    let aws: Vec<_> = report
        .secrets
        .iter()
        .filter(|s| s.rule == "aws-access-key-id")
        .collect();
    assert_eq!(aws.len(), 1, "{:#?}", report.secrets);
    let places: Vec<Place> = aws[0]
        .places
        .iter()
        .map(|p| (p.path.as_str(), p.layer, hider(p)))
        .collect();
    assert_eq!(
        places,
        [
            ("/app/.env", 0, Some((1, Hide::Overwritten))),
            ("/app/.env", 1, Some((3, Hide::Deleted))),
            ("/srv/copy.env", 2, None),
        ]
    );
}

#[test]
fn documented_example_credentials_are_not_findings() {
    let report = report(
        &[&[
            D("app"),
            F(
                "app/README.md",
                b"Set AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE and\n\
                  AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n",
            ),
        ]],
        &tidy_config(),
    );
    assert!(report.secrets.is_empty(), "{:#?}", report.secrets);
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
        &tidy_config(),
    );
    assert!(report.secrets.is_empty(), "{:#?}", report.secrets);
    assert!(report.hygiene.is_empty(), "{:#?}", report.hygiene);
}

#[test]
fn documentation_examples_can_be_allow_listed_by_path_or_fingerprint() {
    let layers: &[&[E]] = &[&[
        D("usr/share/doc/tool"),
        F("usr/share/doc/tool/example.pem", KEY.as_bytes()),
        D("app"),
        F("app/.env", b"TOKEN=1\n"),
    ]];
    let plain = report(layers, &tidy_config());
    let rules: Vec<&str> = plain.secrets.iter().map(|s| s.rule.as_str()).collect();
    assert_eq!(
        rules,
        ["private-key-openssh", "dotenv-file"],
        "examples are reported by default"
    );
    let settings = ScanSettings {
        allow_paths: vec!["^/usr/share/doc/".to_owned()],
        allow_fingerprints: vec!["dotenv-file:/app/.env:1".to_owned()],
        ..ScanSettings::default()
    };
    let scanner = SecretScanner::with_settings(&settings).unwrap();
    let quiet = report_with(layers, &tidy_config(), &scanner);
    assert!(quiet.secrets.is_empty(), "{:#?}", quiet.secrets);
    assert_eq!(quiet.allowed_secrets, 1);
}
