//! Each rule with samples that must and must not be reported. Token-shaped samples are built at
//! run time, so no scanner of this repository mistakes the test file for a leak.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use layerscope_leaks::{CustomRule, RULES, ScanSettings, SecretScanner, Severity, entropy, mask};
use layerscope_tree::Inspector;

fn scanner() -> &'static SecretScanner {
    static SCANNER: std::sync::OnceLock<SecretScanner> = std::sync::OnceLock::new();
    SCANNER.get_or_init(|| SecretScanner::new().unwrap())
}

/// Rule ids found in `content` as the file at `path`.
fn ids(path: &str, content: &str) -> Vec<String> {
    let s = scanner();
    s.scan(path, content.as_bytes())
        .iter()
        .map(|m| s.rule(m.rule).unwrap().id.clone())
        .collect()
}

fn assert_only(path: &str, content: &str, rule: &str) {
    assert_eq!(ids(path, content), [rule], "{path}: {content}");
}

fn assert_none(path: &str, content: &str) {
    assert_eq!(
        ids(path, content),
        Vec::<String>::new(),
        "{path}: {content}"
    );
}

/// A PEM block with a base64 body.
fn pem(kind: &str, headers: &str) -> String {
    let body = "MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gunVTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxKLxoS2tFczGkPLPgizskuemMghRniWaoLcyehkd3qqGElvW/VDL5AaWTg0nLVkjRo9z+40RQzuVaE8AkAFmxZzow3x+VJYKdjykkJ0iT9wCS0DRTXu269V264Vf/3jvredZiKRkgwlL9xNAwxXFg0x/XFw005UWVRIkdgcKWTjpBP2dPwVZ4WWC+9aGVd+Gyn1o0CLelf4rEjGoXbAAEgAqeGUxrcIlbjXfbcmw";
    let lines: Vec<&str> = body
        .as_bytes()
        .chunks(64)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect();
    format!(
        "-----BEGIN {kind}-----\n{headers}{}\n-----END {kind}-----\n",
        lines.join("\n")
    )
}

fn alnum(n: usize) -> String {
    "q7Zr2Kx9Lm4Tp8Vw3Yb6Nc1Hd5Jf0Gs"
        .chars()
        .cycle()
        .take(n)
        .collect()
}

#[test]
fn every_rule_has_an_id_a_description_and_a_pattern() {
    let mut seen = std::collections::HashSet::new();
    for rule in RULES {
        assert!(seen.insert(rule.id), "duplicate id {}", rule.id);
        assert!(!rule.description.is_empty());
        assert!(rule.content.is_some() || rule.path.is_some(), "{}", rule.id);
    }
    assert_eq!(scanner().rules().len(), RULES.len());
}

#[test]
fn pem_private_keys() {
    for (kind, rule) in [
        ("RSA PRIVATE KEY", "private-key-rsa"),
        ("EC PRIVATE KEY", "private-key-ec"),
        ("DSA PRIVATE KEY", "private-key-dsa"),
        ("OPENSSH PRIVATE KEY", "private-key-openssh"),
        ("PRIVATE KEY", "private-key-pkcs8"),
        ("ENCRYPTED PRIVATE KEY", "private-key-pkcs8-encrypted"),
    ] {
        assert_only("/srv/key.pem", &pem(kind, ""), rule);
    }
    assert_only(
        "/k.asc",
        &pem("PGP PRIVATE KEY BLOCK", "Version: GnuPG v2\n\n"),
        "private-key-pgp",
    );
    let legacy = pem(
        "RSA PRIVATE KEY",
        "Proc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,5A5E0F3C\n\n",
    );
    assert_only("/k.pem", &legacy, "private-key-rsa");
}

#[test]
fn pem_headers_without_key_material_and_public_blocks_are_not_secrets() {
    assert_none(
        "/usr/lib/python3/ssl_helpers.py",
        "HEADER = '-----BEGIN RSA PRIVATE KEY-----'\n",
    );
    assert_none("/etc/ssl/certs/ca.pem", &pem("CERTIFICATE", ""));
    assert_none("/etc/ssh/key.pub.pem", &pem("PUBLIC KEY", ""));
    assert_none(
        "/root/.ssh/id_ed25519.pub",
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMbUfVIWcsr4FJ1kDf+pkzZ1OF8Vc0aN7TJc4lG2Kp0Q user@host\n",
    );
}

#[test]
fn masked_pem_shows_the_header_only() {
    let s = scanner();
    let found = s.scan("/k", pem("OPENSSH PRIVATE KEY", "").as_bytes());
    assert_eq!(found[0].masked, "-----BEGIN OPENSSH PRIVATE KEY----- …");
    assert_eq!(found[0].line, 1);
}

#[test]
fn aws_keys() {
    let s = scanner();
    let found = s.scan(
        "/app/settings.py",
        b"# creds\nKEY_ID = 'AKIAQ3EGRBWKZ7JPSX2M'\n",
    );
    assert_eq!(found.len(), 1);
    assert_eq!(s.rule(found[0].rule).unwrap().id, "aws-access-key-id");
    assert_eq!(found[0].masked, "AKIA************SX2M");
    assert_eq!(found[0].line, 2);
    assert_only("/x", "ASIAY34FZKBOKMUTVV7A", "aws-access-key-id");
    assert_none("/x", "AKIAIOSFODNN7EXAMPL");
    assert_none("/x", "akiaiosfodnn7example");
    assert_none("/x", "XAKIAQ3EGRBWKZ7JPSX2M");

    let line = "aws_secret_access_key = 0t9mJ2xQbZ7/Kp4wLd8Vn3Rc+Yh6Tq1sFg5Ue1kj\n";
    assert_only("/root/.aws/credentials", line, "aws-secret-access-key");
    let found = s.scan("/x", line.as_bytes());
    assert!(
        found[0].masked.starts_with("aws_secret_access_key = 0t9m"),
        "{}",
        found[0].masked
    );
    assert!(!found[0].masked.contains("0t9mJ2xQbZ7/Kp4wLd8V"));
    // AWS's documentation examples are no secrets.
    assert_none(
        "/x",
        "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n",
    );
    assert_none("/x", "KEY_ID = 'AKIAIOSFODNN7EXAMPLE'\n");
    assert_none("/x", "aws_secret_access_key = ${AWS_SECRET_ACCESS_KEY}\n");
    let json = r#"{"AccessKeyId": "ASIAY34FZKBOKMUTVV7A", "SecretAccessKey": "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"}"#;
    let rules: Vec<String> = s
        .scan("/x", json.as_bytes())
        .iter()
        .map(|m| s.rule(m.rule).unwrap().id.clone())
        .collect();
    assert_eq!(rules, ["aws-access-key-id", "aws-secret-access-key"]);
}

#[test]
fn gcp_service_account() {
    let key_id = "3f2b1a09c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3";
    let json = format!(
        "{{\n  \"type\": \"service_account\",\n  \"project_id\": \"demo\",\n  \"private_key_id\": \"{key_id}\",\n  \"private_key\": \"-----BEGIN PRIVATE KEY-----\\nMIIE\\n\"\n}}\n"
    );
    assert_only("/app/sa.json", &json, "gcp-service-account");
    assert_none(
        "/app/sa.json",
        "{\"type\": \"service_account\", \"client_email\": \"x@demo.iam.gserviceaccount.com\"}",
    );
}

#[test]
fn azure_storage_connection_string() {
    let key = format!("{}==", alnum(86));
    let text = format!(
        "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey={key};EndpointSuffix=core.windows.net"
    );
    assert_only(
        "/app/appsettings.json",
        &text,
        "azure-storage-connection-string",
    );
    assert_none("/app/appsettings.json", "UseDevelopmentStorage=true");
}

#[test]
fn vendor_tokens() {
    for (token, rule) in [
        (format!("ghp_{}", alnum(36)), "github-token"),
        (format!("gho_{}", alnum(36)), "github-token"),
        (format!("ghs_{}", alnum(36)), "github-token"),
        (
            format!("github_pat_{}_{}", alnum(22), alnum(59)),
            "github-fine-grained-token",
        ),
        (format!("glpat-{}", alnum(20)), "gitlab-token"),
        (format!("xoxb-123456789012-{}", alnum(24)), "slack-token"),
        (format!("npm_{}", alnum(36)), "npm-token"),
        (format!("pypi-AgEIcHlwaS5vcmc{}", alnum(60)), "pypi-token"),
    ] {
        let text = format!("deploy with {token} please\n");
        assert_only("/ci/notes.txt", &text, rule);
        let found = scanner().scan("/ci/notes.txt", text.as_bytes());
        assert!(
            !found[0].masked.contains(&token[6..]),
            "{rule}: {}",
            found[0].masked
        );
    }
    for text in [
        "ghp_short",
        "glpat-tooShort1",
        "xoxz-123456789012-abc",
        "npm_install_the_thing",
        "pypi-AgEIcHlwaS5vcmc",
    ] {
        assert_none("/ci/notes.txt", text);
    }
}

#[test]
fn credential_files_by_name_and_content() {
    assert_only(
        "/root/.npmrc",
        "//registry.npmjs.org/:_authToken=0a1b2c3d4e5f60718293\n",
        "npmrc-auth",
    );
    assert_none(
        "/root/.npmrc",
        "//registry.npmjs.org/:_authToken=${NPM_TOKEN}\n",
    );
    assert_only(
        "/root/.pypirc",
        "[pypi]\nusername = alice\npassword = s3cr3t-pass\n",
        "pypirc-password",
    );
    assert_none("/root/.pypirc", "[pypi]\nusername = alice\n");
    assert_only(
        "/root/.netrc",
        "machine example.com login alice password hunter2\n",
        "netrc-password",
    );
    assert_none(
        "/root/notes.txt",
        "machine example.com login alice password hunter2\n",
    );
    assert_only(
        "/root/.git-credentials",
        "https://alice:s3cr3tT0ken@github.com\n",
        "git-credentials",
    );
    assert_none("/root/.git-credentials", "https://github.com\n");
    assert_only(
        "/root/.docker/config.json",
        r#"{"auths":{"r.io":{"auth":"YWxpY2U6aHVudGVyMg=="}}}"#,
        "docker-config-auth",
    );
    assert_none("/root/.docker/config.json", r#"{"credsStore":"desktop"}"#);
    assert_only(
        "/root/.kube/config",
        "users:\n- user:\n    client-key-data: LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVk\n",
        "kubeconfig-credentials",
    );
    assert_only(
        "/etc/kubernetes/admin.conf",
        "users:\n- user:\n    token: abcdef.0123456789abcdef\n",
        "kubeconfig-credentials",
    );
    assert_none(
        "/root/.kube/config",
        "clusters:\n- cluster:\n    server: https://k8s:6443\n",
    );
}

#[test]
fn ssh_key_names_but_not_public_keys() {
    let s = scanner();
    let found = s.scan("root/.ssh/id_rsa", b"anything");
    assert_eq!(found.len(), 1);
    assert_eq!(s.rule(found[0].rule).unwrap().id, "ssh-private-key-file");
    assert_eq!((found[0].line, found[0].masked.as_str()), (0, ""));
    for name in ["id_ecdsa", "id_ed25519", "id_dsa"] {
        assert_only(&format!("/home/u/.ssh/{name}"), "x", "ssh-private-key-file");
    }
    assert_none("/root/.ssh/id_rsa.pub", "ssh-rsa AAAAB3NzaC1yc2E user@host");
    assert_none("/usr/share/doc/id_rsa_notes.txt", "x");
}

#[test]
fn dotenv_files_with_values() {
    let s = scanner();
    let found = s.scan("app/.env", b"# settings\nDEBUG=1\nNAME=demo\n");
    assert_eq!(found.len(), 1, "one finding per file, not per line");
    assert_eq!(s.rule(found[0].rule).unwrap().id, "dotenv-file");
    assert_eq!((found[0].line, found[0].masked.as_str()), (2, "DEBUG= …"));
    assert_only("/app/.env.production", "export DB_HOST=db\n", "dotenv-file");
    assert_none("/app/.env", "# nothing set\nEMPTY=\n");
    assert_none("/app/.env.example", "DEBUG=1\n");
}

#[test]
fn generic_assignments_need_a_random_looking_value() {
    let value = "x9KpL2vQ7wZ4mR8tB3nJ6hF1";
    for text in [
        "api_key=Xk9_pL2vQ7wZ4mR8tB3n".to_owned(),
        format!("API_KEY={value}"),
        format!("db_password: \"{value}\""),
        format!("client_secret = '{value}'"),
        format!("{{\"token\": \"{value}\"}}"),
    ] {
        assert_only("/app/config", &text, "generic-secret-assignment");
        let found = scanner().scan("/app/config", text.as_bytes());
        assert!(!found[0].masked.contains(value), "{}", found[0].masked);
    }
    let found = scanner().scan("/app/config", format!("DB_PASSWORD={value}").as_bytes());
    assert_eq!(found[0].masked, "DB_PASSWORD=x9Kp****************6hF1");
    for text in [
        "password=changeme",
        "password=changemechangemechangeme",
        "secret_key_base: aaaaaaaaaaaaaaaaaaaaaaaa1",
        "token = request.headers.get(\"Authorization\")",
        "API_KEY=${API_KEY}",
        "password = getpass.getpass(prompt)",
        "tokenizer_path=/usr/share/models/tokenizer.json",
        "private_key = ed25519.Ed25519PrivateKey.from_private_bytes(data)",
        "exports2.TOKEN = exports2.CONNECTION_TOKEN_CHARS;",
        "credentials = standard_b64encode(user + pw)",
        "secret_store=secretsManager2[region]",
        "token_type=example&expires_in=3600",
        "CredentialKey: MSV1_0_CREDENTIAL_KEY,",
        "pub const PrivateKeyExportable: X509PrivateKeyFlags = 16i32;",
        "credentials: MI_UserCredentials_0,",
        "pub type AtomicU32ProgressTokenProvider = AtomicU32Provider2;",
        "token: \"x9KpL2vQ7wZ4mR8tB3nJ6hF1 is what the docs show\"",
        "check_private_key_bytes: x25519_private_key_bytes,",
    ] {
        assert_none("/app/config", text);
    }
}

#[test]
fn random_base64_without_a_key_name_is_not_a_secret() {
    let random = "Zm9vYmFyYmF6cXV4cXV1eA0KJ3ha8f9Kq2Lr7Tz1Wm5Xy0Bc4Nd6Pe8Gh3Jk/+Q==";
    assert_none("/usr/lib/data.txt", &format!("{random}\n{random}\n"));
    assert_none("/usr/lib/data.txt", &format!("checksum {random}"));
}

#[test]
fn specific_rules_win_over_the_generic_one_on_the_same_value() {
    let text = "AWS_SECRET_ACCESS_KEY=0t9mJ2xQbZ7/Kp4wLd8Vn3Rc+Yh6Tq1sFg5Ue1kj\n";
    assert_only("/srv/deploy.sh", text, "aws-secret-access-key");
    let text = format!("GITHUB_TOKEN={}\n", format_args!("ghp_{}", alnum(36)));
    assert_only("/srv/deploy.sh", &text, "github-token");
}

#[test]
fn binary_files_are_skipped_but_names_still_count() {
    let mut content = b"\x7fELF\0\0\0".to_vec();
    content.extend_from_slice(b"AKIAQ3EGRBWKZ7JPSX2M");
    assert_none("/usr/bin/tool", std::str::from_utf8(&content).unwrap());
    let s = scanner();
    assert_eq!(s.scan("/root/.ssh/id_rsa", &content).len(), 1);
}

#[test]
fn size_cap_and_allowed_paths_decide_what_is_read() {
    let s = scanner();
    assert!(s.wants("app/.env", 1024 * 1024));
    assert!(!s.wants("app/big.bin", 1024 * 1024 + 1));
    let config = ScanSettings {
        max_file_size: 10,
        allow_paths: vec!["^/usr/share/doc/".to_owned(), "/tests?/".to_owned()],
        ..ScanSettings::default()
    };
    let s = SecretScanner::with_settings(&config).unwrap();
    assert!(!s.wants("app/a", 11));
    assert!(s.wants("app/a", 10));
    assert!(!s.wants("usr/share/doc/x/README", 1));
    assert!(!s.wants("usr/lib/python3/site-packages/foo/tests/key.pem", 1));
    assert!(s.wants("usr/share/docs", 1));
}

#[test]
fn user_rules_run_after_the_built_in_ones() {
    let config = ScanSettings {
        custom_rules: vec![CustomRule {
            id: "acme-key".to_owned(),
            description: "acme-key".to_owned(),
            severity: Severity::Critical,
            regex: "acme_[a-z0-9]{12}".to_owned(),
            path: Some("\\.conf$".to_owned()),
        }],
        ..ScanSettings::default()
    };
    let s = SecretScanner::with_settings(&config).unwrap();
    let found = s.scan("etc/acme.conf", b"key acme_0123456789ab\n");
    assert_eq!(found.len(), 1);
    let rule = s.rule(found[0].rule).unwrap();
    assert_eq!(
        (rule.id.as_str(), rule.description.as_str()),
        ("acme-key", "acme-key")
    );
    assert_eq!(found[0].masked, "ac*************ab");
    assert!(
        s.scan("etc/acme.txt", b"key acme_0123456789ab\n")
            .is_empty()
    );
}

#[test]
fn masks_never_show_a_short_value_and_cap_the_stars() {
    assert_eq!(mask(b"hunter2"), "*******");
    assert_eq!(mask(b"0123456789ab"), "01********ab");
    assert_eq!(mask(b"AKIAIOSFODNN7EXAMPLE"), "AKIA************MPLE");
    assert_eq!(mask(&[b'x'; 100]), format!("xxxx{}xxxx", "*".repeat(16)));
    assert_eq!(mask(b"a\nbcdefghijklmnopqrs\x1b"), "a?bc*************qrs?");
}

#[test]
fn entropy_of_known_strings() {
    assert!(entropy(b"aaaaaaaa").abs() < f32::EPSILON);
    assert!((entropy(b"abcd") - 2.0).abs() < 1e-6);
    assert!(entropy(b"x9KpL2vQ7wZ4mR8tB3nJ6hF1") > 4.0);
}
