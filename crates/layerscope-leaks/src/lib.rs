//! What a container image ships but nobody sees: secrets in any layer (hidden ones first) and
//! image-config hygiene. The files later layers deleted, replaced or hid are the waste
//! analysis's reclaimable versions. This crate only analyses: it reads no config file and
//! prints nothing.
//!
//! The secret scan rides along the one pass that builds the trees, so no layer is read twice:
//!
//! ```text
//! let scanner = SecretScanner::with_settings(&settings)?;
//! let mut scans = layers.map(|tar| scan_layer(tar, limits, &scanner)).collect::<Result<Vec<_>, _>>()?;
//! let secrets: Vec<_> = scans.iter_mut().map(|s| std::mem::take(&mut s.findings)).collect();
//! let tree = ImageTree::from_scans(scans)?;
//! let hidden = layerscope_waste::hidden_versions(&tree);
//! let (report, redactions) = LeakReport::build(
//!     &LeakInput { tree: &tree, secrets: &secrets, hidden: &hidden, image: &hygiene_input },
//!     &scanner,
//! );
//! let shown = redactions.apply(&command);   // every command a report prints
//! ```

mod error;
mod filesystem;
mod history;
mod hygiene;
mod redaction;
mod report;
mod rule;
mod secret;
mod settings;

pub use error::{LeakError, regex_message};
pub use hygiene::{CHECKS, Check, HistoryStep, HygieneFinding, HygieneInput, hygiene};
pub use redaction::Redactions;
pub use report::{LeakInput, LeakReport, SecretFinding, SecretPlace};
pub use rule::{RULES, Rule, Severity};
pub use secret::{
    DEFAULT_MAX_FILE_SIZE, RuleInfo, SecretMatch, SecretScanner, content_regex, entropy, mask,
};
pub use settings::{CustomRule, ScanSettings};

/// The check ids the gate's rules look for.
pub mod checks {
    pub use crate::hygiene::{NO_HEALTHCHECK, ROOT_USER};
}
