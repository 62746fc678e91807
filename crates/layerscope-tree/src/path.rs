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

pub use layerscope_tar::clean_name as normalize;

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
