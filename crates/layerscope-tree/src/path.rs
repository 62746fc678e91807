//! Turning a tar entry name into a clean path and telling whiteouts apart.

/// What an entry name means once whiteout markers are read.
#[derive(Debug, PartialEq, Eq)]
pub enum Marker<'a> {
    /// An ordinary entry at this path.
    Plain(String),
    /// `.wh.NAME`: the path it deletes from lower layers.
    Whiteout(String),
    /// `.wh..wh..opq`: the directory whose lower contents it hides ("" is the root).
    Opaque(String),
    /// Other `.wh..wh.*` names (AUFS bookkeeping such as `.wh..wh.plnk`): not part of the image.
    Meta(&'a str),
    /// The root itself (`.`, `./`, `/`): carries nothing.
    Root,
}

/// Cleans a tar name into a relative path with no empty, `.` or `..` components.
///
/// `..` is resolved lexically and can never climb above the root, so a hostile name such as
/// `../../etc/passwd` lands at `etc/passwd` inside the image rather than outside it.
pub fn normalize(raw: &str) -> String {
    let raw = raw.strip_prefix("./").unwrap_or(raw);
    if is_clean(raw) {
        return raw.to_owned();
    }
    let mut parts: Vec<&str> = Vec::new();
    for part in raw.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

/// Most names are already clean; checking that costs one pass and no allocation.
fn is_clean(raw: &str) -> bool {
    !raw.is_empty() && raw.split('/').all(|part| !matches!(part, "" | "." | ".."))
}

/// Reads the whiteout markers of one entry name.
pub fn classify(raw: &str) -> Marker<'_> {
    let clean = normalize(raw);
    if clean.is_empty() {
        return Marker::Root;
    }
    let (parent, name) = match clean.rfind('/') {
        Some(i) => (&clean[..i], &clean[i + 1..]),
        None => ("", clean.as_str()),
    };
    if name == ".wh..wh..opq" {
        return Marker::Opaque(parent.to_owned());
    }
    if name.starts_with(".wh..wh.") {
        let start = raw.len() - name.len().min(raw.len());
        return Marker::Meta(&raw[start..]);
    }
    if let Some(target) = name.strip_prefix(".wh.") {
        if target.is_empty() {
            return Marker::Meta("");
        }
        let path = if parent.is_empty() {
            target.to_owned()
        } else {
            format!("{parent}/{target}")
        };
        return Marker::Whiteout(path);
    }
    Marker::Plain(clean)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cleans_names() {
        assert_eq!(normalize("./etc/a"), "etc/a");
        assert_eq!(normalize("/etc//a/"), "etc/a");
        assert_eq!(normalize("../../etc/passwd"), "etc/passwd");
        assert_eq!(normalize("a/../../b"), "b");
        assert_eq!(normalize("./"), "");
    }

    fn slow(raw: &str) -> String {
        let mut parts: Vec<&str> = Vec::new();
        for part in raw.split('/') {
            match part {
                "" | "." => {}
                ".." => {
                    parts.pop();
                }
                p => parts.push(p),
            }
        }
        parts.join("/")
    }

    proptest::proptest! {
        #[test]
        fn the_fast_path_agrees_with_the_slow_one(raw in "[a./]{0,12}") {
            proptest::prop_assert_eq!(normalize(&raw), slow(&raw));
        }
    }

    #[test]
    fn reads_whiteouts() {
        assert_eq!(
            classify("./data/.wh.big.bin"),
            Marker::Whiteout("data/big.bin".into())
        );
        assert_eq!(classify(".wh.opt"), Marker::Whiteout("opt".into()));
        assert_eq!(classify("app/.wh..wh..opq"), Marker::Opaque("app".into()));
        assert_eq!(classify(".wh..wh..opq"), Marker::Opaque(String::new()));
        assert!(matches!(classify(".wh..wh.plnk"), Marker::Meta(_)));
        assert_eq!(classify("./"), Marker::Root);
        assert_eq!(classify("etc/a.wh.b"), Marker::Plain("etc/a.wh.b".into()));
    }
}
