//! The mock clock, now part of the kernel (`kernel::clock`).
pub use super::kernel::clock::*;
