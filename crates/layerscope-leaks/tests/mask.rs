//! Whatever the value, a report never carries it whole.
#![allow(clippy::unwrap_used)]

use std::sync::OnceLock;

use layerscope_leaks::{SecretScanner, mask};
use proptest::prelude::*;

fn scanner() -> &'static SecretScanner {
    static SCANNER: OnceLock<SecretScanner> = OnceLock::new();
    SCANNER.get_or_init(|| SecretScanner::new().unwrap())
}

proptest! {
    #[test]
    fn a_masked_value_shows_at_most_eight_of_its_characters(value in "[ -~]{1,120}") {
        let masked = mask(value.as_bytes());
        let shown = masked.chars().filter(|&c| c != '*').count();
        prop_assert!(shown <= 8, "{masked}");
        prop_assert!(value.len() < 12 || shown * 2 <= value.len(), "{masked}");
        prop_assert!(!masked.contains(&value) || value.chars().all(|c| c == '*'));
    }

    #[test]
    fn scanned_values_never_appear_whole(value in "[A-Za-z0-9+/]{20,64}", key in "(API_KEY|db_password|client_secret|token)") {
        for line in [format!("{key}={value}"), format!("AWS_SECRET_ACCESS_KEY={}", &value[..20].repeat(2))] {
            for found in scanner().scan("app/settings", line.as_bytes()) {
                prop_assert!(!found.masked.contains(&value), "{}", found.masked);
                prop_assert!(!found.masked.contains(&value[..20].repeat(2)), "{}", found.masked);
            }
        }
    }
}
