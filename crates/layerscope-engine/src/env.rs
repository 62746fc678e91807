//! The environment that engine discovery reads, and that the podman command runs with.

use std::collections::HashMap;
use std::path::PathBuf;

/// The environment engine discovery reads, so tests can give their own.
///
/// Discovery looks only here (and at whether socket files exist), never at the process's own
/// environment; the podman command is run with exactly these variables.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Env {
    pub vars: HashMap<String, String>,
    /// The user's home directory, where `~/.docker/config.json` is looked for.
    pub home: Option<PathBuf>,
}

impl Env {
    /// This process's environment. Variables whose name or value is not UTF-8 are left out: no
    /// variable discovery reads can be one, and a podman command run without them would not
    /// have understood them either.
    pub fn current() -> Env {
        let vars: HashMap<String, String> = std::env::vars_os()
            .filter_map(|(name, value)| Some((name.into_string().ok()?, value.into_string().ok()?)))
            .collect();
        let home = vars
            .get("HOME")
            .filter(|home| !home.is_empty())
            .map(PathBuf::from)
            .or_else(std::env::home_dir);
        Env { vars, home }
    }

    /// A variable's value, an empty one counting as unset (as the docker and podman CLIs count it).
    pub(crate) fn var(&self, name: &str) -> Option<&str> {
        self.vars
            .get(name)
            .map(String::as_str)
            .filter(|value| !value.is_empty())
    }
}
