//! Content digests, `algorithm:hex`, for the bytes this crate reads whole.

use sha2::{Digest as _, Sha256, Sha512};

/// The digest of `bytes` in the algorithm that `like` names (`sha512:…`), else sha256.
pub(crate) fn of(bytes: &[u8], like: Option<&str>) -> String {
    if like.is_some_and(|d| d.starts_with("sha512:")) {
        format!("sha512:{}", hex(&Sha512::digest(bytes)))
    } else {
        format!("sha256:{}", hex(&Sha256::digest(bytes)))
    }
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 15)]));
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn known_values() {
        assert_eq!(
            super::of(b"", None),
            "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert!(super::of(b"", Some("sha512:00")).starts_with("sha512:cf83e135"));
    }
}
