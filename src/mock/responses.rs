//! The answer envelopes, now part of the kernel (`kernel::envelope`).
pub use super::kernel::envelope::*;
