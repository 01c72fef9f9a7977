//! Strict urlencoded parsing, now part of the kernel (`kernel::form`).
pub use super::kernel::form::*;
