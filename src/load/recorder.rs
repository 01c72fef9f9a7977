//! cxgate's own measurements of a run, kept beside goose's: for every operation (goose's
//! "METHOD name") an HDR histogram of its latencies in microseconds, its count and its
//! failures by kind, and the requests, failures and latency of every wall-clock second.
//! The run's summary and a merge of shards are both computed from these.

use hdrhistogram::Histogram;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::sync::{Mutex, RwLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The slowest latency a histogram holds exactly: an hour, in microseconds; slower ones
/// are recorded as an hour.
pub const HIGHEST_US: u64 = 3_600_000_000;

/// A latency histogram of microseconds, 1 µs to an hour, 3 significant digits.
pub fn histogram() -> Histogram<u64> {
    // The bounds are constants that hdrhistogram accepts.
    Histogram::new_with_bounds(1, HIGHEST_US, 3).unwrap_or_else(|_| {
        Histogram::new(3).unwrap_or_else(|_| unreachable!("3 significant digits are valid"))
    })
}

/// Why a request failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureKind {
    /// No response, or its body could not be read (refused, reset, TLS, timeout).
    Transport,
    /// A status the contract does not expect.
    Status,
    /// The body breaks the contract (its schema, an empty body, a 204 with a body).
    Contract,
    /// A 429: the target's rate limit.
    RateLimited,
    /// A step that is not one HTTP response failed (a CometD connect, an export run).
    Other,
}

/// An operation's failures, by kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Failures {
    pub transport: u64,
    pub status: u64,
    pub contract: u64,
    pub rate_limited: u64,
    pub other: u64,
}

impl Failures {
    /// All of them.
    pub fn total(&self) -> u64 {
        self.transport + self.status + self.contract + self.rate_limited + self.other
    }

    /// Counts one of `kind`.
    pub fn count(&mut self, kind: FailureKind) {
        match kind {
            FailureKind::Transport => self.transport += 1,
            FailureKind::Status => self.status += 1,
            FailureKind::Contract => self.contract += 1,
            FailureKind::RateLimited => self.rate_limited += 1,
            FailureKind::Other => self.other += 1,
        }
    }

    /// Adds `other`'s counts.
    pub fn add(&mut self, other: &Failures) {
        self.transport += other.transport;
        self.status += other.status;
        self.contract += other.contract;
        self.rate_limited += other.rate_limited;
        self.other += other.other;
    }
}

/// One operation's measurements: every latency in the histogram (its `len()` is the
/// count), and the failures among them.
#[derive(Debug, Clone)]
pub struct Operation {
    pub latencies: Histogram<u64>,
    pub failures: Failures,
}

impl Default for Operation {
    fn default() -> Operation {
        Operation {
            latencies: histogram(),
            failures: Failures::default(),
        }
    }
}

impl Operation {
    /// Requests (or events) measured.
    pub fn count(&self) -> u64 {
        self.latencies.len()
    }

    fn record(&mut self, latency_us: u64, failure: Option<FailureKind>) {
        self.latencies.saturating_record(latency_us.max(1));
        if let Some(kind) = failure {
            self.failures.count(kind);
        }
    }
}

/// The requests, failures and summed latency of one second (requests only, not the
/// `EVENT`s).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Second {
    pub requests: u64,
    pub errors: u64,
    pub latency_us: u64,
}

impl Second {
    /// Adds `other`'s counts.
    pub fn add(&mut self, other: &Second) {
        self.requests += other.requests;
        self.errors += other.errors;
        self.latency_us += other.latency_us;
    }
}

/// The measurements of a run, recorded by every user as its responses arrive.
#[derive(Debug, Default)]
pub struct Recorder {
    operations: RwLock<HashMap<String, Mutex<Operation>>>,
    /// By Unix second.
    seconds: Mutex<BTreeMap<i64, Second>>,
}

/// An operation's key as goose's metrics have it: `METHOD name`.
pub fn key(method: &str, name: &str) -> String {
    format!("{method} {name}")
}

/// The current Unix second.
pub fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

impl Recorder {
    /// Records one request (or event) of the operation `key` that took `latency`, and
    /// how it failed if it did.
    pub fn record(&self, key: &str, latency: Duration, failure: Option<FailureKind>) {
        let us = u64::try_from(latency.as_micros()).unwrap_or(u64::MAX);
        let recorded = {
            let map = self.operations.read().unwrap_or_else(|p| p.into_inner());
            match map.get(key) {
                Some(op) => {
                    op.lock()
                        .unwrap_or_else(|p| p.into_inner())
                        .record(us, failure);
                    true
                }
                None => false,
            }
        };
        if !recorded {
            let mut map = self.operations.write().unwrap_or_else(|p| p.into_inner());
            map.entry(key.to_string())
                .or_default()
                .get_mut()
                .unwrap_or_else(|p| p.into_inner())
                .record(us, failure);
        }
        if !key.starts_with("EVENT ") {
            let mut seconds = self.seconds.lock().unwrap_or_else(|p| p.into_inner());
            let second = seconds.entry(unix_now()).or_default();
            second.requests += 1;
            second.errors += u64::from(failure.is_some());
            second.latency_us = second.latency_us.saturating_add(us);
        }
    }

    /// Every operation's measurements so far, by key.
    pub fn operations(&self) -> BTreeMap<String, Operation> {
        let map = self.operations.read().unwrap_or_else(|p| p.into_inner());
        map.iter()
            .map(|(k, op)| {
                (
                    k.clone(),
                    op.lock().unwrap_or_else(|p| p.into_inner()).clone(),
                )
            })
            .collect()
    }

    /// The seconds recorded, by Unix second.
    pub fn seconds(&self) -> BTreeMap<i64, Second> {
        self.seconds
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_record_is_counted_once_with_its_failure_and_its_second() {
        let recorder = Recorder::default();
        recorder.record("GET userinfo", Duration::from_micros(1500), None);
        recorder.record(
            "GET userinfo",
            Duration::from_micros(900),
            Some(FailureKind::Status),
        );
        recorder.record("EVENT delivery", Duration::from_millis(3), None);
        let ops = recorder.operations();
        assert_eq!(ops["GET userinfo"].count(), 2);
        assert_eq!(ops["GET userinfo"].failures.status, 1);
        assert_eq!(ops["GET userinfo"].failures.total(), 1);
        assert_eq!(ops["EVENT delivery"].count(), 1);
        let seconds: Vec<Second> = recorder.seconds().into_values().collect();
        assert_eq!(
            seconds.iter().map(|s| s.requests).sum::<u64>(),
            2,
            "no EVENT"
        );
        assert_eq!(seconds.iter().map(|s| s.errors).sum::<u64>(), 1);
    }
}
