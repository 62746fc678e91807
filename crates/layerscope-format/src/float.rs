//! Go's float formatting, for the lines dive prints with `%v` and `%2.4f`: scripts compare
//! those strings, so the digits and the exponent form have to be Go's.

/// Go's `%v` for a `float64`: the shortest digits that read back to the same value, in
/// exponent form (`1e-05`, `1.5e+06`) when the decimal exponent is below -4 or at least 6.
pub fn go_v(value: f64) -> String {
    if let Some(special) = non_finite(value) {
        return special.to_owned();
    }
    let sign = if value.is_sign_negative() { "-" } else { "" };
    if value == 0.0 {
        return format!("{sign}0");
    }
    // Rust's `{:e}` yields the same shortest round-trip digits Go picks: `d.ddde<exp>`.
    let scientific = format!("{:e}", value.abs());
    let (mantissa, exponent) = scientific.split_once('e').unwrap_or((&scientific, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    // strconv uses precision 6 for this choice when asked for the shortest form.
    if !(-4..6).contains(&exponent) {
        let (first, rest) = digits.split_at(1);
        let fraction = if rest.is_empty() {
            String::new()
        } else {
            format!(".{rest}")
        };
        let exp_sign = if exponent < 0 { '-' } else { '+' };
        return format!("{sign}{first}{fraction}e{exp_sign}{:02}", exponent.abs());
    }
    let point = exponent + 1;
    let count = i32::try_from(digits.len()).unwrap_or(i32::MAX);
    let body = if point <= 0 {
        format!("0.{}{digits}", "0".repeat(point.unsigned_abs() as usize))
    } else if point >= count {
        format!("{digits}{}", "0".repeat((point - count) as usize))
    } else {
        let (whole, fraction) = digits.split_at(point as usize);
        format!("{whole}.{fraction}")
    };
    format!("{sign}{body}")
}

/// Go's `%2.4f` (the width never matters: four decimals make at least six characters).
pub fn go_fixed4(value: f64) -> String {
    match non_finite(value) {
        Some(special) => special.to_owned(),
        None => format!("{value:.4}"),
    }
}

fn non_finite(value: f64) -> Option<&'static str> {
    if value.is_nan() {
        Some("NaN")
    } else if value == f64::INFINITY {
        Some("+Inf")
    } else if value == f64::NEG_INFINITY {
        Some("-Inf")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v_matches_go_for_dive_figures() {
        assert_eq!(go_v(3500.0 / 16100.0), "0.21739130434782608");
        assert_eq!(go_v(15100.0 / 4600.0), "3.282608695652174");
        assert_eq!(go_v(0.9), "0.9");
        assert_eq!(go_v(0.1), "0.1");
        assert_eq!(go_v(1.0), "1");
        assert_eq!(go_v(0.0), "0");
        assert_eq!(go_v(-0.0), "-0");
    }

    #[test]
    fn v_switches_to_exponent_form_like_strconv() {
        assert_eq!(go_v(0.0001), "0.0001");
        assert_eq!(go_v(0.00001), "1e-05");
        assert_eq!(go_v(1e-7), "1e-07");
        assert_eq!(go_v(1.25e-7), "1.25e-07");
        assert_eq!(go_v(123_456.0), "123456");
        assert_eq!(go_v(100_000.0), "100000");
        assert_eq!(go_v(1e6), "1e+06");
        assert_eq!(go_v(1_234_567.0), "1.234567e+06");
        assert_eq!(go_v(1e21), "1e+21");
        assert_eq!(go_v(1e300), "1e+300");
        assert_eq!(go_v(-2.5e-9), "-2.5e-09");
        assert_eq!(go_v(-0.5), "-0.5");
    }

    #[test]
    fn non_finite_values_print_as_go_does() {
        assert_eq!(go_v(f64::NAN), "NaN");
        assert_eq!(go_v(f64::INFINITY), "+Inf");
        assert_eq!(go_v(f64::NEG_INFINITY), "-Inf");
        assert_eq!(go_fixed4(f64::NAN), "NaN");
        assert_eq!(go_fixed4(f64::INFINITY), "+Inf");
    }

    #[test]
    fn fixed4_matches_dive_lines() {
        assert_eq!(go_fixed4(100.0 * 3500.0 / 16100.0), "21.7391");
        assert_eq!(go_fixed4(100.0 * 15100.0 / 4600.0), "328.2609");
        assert_eq!(go_fixed4(100.0), "100.0000");
        assert_eq!(go_fixed4(0.0), "0.0000");
        assert_eq!(go_fixed4(100.0 * 149.0 / 150.0), "99.3333");
        // An exact tie rounds to even in Go's strconv, as in Rust.
        assert_eq!(go_fixed4(0.031_25), "0.0312");
        assert_eq!(go_fixed4(0.093_75), "0.0938");
    }
}
