//! The caller identity store, now part of the kernel (`kernel::identity`); this path
//! stays while the API families move to the kernel's own name.
pub use super::kernel::identity::*;
