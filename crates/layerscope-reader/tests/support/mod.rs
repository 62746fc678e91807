//! GNU tar's listings of the conformance archives, read for the tests.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

pub mod listing;
