//! What the secret scanner is told to look for, as plain data: whoever reads the user's config
//! file fills it in, so this crate reads no file format.

use crate::rule::Severity;
use crate::secret::DEFAULT_MAX_FILE_SIZE;

/// The scanner's settings: the size cap, the allow-lists and the user's own rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScanSettings {
    /// Files larger than this are not read for secrets.
    pub max_file_size: u64,
    /// Regexes over absolute paths (`^/usr/share/doc/`); matching files are not scanned.
    pub allow_paths: Vec<String>,
    /// Findings to drop, as the report prints their fingerprints (`rule:path:line`).
    pub allow_fingerprints: Vec<String>,
    /// The user's rules, run after the built-in ones.
    pub custom_rules: Vec<CustomRule>,
}

impl Default for ScanSettings {
    fn default() -> Self {
        ScanSettings {
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            allow_paths: Vec::new(),
            allow_fingerprints: Vec::new(),
            custom_rules: Vec::new(),
        }
    }
}

/// A secret rule of the user's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomRule {
    pub id: String,
    pub description: String,
    pub severity: Severity,
    /// Regex over file contents, as bytes with Unicode off (ASCII `\b`, `\s`, classes); the
    /// `secret` and `label` groups work as in the built-in rules.
    pub regex: String,
    /// Regex over absolute paths; the rule runs only on matching files.
    pub path: Option<String>,
}
