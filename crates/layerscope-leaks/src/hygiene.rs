//! Image-config hygiene: what the config, the history and the final filesystem say about how
//! the image was built, each finding with a one-line fix.

use layerscope_tree::{ImageTree, Stack};
use schemars::JsonSchema;
use serde::Serialize;

use crate::redaction::Redactions;
use crate::rule::Severity;
use crate::secret::{SecretScanner, mask};

/// The parts of the image config the checks read, as plain data so this crate needs no reader.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HygieneInput {
    /// `config.User`; `None` or empty when the image sets none.
    pub user: Option<String>,
    /// `config.Env`, as `KEY=value` strings.
    pub env: Vec<String>,
    /// `config.Healthcheck.Test`; `None` when the image has no HEALTHCHECK.
    pub healthcheck: Option<Vec<String>>,
    /// Every history entry, empty layers included: they carry the ARG and ENV steps.
    pub history: Vec<HistoryStep>,
}

/// One entry of the image's history.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HistoryStep {
    pub created_by: String,
    /// The step made no layer (`ENV`, `ARG`, `CMD`, …).
    pub empty_layer: bool,
}

/// One hygiene problem.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct HygieneFinding {
    /// Stable id of the check (`LS-H001`).
    pub id: &'static str,
    pub severity: Severity,
    /// One line; secret values in it are masked.
    pub message: String,
    /// One line: what to change in the Dockerfile.
    pub fix: &'static str,
    /// The files or directories concerned, for filesystem checks.
    pub paths: Vec<String>,
    /// The history entries concerned (from 0, empty layers counted), for history checks.
    pub history: Vec<usize>,
    /// The layers those history entries made.
    pub layers: Vec<usize>,
}

/// One kind of check: its id, severity and fix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Check {
    pub id: &'static str,
    pub severity: Severity,
    pub title: &'static str,
    pub fix: &'static str,
}

pub const ROOT_USER: Check = Check {
    id: "LS-H001",
    severity: Severity::High,
    title: "runs as root",
    fix: "add `USER <non-zero uid>` after the steps that need root",
};
pub const SECRET_ENV: Check = Check {
    id: "LS-H002",
    severity: Severity::High,
    title: "secret-looking ENV value",
    fix: "pass secrets at run time (secret mount, env file, orchestrator secret), not with ENV",
};
pub const BUILD_SECRET: Check = Check {
    id: "LS-H003",
    severity: Severity::High,
    title: "secret-looking build argument or ENV in history",
    fix: "use `RUN --mount=type=secret`; ARG and ENV values are recorded in the image history",
};
pub const NO_HEALTHCHECK: Check = Check {
    id: "LS-H004",
    severity: Severity::Low,
    title: "no HEALTHCHECK",
    fix: "add a HEALTHCHECK instruction (or `HEALTHCHECK NONE` to opt out on purpose)",
};
pub const PACKAGE_CACHE: Check = Check {
    id: "LS-H005",
    severity: Severity::Low,
    title: "package-manager cache left in the image",
    fix: "clean the cache in the same RUN that fills it",
};
pub const SETUID: Check = Check {
    id: "LS-H006",
    severity: Severity::Medium,
    title: "setuid/setgid file",
    fix: "drop the bit with `chmod u-s,g-s` unless the image needs it",
};
pub const STOCK_SETUID: Check = Check {
    id: "LS-H009",
    severity: Severity::Low,
    title: "setuid/setgid files of the base distribution",
    fix: "expected in a distribution base; drop the bits (`chmod u-s,g-s`) or the packages if the image never switches users",
};
pub const WORLD_WRITABLE: Check = Check {
    id: "LS-H007",
    severity: Severity::Medium,
    title: "world-writable path outside /tmp",
    fix: "`chmod o-w` it, or give a shared directory the sticky bit (`chmod +t`)",
};
pub const REMOTE_ADD: Check = Check {
    id: "LS-H008",
    severity: Severity::Medium,
    title: "ADD of a remote URL",
    fix: "use `ADD --checksum=sha256:…` or download with RUN and verify a checksum",
};

/// Every check, for listings and documentation.
pub const CHECKS: [Check; 9] = [
    ROOT_USER,
    SECRET_ENV,
    BUILD_SECRET,
    NO_HEALTHCHECK,
    PACKAGE_CACHE,
    SETUID,
    WORLD_WRITABLE,
    REMOTE_ADD,
    STOCK_SETUID,
];

/// Runs every check. `scanner` tells whether an ENV, build-arg or command value is itself a
/// known secret; every secret value found is added to `redactions`.
pub fn hygiene(
    input: &HygieneInput,
    tree: &ImageTree,
    scanner: &SecretScanner,
    redactions: &mut Redactions,
) -> Vec<HygieneFinding> {
    let mut out = Vec::new();
    root_user(input.user.as_deref(), &mut out);
    for entry in &input.env {
        if let Some((key, value)) = entry.split_once('=')
            && let Some((severity, shown)) = secret_value(key, value, scanner)
        {
            redactions.add(unquoted(value).as_bytes());
            out.push(finding(
                SECRET_ENV,
                severity,
                format!("ENV {key} holds a secret-looking value ({shown})"),
            ));
        }
    }
    crate::history::check(input, scanner, redactions, &mut out);
    if input.healthcheck.as_ref().is_none_or(Vec::is_empty) {
        out.push(finding(
            NO_HEALTHCHECK,
            NO_HEALTHCHECK.severity,
            "the image config has no HEALTHCHECK".to_owned(),
        ));
    }
    if let Some(last) = tree.layers.len().checked_sub(1) {
        let stack = Stack::at(tree, last);
        crate::filesystem::caches(tree, &stack, &mut out);
        crate::filesystem::modes(tree, &stack, &mut out);
    }
    out.sort_by(|a, b| (a.severity, a.id, &a.paths).cmp(&(b.severity, b.id, &b.paths)));
    out
}

pub(crate) fn finding(check: Check, severity: Severity, message: String) -> HygieneFinding {
    HygieneFinding {
        id: check.id,
        severity,
        message,
        fix: check.fix,
        paths: Vec::new(),
        history: Vec::new(),
        layers: Vec::new(),
    }
}

fn root_user(user: Option<&str>, out: &mut Vec<HygieneFinding>) {
    let user = user.map(str::trim).unwrap_or_default();
    let name = user.split(':').next().unwrap_or_default();
    let message = if user.is_empty() {
        "the config sets no USER, so processes run as root".to_owned()
    } else if name == "root" || name == "0" {
        format!("USER {user} is root")
    } else {
        return;
    };
    out.push(finding(ROOT_USER, ROOT_USER.severity, message));
}

/// A value without the quotes around it.
pub(crate) fn unquoted(value: &str) -> &str {
    value.trim().trim_matches(|c| c == '"' || c == '\'')
}

/// Whether `key=value` looks like a secret: critical when the value matches a secret rule,
/// high when only the key's name suggests one. Returns the masked value to show.
pub(crate) fn secret_value(
    key: &str,
    value: &str,
    scanner: &SecretScanner,
) -> Option<(Severity, String)> {
    let value = unquoted(value);
    if value.is_empty() {
        return None;
    }
    let shown = mask(value.as_bytes());
    if !scanner
        .scan("", format!("{key}={value}").as_bytes())
        .is_empty()
    {
        return Some((Severity::Critical, shown));
    }
    (secret_name(key) && !placeholder(value)).then_some((Severity::High, shown))
}

/// `DB_PASSWORD`, `API_TOKEN`, `AWS_SECRET_ACCESS_KEY`: yes. `GPG_KEY` and `NGINX_GPGKEY` (public
/// fingerprints in official images), `PASSWORD_FILE`, `KEY_ID`: no.
fn secret_name(key: &str) -> bool {
    const SENSITIVE: [&str; 7] = [
        "PASSWORD",
        "PASSWD",
        "PASSPHRASE",
        "SECRET",
        "TOKEN",
        "CREDENTIAL",
        "APIKEY",
    ];
    const BENIGN: [&str; 13] = [
        "PUBLIC",
        "PUB",
        "FINGERPRINT",
        "ID",
        "FILE",
        "PATH",
        "DIR",
        "URL",
        "URI",
        "NAME",
        "HOST",
        "TYPE",
        "KEYRING",
    ];
    let upper = key.trim().to_ascii_uppercase();
    let parts: Vec<&str> = upper
        .split(['_', '-', '.'])
        .filter(|p| !p.is_empty())
        .collect();
    if parts
        .iter()
        .any(|p| BENIGN.contains(p) || p.contains("GPG") || p.contains("PGP"))
    {
        return false;
    }
    parts
        .iter()
        .any(|p| SENSITIVE.iter().any(|s| p.contains(s)) || p.ends_with("KEY"))
}

/// Values that stand for a secret rather than being one.
fn placeholder(value: &str) -> bool {
    const WORDS: [&str; 10] = [
        "true", "false", "yes", "no", "on", "off", "none", "null", "0", "1",
    ];
    value.starts_with(['$', '<', '/'])
        || value.starts_with("{{")
        || WORDS.iter().any(|w| value.eq_ignore_ascii_case(w))
}
