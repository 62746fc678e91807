//! What a container image ships but nobody sees: secrets in any layer (hidden ones first),
//! files that later layers deleted, replaced or hid, and image-config hygiene.
//!
//! The secret scan rides along the one pass that builds the trees, so no layer is read twice:
//!
//! ```text
//! let config = LeakConfig::from_dive_ci(&text, path)?;          // or LeakConfig::default()
//! let scanner = SecretScanner::with_config(&config)?;
//! let mut scans = layers.map(|tar| scan_layer(tar, limits, &scanner)).collect::<Result<Vec<_>, _>>()?;
//! let secrets: Vec<_> = scans.iter_mut().map(|s| std::mem::take(&mut s.findings)).collect();
//! let tree = ImageTree::from_scans(scans);
//! let hidden = layerscope_waste::hidden_versions(&tree);
//! let report = LeakReport::build(&LeakInput { tree: &tree, secrets: &secrets, hidden: &hidden,
//!                                             layer_commands: &commands, image: &hygiene_input }, &scanner);
//! print!("{}", render_text(&report, color));
//! let results = evaluate_leak_rules(&config.rules, &report);   // `  FAIL: maxSecretFindings: …`
//! ```

mod config;
mod error;
mod evaluation;
mod hidden;
mod hygiene;
mod report;
mod rule;
mod secret;
mod text;

pub use config::{CustomRule, LeakConfig, LeakRules, parse_size};
pub use error::LeakError;
pub use evaluation::{LeakRuleResult, RuleStatus, evaluate_leak_rules};
pub use hidden::{HiddenBy, HiddenFile, HiddenKind, LayerRef, hidden_files};
pub use hygiene::{CHECKS, Check, HygieneFinding, HygieneInput, hygiene};
pub use report::{LeakInput, LeakReport, SecretFinding};
pub use rule::{RULES, Rule, Severity};
pub use secret::{DEFAULT_MAX_FILE_SIZE, RuleInfo, SecretMatch, SecretScanner, entropy, mask};
pub use text::{HIDDEN_ROWS_PER_LAYER, printable, render_text};
