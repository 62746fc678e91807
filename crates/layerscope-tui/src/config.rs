//! dive's config file: where it is looked for, and the parts of it the explorer uses.

use layerscope_format::text::printable;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_saphyr::Spanned;

use crate::keymap::{ACTIONS, Keymap, LEGACY_UNMODIFIED, find_action, parse_list};

/// Why the config file could not be used. Each names the file, so the user knows what to fix.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {}: {source}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{}: {message}", path.display())]
    Parse { path: PathBuf, message: String },
    #[error("{}:{line}: unknown key binding `{key}` under `keybinding:` (known: {known})", path.display())]
    UnknownBinding {
        path: PathBuf,
        line: u64,
        key: String,
        known: String,
    },
    #[error("{}:{line}: `keybinding.{binding}`: `{key}` is not a key (write keys like `ctrl+c,q`)", path.display())]
    BadKey {
        path: PathBuf,
        line: u64,
        binding: String,
        key: String,
    },
    #[error("{}: `diff.hide`: unknown change kind `{value}` (use added, removed, modified, unmodified)", path.display())]
    BadHide { path: PathBuf, value: String },
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
struct File {
    #[serde(default)]
    keybinding: Option<BTreeMap<String, Spanned<String>>>,
    #[serde(default)]
    diff: Option<Diff>,
    #[serde(default)]
    layer: Option<LayerSection>,
    #[serde(default)]
    filetree: Option<FiletreeSection>,
}

#[derive(Deserialize, Default)]
struct Diff {
    #[serde(default)]
    hide: Option<OneOrMany>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
struct LayerSection {
    #[serde(default)]
    show_aggregated_changes: Option<bool>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
struct FiletreeSection {
    #[serde(default)]
    collapse_dir: Option<bool>,
    #[serde(default)]
    show_attributes: Option<bool>,
}

/// Where dive looks for its config, so the binary and tests can point it elsewhere.
#[derive(Debug, Clone, Default)]
pub struct ConfigDirs {
    pub xdg_config_home: Option<PathBuf>,
    pub home: Option<PathBuf>,
}

impl ConfigDirs {
    pub fn from_env() -> Self {
        let non_empty = |k: &str| {
            std::env::var_os(k)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        };
        ConfigDirs {
            xdg_config_home: non_empty("XDG_CONFIG_HOME"),
            home: non_empty("HOME"),
        }
    }

    /// dive's search order; the first file found wins. (dive also reads `./dive/` when
    /// `XDG_CONFIG_HOME` is unset, by accident; that is not copied.)
    pub fn find(&self) -> Option<PathBuf> {
        let mut dirs = Vec::new();
        if let Some(x) = &self.xdg_config_home {
            dirs.push(x.join("dive"));
        }
        if let Some(h) = &self.home {
            dirs.push(h.join(".config").join("dive"));
        }
        for dir in dirs {
            if let Some(found) = first_yaml(&dir) {
                return Some(found);
            }
        }
        let dotfile = self.home.as_ref()?.join(".dive.yaml");
        dotfile.is_file().then_some(dotfile)
    }
}

fn first_yaml(dir: &Path) -> Option<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .ok()?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "yaml" || x == "yml"))
        .collect();
    found.sort();
    found.into_iter().next()
}

/// Reads the key bindings from `explicit`, or from the first file dive itself would read.
/// No file at all gives dive's defaults.
pub fn load_keymap(explicit: Option<&Path>) -> Result<Keymap, ConfigError> {
    load_keymap_from(explicit, &ConfigDirs::from_env())
}

pub fn load_keymap_from(explicit: Option<&Path>, dirs: &ConfigDirs) -> Result<Keymap, ConfigError> {
    let path = match explicit {
        Some(p) => p.to_path_buf(),
        None => match dirs.find() {
            Some(p) => p,
            None => return Ok(Keymap::default()),
        },
    };
    let text = std::fs::read_to_string(&path).map_err(|source| ConfigError::Read {
        path: path.clone(),
        source,
    })?;
    parse_keymap(&text, &path)
}

/// Applies one config file's text over dive's defaults.
pub fn parse_keymap(text: &str, path: &Path) -> Result<Keymap, ConfigError> {
    let mut map = Keymap::default();
    if text.trim().is_empty() {
        return Ok(map);
    }
    let file: File = serde_saphyr::from_str(text).map_err(|e| ConfigError::Parse {
        path: path.to_path_buf(),
        message: printable(&e.to_string().replace('\n', " ")).into_owned(),
    })?;
    let mut has_modern_unmodified = false;
    for (name, value) in file.keybinding.iter().flatten() {
        let line = value.referenced.line();
        let Some(action) = find_action(name) else {
            return Err(ConfigError::UnknownBinding {
                path: path.to_path_buf(),
                line,
                key: printable(name).into_owned(),
                known: ACTIONS
                    .iter()
                    .map(|a| a.name)
                    .collect::<Vec<_>>()
                    .join(", "),
            });
        };
        // dive reads the legacy name first, so the modern one wins when both are given.
        if name == LEGACY_UNMODIFIED && has_modern_unmodified {
            continue;
        }
        has_modern_unmodified |= name == "toggle-unmodified-files";
        let keys = parse_list(&value.value).map_err(|bad| ConfigError::BadKey {
            path: path.to_path_buf(),
            line,
            binding: name.clone(),
            key: printable(&bad).into_owned(),
        })?;
        map.set(action, keys);
    }
    if let Some(hide) = file.diff.and_then(|d| d.hide) {
        let values = match hide {
            OneOrMany::One(s) => s.split(',').map(|v| v.trim().to_owned()).collect(),
            OneOrMany::Many(v) => v,
        };
        for value in values.iter().filter(|v| !v.is_empty()) {
            let flag = match value.to_ascii_lowercase().as_str() {
                "added" => &mut map.settings.hide.added,
                "removed" => &mut map.settings.hide.removed,
                "modified" => &mut map.settings.hide.modified,
                "unmodified" => &mut map.settings.hide.unmodified,
                _ => {
                    return Err(ConfigError::BadHide {
                        path: path.to_path_buf(),
                        value: printable(value).into_owned(),
                    });
                }
            };
            *flag = true;
        }
    }
    if let Some(v) = file.layer.and_then(|l| l.show_aggregated_changes) {
        map.settings.aggregated = v;
    }
    if let Some(f) = file.filetree {
        if let Some(v) = f.collapse_dir {
            map.settings.collapse_dir = v;
        }
        if let Some(v) = f.show_attributes {
            map.settings.show_attributes = v;
        }
    }
    Ok(map)
}

#[cfg(test)]
mod tests {
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    use super::*;
    use crate::keymap::Action;

    fn parse(text: &str) -> Result<Keymap, ConfigError> {
        parse_keymap(text, Path::new("dive.yaml"))
    }

    #[test]
    fn reads_bindings_and_settings() {
        let map = parse(
            "log:\n  enabled: false\nkeybinding:\n  quit: ctrl+x, x\n  toggle-view: ctrl+t\n\
             diff:\n  hide:\n    - added\n    - unmodified\nfiletree:\n  collapse-dir: true\n  \
             show-attributes: false\n  pane-width: 0.5\nlayer:\n  show-aggregated-changes: true\n",
        )
        .unwrap();
        let x = KeyEvent::new(KeyCode::Char('x'), KeyModifiers::NONE);
        let q = KeyEvent::new(KeyCode::Char('q'), KeyModifiers::NONE);
        assert!(map.matches(Action::Quit, &x));
        assert!(!map.matches(Action::Quit, &q));
        assert_eq!(map.label(Action::ToggleView), "^T");
        assert!(
            map.settings.collapse_dir && !map.settings.show_attributes && map.settings.aggregated
        );
        assert!(
            map.settings.hide.added && map.settings.hide.unmodified && !map.settings.hide.removed
        );
    }

    #[test]
    fn unknown_binding_names_the_line() {
        let err = parse("keybinding:\n  quit: q\n  jump-around: ctrl+j\n").unwrap_err();
        let text = err.to_string();
        assert!(
            text.starts_with("dive.yaml:3: unknown key binding `jump-around`"),
            "{text}"
        );
    }

    #[test]
    fn bad_values_are_errors() {
        assert!(matches!(
            parse("keybinding:\n  quit: ctrl+nope\n"),
            Err(ConfigError::BadKey { line: 2, .. })
        ));
        assert!(matches!(
            parse("diff:\n  hide: added, weird\n"),
            Err(ConfigError::BadHide { .. })
        ));
        assert!(matches!(
            parse("keybinding: [\n"),
            Err(ConfigError::Parse { .. })
        ));
        assert!(parse("").is_ok());
    }

    #[test]
    fn searches_dive_locations_in_order() {
        let root = tempfile::tempdir().unwrap();
        let xdg = root.path().join("xdg");
        let home = root.path().join("home");
        std::fs::create_dir_all(xdg.join("dive")).unwrap();
        std::fs::create_dir_all(home.join(".config/dive")).unwrap();
        let dirs = ConfigDirs {
            xdg_config_home: Some(xdg.clone()),
            home: Some(home.clone()),
        };
        assert_eq!(dirs.find(), None);
        std::fs::write(home.join(".dive.yaml"), "keybinding:\n  quit: a\n").unwrap();
        assert_eq!(dirs.find(), Some(home.join(".dive.yaml")));
        std::fs::write(home.join(".config/dive/b.yml"), "keybinding:\n  quit: b\n").unwrap();
        assert_eq!(dirs.find(), Some(home.join(".config/dive/b.yml")));
        std::fs::write(xdg.join("dive/z.yaml"), "keybinding:\n  quit: z\n").unwrap();
        std::fs::write(xdg.join("dive/c.yaml"), "keybinding:\n  quit: c\n").unwrap();
        assert_eq!(dirs.find(), Some(xdg.join("dive/c.yaml")));
        let map = load_keymap_from(None, &dirs).unwrap();
        assert_eq!(map.label(Action::Quit), "c");
        let explicit = load_keymap_from(Some(&home.join(".dive.yaml")), &dirs).unwrap();
        assert_eq!(explicit.label(Action::Quit), "a");
        assert!(matches!(
            load_keymap_from(Some(&root.path().join("missing.yaml")), &dirs),
            Err(ConfigError::Read { .. })
        ));
    }
}
