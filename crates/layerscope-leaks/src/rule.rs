//! The secret rules, as data: one table row per kind of secret, read by the scanner.
//!
//! Content regexes run on raw bytes with Unicode off (`\b`, `\s` and classes are ASCII). Named
//! groups steer what a report may show: `secret` is the value (masked before it leaves the
//! scanner), `label` is a harmless excerpt such as a PEM header (shown, followed by `…`). A match
//! with neither group is masked whole, so a careless rule never prints a secret. A `quote` group
//! (possibly empty, just before `secret`) makes the rule check where its value ends: at the
//! closing quote when quoted, else at the end of the line or a comment; `name: Type,` in source
//! code and a phrase in prose end elsewhere.

use schemars::JsonSchema;
use serde::Serialize;

/// How bad a finding is, most severe first (so sorting puts critical findings on top).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum Severity {
    Critical,
    High,
    Medium,
    Low,
}

impl Severity {
    pub const ALL: [Severity; 4] = [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Critical => "critical",
            Severity::High => "high",
            Severity::Medium => "medium",
            Severity::Low => "low",
        }
    }

    /// Reads `critical`, `high`, `medium` or `low`, in any case.
    pub fn parse(text: &str) -> Option<Severity> {
        Severity::ALL
            .into_iter()
            .find(|s| s.as_str().eq_ignore_ascii_case(text.trim()))
    }
}

/// One kind of secret. At least one of `content` and `path` is set.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rule {
    /// Stable id, used in reports and fingerprints (`aws-access-key-id`).
    pub id: &'static str,
    pub description: &'static str,
    pub severity: Severity,
    /// Regex over the file's bytes; every match is a finding.
    pub content: Option<&'static str>,
    /// Regex over the file's absolute path (`/app/.env`). Alone it flags the file by name; with
    /// `content` it restricts where the content regex runs.
    pub path: Option<&'static str>,
    /// A second regex that must match somewhere in the same file.
    pub also: Option<&'static str>,
    /// Where a match can start: a regex of literal words, found first, after which `content`
    /// is tried anchored there. Needed when `content` starts with a case-insensitive keyword,
    /// which no fast literal search can find: scanned whole, such a regex runs at a tenth of
    /// the speed. The keywords are spelled out in lower, UPPER and Capitalized case.
    pub anchor: Option<&'static str>,
    /// Shannon entropy, in bits per byte, the `secret` group must reach; such a value must also
    /// mix letters and digits, which ordinary words and identifiers rarely do.
    pub min_entropy: Option<f32>,
}

impl Rule {
    const fn new(id: &'static str, description: &'static str, severity: Severity) -> Rule {
        Rule {
            id,
            description,
            severity,
            content: None,
            path: None,
            also: None,
            anchor: None,
            min_entropy: None,
        }
    }

    const fn content(mut self, regex: &'static str) -> Rule {
        self.content = Some(regex);
        self
    }

    const fn path(mut self, regex: &'static str) -> Rule {
        self.path = Some(regex);
        self
    }

    const fn also(mut self, regex: &'static str) -> Rule {
        self.also = Some(regex);
        self
    }

    const fn anchor(mut self, regex: &'static str) -> Rule {
        self.anchor = Some(regex);
        self
    }

    const fn entropy(mut self, bits: f32) -> Rule {
        self.min_entropy = Some(bits);
        self
    }
}

// A PEM header counts only when key material follows it, so code and docs that merely name the
// header (TLS libraries, test helpers) stay quiet. Legacy encrypted PEM puts `Proc-Type:` and
// `DEK-Info:` lines between the two.
macro_rules! pem {
    ($kind:literal) => {
        concat!(
            "(?P<label>-----BEGIN ",
            $kind,
            "-----)\\r?\\n(?:[A-Za-z-]+: ?[^\\r\\n]*\\r?\\n)*(?:\\r?\\n)?[A-Za-z0-9+/=]{40,}"
        )
    };
}

use Severity::{Critical, High, Medium};

/// The built-in rules, in priority order: when two rules match the same value, the earlier one
/// is reported and the later one dropped, so specific rules come before generic ones.
pub static RULES: &[Rule] = &[
    Rule::new("private-key-rsa", "RSA private key (PEM)", Critical).content(pem!("RSA PRIVATE KEY")),
    Rule::new("private-key-ec", "EC private key (PEM)", Critical).content(pem!("EC PRIVATE KEY")),
    Rule::new("private-key-dsa", "DSA private key (PEM)", Critical).content(pem!("DSA PRIVATE KEY")),
    Rule::new("private-key-openssh", "OpenSSH private key", Critical)
        .content(pem!("OPENSSH PRIVATE KEY")),
    Rule::new("private-key-pkcs8", "PKCS#8 private key (PEM)", Critical)
        .content(pem!("PRIVATE KEY")),
    Rule::new("private-key-pkcs8-encrypted", "encrypted PKCS#8 private key (PEM)", High)
        .content(pem!("ENCRYPTED PRIVATE KEY")),
    Rule::new("private-key-pgp", "PGP private key block", Critical)
        .content(pem!("PGP PRIVATE KEY BLOCK")),
    Rule::new("aws-access-key-id", "AWS access key id", High)
        .content(r"\b(?P<secret>(?:AKIA|ASIA)[A-Z0-9]{16})\b"),
    Rule::new("aws-secret-access-key", "AWS secret access key", Critical)
        .anchor(r"[Ss]ecret|SECRET")
        .content(
            r#"(?i)secret_?(?:access_?)?key["']?\s*(?:=|:|:=|=>)\s*["']?(?P<secret>[A-Za-z0-9/+]{40})(?:[^A-Za-z0-9/+=]|$)"#,
        ),
    Rule::new("gcp-service-account", "GCP service-account key (JSON)", Critical)
        .content(r#""private_key_id"\s*:\s*"(?P<secret>[0-9a-f]{40})""#)
        .also(r#""type"\s*:\s*"service_account""#),
    Rule::new("azure-storage-connection-string", "Azure storage connection string", Critical)
        .content(
            r"DefaultEndpointsProtocol=https?;AccountName=[^;\s]+;AccountKey=(?P<secret>[A-Za-z0-9+/=]{40,})",
        ),
    Rule::new("github-token", "GitHub token", Critical)
        .content(r"\b(?P<secret>gh[pousr]_[A-Za-z0-9]{36})\b"),
    Rule::new("github-fine-grained-token", "GitHub fine-grained personal access token", Critical)
        .content(r"\b(?P<secret>github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59})\b"),
    Rule::new("gitlab-token", "GitLab personal access token", Critical)
        .content(r"\b(?P<secret>glpat-[A-Za-z0-9_\-]{20,})"),
    Rule::new("slack-token", "Slack token", High)
        .content(r"\b(?P<secret>xox[baprs]-[A-Za-z0-9-]{10,})"),
    Rule::new("npm-token", "npm access token", Critical)
        .content(r"\b(?P<secret>npm_[A-Za-z0-9]{36})\b"),
    Rule::new("pypi-token", "PyPI upload token", Critical)
        .content(r"\b(?P<secret>pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_\-]{50,})"),
    Rule::new("npmrc-auth", ".npmrc with an auth token", High)
        .path(r"(?:^|/)\.npmrc$")
        .content(r"(?:_authToken|_auth|_password)\s*=\s*(?P<secret>[^\s$][^\s]*)"),
    Rule::new("pypirc-password", ".pypirc with a password", High)
        .path(r"(?:^|/)\.pypirc$")
        .content(r"(?m)^\s*password\s*[=:]\s*(?P<secret>\S+)"),
    Rule::new("netrc-password", ".netrc with a password", High)
        .path(r"(?:^|/)[._]netrc$")
        .content(r"\bpassword\s+(?P<secret>\S+)"),
    Rule::new("git-credentials", ".git-credentials with a stored password", High)
        .path(r"(?:^|/)\.git-credentials$")
        .content(r"https?://[^:@/\s]+:(?P<secret>[^@\s]+)@"),
    Rule::new("docker-config-auth", "Docker config.json with registry credentials", High)
        .path(r"(?:^|/)\.docker/config\.json$")
        .content(r#""auth"\s*:\s*"(?P<secret>[A-Za-z0-9+/=]{8,})""#),
    Rule::new("kubeconfig-credentials", "kubeconfig with a client key or token", High)
        .path(r"(?:^|/)(?:\.kube/config|kubeconfig(?:\.ya?ml)?|admin\.conf)$")
        .content(r"(?:client-key-data|token)\s*:\s*(?P<secret>[^\s\x22']{8,})"),
    Rule::new("ssh-private-key-file", "SSH private key file, by name", High)
        .path(r"(?:^|/)id_(?:rsa|dsa|ecdsa|ed25519|ecdsa_sk|ed25519_sk)$"),
    Rule::new("dotenv-file", ".env file with values", Medium)
        .path(r"(?:^|/)\.env(?:\.(?:local|dev|development|prod|production|staging|test))?$")
        .content(r"(?m)^[ \t]*(?:export[ \t]+)?(?P<label>[A-Za-z_][A-Za-z0-9_]*[ \t]*=)[ \t]*\S"),
    Rule::new(
        "generic-secret-assignment",
        "high-entropy value assigned to a secret-looking key",
        Medium,
    )
    .anchor(
        r"[Pp]assw(?:or)?d|PASSW(?:OR)?D|[Ss]ecret|SECRET|[Tt]oken|TOKEN|[Cc]redential|CREDENTIAL|[Aa]pi|API|[Aa]ccess|ACCESS|[Aa]uth|AUTH|[Pp]rivate|PRIVATE",
    )
    .content(
        r#"(?i)(?:password|passwd|secret|token|credentials?|(?:api|access|auth|private)[_-]?key)[a-z0-9_.-]*["']?[ \t]*(?:=|:|:=|=>)[ \t]*(?P<quote>["']?)(?P<secret>[A-Za-z0-9+/=_.~!@#%^*\-]{16,})"#,
    )
    .entropy(3.5),
];
