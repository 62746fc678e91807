//! Numbers as tar writers spell them: octal or base-256 in header fields, decimal in PAX records
//! and sparse maps.

/// An octal field, read as GNU tar and Go's archive/tar both accept it: leading spaces and NULs
/// are skipped, and the digits end at a NUL, a space or the field's end (what follows a
/// terminator is ignored, as GNU tar ignores it). `None` for an empty field; the header checksum
/// is one that must not be empty.
pub(crate) fn octal(bytes: &[u8]) -> Option<u64> {
    let start = bytes.iter().position(|&b| b != b' ' && b != 0)?;
    let rest = &bytes[start..];
    let digits = rest
        .iter()
        .take_while(|b| (b'0'..=b'7').contains(b))
        .count();
    if !matches!(rest.get(digits), None | Some(0 | b' ')) {
        return None;
    }
    rest[..digits].iter().try_fold(0u64, |value, &d| {
        value.checked_mul(8)?.checked_add(u64::from(d - b'0'))
    })
}

/// An empty field is 0; `octal` says `None` for it, which only the checksum must refuse.
fn octal_or_zero(bytes: &[u8]) -> Option<u64> {
    if bytes.iter().all(|&b| b == b' ' || b == 0) {
        Some(0)
    } else {
        octal(bytes)
    }
}

/// Base-256 (two's complement, big-endian, the first byte's high bit as the flag), as GNU tar and
/// star write values octal cannot hold.
fn base256(bytes: &[u8]) -> Option<i64> {
    let negative = bytes[0] & 0x40 != 0;
    let invert = if negative { 0xff } else { 0 };
    let mut x: u64 = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let mut c = b ^ invert;
        if i == 0 {
            c &= 0x7f;
        }
        if x >> 56 != 0 {
            return None;
        }
        x = (x << 8) | u64::from(c);
    }
    let x = i64::try_from(x).ok()?;
    Some(if negative { !x } else { x })
}

/// A header field that must not be negative (sizes, ids, modes, device numbers).
pub(crate) fn unsigned_field(bytes: &[u8]) -> Option<u64> {
    if bytes.first().is_some_and(|&b| b & 0x80 != 0) {
        return base256(bytes).and_then(|v| u64::try_from(v).ok());
    }
    octal_or_zero(bytes).filter(|&v| i64::try_from(v).is_ok())
}

/// A header field that may be negative (times before 1970).
pub(crate) fn signed_field(bytes: &[u8]) -> Option<i64> {
    if bytes.first().is_some_and(|&b| b & 0x80 != 0) {
        return base256(bytes);
    }
    octal_or_zero(bytes).and_then(|v| i64::try_from(v).ok())
}

/// A decimal in a PAX record or a sparse map: digits only, at most `i64::MAX` (Go's limit).
pub(crate) fn decimal(bytes: &[u8]) -> Option<u64> {
    let digits = bytes.strip_prefix(b"+").unwrap_or(bytes);
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let value = digits.iter().try_fold(0u64, |value, &d| {
        value.checked_mul(10)?.checked_add(u64::from(d - b'0'))
    })?;
    i64::try_from(value).is_ok().then_some(value)
}

/// A PAX time (`mtime=1704067200.25`, `-1.5`) as whole seconds, rounded down as Go rounds it.
pub(crate) fn pax_time(bytes: &[u8]) -> Option<i64> {
    let (negative, rest) = match bytes.strip_prefix(b"-") {
        Some(rest) => (true, rest),
        None => (false, bytes),
    };
    let (whole, fraction) = match rest.iter().position(|&b| b == b'.') {
        Some(dot) => (&rest[..dot], &rest[dot + 1..]),
        None => (rest, &[][..]),
    };
    if !fraction.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let seconds = i64::try_from(decimal(whole)?).ok()?;
    if !negative {
        return Some(seconds);
    }
    let below = fraction.iter().any(|&d| d != b'0');
    Some(-seconds - i64::from(below))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn octal_as_writers_spell_it() {
        assert_eq!(unsigned_field(b"0000644\0"), Some(0o644));
        assert_eq!(unsigned_field(b"   644 \0"), Some(0o644));
        assert_eq!(octal(b"\0\0\0\0\0\0\0\0"), None);
        assert_eq!(unsigned_field(b"\0\0\0\0\0\0\0\0"), Some(0));
        assert_eq!(unsigned_field(b"        "), Some(0));
        assert_eq!(unsigned_field(b"12 34"), Some(0o12));
        assert_eq!(unsigned_field(b"12x"), None);
        assert_eq!(unsigned_field(b"9"), None);
        assert_eq!(octal(b"77777777777777777777777"), None);
    }

    #[test]
    fn base256_both_signs() {
        let mut b = [0u8; 12];
        b[0] = 0x80;
        b[8..].copy_from_slice(&3_000_000u32.to_be_bytes());
        assert_eq!(unsigned_field(&b), Some(3_000_000));
        // -315619200 (1960-01-01) as GNU tar writes it.
        let mut n = [0xffu8; 12];
        n[8..].copy_from_slice(&(-315_619_200i32).to_be_bytes());
        assert_eq!(signed_field(&n), Some(-315_619_200));
        assert_eq!(unsigned_field(&n), None);
        // Past i64.
        assert_eq!(
            signed_field(&[0x80, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
            None
        );
    }

    #[test]
    fn decimals_and_times() {
        assert_eq!(decimal(b"1048576"), Some(1_048_576));
        assert_eq!(decimal(b""), None);
        assert_eq!(decimal(b"-1"), None);
        assert_eq!(decimal(b"1 "), None);
        assert_eq!(decimal(b"9223372036854775808"), None);
        assert_eq!(pax_time(b"1704067200.25"), Some(1_704_067_200));
        assert_eq!(pax_time(b"-1.5"), Some(-2));
        assert_eq!(pax_time(b"-315619200"), Some(-315_619_200));
        assert_eq!(pax_time(b"1.x"), None);
    }
}
