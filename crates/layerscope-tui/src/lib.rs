//! The interactive layer explorer.
