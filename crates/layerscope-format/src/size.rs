//! Byte sizes the way go-humanize 1.0.1 writes and reads them, because dive prints its
//! `wastedBytes (15 kB)` with `Bytes` and reads `highestWastedBytes` with `ParseBytes`.

use thiserror::Error;

/// Why a byte size did not parse.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ParseBytesError {
    /// The leading digits, dots and commas do not form a number (`-5`, `abc`, `1.2.3`).
    #[error("{}", describe_number(number))]
    InvalidNumber { number: String },
    /// The text after the number is not a known unit (`1e4` leaves `e4`).
    #[error("unknown unit {unit:?}")]
    UnknownUnit { unit: String },
    /// The value does not fit in 64 bits.
    #[error("{input:?} is too large")]
    TooLarge { input: String },
}

fn describe_number(number: &str) -> String {
    if number.is_empty() {
        "it does not start with a number".to_owned()
    } else {
        format!("{number:?} is not a number")
    }
}

const SI_UNITS: [&str; 7] = ["B", "kB", "MB", "GB", "TB", "PB", "EB"];

/// A size change as [`bytes`] writes sizes, with its sign: `+1.2 MB`, `-51 kB`, `0 B`.
pub fn signed_bytes(delta: i64) -> String {
    match delta {
        0 => "0 B".to_owned(),
        d if d > 0 => format!("+{}", bytes(d.unsigned_abs())),
        d => format!("-{}", bytes(d.unsigned_abs())),
    }
}

/// go-humanize `Bytes`: SI units, one decimal below 10, none from 10 up (`131 B`, `4.0 kB`,
/// `15 kB`, `1000 kB` for 999 999, as go-humanize rounds before it picks the format).
pub fn bytes(n: u64) -> String {
    if n < 10 {
        return format!("{n} B");
    }
    let value = n as f64;
    // go-humanize takes floor(log1000(n)); comparing with the exact powers gives the same
    // exponent without depending on how precise this platform's logarithm is.
    let mut exponent = 0;
    let mut power = 1.0_f64;
    while exponent + 1 < SI_UNITS.len() && value >= power * 1000.0 {
        power *= 1000.0;
        exponent += 1;
    }
    let rounded = (value / power * 10.0 + 0.5).floor() / 10.0;
    let unit = SI_UNITS[exponent];
    // Rust and Go both round the exact binary value half to even here.
    if rounded < 10.0 {
        format!("{rounded:.1} {unit}")
    } else {
        format!("{rounded:.0} {unit}")
    }
}

/// go-humanize `ParseBytes`: a number (digits, `.`, and `,` as a thousands separator) then an
/// optional unit, case-insensitive, spaces allowed between: `15100`, `15 kB`, `14.75KiB`,
/// `19Mb` (megabytes, not megabits), `0.0151MB`. A fractional result is truncated.
pub fn parse_bytes(s: &str) -> Result<u64, ParseBytesError> {
    let split = s
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == ','))
        .unwrap_or(s.len());
    let (number_text, rest) = s.split_at(split);
    let number: String = number_text.chars().filter(|&c| c != ',').collect();
    let invalid = || ParseBytesError::InvalidNumber {
        number: number.clone(),
    };
    // Go's ParseFloat refuses what Rust's refuses here: the text is only digits and dots.
    if !number.bytes().any(|b| b.is_ascii_digit()) {
        return Err(invalid());
    }
    let float: f64 = number.parse().map_err(|_| invalid())?;
    let unit = rest.trim().to_ascii_lowercase();
    let Some(multiplier) = unit_multiplier(&unit) else {
        return Err(ParseBytesError::UnknownUnit { unit });
    };
    let too_large = || ParseBytesError::TooLarge {
        input: s.to_owned(),
    };
    // Whole numbers stay exact past 2^53, as in later go-humanize releases.
    if !number.contains('.')
        && let Ok(whole) = number.parse::<u64>()
    {
        return whole.checked_mul(multiplier).ok_or_else(too_large);
    }
    let scaled = float * multiplier as f64;
    if scaled >= u64::MAX as f64 {
        return Err(too_large());
    }
    Ok(scaled as u64)
}

fn unit_multiplier(unit: &str) -> Option<u64> {
    const KI: u64 = 1024;
    const K: u64 = 1000;
    let multiplier = match unit {
        "" | "b" => 1,
        "k" | "kb" => K,
        "ki" | "kib" => KI,
        "m" | "mb" => K.pow(2),
        "mi" | "mib" => KI.pow(2),
        "g" | "gb" => K.pow(3),
        "gi" | "gib" => KI.pow(3),
        "t" | "tb" => K.pow(4),
        "ti" | "tib" => KI.pow(4),
        "p" | "pb" => K.pow(5),
        "pi" | "pib" => KI.pow(5),
        "e" | "eb" => K.pow(6),
        "ei" | "eib" => KI.pow(6),
        _ => return None,
    };
    Some(multiplier)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn bytes_matches_dive_output() {
        // Every size that appears in dive's CI output in the reference runs.
        for (n, text) in [
            (0, "0 B"),
            (9, "9 B"),
            (131, "131 B"),
            (300, "300 B"),
            (2000, "2.0 kB"),
            (4000, "4.0 kB"),
            (6400, "6.4 kB"),
            (1100, "1.1 kB"),
            (10_000, "10 kB"),
            (15_100, "15 kB"),
            (32_000, "32 kB"),
        ] {
            assert_eq!(bytes(n), text, "{n}");
        }
    }

    #[test]
    fn bytes_rounds_before_choosing_the_format() {
        for (n, text) in [
            (10, "10 B"),
            (999, "999 B"),
            (1000, "1.0 kB"),
            (1024, "1.0 kB"),
            (9_949, "9.9 kB"),
            (9_950, "10 kB"),
            (9_999, "10 kB"),
            (12_500, "12 kB"),
            (13_500, "14 kB"),
            (999_949, "1000 kB"),
            (999_999, "1000 kB"),
            (1_000_000, "1.0 MB"),
            (1_048_576, "1.0 MB"),
            (5_500_000_000, "5.5 GB"),
            (999_000_000, "999 MB"),
            (1_000_000_000, "1.0 GB"),
            (1_000_000_000_000, "1.0 TB"),
            (999_000_000_000_000, "999 TB"),
            (1_000_000_000_000_000, "1.0 PB"),
            (1_000_000_000_000_000_000, "1.0 EB"),
            (u64::MAX, "18 EB"),
        ] {
            assert_eq!(bytes(n), text, "{n}");
        }
    }

    #[test]
    fn parse_bytes_accepts_the_reference_table() {
        for (input, value) in [
            ("15KB", 15_000),
            ("15kb", 15_000),
            ("15 kB", 15_000),
            ("15.1kB", 15_100),
            ("14.75KiB", 15_104),
            ("0.0151MB", 15_100),
            ("19Mb", 19_000_000),
            ("20MB", 20_000_000),
            ("15100", 15_100),
            ("15099", 15_099),
            ("42", 42),
            ("42 MiB", 44_040_192),
            ("42.5 M", 42_500_000),
            ("1,000 kB", 1_000_000),
            ("15 kB  ", 15_000),
            (".5k", 500),
            ("12.5 EB", 12_500_000_000_000_000_000),
            ("18446744073709551615", u64::MAX),
        ] {
            assert_eq!(parse_bytes(input), Ok(value), "{input}");
        }
    }

    #[test]
    fn parse_bytes_rejects_what_go_humanize_rejects() {
        assert_eq!(
            parse_bytes("1e4"),
            Err(ParseBytesError::UnknownUnit { unit: "e4".into() })
        );
        for input in ["-5", "abc", "", " 15", ".", "1.2.3", "+5"] {
            assert!(
                matches!(
                    parse_bytes(input),
                    Err(ParseBytesError::InvalidNumber { .. })
                ),
                "{input}"
            );
        }
        assert_eq!(
            parse_bytes("84 JB"),
            Err(ParseBytesError::UnknownUnit { unit: "jb".into() })
        );
        for input in ["16 EiB", "18446744073709551616", "100000 PB"] {
            assert!(
                matches!(parse_bytes(input), Err(ParseBytesError::TooLarge { .. })),
                "{input}"
            );
        }
    }

    #[test]
    fn parse_errors_read_well() {
        assert_eq!(
            parse_bytes("1e4").unwrap_err().to_string(),
            "unknown unit \"e4\""
        );
        assert_eq!(
            parse_bytes("abc").unwrap_err().to_string(),
            "it does not start with a number"
        );
    }

    proptest! {
        #[test]
        fn plain_integers_round_trip(n: u64) {
            prop_assert_eq!(parse_bytes(&n.to_string()), Ok(n));
            prop_assert_eq!(parse_bytes(&format!("{n} B")), Ok(n));
        }

        #[test]
        fn humanized_sizes_read_back_close(n in 10_u64..) {
            let back = parse_bytes(&bytes(n)).unwrap() as f64;
            let error = (back - n as f64).abs() / n as f64;
            prop_assert!(error <= 0.06, "{} -> {} -> {}", n, bytes(n), back);
        }
    }
}
