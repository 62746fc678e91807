//! Key bindings: dive 0.13.1's names and defaults, plus the keys layerscope adds.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Everything a key can do. The names in [`ACTIONS`] are dive's `keybinding.*` config keys,
/// except `toggle-findings`: layerscope's own, which dive skips in a config file both read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    Quit,
    ToggleView,
    Right,
    Left,
    FilterFiles,
    CloseFilterFiles,
    Up,
    Down,
    PageUp,
    PageDown,
    CompareLayer,
    CompareAll,
    ToggleCollapseDir,
    ToggleCollapseAllDir,
    ToggleSortOrder,
    ExtractFile,
    ToggleAddedFiles,
    ToggleRemovedFiles,
    ToggleModifiedFiles,
    ToggleUnmodifiedFiles,
    ToggleAttributes,
    ToggleWrapTree,
    ViewFile,
    ToggleHiddenFiles,
    ToggleFindings,
    Help,
}

/// One binding's config name, default keys, and the line the help overlay shows for it.
pub struct ActionInfo {
    pub action: Action,
    pub name: &'static str,
    pub defaults: &'static str,
    pub help: &'static str,
}

const fn info(
    action: Action,
    name: &'static str,
    defaults: &'static str,
    help: &'static str,
) -> ActionInfo {
    ActionInfo {
        action,
        name,
        defaults,
        help,
    }
}

/// Every binding in the order the help overlay lists them.
pub const ACTIONS: [ActionInfo; 26] = [
    info(Action::Quit, "quit", "ctrl+c,q", "Quit"),
    info(
        Action::ToggleView,
        "toggle-view",
        "tab",
        "Switch between the layers and the file tree",
    ),
    info(
        Action::Right,
        "right",
        "right,l",
        "Next pane; in the tree: expand the directory",
    ),
    info(
        Action::Left,
        "left",
        "left,h",
        "Previous pane; in the tree: go to the parent",
    ),
    info(
        Action::FilterFiles,
        "filter-files",
        "ctrl+f,ctrl+slash",
        "Filter paths by regex",
    ),
    info(
        Action::CloseFilterFiles,
        "close-filter-files",
        "esc",
        "Close the filter",
    ),
    info(Action::Up, "up", "up,k", "Move up"),
    info(Action::Down, "down", "down,j", "Move down"),
    info(Action::PageUp, "page-up", "pgup,u", "Page up"),
    info(Action::PageDown, "page-down", "pgdn,d", "Page down"),
    info(
        Action::CompareLayer,
        "compare-layer",
        "ctrl+l",
        "Layers: show layer changes",
    ),
    info(
        Action::CompareAll,
        "compare-all",
        "ctrl+a",
        "Layers: show aggregated changes",
    ),
    info(
        Action::ToggleCollapseDir,
        "toggle-collapse-dir",
        "space",
        "Tree: collapse/expand directory",
    ),
    info(
        Action::ToggleCollapseAllDir,
        "toggle-collapse-all-dir",
        "ctrl+space",
        "Tree: collapse/expand all",
    ),
    info(
        Action::ToggleSortOrder,
        "toggle-sort-order",
        "ctrl+o",
        "Tree: sort by name or size",
    ),
    info(
        Action::ExtractFile,
        "extract-file",
        "ctrl+e",
        "Tree: extract (not supported; use view)",
    ),
    info(
        Action::ToggleAddedFiles,
        "toggle-added-files",
        "ctrl+a",
        "Tree: show/hide added",
    ),
    info(
        Action::ToggleRemovedFiles,
        "toggle-removed-files",
        "ctrl+r",
        "Tree: show/hide removed",
    ),
    info(
        Action::ToggleModifiedFiles,
        "toggle-modified-files",
        "ctrl+m",
        "Tree: show/hide modified",
    ),
    info(
        Action::ToggleUnmodifiedFiles,
        "toggle-unmodified-files",
        "ctrl+u",
        "Tree: show/hide unmodified",
    ),
    info(
        Action::ToggleAttributes,
        "toggle-filetree-attributes",
        "ctrl+b",
        "Tree: show/hide attributes",
    ),
    info(
        Action::ToggleWrapTree,
        "toggle-wrap-tree",
        "ctrl+p",
        "Tree: wrap (not supported)",
    ),
    info(
        Action::ViewFile,
        "view-file",
        "enter,v",
        "Tree: view the file at this layer",
    ),
    info(
        Action::ToggleHiddenFiles,
        "toggle-hidden-files",
        "ctrl+h",
        "Tree: only what later layers hid",
    ),
    info(
        Action::ToggleFindings,
        "toggle-findings",
        "f",
        "Secrets and image hygiene; Enter jumps to the file",
    ),
    info(Action::Help, "help", "?", "Show/hide this help"),
];

/// dive's older name for `toggle-unmodified-files`, still read by 0.13.1.
pub const LEGACY_UNMODIFIED: &str = "toggle-unchanged-files";

pub fn find_action(name: &str) -> Option<Action> {
    let name = if name == LEGACY_UNMODIFIED {
        "toggle-unmodified-files"
    } else {
        name
    };
    ACTIONS.iter().find(|a| a.name == name).map(|a| a.action)
}

/// One key as dive's config spells it (`ctrl+c`, `pgup`, `q`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    code: KeyCode,
    ctrl: bool,
    alt: bool,
}

impl Key {
    pub fn parse(text: &str) -> Option<Key> {
        let text = text.trim();
        let lower = text.to_ascii_lowercase();
        let (ctrl, alt, rest) = if let Some(r) = lower.strip_prefix("ctrl+") {
            (true, false, r)
        } else if let Some(r) = lower.strip_prefix("alt+") {
            (false, true, r)
        } else {
            (false, false, lower.as_str())
        };
        let code = match rest {
            "space" => KeyCode::Char(' '),
            "slash" => KeyCode::Char('/'),
            "backslash" => KeyCode::Char('\\'),
            "tab" => KeyCode::Tab,
            "backtab" | "shift+tab" => KeyCode::BackTab,
            "enter" | "return" => KeyCode::Enter,
            "esc" | "escape" => KeyCode::Esc,
            "backspace" | "backspace2" => KeyCode::Backspace,
            "delete" | "del" => KeyCode::Delete,
            "insert" => KeyCode::Insert,
            "home" => KeyCode::Home,
            "end" => KeyCode::End,
            "pgup" | "pageup" => KeyCode::PageUp,
            "pgdn" | "pagedown" => KeyCode::PageDown,
            "up" => KeyCode::Up,
            "down" => KeyCode::Down,
            "left" => KeyCode::Left,
            "right" => KeyCode::Right,
            f if f.len() > 1
                && f.starts_with('f')
                && f[1..].parse::<u8>().is_ok_and(|n| (1..=12).contains(&n)) =>
            {
                KeyCode::F(f[1..].parse().unwrap_or(1))
            }
            _ => {
                // A single character keeps its case unless a modifier makes case meaningless.
                let original = &text[text.len() - rest.len()..];
                let mut chars = original.chars();
                let c = chars.next()?;
                if chars.next().is_some() {
                    return None;
                }
                KeyCode::Char(if ctrl || alt {
                    c.to_ascii_lowercase()
                } else {
                    c
                })
            }
        };
        Some(Key { code, ctrl, alt })
    }

    pub fn matches(&self, event: &KeyEvent) -> bool {
        let ctrl = event.modifiers.contains(KeyModifiers::CONTROL);
        let alt = event.modifiers.contains(KeyModifiers::ALT);
        if ctrl != self.ctrl || alt != self.alt {
            return false;
        }
        match (self.code, event.code) {
            (KeyCode::Char(want), KeyCode::Char(got)) if self.ctrl => {
                want == got.to_ascii_lowercase()
                    // Legacy terminals send ctrl+/ as 0x1f, which crossterm reads as ctrl+7.
                    || (want == '/' && got == '7')
            }
            (KeyCode::Char(want), KeyCode::Char(got)) => want == got,
            (want, got) => want == got,
        }
    }

    /// How the status bar and help show the key: `^C`, `Tab`, `Space`, `q`.
    pub fn label(&self) -> String {
        let base = match self.code {
            KeyCode::Char(' ') => "Space".to_owned(),
            KeyCode::Char(c) if self.ctrl => c.to_ascii_uppercase().to_string(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::Tab => "Tab".to_owned(),
            KeyCode::BackTab => "S-Tab".to_owned(),
            KeyCode::Enter => "Enter".to_owned(),
            KeyCode::Esc => "Esc".to_owned(),
            KeyCode::Backspace => "Bksp".to_owned(),
            KeyCode::Delete => "Del".to_owned(),
            KeyCode::Insert => "Ins".to_owned(),
            KeyCode::Home => "Home".to_owned(),
            KeyCode::End => "End".to_owned(),
            KeyCode::PageUp => "PgUp".to_owned(),
            KeyCode::PageDown => "PgDn".to_owned(),
            KeyCode::Up => "↑".to_owned(),
            KeyCode::Down => "↓".to_owned(),
            KeyCode::Left => "←".to_owned(),
            KeyCode::Right => "→".to_owned(),
            KeyCode::F(n) => format!("F{n}"),
            other => format!("{other:?}"),
        };
        if self.ctrl {
            format!("^{base}")
        } else if self.alt {
            format!("M-{base}")
        } else {
            base
        }
    }
}

/// Parses `ctrl+c,q`; `None` names the first piece that is not a key.
pub fn parse_list(text: &str) -> Result<Vec<Key>, String> {
    text.split(',')
        .filter(|p| !p.trim().is_empty())
        .map(|p| Key::parse(p).ok_or_else(|| p.trim().to_owned()))
        .collect()
}

/// Which kinds of change the tree starts with hidden: added, removed, modified, unmodified.
// One flag per dive diff type, as `diff.hide` names them; a bit set would only obscure that.
#[allow(clippy::struct_excessive_bools)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Hidden {
    pub added: bool,
    pub removed: bool,
    pub modified: bool,
    pub unmodified: bool,
}

/// The dive settings besides keys that the explorer honours.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    pub collapse_dir: bool,
    pub show_attributes: bool,
    pub aggregated: bool,
    pub hide: Hidden,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            collapse_dir: false,
            show_attributes: true,
            aggregated: false,
            hide: Hidden::default(),
        }
    }
}

/// The keys of every action (dive's defaults unless a config file says otherwise) and the
/// other start-up settings read from the same file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keymap {
    keys: Vec<Vec<Key>>,
    pub settings: Settings,
}

impl Default for Keymap {
    fn default() -> Self {
        let keys = ACTIONS
            .iter()
            .map(|a| parse_list(a.defaults).unwrap_or_default())
            .collect();
        Keymap {
            keys,
            settings: Settings::default(),
        }
    }
}

impl Keymap {
    fn slot(action: Action) -> usize {
        ACTIONS.iter().position(|a| a.action == action).unwrap_or(0)
    }

    pub fn keys(&self, action: Action) -> &[Key] {
        &self.keys[Self::slot(action)]
    }

    pub fn set(&mut self, action: Action, keys: Vec<Key>) {
        self.keys[Self::slot(action)] = keys;
    }

    pub fn matches(&self, action: Action, event: &KeyEvent) -> bool {
        self.keys(action).iter().any(|k| k.matches(event))
    }

    /// The first key, which dive shows in its status bar.
    pub fn label(&self, action: Action) -> String {
        self.keys(action)
            .first()
            .map_or_else(|| "-".to_owned(), Key::label)
    }

    /// Every key of the action, for the help overlay.
    pub fn labels(&self, action: Action) -> String {
        let all: Vec<String> = self.keys(action).iter().map(Key::label).collect();
        if all.is_empty() {
            "-".to_owned()
        } else {
            all.join(" ")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, modifiers)
    }

    #[test]
    fn defaults_match_dive() {
        let map = Keymap::default();
        assert!(map.matches(Action::Quit, &key(KeyCode::Char('q'), KeyModifiers::NONE)));
        assert!(map.matches(
            Action::Quit,
            &key(KeyCode::Char('c'), KeyModifiers::CONTROL)
        ));
        assert!(!map.matches(Action::Quit, &key(KeyCode::Char('c'), KeyModifiers::NONE)));
        assert!(map.matches(
            Action::FilterFiles,
            &key(KeyCode::Char('7'), KeyModifiers::CONTROL)
        ));
        assert!(map.matches(
            Action::ToggleCollapseAllDir,
            &key(KeyCode::Char(' '), KeyModifiers::CONTROL)
        ));
        assert!(map.matches(
            Action::PageDown,
            &key(KeyCode::PageDown, KeyModifiers::NONE)
        ));
        assert_eq!(map.label(Action::Quit), "^C");
        assert_eq!(map.label(Action::ToggleCollapseAllDir), "^Space");
    }

    #[test]
    fn parses_lists() {
        assert_eq!(parse_list("ctrl+x, Q").map(|l| l.len()), Ok(2));
        assert_eq!(parse_list("ctrl+x,nonsense"), Err("nonsense".to_owned()));
        assert!(Key::parse("f5").is_some());
        assert!(
            Key::parse("Q")
                .is_some_and(|k| !k.matches(&key(KeyCode::Char('q'), KeyModifiers::NONE)))
        );
    }
}
