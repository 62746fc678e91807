//! The scanner's settings from the `leaks:` section, with the file's one grammar and errors.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

use layerscope_gate::GateConfig;
use layerscope_leaks::{ScanSettings, Severity};

fn settings(yaml: &str) -> ScanSettings {
    GateConfig::parse(yaml, Path::new(".dive-ci"))
        .and_then(|c| c.scan_settings())
        .unwrap()
}

fn error(yaml: &str) -> String {
    GateConfig::parse(yaml, Path::new(".dive-ci"))
        .and_then(|c| c.scan_settings())
        .unwrap_err()
        .to_string()
}

#[test]
fn no_section_is_the_scanners_defaults() {
    for yaml in [
        "",
        "rules:\n  lowestEfficiency: 0.9\n",
        "leaks:\n",
        "leaks: ~\n",
    ] {
        assert_eq!(settings(yaml), ScanSettings::default(), "{yaml:?}");
    }
}

#[test]
fn every_setting_in_both_spellings() {
    let s = settings(
        "leaks:
  max-file-size: 1,000 kB
  allowPaths: ['^/usr/share/doc/', '/tests?/']
  allow-fingerprints:
    - generic-secret-assignment:/app/config.yml:12
  rules:
    - id: acme-api-key
      description: ACME API key
      severity: Medium
      regex: 'acme_[a-z0-9]{32}'
      path: '\\.conf$'
    - id: bare
      regex: 'bare_[0-9]{8}'
",
    );
    assert_eq!(s.max_file_size, 1_000_000);
    assert_eq!(s.allow_paths, ["^/usr/share/doc/", "/tests?/"]);
    assert_eq!(
        s.allow_fingerprints,
        ["generic-secret-assignment:/app/config.yml:12"]
    );
    assert_eq!(s.custom_rules.len(), 2);
    assert_eq!(s.custom_rules[0].severity, Severity::Medium);
    assert_eq!(s.custom_rules[0].path.as_deref(), Some("\\.conf$"));
    assert_eq!(s.custom_rules[1].description, "bare", "the id stands in");
    assert_eq!(s.custom_rules[1].severity, Severity::High);
}

#[test]
fn errors_name_file_line_and_key() {
    let errors: Vec<String> = [
        "leaks:\n  maxFileSize: lots\n",
        "leaks:\n  maxFileSize: disabled\n",
        "leaks:\n  maxFileSize: 2GiB\n",
        "leaks:\n  allowPaths: ['(']\n",
        "leaks:\n  allowPaths: '^/x'\n",
        "leaks:\n  rules:\n    - description: no id\n      regex: x\n",
        "leaks:\n  rules:\n    - id: r\n      regex: '[z-a]'\n",
        "leaks:\n  rules:\n    - id: r\n      regex: x\n      severity: dire\n",
        "leaks:\n  maxFileSize: 1MB\n  max-file-size: 2MB\n",
        "leaks: [1, 2]\n",
    ]
    .iter()
    .map(|yaml| error(yaml))
    .collect();
    insta::assert_snapshot!("setting_errors", errors.join("\n"));
    assert!(
        errors
            .iter()
            .all(|e| e.starts_with(".dive-ci:") && !e.contains('\n'))
    );
}
