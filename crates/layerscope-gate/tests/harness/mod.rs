//! What the `dive_ci` fuzz target does with one input (`fuzz/fuzz_targets/dive_ci.rs` includes
//! this file), so the regression test replays saved inputs through the very same code.

use std::path::Path;

use layerscope_gate::{Applies, GateConfig, GateError};

/// Reads the bytes as a `.dive-ci` file, then everything the gate takes from it: the rules for
/// a CI run and for the leak report, and the secret scanner's settings. Errors are answers;
/// only a panic, a hang or a runaway allocation is a finding.
pub fn read_rules(data: &[u8]) -> Result<(), GateError> {
    let text = String::from_utf8_lossy(data);
    let config = GateConfig::parse(&text, Path::new(".dive-ci"))?;
    config.rules(Applies::All)?;
    config.rules(Applies::Leaks)?;
    config.scan_settings()?;
    Ok(())
}
