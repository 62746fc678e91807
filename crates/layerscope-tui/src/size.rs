//! Byte counts written as dive writes them (go-humanize's `Bytes`), so the numbers on screen
//! match the ones dive users know and the CI report prints.

const UNITS: [&str; 7] = ["B", "kB", "MB", "GB", "TB", "PB", "EB"];

/// `131 B`, `4.0 kB`, `15 kB`: SI units, one decimal below ten.
pub fn bytes(n: u64) -> String {
    if n < 10 {
        return format!("{n} B");
    }
    // Stepping through exact powers of 1000 picks floor(log1000 n) without trusting the
    // platform's logarithm near the unit boundaries.
    let value = n as f64;
    let mut unit = 0;
    let mut scale = 1.0_f64;
    while unit + 1 < UNITS.len() && value >= scale * 1000.0 {
        scale *= 1000.0;
        unit += 1;
    }
    let shown = (value / scale * 10.0 + 0.5).floor() / 10.0;
    if shown < 10.0 {
        format!("{shown:.1} {}", UNITS[unit])
    } else {
        format!("{shown:.0} {}", UNITS[unit])
    }
}

#[cfg(test)]
mod tests {
    use super::bytes;

    #[test]
    fn matches_go_humanize() {
        assert_eq!(bytes(0), "0 B");
        assert_eq!(bytes(9), "9 B");
        assert_eq!(bytes(131), "131 B");
        assert_eq!(bytes(4_000), "4.0 kB");
        assert_eq!(bytes(15_100), "15 kB");
        assert_eq!(bytes(51_200), "51 kB");
        assert_eq!(bytes(999_999), "1000 kB");
        assert_eq!(bytes(1_980_000), "2.0 MB");
    }
}
