//! The image-config hygiene checks, each on its own.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use layerscope_leaks::{
    HistoryStep, HygieneFinding, HygieneInput, Redactions, SecretScanner, Severity, hygiene,
};
use layerscope_tree::ImageTree;
use support::E::{D, DM, F, M};
use support::{scan, tidy_config};

fn scanner() -> &'static SecretScanner {
    static SCANNER: std::sync::OnceLock<SecretScanner> = std::sync::OnceLock::new();
    SCANNER.get_or_init(|| SecretScanner::new().unwrap())
}

fn empty_tree() -> ImageTree {
    scan(&[], scanner()).0
}

fn config_findings(input: &HygieneInput) -> Vec<HygieneFinding> {
    hygiene(input, &empty_tree(), scanner(), &mut Redactions::default())
}

fn steps(lines: &[&str]) -> Vec<HistoryStep> {
    lines
        .iter()
        .map(|l| HistoryStep {
            created_by: (*l).to_owned(),
            // ENV and ARG steps make no layer; the rest do.
            empty_layer: l.contains("ENV ") || l.contains("ARG "),
        })
        .collect()
}

fn ids(findings: &[HygieneFinding]) -> Vec<&str> {
    findings.iter().map(|f| f.id).collect()
}

#[test]
fn a_tidy_config_has_no_finding() {
    assert!(config_findings(&tidy_config()).is_empty());
}

#[test]
fn root_user() {
    for user in [
        None,
        Some(""),
        Some("root"),
        Some("0"),
        Some("0:0"),
        Some("root:root"),
        Some(" 0:1000 "),
    ] {
        let input = HygieneInput {
            user: user.map(str::to_owned),
            ..tidy_config()
        };
        let found = config_findings(&input);
        assert_eq!(ids(&found), ["LS-H001"], "{user:?}");
        assert_eq!(found[0].severity, Severity::High);
    }
    for user in ["1000", "app", "1000:0", "nobody:nogroup", "rooter"] {
        let input = HygieneInput {
            user: Some(user.to_owned()),
            ..tidy_config()
        };
        assert!(config_findings(&input).is_empty(), "{user}");
    }
}

#[test]
fn secret_looking_env() {
    let input = HygieneInput {
        env: [
            "DB_PASSWORD=hunter2",
            "API_TOKEN=abc123",
            "AWS_ACCESS_KEY_ID=AKIAQ3EGRBWKZ7JPSX2M",
            // The AWS documentation's own example key is no secret.
            "AWS_EXAMPLE_ID=AKIAIOSFODNN7EXAMPLE",
            "GPG_KEY=A035C8C19219BA821ECEA86B64E628F8D684696D",
            "NGINX_GPGKEY=573BFD6B3D8FBC641079A6ABABF5BD827BD9BF62",
            "PASSWORD_FILE=/run/secrets/db",
            "SECRET_KEY=",
            "APT_KEY_DONT_WARN_ON_DANGEROUS_USAGE=1",
            "TOKEN_URL=https://auth.example.com",
            "PATH=/usr/bin",
            "ENABLE_SECRET_STORE=true",
        ]
        .map(str::to_owned)
        .to_vec(),
        ..tidy_config()
    };
    let found = config_findings(&input);
    let rows: Vec<(&str, Severity, &str)> = found
        .iter()
        .map(|f| (f.id, f.severity, f.message.as_str()))
        .collect();
    assert_eq!(
        rows,
        [
            (
                "LS-H002",
                Severity::Critical,
                "ENV AWS_ACCESS_KEY_ID holds a secret-looking value (AKIA************SX2M)"
            ),
            (
                "LS-H002",
                Severity::High,
                "ENV DB_PASSWORD holds a secret-looking value (*******)"
            ),
            (
                "LS-H002",
                Severity::High,
                "ENV API_TOKEN holds a secret-looking value (******)"
            ),
        ]
    );
}

#[test]
fn build_args_and_env_in_history() {
    let input = HygieneInput {
        env: vec!["APP_PASSWORD=kept-in-config".to_owned()],
        history: steps(&[
            "/bin/sh -c #(nop)  ARG NPM_TOKEN=s3cr3t-npm",
            "ARG VERSION=1.2.3",
            "ARG GITHUB_TOKEN",
            "|1 NPM_TOKEN=s3cr3t-npm /bin/sh -c npm ci",
            "RUN |2 VERSION=1.2.3 DEPLOY_SECRET=zzz999 /bin/sh -c make",
            "/bin/sh -c #(nop)  ENV APP_PASSWORD=kept-in-config",
            "ENV OLD_PASSWORD=removed-later",
            "/bin/sh -c #(nop)  ENV LEGACY_TOKEN some value",
            "/bin/sh -c echo TOKEN=abc > /dev/null",
            "|1 NPM_TOKEN=s3cr3t-npm /bin/sh -c npm test",
            "|1 NPM_TOKEN=s3cr3t-npm /bin/sh -c npm pack",
        ]),
        ..tidy_config()
    };
    let mut redactions = Redactions::default();
    let found = hygiene(&input, &empty_tree(), scanner(), &mut redactions);
    let rows: Vec<(&str, &[usize], &[usize])> = found
        .iter()
        .filter(|f| f.id == "LS-H003")
        .map(|f| {
            (
                f.message.as_str(),
                f.history.as_slice(),
                f.layers.as_slice(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            // One finding for one value, wherever the history records it.
            (
                "history entries 0, 3, 9, 10: ARG NPM_TOKEN = **********",
                &[0, 3, 9, 10][..],
                &[0, 3, 4][..]
            ),
            (
                "history entry 4: ARG DEPLOY_SECRET = ******",
                &[4][..],
                &[1][..]
            ),
            (
                "history entry 6: ENV OLD_PASSWORD = re*********er",
                &[6][..],
                &[][..]
            ),
            (
                "history entry 7: ENV LEGACY_TOKEN = **********",
                &[7][..],
                &[][..]
            ),
        ]
    );
    // The config's own ENV is reported once, by LS-H002.
    assert_eq!(ids(&found).iter().filter(|&&id| id == "LS-H002").count(), 1);
    // Every value found is masked wherever a command spells it out.
    let shown = redactions.apply("|2 NPM_TOKEN=s3cr3t-npm DEPLOY_SECRET=zzz999 make");
    assert!(
        !shown.contains("s3cr3t-npm") && !shown.contains("zzz999"),
        "{shown}"
    );
}

#[test]
fn a_token_typed_into_a_command_is_found_and_masked() {
    let token = format!("ghp_{}", "a1B2c3D4e5".repeat(4).get(..36).unwrap());
    let line = format!("/bin/sh -c curl -H 'Authorization: token {token}' https://x/y");
    let input = HygieneInput {
        history: steps(&[&line, &line]),
        ..tidy_config()
    };
    let mut redactions = Redactions::default();
    let found = hygiene(&input, &empty_tree(), scanner(), &mut redactions);
    assert_eq!(ids(&found), ["LS-H003"]);
    assert_eq!(found[0].severity, Severity::Critical);
    assert_eq!(found[0].history, [0, 1]);
    assert!(
        found[0].message.contains("GitHub token (ghp_"),
        "{}",
        found[0].message
    );
    assert!(!found[0].message.contains(&token));
    assert!(!redactions.apply(&line).contains(&token));
}

#[test]
fn missing_healthcheck() {
    let none = HygieneInput {
        healthcheck: None,
        ..tidy_config()
    };
    assert_eq!(ids(&config_findings(&none)), ["LS-H004"]);
    let empty = HygieneInput {
        healthcheck: Some(Vec::new()),
        ..tidy_config()
    };
    assert_eq!(ids(&config_findings(&empty)), ["LS-H004"]);
    let opted_out = HygieneInput {
        healthcheck: Some(vec!["NONE".to_owned()]),
        ..tidy_config()
    };
    assert!(config_findings(&opted_out).is_empty());
}

#[test]
fn remote_add_without_checksum() {
    let input = HygieneInput {
        history: steps(&[
            "ADD https://example.com/tool.tar.gz /opt/ # buildkit",
            "/bin/sh -c #(nop) ADD https://example.com/a.sh /a.sh",
            "ADD --checksum=sha256:0123 https://example.com/b.tar.gz /opt/ # buildkit",
            "/bin/sh -c #(nop) ADD file:abc in /",
            "/bin/sh -c curl https://example.com/x | sh",
            "/bin/sh -c git add https://example.com/x",
            "add --chown=1:1 http://example.com/c.sh /c.sh",
        ]),
        ..tidy_config()
    };
    let found = config_findings(&input);
    let messages: Vec<&str> = found.iter().map(|f| f.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "history entry 0: ADD https://example.com/tool.tar.gz without a checksum",
            "history entry 1: ADD https://example.com/a.sh without a checksum",
            "history entry 6: ADD http://example.com/c.sh without a checksum",
        ]
    );
}

#[test]
fn final_filesystem_checks() {
    let (tree, _) = scan(
        &[
            &[
                D("bin"),
                M("bin/su", b"x", 0o4755),
                M("bin/wall", b"x", 0o2755),
                M("bin/both", b"x", 0o6755),
                D("usr/bin"),
                M("usr/bin/passwd", b"x", 0o4755),
                M("usr/bin/chage", b"x", 0o2755),
                D("app"),
                M("app/data.txt", b"x", 0o666),
                DM("app/shared", 0o777),
                DM("srv", 0o1777),
                DM("tmp", 0o1777),
                M("tmp/scratch", b"x", 0o666),
                D("var"),
                D("var/tmp"),
                M("var/tmp/x", b"x", 0o666),
                D("var/lib/apt/lists"),
                F("var/lib/apt/lists/lock", b""),
                F("var/lib/apt/lists/deb.debian.org_Release", &[b'r'; 2000]),
                D("var/cache/apt/archives"),
                F("var/cache/apt/archives/curl.deb", &[b'd'; 500]),
                F("var/cache/apt/archives/lock", b""),
                D("var/cache/apk"),
                F("var/cache/apk/APKINDEX.tar.gz", b"x"),
                D("root/.cache/pip/http"),
                F("root/.cache/pip/http/abc", b"x"),
            ],
            &[
                D("var/cache"),
                F("var/cache/.wh.apk", b""),
                M("bin/old-suid", b"x", 0o4755),
            ],
            &[D("bin"), F("bin/.wh.old-suid", b"")],
        ],
        scanner(),
    );
    let found = hygiene(&tidy_config(), &tree, scanner(), &mut Redactions::default());
    let rows: Vec<(&str, &str)> = found.iter().map(|f| (f.id, f.message.as_str())).collect();
    assert_eq!(
        rows,
        [
            ("LS-H006", "/bin/both is setuid and setgid (mode 6755)"),
            ("LS-H006", "/bin/wall is setgid (mode 2755)"),
            (
                "LS-H007",
                "file /app/data.txt is world-writable (mode 0666)"
            ),
            (
                "LS-H007",
                "directory /app/shared is world-writable (mode 0777)"
            ),
            (
                "LS-H005",
                "pip cache left in /root/.cache/pip: 1 files, 1 B"
            ),
            (
                "LS-H005",
                "downloaded .deb packages left in /var/cache/apt/archives: 1 files, 500 B"
            ),
            (
                "LS-H005",
                "apt package lists left in /var/lib/apt/lists: 1 files, 2.0 kB"
            ),
            (
                "LS-H009",
                "3 set-id programs of the base distribution: /bin/su, /usr/bin/chage, /usr/bin/passwd"
            ),
        ]
    );
    let stock = found.iter().find(|f| f.id == "LS-H009").unwrap();
    assert_eq!(stock.severity, Severity::Low);
    assert_eq!(
        stock.paths,
        ["/bin/su", "/usr/bin/chage", "/usr/bin/passwd"]
    );
    let apt = found.iter().find(|f| f.message.starts_with("apt")).unwrap();
    assert_eq!(apt.paths, ["/var/lib/apt/lists"]);
    assert!(apt.fix.contains("rm -rf /var/lib/apt/lists/*"));
}
