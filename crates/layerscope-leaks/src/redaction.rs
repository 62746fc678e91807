//! Masking found secrets wherever else the image spells them out. A build argument holding a
//! token is recorded in the history of every later `RUN`; a file's secret is often echoed by
//! the command that wrote it. A finding masks its value, so every command a report prints must
//! mask it too.

use std::borrow::Cow;

use crate::secret::mask;

/// Values shorter than this are not searched for: they would mask ordinary words in commands,
/// and no rule finds a secret that short.
const MIN_VALUE: usize = 6;

/// Every secret value the analysis found. Never printed or serialised.
#[derive(Default, Clone)]
pub struct Redactions {
    values: Vec<Vec<u8>>,
}

// Derived Debug would print the secrets.
impl std::fmt::Debug for Redactions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Redactions({} values)", self.values.len())
    }
}

impl Redactions {
    pub(crate) fn add(&mut self, value: &[u8]) {
        if value.len() >= MIN_VALUE && !self.values.iter().any(|v| v == value) {
            self.values.push(value.to_vec());
            // Longest first, so a value inside another is not masked first and the longer
            // value then missed.
            self.values.sort_by_key(|v| std::cmp::Reverse(v.len()));
        }
    }

    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// `text` with every found value replaced by its masked form.
    pub fn apply<'t>(&self, text: &'t str) -> Cow<'t, str> {
        let mut out = Cow::Borrowed(text);
        for value in &self.values {
            let Ok(value) = std::str::from_utf8(value) else {
                continue;
            };
            if out.contains(value) {
                out = Cow::Owned(out.replace(value, &mask(value.as_bytes())));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_every_occurrence_and_leaves_other_text() {
        let mut r = Redactions::default();
        r.add(b"npm_abcdefghijklmnopqrstuvwxyz0123456789");
        r.add(b"abc");
        let text = "|1 NPM_TOKEN=npm_abcdefghijklmnopqrstuvwxyz0123456789 /bin/sh -c echo \
                    npm_abcdefghijklmnopqrstuvwxyz0123456789 abc";
        let out = r.apply(text);
        assert!(
            !out.contains("npm_abcdefghijklmnopqrstuvwxyz0123456789"),
            "{out}"
        );
        assert_eq!(out.matches("npm_****************6789").count(), 2, "{out}");
        assert!(out.ends_with(" abc"), "short values are left: {out}");
        assert!(matches!(r.apply("ls -l"), Cow::Borrowed(_)));
    }

    #[test]
    fn a_value_inside_another_is_masked_after_it() {
        let mut r = Redactions::default();
        r.add(b"secret123456");
        r.add(b"xsecret123456789y");
        let out = r.apply("a=xsecret123456789y b=secret123456");
        assert!(!out.contains("secret123456"), "{out}");
        assert!(!format!("{r:?}").contains("secret"));
    }
}
