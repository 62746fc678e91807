//! Numbers as a person reads them: counts with thousands separators, ratios as percentages.

use layerscope_format::float::go_fixed4;

/// `1234567` as `1,234,567`.
pub fn count(n: impl Into<u64>) -> String {
    let digits = n.into().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// A ratio as a percentage with dive's four decimals, less the zeros that say nothing
/// (`10 %`, `97.4324 %`).
pub fn percent(ratio: f64) -> String {
    if !ratio.is_finite() {
        return "n/a".to_owned();
    }
    let fixed = go_fixed4(ratio * 100.0);
    let short = if fixed.contains('.') {
        fixed.trim_end_matches('0').trim_end_matches('.')
    } else {
        &fixed
    };
    format!("{short} %")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_group_thousands() {
        assert_eq!(count(0_u64), "0");
        assert_eq!(count(999_u64), "999");
        assert_eq!(count(1000_u64), "1,000");
        assert_eq!(count(2_034_911_u64), "2,034,911");
    }

    #[test]
    fn percentages_drop_idle_zeros() {
        assert_eq!(percent(0.1), "10 %");
        assert_eq!(percent(0.974_324), "97.4324 %");
        assert_eq!(percent(0.5005), "50.05 %");
        assert_eq!(percent(f64::NAN), "n/a");
    }
}
