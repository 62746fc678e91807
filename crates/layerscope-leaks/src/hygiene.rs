//! Image-config hygiene: what the config, the history and the final filesystem say about how
//! the image was built, each finding with a one-line fix.

use layerscope_ci::humanize::bytes as human_bytes;
use layerscope_tree::{EntryKind, ImageTree, NodeId, Stack};
use serde::Serialize;

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
    /// Every history entry's `created_by`, empty layers included.
    pub history: Vec<String>,
}

/// One hygiene problem.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HygieneFinding {
    /// Stable id of the check (`LS-H001`).
    pub id: &'static str,
    pub severity: Severity,
    /// One line; secret values in it are masked.
    pub message: String,
    /// One line: what to change in the Dockerfile.
    pub fix: &'static str,
    /// The file or directory concerned, for filesystem checks.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
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
pub const CHECKS: [Check; 8] = [
    ROOT_USER,
    SECRET_ENV,
    BUILD_SECRET,
    NO_HEALTHCHECK,
    PACKAGE_CACHE,
    SETUID,
    WORLD_WRITABLE,
    REMOTE_ADD,
];

/// A cache directory: where, what it is, which files count and how to avoid it.
struct Cache {
    dir: &'static str,
    what: &'static str,
    /// Only files with this suffix count.
    suffix: Option<&'static str>,
    fix: &'static str,
}

const CACHES: &[Cache] = &[
    Cache {
        dir: "var/lib/apt/lists",
        what: "apt package lists",
        suffix: None,
        fix: "end the RUN that installs packages with `&& rm -rf /var/lib/apt/lists/*`",
    },
    Cache {
        dir: "var/cache/apt/archives",
        what: "downloaded .deb packages",
        suffix: Some(".deb"),
        fix: "run `apt-get clean` in the same RUN as `apt-get install`",
    },
    Cache {
        dir: "var/cache/apk",
        what: "apk cache",
        suffix: None,
        fix: "use `apk add --no-cache`",
    },
    Cache {
        dir: "var/cache/dnf",
        what: "dnf cache",
        suffix: None,
        fix: "run `dnf clean all` in the same RUN as `dnf install`",
    },
    Cache {
        dir: "var/cache/yum",
        what: "yum cache",
        suffix: None,
        fix: "run `yum clean all` in the same RUN as `yum install`",
    },
    Cache {
        dir: "root/.cache/pip",
        what: "pip cache",
        suffix: None,
        fix: "use `pip install --no-cache-dir`",
    },
    Cache {
        dir: "root/.npm/_cacache",
        what: "npm cache",
        suffix: None,
        fix: "run `npm cache clean --force` in the same RUN, or use a cache mount",
    },
];

/// Directories where world-writable files are expected.
const SCRATCH_DIRS: [&str; 3] = ["tmp", "var/tmp", "dev/shm"];

/// Runs every check. `scanner` tells whether an ENV or build-arg value is itself a known secret.
pub fn hygiene(
    input: &HygieneInput,
    tree: &ImageTree,
    scanner: &SecretScanner,
) -> Vec<HygieneFinding> {
    let mut out = Vec::new();
    root_user(input.user.as_deref(), &mut out);
    for entry in &input.env {
        if let Some((key, value)) = entry.split_once('=')
            && let Some((severity, shown)) = secret_value(key, value, scanner)
        {
            out.push(finding(
                SECRET_ENV,
                severity,
                format!("ENV {key} holds a secret-looking value ({shown})"),
            ));
        }
    }
    history(input, scanner, &mut out);
    if input.healthcheck.as_ref().is_none_or(Vec::is_empty) {
        out.push(finding(
            NO_HEALTHCHECK,
            NO_HEALTHCHECK.severity,
            "the image config has no HEALTHCHECK".to_owned(),
        ));
    }
    if let Some(last) = tree.layers.len().checked_sub(1) {
        let stack = Stack::at(tree, last);
        caches(tree, &stack, &mut out);
        modes(tree, &stack, &mut out);
    }
    out.sort_by(|a, b| (a.severity, a.id, &a.path).cmp(&(b.severity, b.id, &b.path)));
    out
}

fn finding(check: Check, severity: Severity, message: String) -> HygieneFinding {
    HygieneFinding {
        id: check.id,
        severity,
        message,
        fix: check.fix,
        path: None,
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

/// Whether `key=value` looks like a secret: critical when the value matches a secret rule,
/// high when only the key's name suggests one. Returns the masked value to show.
fn secret_value(key: &str, value: &str, scanner: &SecretScanner) -> Option<(Severity, String)> {
    let value = value.trim().trim_matches(|c| c == '"' || c == '\'');
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

fn history(input: &HygieneInput, scanner: &SecretScanner, out: &mut Vec<HygieneFinding>) {
    for (index, created_by) in input.history.iter().enumerate() {
        for (what, key, value) in assignments(created_by) {
            // A config ENV was already reported with its value; the history adds nothing.
            if what == "ENV"
                && input
                    .env
                    .iter()
                    .any(|e| e.split_once('=') == Some((key, value)))
            {
                continue;
            }
            if let Some((severity, shown)) = secret_value(key, value, scanner) {
                out.push(finding(
                    BUILD_SECRET,
                    severity,
                    format!("history entry {index}: {what} {key} = {shown}"),
                ));
            }
        }
        if let Some(url) = remote_add(created_by) {
            out.push(finding(
                REMOTE_ADD,
                REMOTE_ADD.severity,
                format!("history entry {index}: ADD {url} without a checksum"),
            ));
        }
    }
}

/// `KEY=value` pairs a history line records: `ENV`/`ARG` instructions (classic `#(nop)` and
/// `BuildKit` forms) and the `|N KEY=value …` build-argument prefix of RUN lines.
fn assignments(created_by: &str) -> Vec<(&'static str, &str, &str)> {
    let line = created_by.trim();
    let line = line
        .split_once("#(nop)")
        .map_or(line, |(_, rest)| rest.trim());
    let mut out = Vec::new();
    let mut words = line.split_whitespace().peekable();
    let first = words.peek().copied().unwrap_or_default();
    if first == "ENV" || first == "ARG" {
        let what = if first == "ENV" { "ENV" } else { "ARG" };
        words.next();
        let rest: Vec<&str> = words.collect();
        match rest.first() {
            // The legacy `ENV KEY value with spaces` form.
            Some(key) if !key.contains('=') && what == "ENV" && rest.len() > 1 => {
                if let (Some(start), Some(end)) = (line.find(rest[1]), rest.last()) {
                    let end = line.rfind(end).map_or(line.len(), |i| i + end.len());
                    out.push((what, *key, &line[start..end]));
                }
            }
            _ => out.extend(
                rest.iter()
                    .filter_map(|w| w.split_once('='))
                    .map(|(k, v)| (what, k, v)),
            ),
        }
        return out;
    }
    let mut words = line.split_whitespace();
    let mut count = None;
    for word in words.by_ref().take(2) {
        if let Some(n) = word.strip_prefix('|').and_then(|n| n.parse::<usize>().ok()) {
            count = Some(n);
            break;
        }
    }
    if let Some(n) = count {
        out.extend(
            words
                .take(n)
                .filter_map(|w| w.split_once('='))
                .map(|(k, v)| ("ARG", k, v)),
        );
    }
    out
}

/// The URL an `ADD` instruction downloads without `--checksum`, if it does.
fn remote_add(created_by: &str) -> Option<&str> {
    let mut words = instruction(created_by).split_whitespace();
    if !words.next()?.eq_ignore_ascii_case("ADD") {
        return None;
    }
    for word in words {
        if word.starts_with("--checksum") {
            return None;
        }
        if !word.starts_with("--") {
            return (word.starts_with("https://") || word.starts_with("http://")).then_some(word);
        }
    }
    None
}

/// The instruction a history line records: classic builders prefix it with `/bin/sh -c #(nop)`.
fn instruction(created_by: &str) -> &str {
    let line = created_by.trim();
    line.split_once("#(nop)")
        .map_or(line, |(_, rest)| rest.trim())
}

fn caches(tree: &ImageTree, stack: &Stack, out: &mut Vec<HygieneFinding>) {
    for cache in CACHES {
        let Some(dir) = tree.lookup(cache.dir) else {
            continue;
        };
        let (mut files, mut bytes) = (0_u64, 0_u64);
        let mut pending = vec![dir];
        while let Some(node) = pending.pop() {
            if !stack.is_present(node) {
                continue;
            }
            pending.extend_from_slice(tree.children(node));
            let Some(entry) = stack.visible(node).map(|r| tree.entry(r)) else {
                continue;
            };
            let name = tree.name(node);
            if entry.kind == EntryKind::File
                && name != "lock"
                && cache.suffix.is_none_or(|s| name.ends_with(s))
            {
                files += 1;
                bytes += entry.size;
            }
        }
        if files > 0 {
            out.push(HygieneFinding {
                id: PACKAGE_CACHE.id,
                severity: PACKAGE_CACHE.severity,
                message: format!(
                    "{} left in /{}: {files} files, {}",
                    cache.what,
                    cache.dir,
                    human_bytes(bytes)
                ),
                fix: cache.fix,
                path: Some(format!("/{}", cache.dir)),
            });
        }
    }
}

fn modes(tree: &ImageTree, stack: &Stack, out: &mut Vec<HygieneFinding>) {
    let scratch: Vec<NodeId> = SCRATCH_DIRS.iter().filter_map(|d| tree.lookup(d)).collect();
    for node in 0..tree.node_count() as NodeId {
        let Some(entry) = stack.visible(node).map(|r| tree.entry(r)) else {
            continue;
        };
        let file = matches!(entry.kind, EntryKind::File | EntryKind::Hardlink);
        if file && entry.mode & 0o6000 != 0 {
            let bits = match entry.mode & 0o6000 {
                0o4000 => "setuid",
                0o2000 => "setgid",
                _ => "setuid and setgid",
            };
            let path = tree.path(node);
            out.push(HygieneFinding {
                id: SETUID.id,
                severity: SETUID.severity,
                message: format!("{} is {bits} (mode {:04o})", path, entry.mode & 0o7777),
                fix: SETUID.fix,
                path: Some(path),
            });
        }
        let dir = entry.kind == EntryKind::Dir;
        if (file || dir)
            && entry.mode & 0o002 != 0
            && !(dir && entry.mode & 0o1000 != 0)
            && !scratch.iter().any(|&s| tree.is_within(node, s))
        {
            let path = tree.path(node);
            let what = if dir { "directory" } else { "file" };
            out.push(HygieneFinding {
                id: WORLD_WRITABLE.id,
                severity: WORLD_WRITABLE.severity,
                message: format!(
                    "{what} {} is world-writable (mode {:04o})",
                    path,
                    entry.mode & 0o7777
                ),
                fix: WORLD_WRITABLE.fix,
                path: Some(path),
            });
        }
    }
}
