//! The one mock clock every API reads: wall time plus an offset that the control plane
//! (`POST /__cxgate/clock/advance`) moves forward for all of them at once.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

/// Milliseconds since the Unix epoch, shifted by a shared offset; clones share it.
///
/// Wall time (not `Instant`) is used because the JWT `iat`/`exp` claims and the APIs'
/// timestamps are Unix times; the offset only ever grows, so mock time never goes
/// backwards unless the host clock does.
#[derive(Debug, Clone, Default)]
pub struct MockClock {
    offset_ms: Arc<AtomicU64>,
}

impl MockClock {
    /// Current mock time in milliseconds since the Unix epoch.
    pub fn now_ms(&self) -> u64 {
        let real = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX));
        real.saturating_add(self.offset_ms.load(Ordering::Relaxed))
    }

    /// Current mock time in whole seconds since the Unix epoch.
    pub fn now_secs(&self) -> u64 {
        self.now_ms() / 1000
    }

    /// Current mock time as a UTC date-time (for RFC 3339 timestamps).
    pub fn now_utc(&self) -> time::OffsetDateTime {
        let nanos = i128::from(self.now_ms()) * 1_000_000;
        time::OffsetDateTime::from_unix_timestamp_nanos(nanos)
            .unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
    }

    /// Moves mock time forward by `seconds` for every holder of this clock; returns the
    /// total offset in seconds.
    pub fn advance(&self, seconds: u64) -> u64 {
        let add = seconds.saturating_mul(1000);
        let before = self
            .offset_ms
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |o| {
                Some(o.saturating_add(add))
            })
            .unwrap_or(0);
        before.saturating_add(add) / 1000
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clones_share_one_offset() {
        let a = MockClock::default();
        let b = a.clone();
        assert_eq!(a.advance(30), 30);
        assert_eq!(b.advance(0), 30);
        assert!(b.now_ms() >= a.now_ms() - 1000);
    }

    #[test]
    fn the_date_time_follows_the_offset() {
        let clock = MockClock::default();
        let before = clock.now_utc();
        clock.advance(3600);
        let after = clock.now_utc();
        assert!(
            after - before >= time::Duration::seconds(3599),
            "{before} -> {after}"
        );
    }
}
