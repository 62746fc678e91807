//! Entry names as paths: the one place that decides what a hostile name may mean.

/// Cleans a tar entry name into a relative path with no empty, `.` or `..` components.
///
/// `..` is resolved lexically and can never climb above the root, so a hostile name such as
/// `../../etc/passwd` lands at `etc/passwd` inside the archive rather than outside it.
pub fn clean_name(raw: &str) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cleans_names() {
        assert_eq!(clean_name("./etc/a"), "etc/a");
        assert_eq!(clean_name("/etc//a/"), "etc/a");
        assert_eq!(clean_name("../../etc/passwd"), "etc/passwd");
        assert_eq!(clean_name("a/../../b"), "b");
        assert_eq!(clean_name("./"), "");
        assert_eq!(clean_name("blobs/sha256/ab"), "blobs/sha256/ab");
    }

    proptest::proptest! {
        /// The result is always clean, and cleaning it again changes nothing.
        #[test]
        fn cleaning_is_idempotent_and_complete(raw in "[a./]{0,12}") {
            let once = clean_name(&raw);
            proptest::prop_assert!(once.is_empty() || is_clean(&once));
            proptest::prop_assert_eq!(clean_name(&once), once.clone());
        }
    }
}
