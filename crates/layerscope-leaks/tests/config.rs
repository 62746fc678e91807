//! The leak settings in `.dive-ci`, and the CI rules they turn on.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::path::Path;

use layerscope_leaks::{
    LeakConfig, LeakRules, RuleStatus, Severity, evaluate_leak_rules, parse_size,
};
use support::E::{D, F};
use support::{report, tidy_config};

fn parse(text: &str) -> Result<LeakConfig, String> {
    LeakConfig::from_dive_ci(text, Path::new("ci/.dive-ci")).map_err(|e| e.to_string())
}

#[test]
fn a_dive_only_file_leaves_every_leak_rule_unset() {
    let config =
        parse("rules:\n  lowestEfficiency: 0.95\n  highestWastedBytes: 20MB\nplugins: [x]\n")
            .unwrap();
    assert_eq!(config, LeakConfig::default());
    assert_eq!(parse("").unwrap(), LeakConfig::default());
}

#[test]
fn reads_every_key_in_both_spellings() {
    let text = "\
rules:
  lowestEfficiency: 0.9
  maxSecretFindings: 0
  disallowRootUser: true
  maxHiddenBytes: 10 MB
  requireHealthcheck: false
leaks:
  maxFileSize: 2MiB
  allowPaths:
    - '^/usr/share/doc/'
    - '/tests?/'
  allowFingerprints: ['aws-access-key-id:/app/.env:1']
  rules:
    - id: acme-key
      description: ACME API key
      severity: Critical
      regex: 'acme_[a-z0-9]{32}'
      path: '\\.conf$'
    - id: bare
      regex: 'bare_[0-9]+'
";
    let config = parse(text).unwrap();
    assert_eq!(
        config.rules,
        LeakRules {
            max_secret_findings: Some(0),
            disallow_root_user: Some(true),
            max_hidden_bytes: Some(10_000_000),
            require_healthcheck: Some(false),
        }
    );
    assert_eq!(config.max_file_size, 2 * 1024 * 1024);
    assert_eq!(config.allow_paths, ["^/usr/share/doc/", "/tests?/"]);
    assert_eq!(config.allow_fingerprints, ["aws-access-key-id:/app/.env:1"]);
    assert_eq!(config.custom_rules.len(), 2);
    let acme = &config.custom_rules[0];
    assert_eq!(
        (acme.id.as_str(), acme.description.as_str(), acme.severity),
        ("acme-key", "ACME API key", Severity::Critical)
    );
    assert_eq!(acme.path.as_deref(), Some("\\.conf$"));
    let bare = &config.custom_rules[1];
    assert_eq!(
        (
            bare.description.as_str(),
            bare.severity,
            bare.path.as_deref()
        ),
        ("bare", Severity::High, None)
    );

    let kebab = "rules:\n  max-secret-findings: 3\n  disallow-root-user: false\n  max-hidden-bytes: disabled\n  require-healthcheck: true\nleaks:\n  max-file-size: 4096\n  allow-paths: ['^/opt/']\n  allow-fingerprints: [x]\n";
    let config = parse(kebab).unwrap();
    assert_eq!(
        config.rules,
        LeakRules {
            max_secret_findings: Some(3),
            disallow_root_user: Some(false),
            max_hidden_bytes: None,
            require_healthcheck: Some(true),
        }
    );
    assert_eq!(
        (
            config.max_file_size,
            config.allow_paths.len(),
            config.allow_fingerprints.len()
        ),
        (4096, 1, 1)
    );
}

#[test]
fn errors_name_the_file_line_and_key() {
    for (text, message) in [
        (
            "rules:\n  maxSecretFindings: many\n",
            "ci/.dive-ci:2: rules.maxSecretFindings: \"many\" is not a whole number (or `disabled`)",
        ),
        (
            "rules:\n  maxSecretFindings: -1\n",
            "ci/.dive-ci:2: rules.maxSecretFindings: \"-1\" is not a whole number (or `disabled`)",
        ),
        (
            "rules:\n  disallowRootUser: yes\n",
            "ci/.dive-ci:2: rules.disallowRootUser: \"yes\" is not true or false",
        ),
        (
            "rules:\n\n  max-hidden-bytes: 10 parsecs\n",
            "ci/.dive-ci:3: rules.max-hidden-bytes: \"10 parsecs\" is not a byte size (like 1048576, 1 MB or 1MiB)",
        ),
        (
            "rules:\n  requireHealthcheck:\n",
            "ci/.dive-ci:2: rules.requireHealthcheck: no value",
        ),
        (
            "rules:\n  maxSecretFindings: [1]\n",
            "ci/.dive-ci:2: rules.maxSecretFindings: expected a single value, found a list or a mapping",
        ),
        (
            "rules:\n  maxSecretFindings: 1\n  max-secret-findings: 2\n",
            "ci/.dive-ci:3: rules.max-secret-findings: already set as rules.maxSecretFindings on line 2",
        ),
        (
            "leaks:\n  allowPaths:\n    - '^/ok/'\n    - '(unclosed'\n",
            "ci/.dive-ci:4: leaks.allowPaths[1]: invalid regex: unclosed group",
        ),
        (
            "leaks:\n  rules:\n    - id: x\n      regex: '[z-a]'\n",
            "ci/.dive-ci:4: leaks.rules[0].regex: invalid regex: invalid character class range, the start must be <= the end",
        ),
        (
            "leaks:\n  rules:\n    - description: no id\n      regex: 'a'\n",
            "ci/.dive-ci:3: leaks.rules[0].id: missing (every rule needs id and regex)",
        ),
        (
            "leaks:\n  rules:\n    - id: y\n",
            "ci/.dive-ci:3: leaks.rules[0].regex: missing (every rule needs id and regex)",
        ),
        (
            "leaks:\n  rules:\n    - id: y\n      regex: a\n      severity: dire\n",
            "ci/.dive-ci:5: leaks.rules[0].severity: \"dire\" is not critical, high, medium or low",
        ),
    ] {
        assert_eq!(parse(text).unwrap_err(), message, "{text}");
    }
    let yaml = parse("rules: [\n").unwrap_err();
    assert!(yaml.starts_with("ci/.dive-ci"), "{yaml}");
    assert!(!yaml.contains('\n'), "{yaml}");
}

#[test]
fn sizes() {
    for (text, bytes) in [
        ("0", 0),
        ("1048576", 1 << 20),
        ("1 MB", 1_000_000),
        ("1MiB", 1 << 20),
        ("1.5kB", 1500),
        ("2 gib", 2 << 30),
        ("10b", 10),
    ] {
        assert_eq!(parse_size(text), Some(bytes), "{text}");
    }
    for text in ["", "MB", "-1", "1e4", "1 parsec", "99999999999999999999"] {
        assert_eq!(parse_size(text), None, "{text}");
    }
}

#[test]
fn the_ci_rules_pass_fail_and_skip_as_dive_prints_them() {
    let dirty = report(
        &[
            &[
                D("app"),
                F("app/.env", b"AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\n"),
            ],
            &[F("app/.wh..env", b"")],
        ],
        &["COPY . /app", "RUN rm /app/.env"],
        &layerscope_leaks::HygieneInput {
            user: None,
            ..tidy_config()
        },
    );
    let lines = |rules: &LeakRules| -> Vec<String> {
        evaluate_leak_rules(rules, &dirty)
            .iter()
            .map(layerscope_leaks::LeakRuleResult::line)
            .collect()
    };
    let strict = LeakRules {
        max_secret_findings: Some(0),
        disallow_root_user: Some(true),
        max_hidden_bytes: Some(10),
        require_healthcheck: Some(true),
    };
    assert_eq!(
        lines(&strict),
        [
            "  FAIL: disallowRootUser: image runs as root (set USER to a non-zero uid)",
            "  FAIL: maxHiddenBytes: too many bytes hidden by later layers (hidden-bytes=39 > threshold=10)",
            "  FAIL: maxSecretFindings: too many secret findings (secret-findings=2 > threshold=0)",
            "  PASS: requireHealthcheck",
        ]
    );
    let lenient = LeakRules {
        max_secret_findings: Some(2),
        max_hidden_bytes: Some(39),
        ..LeakRules::default()
    };
    assert_eq!(
        lines(&lenient),
        [
            "  SKIP: disallowRootUser: rule disabled",
            "  PASS: maxHiddenBytes",
            "  PASS: maxSecretFindings",
            "  SKIP: requireHealthcheck: rule disabled",
        ]
    );
    let results = evaluate_leak_rules(&strict, &dirty);
    assert!(
        results
            .iter()
            .any(|r| r.status == RuleStatus::Fail && !r.passed())
    );
}
