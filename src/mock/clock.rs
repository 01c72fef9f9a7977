//! The mock clock: wall time plus an offset the control plane can advance.

use std::time::{SystemTime, UNIX_EPOCH};

/// Milliseconds since the Unix epoch, shifted by `offset_ms`.
///
/// Wall time (not `Instant`) is used because the JWT `iat`/`exp` claims are
/// Unix seconds; the offset only ever grows, so mock time never goes backwards
/// unless the host clock does.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MockClock {
    offset_ms: u64,
}

impl MockClock {
    /// Current mock time in milliseconds since the Unix epoch.
    pub fn now_ms(&self) -> u64 {
        let real = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX));
        real.saturating_add(self.offset_ms)
    }

    /// Current mock time in whole seconds since the Unix epoch.
    pub fn now_secs(&self) -> u64 {
        self.now_ms() / 1000
    }

    /// Moves mock time forward by `seconds`; returns the total offset in seconds.
    pub fn advance(&mut self, seconds: u64) -> u64 {
        self.offset_ms = self.offset_ms.saturating_add(seconds.saturating_mul(1000));
        self.offset_secs()
    }

    /// Total offset from wall time, in seconds.
    pub fn offset_secs(&self) -> u64 {
        self.offset_ms / 1000
    }
}
