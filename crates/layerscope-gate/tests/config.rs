//! Reading `.dive-ci`: the spellings and values dive takes, and one-line errors that point
//! at the file, line and key.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

use std::path::PathBuf;

use layerscope_gate::{Applies, GateConfig, GateError, Limit, MAX_CONFIG_BYTES, Rules};
use layerscope_report::RuleId;

fn parse(yaml: &str) -> Rules {
    GateConfig::parse(yaml, Path::new(".dive-ci"))
        .and_then(|c| c.rules(Applies::All))
        .unwrap()
}

fn error(yaml: &str) -> String {
    GateConfig::parse(yaml, Path::new(".dive-ci"))
        .and_then(|c| c.rules(Applies::All))
        .unwrap_err()
        .to_string()
}

/// The rules of the file a run in `cwd` finds, and which file that was.
fn load(explicit: Option<&Path>, cwd: &Path) -> Result<(Rules, Option<PathBuf>), GateError> {
    let config = GateConfig::read(explicit, cwd)?;
    Ok((config.rules(Applies::All)?, config.file))
}

#[test]
fn camel_case_keys_with_numbers() {
    let rules = parse(
        "rules:\n  lowestEfficiency: 0.95\n  highestWastedBytes: 15100\n  highestUserWastedPercent: 0.2\n",
    );
    assert_eq!(
        rules,
        Rules {
            lowest_efficiency: Limit::Threshold(0.95),
            highest_wasted_bytes: Limit::Threshold(15_100),
            highest_user_wasted_percent: Limit::Threshold(0.2),
            ..Rules::default()
        }
    );
}

#[test]
fn kebab_case_keys_with_strings() {
    let rules = parse(
        "rules:\n  lowest-efficiency: \"0.95\"\n  highest-wasted-bytes: '20MB'\n  highest-user-wasted-percent: \"0.5\"\n",
    );
    assert_eq!(
        rules,
        Rules {
            lowest_efficiency: Limit::Threshold(0.95),
            highest_wasted_bytes: Limit::Threshold(20_000_000),
            highest_user_wasted_percent: Limit::Threshold(0.5),
            ..Rules::default()
        }
    );
}

#[test]
fn upstream_examples_load() {
    // dive's own `.data/.dive-ci`, with its inert plugin section.
    let rules = parse(
        "plugins:\n  - plugin1\n\nrules:\n  # If the efficiency is measured below X%, mark as failed.\n  lowestEfficiency: 0.95\n\n  highestWastedBytes: 20Mb\n\n  highestUserWastedPercent: 0.5\n\nplugin1/rule1:\n  key: value\n",
    );
    assert_eq!(rules.lowest_efficiency, Limit::Threshold(0.95));
    assert_eq!(rules.highest_wasted_bytes, Limit::Threshold(20_000_000));
    assert_eq!(rules.highest_user_wasted_percent, Limit::Threshold(0.5));
    // dive's README.
    let rules = parse(
        "rules:\n  lowestEfficiency: 0.95\n  highestWastedBytes: 20MB\n  highestUserWastedPercent: 0.20\n",
    );
    assert_eq!(rules.highest_user_wasted_percent, Limit::Threshold(0.2));
}

#[test]
fn byte_sizes_take_every_go_humanize_form() {
    for (value, bytes) in [
        ("15KB", 15_000),
        ("15 kB", 15_000),
        ("15.1kB", 15_100),
        ("14.75KiB", 15_104),
        ("0.0151MB", 15_100),
        ("19Mb", 19_000_000),
        ("15100", 15_100),
        ("\"15100\"", 15_100),
        // A YAML float reaches the size parser as Go formats it, so this is 10000 bytes.
        ("1e4", 10_000),
    ] {
        let rules = parse(&format!("rules:\n  highestWastedBytes: {value}\n"));
        assert_eq!(
            rules.highest_wasted_bytes,
            Limit::Threshold(bytes),
            "{value}"
        );
    }
}

#[test]
fn disabling_words() {
    for word in [
        "disabled",
        "Disabled",
        "off",
        "OFF",
        "false",
        "False",
        "\"false\"",
    ] {
        let rules = parse(&format!(
            "rules:\n  lowestEfficiency: {word}\n  highestWastedBytes: {word}\n  highestUserWastedPercent: {word}\n"
        ));
        assert_eq!(
            rules,
            Rules {
                lowest_efficiency: Limit::Disabled,
                highest_wasted_bytes: Limit::Disabled,
                highest_user_wasted_percent: Limit::Disabled,
                ..Rules::default()
            },
            "{word}"
        );
    }
}

#[test]
fn missing_rules_keep_defaults_and_unknown_keys_are_ignored() {
    for yaml in [
        "",
        "# nothing yet\n",
        "rules:\n",
        "rules: ~\n",
        "other: 1\n",
        "rules:\n  unknown: [1, 2]\n  plugin1/rule1: {key: value}\n",
    ] {
        assert_eq!(parse(yaml), Rules::default(), "{yaml:?}");
    }
    let rules = parse("rules:\n  highestWastedBytes: 1MB\n");
    assert_eq!(
        rules,
        Rules {
            highest_wasted_bytes: Limit::Threshold(1_000_000),
            ..Rules::default()
        }
    );
}

#[test]
fn ratio_edges() {
    assert_eq!(
        parse("rules:\n  lowestEfficiency: 0\n").lowest_efficiency,
        Limit::Threshold(0.0)
    );
    assert_eq!(
        parse("rules:\n  lowestEfficiency: 1\n").lowest_efficiency,
        Limit::Threshold(1.0)
    );
    assert_eq!(
        parse("rules:\n  lowestEfficiency: 0.21739130434782608\n").lowest_efficiency,
        Limit::Threshold(3500.0 / 16100.0)
    );
}

#[test]
fn out_of_range_names_file_line_and_key() {
    let message = error("# CI gate\nrules:\n  lowestEfficiency: 1.5\n");
    assert_eq!(
        message,
        ".dive-ci:3: rules.lowestEfficiency: 1.5 is outside 0..1"
    );
    insta::assert_snapshot!("out_of_range", message);
}

#[test]
fn syntax_error_names_file_and_line() {
    let message = error("rules:\n  lowestEfficiency: 0.9\n   highestWastedBytes: 20MB\n");
    assert!(message.starts_with(".dive-ci:3: "), "{message}");
    assert!(!message.contains('\n'));
    insta::assert_snapshot!("syntax_error", message);
}

#[test]
fn value_errors_read_as_one_line() {
    let cases = [
        ("not_a_number", "rules:\n  highestUserWastedPercent: abc\n"),
        ("yaml_1_1_word", "rules:\n  highestUserWastedPercent: yes\n"),
        ("negative_ratio", "rules:\n  lowest-efficiency: -0.1\n"),
        ("infinite_ratio", "rules:\n  lowestEfficiency: .inf\n"),
        (
            "not_a_size",
            "rules:\n\n  highestWastedBytes: 20 furlongs\n",
        ),
        (
            "quoted_exponent_size",
            "rules:\n  highestWastedBytes: \"1e4\"\n",
        ),
        ("negative_size", "rules:\n  highest-wasted-bytes: -5\n"),
        (
            "empty_value",
            "rules:\n  lowestEfficiency:\n  highestWastedBytes: 1MB\n",
        ),
        (
            "nested_value",
            "rules:\n  lowestEfficiency:\n    value: 0.9\n",
        ),
        (
            "both_spellings",
            "rules:\n  lowest-efficiency: 0.8\n  lowestEfficiency: 0.9\n",
        ),
        (
            "duplicate_key",
            "rules:\n  lowestEfficiency: 0.8\n  lowestEfficiency: 0.9\n",
        ),
        ("rules_not_a_mapping", "rules: 0.9\n"),
        ("tab_indent", "rules:\n\tlowestEfficiency: 0.9\n"),
        (
            "topmost_error_first",
            "rules:\n  highestWastedBytes: lots\n  lowestEfficiency: 2\n",
        ),
    ];
    let all: Vec<String> = cases
        .into_iter()
        .map(|(name, yaml)| {
            let message = error(yaml);
            assert!(!message.contains('\n'), "{name}: {message}");
            assert!(message.starts_with(".dive-ci:"), "{name}: {message}");
            format!("{name}: {message}")
        })
        .collect();
    let all = all.join("\n");
    insta::assert_snapshot!("value_errors", all);
}

#[test]
fn implicit_file_is_optional() {
    let dir = tempfile::tempdir().unwrap();
    let (rules, origin) = load(None, dir.path()).unwrap();
    assert_eq!(rules, Rules::default());
    assert_eq!(origin, None);
}

#[test]
fn implicit_file_is_read_from_cwd() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join(".dive-ci"),
        "rules:\n  lowestEfficiency: 0.5\n",
    )
    .unwrap();
    let (rules, origin) = load(None, dir.path()).unwrap();
    assert_eq!(rules.lowest_efficiency, Limit::Threshold(0.5));
    assert_eq!(origin, Some(".dive-ci".into()));
}

#[test]
fn explicit_file_is_relative_to_cwd_and_shown_as_given() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("ci")).unwrap();
    std::fs::write(
        dir.path().join("ci/gate.yaml"),
        "rules:\n  lowestEfficiency: 2\n",
    )
    .unwrap();
    let error = load(Some(Path::new("ci/gate.yaml")), dir.path()).unwrap_err();
    assert_eq!(
        error.to_string(),
        "ci/gate.yaml:2: rules.lowestEfficiency: 2 is outside 0..1"
    );
    std::fs::write(
        dir.path().join("ci/gate.yaml"),
        "rules:\n  lowestEfficiency: 0.7\n",
    )
    .unwrap();
    let (rules, origin) = load(Some(Path::new("ci/gate.yaml")), dir.path()).unwrap();
    assert_eq!(rules.lowest_efficiency, Limit::Threshold(0.7));
    assert_eq!(origin, Some("ci/gate.yaml".into()));
}

#[test]
fn missing_explicit_file_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let error = load(Some(Path::new("nope.yaml")), dir.path()).unwrap_err();
    assert!(matches!(error, GateError::ConfigNotFound { .. }));
    insta::assert_snapshot!("missing_explicit", error.to_string());
}

#[test]
fn oversized_and_binary_files_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let big = "#".repeat(usize::try_from(MAX_CONFIG_BYTES).unwrap() + 1);
    std::fs::write(dir.path().join(".dive-ci"), big).unwrap();
    let error = load(None, dir.path()).unwrap_err();
    assert!(matches!(error, GateError::ConfigTooLarge { .. }));
    insta::assert_snapshot!("too_large", error.to_string());

    std::fs::write(
        dir.path().join(".dive-ci"),
        b"rules:\n  lowestEfficiency: \xff\n",
    )
    .unwrap();
    let error = load(None, dir.path()).unwrap_err();
    assert_eq!(
        error.to_string(),
        ".dive-ci:2: CI config file is not UTF-8 text"
    );
}

#[test]
fn a_directory_in_place_of_the_file_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".dive-ci")).unwrap();
    let error = load(None, dir.path()).unwrap_err();
    assert!(matches!(error, GateError::ConfigRead { .. }), "{error}");
    assert!(
        error
            .to_string()
            .starts_with(".dive-ci: cannot read CI config file: ")
    );
}

#[test]
fn flags_override_the_file() {
    let mut rules = parse("rules:\n  lowestEfficiency: 0.5\n  highestWastedBytes: disabled\n");
    rules
        .override_with(RuleId::LowestEfficiency, "0.95")
        .unwrap();
    rules
        .override_with(RuleId::HighestWastedBytes, "20MB")
        .unwrap();
    assert_eq!(rules.lowest_efficiency, Limit::Threshold(0.95));
    assert_eq!(rules.highest_wasted_bytes, Limit::Threshold(20_000_000));
    let error = rules
        .override_with(RuleId::HighestWastedBytes, "-5")
        .unwrap_err();
    insta::assert_snapshot!("flag_error", error.to_string());
}

#[test]
fn one_grammar_for_every_size_in_the_file() {
    // The leak rules take dive's sizes and dive's words, as dive's own rules do.
    for (value, expected) in [
        ("1,000 kB", Limit::Threshold(1_000_000)),
        ("1 PB", Limit::Threshold(1_000_000_000_000_000)),
        ("14.75KiB", Limit::Threshold(15_104)),
        ("off", Limit::Disabled),
        ("Disabled", Limit::Disabled),
    ] {
        let text = format!("rules:\n  maxHiddenBytes: {value}\n  highestWastedBytes: {value}\n");
        let rules = parse(&text);
        assert_eq!(rules.max_hidden_bytes, expected, "{value}");
        assert_eq!(rules.highest_wasted_bytes, expected, "{value}");
    }
    let text =
        "rules:\n  max-secret-findings: 0\n  disallow-root-user: true\n  requireHealthcheck: off\n";
    let rules = parse(text);
    assert_eq!(rules.max_secret_findings, Limit::Threshold(0));
    assert!(rules.disallow_root_user);
    assert!(!rules.require_healthcheck);
}

#[test]
fn leak_rule_errors_read_as_dives_do() {
    let errors: Vec<String> = [
        "rules:\n  maxHiddenBytes: 20 furlongs\n",
        "rules:\n  maxSecretFindings: few\n",
        "rules:\n  disallowRootUser: yes\n",
        "rules:\n  maxHiddenBytes: 1MB\n  max-hidden-bytes: 2MB\n",
        "rules:\n  maxSecretFindings:\n",
    ]
    .iter()
    .map(|yaml| error(yaml))
    .collect();
    assert_eq!(
        errors,
        [
            ".dive-ci:2: rules.maxHiddenBytes: \"20 furlongs\" is not a byte size: unknown unit \"furlongs\"",
            ".dive-ci:2: rules.maxSecretFindings: \"few\" is not a whole number (or `disabled`)",
            ".dive-ci:2: rules.disallowRootUser: \"yes\" is not true or false",
            ".dive-ci:3: rules.max-hidden-bytes: already set as rules.maxHiddenBytes on line 2",
            ".dive-ci:2: rules.maxSecretFindings: no value (write `disabled` to turn the rule off)",
        ]
    );
}

#[test]
fn the_leak_report_reads_only_the_leak_rules() {
    // dive's rules matter only to the CI gate: `layerscope leaks` is never stopped by them.
    let config = GateConfig::parse(
        "rules:\n  lowestEfficiency: 7\n  maxSecretFindings: 2\n",
        Path::new("x"),
    )
    .unwrap();
    assert!(config.rules(Applies::All).is_err());
    let rules = config.rules(Applies::Leaks).unwrap();
    assert_eq!(rules.max_secret_findings, Limit::Threshold(2));
    assert_eq!(rules.lowest_efficiency, Rules::default().lowest_efficiency);
}
