//! The rules file: where it is looked for, read once, and what is taken from it.

use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use layerscope_leaks::ScanSettings;

use crate::error::GateError;
use crate::evaluation::Applies;
use crate::rules::Rules;
use crate::value::Section;
use crate::yaml::{self, Node};

/// The file dive reads when no `--ci-config` is given, relative to the working directory.
pub const DEFAULT_CONFIG_FILE: &str = ".dive-ci";

/// A rules file is a few lines; anything this big is a mistake, and is refused unread.
pub const MAX_CONFIG_BYTES: u64 = 1024 * 1024;

/// A run's rules file, parsed once: dive's rules, the leak rules and the scanner's settings
/// all come from it. Each part's values are checked when that part is asked for, so a run
/// that applies no rules (the explorer) is never stopped by a rule's value.
#[derive(Debug)]
pub struct GateConfig {
    /// The file as the user named it (or `.dive-ci`); `None` when there is none.
    pub file: Option<PathBuf>,
    document: Option<Node>,
}

impl GateConfig {
    /// No file: dive's defaults and the scanner's.
    pub fn defaults() -> GateConfig {
        GateConfig {
            file: None,
            document: None,
        }
    }

    /// Reads `explicit` if given (an error if it does not exist), else `.dive-ci` in `cwd`
    /// if it exists, else defaults. A relative path is taken from `cwd`; messages show it as
    /// given.
    pub fn read(explicit: Option<&Path>, cwd: &Path) -> Result<GateConfig, GateError> {
        let shown = explicit.unwrap_or(Path::new(DEFAULT_CONFIG_FILE));
        match read_limited(&cwd.join(shown), shown) {
            Ok(text) => GateConfig::parse(&text, shown),
            Err(GateError::ConfigNotFound { .. }) if explicit.is_none() => {
                Ok(GateConfig::defaults())
            }
            Err(error) => Err(error),
        }
    }

    /// Parses a rules file's text; `path` names it in messages.
    pub fn parse(text: &str, path: &Path) -> Result<GateConfig, GateError> {
        let document = yaml::parse(text, path)?;
        let config = GateConfig {
            file: Some(path.to_path_buf()),
            document,
        };
        // A document that is not a mapping has no sections to read.
        config.section("rules")?;
        config.section("leaks")?;
        Ok(config)
    }

    /// dive's rules and the leak rules. Keys under `rules:` are dive's (`lowestEfficiency`,
    /// `highestWastedBytes`, `highestUserWastedPercent`), the leak rules
    /// (`maxSecretFindings`, `maxHiddenBytes`, `disallowRootUser`, `requireHealthcheck`), or
    /// their kebab-case spellings; every other key is ignored, as dive ignores it.
    /// Only the rules `applies` names are read; the others keep their defaults and their
    /// values are not checked, so `layerscope leaks` is never stopped by one of dive's rules.
    pub fn rules(&self, applies: Applies) -> Result<Rules, GateError> {
        Rules::read(&self.section("rules")?, applies)
    }

    /// The secret scanner's settings from `leaks:`.
    pub fn scan_settings(&self) -> Result<ScanSettings, GateError> {
        crate::settings::read(&self.section("leaks")?)
    }

    fn section(&self, name: &str) -> Result<Section<'_>, GateError> {
        let path = self
            .file
            .as_deref()
            .unwrap_or(Path::new(DEFAULT_CONFIG_FILE));
        let node = match &self.document {
            None => None,
            Some(document) => match &document.value {
                yaml::Raw::Map(_) => document.value.get(name),
                yaml::Raw::Null => None,
                _ => {
                    return Err(GateError::Yaml {
                        path: path.to_path_buf(),
                        line: Some(yaml::line(document)),
                        message: "expected a mapping of sections (`rules:`, `leaks:`)".to_owned(),
                    });
                }
            },
        };
        Section::of(path, name, node)
    }
}

fn read_limited(full: &Path, shown: &Path) -> Result<String, GateError> {
    let read_error = |reason: io::Error| {
        if reason.kind() == io::ErrorKind::NotFound {
            GateError::ConfigNotFound {
                path: shown.to_path_buf(),
            }
        } else {
            GateError::ConfigRead {
                path: shown.to_path_buf(),
                reason,
            }
        }
    };
    let too_large = || GateError::ConfigTooLarge {
        path: shown.to_path_buf(),
        limit: MAX_CONFIG_BYTES,
    };
    let file = File::open(full).map_err(read_error)?;
    if file.metadata().map_err(read_error)?.len() > MAX_CONFIG_BYTES {
        return Err(too_large());
    }
    // The length check above does not hold for pipes or files still growing.
    let mut bytes = Vec::new();
    file.take(MAX_CONFIG_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(read_error)?;
    if bytes.len() as u64 > MAX_CONFIG_BYTES {
        return Err(too_large());
    }
    String::from_utf8(bytes).map_err(|error| {
        let valid = &error.as_bytes()[..error.utf8_error().valid_up_to()];
        GateError::ConfigNotUtf8 {
            path: shown.to_path_buf(),
            line: valid.split(|&b| b == b'\n').count() as u64,
        }
    })
}
