//! The measurements of a run as a file (`--metrics-out`) and their exact merge
//! (`cxgate load merge`): per operation an HDR histogram (V2 + DEFLATE, base64, in JSON),
//! its count and failures by kind; contract violations and 429s by operation; the
//! path's own counters (updates, replies, lost messages, exports); the first errors;
//! the per-second series; the time window; the shard, the versions and the options
//! every shard of one run must share. A single run's summary is made from the same
//! [`RunMetrics`] as a merged one.

use super::recorder::{histogram, Failures, Operation, Second};
use super::shard::Shard;
use crate::report::load::LoadSummary;
use base64::Engine as _;
use hdrhistogram::serialization::{Deserializer, Serializer as _, V2DeflateSerializer};
use hdrhistogram::Histogram;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The version of this file's layout; a file of another is refused.
pub const FORMAT_VERSION: u32 = 1;

/// The first distinct errors a summary keeps.
const ERRORS_KEPT: usize = 20;

/// What every shard of one run must have been given alike.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunSettings {
    /// `--target` as given (`mock`, a URL or a profile).
    pub target: String,
    /// `--users` of the whole run.
    pub users: usize,
    /// `--increase-rate` of the whole run.
    pub increase_rate: String,
    /// `--run-time`, seconds.
    pub run_time_secs: u64,
    /// `--iterations`.
    pub iterations: Option<usize>,
    /// `--sample-every`.
    pub sample_every: u64,
}

/// The time a run (or the shards of one) measured, RFC 3339.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Window {
    pub start: String,
    pub end: String,
}

impl Window {
    fn parse(text: &str) -> Option<chrono::DateTime<chrono::FixedOffset>> {
        chrono::DateTime::parse_from_rfc3339(text).ok()
    }

    /// Its length in seconds (0 when a time does not parse).
    pub fn seconds(&self) -> f64 {
        match (Window::parse(&self.start), Window::parse(&self.end)) {
            (Some(s), Some(e)) => (e - s).num_microseconds().unwrap_or(0).max(0) as f64 / 1e6,
            _ => 0.0,
        }
    }
}

/// The counters a path adds to the summary (its `account` step); they add up across
/// shards.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PathCounts {
    pub updates_received: u64,
    pub replies_sent: u64,
    pub replies_delivered: u64,
    pub replies_lost: u64,
    pub unsigned_deliveries: u64,
    pub exports_completed: u64,
    pub exports_unfinished: u64,
}

impl PathCounts {
    /// The counters a path's account step wrote into `summary`.
    pub fn of(summary: &LoadSummary) -> PathCounts {
        PathCounts {
            updates_received: summary.updates_received,
            replies_sent: summary.replies_sent,
            replies_delivered: summary.replies_delivered,
            replies_lost: summary.replies_lost,
            unsigned_deliveries: summary.unsigned_deliveries,
            exports_completed: summary.exports_completed,
            exports_unfinished: summary.exports_unfinished,
        }
    }

    /// Writes them into `summary`.
    pub fn apply(&self, summary: &mut LoadSummary) {
        summary.updates_received = self.updates_received;
        summary.replies_sent = self.replies_sent;
        summary.replies_delivered = self.replies_delivered;
        summary.replies_lost = self.replies_lost;
        summary.unsigned_deliveries = self.unsigned_deliveries;
        summary.exports_completed = self.exports_completed;
        summary.exports_unfinished = self.exports_unfinished;
    }

    fn add(&mut self, other: &PathCounts) {
        self.updates_received += other.updates_received;
        self.replies_sent += other.replies_sent;
        self.replies_delivered += other.replies_delivered;
        self.replies_lost += other.replies_lost;
        self.unsigned_deliveries += other.unsigned_deliveries;
        self.exports_completed += other.exports_completed;
        self.exports_unfinished += other.exports_unfinished;
    }
}

/// One operation as the file has it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OperationFile {
    /// Requests (or events) measured: the histogram's count.
    pub count: u64,
    pub failures: Failures,
    /// The latencies in microseconds: hdrhistogram V2 + DEFLATE, base64 (standard).
    pub histogram: String,
}

/// The per-second series of a run, from its first second on.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Seconds {
    /// The Unix second of the first entry.
    pub first: i64,
    pub requests: Vec<u64>,
    pub errors: Vec<u64>,
    /// Summed latency of each second's requests, microseconds.
    pub latency_us: Vec<u64>,
    /// Users running in each second.
    pub users: Vec<u64>,
}

/// The file `--metrics-out` writes and `cxgate load merge` reads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MetricsFile {
    pub format_version: u32,
    pub cxgate_version: String,
    /// The load path (`auth`, ..., `all`).
    pub path: String,
    pub shard: Shard,
    /// The target as the summary names it.
    pub target: String,
    pub settings: RunSettings,
    pub window: Window,
    /// This shard's users.
    pub users: usize,
    pub operations: BTreeMap<String, OperationFile>,
    pub contract_violations: BTreeMap<String, u64>,
    pub rate_limited: BTreeMap<String, u64>,
    pub counts: PathCounts,
    pub errors: Vec<String>,
    pub seconds: Seconds,
}

/// A run's measurements in memory: one shard's, or several merged.
#[derive(Debug, Clone)]
pub struct RunMetrics {
    pub path: String,
    pub target: String,
    pub settings: RunSettings,
    /// The shards measured (one for a single run).
    pub shards: Vec<Shard>,
    pub window: Window,
    pub operations: BTreeMap<String, Operation>,
    pub contract_violations: BTreeMap<String, u64>,
    pub rate_limited: BTreeMap<String, u64>,
    pub counts: PathCounts,
    pub errors: Vec<String>,
    /// By Unix second.
    pub seconds: BTreeMap<i64, Second>,
    /// Users running, by Unix second.
    pub users: BTreeMap<i64, u64>,
}

/// Why a metrics file cannot be merged: the file, and what is wrong with it, to print
/// as one line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}: {why}", path.display())]
pub struct Refusal {
    pub path: PathBuf,
    pub why: String,
}

fn refuse(path: &Path, why: impl Into<String>) -> Refusal {
    Refusal {
        path: path.to_path_buf(),
        why: why.into(),
    }
}

/// The histogram as the file has it.
pub fn encode(h: &Histogram<u64>) -> String {
    let mut bytes = Vec::new();
    // Serialising into memory fails only for a histogram V2 cannot hold; an empty
    // string then fails the count check of whoever reads it.
    if V2DeflateSerializer::new().serialize(h, &mut bytes).is_err() {
        return String::new();
    }
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// A histogram of the file, or why it is not one.
pub fn decode(text: &str) -> Result<Histogram<u64>, String> {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(text)
        .map_err(|e| format!("not base64 ({e})"))?;
    Deserializer::new()
        .deserialize(&mut bytes.as_slice())
        .map_err(|e| format!("not an HDR histogram ({e:?})"))
}

impl RunMetrics {
    /// The file of this (single-shard) run.
    pub fn to_file(&self) -> MetricsFile {
        let shard = self.shards.first().copied().unwrap_or_default();
        let operations = self
            .operations
            .iter()
            .map(|(key, op)| {
                let file = OperationFile {
                    count: op.count(),
                    failures: op.failures,
                    histogram: encode(&op.latencies),
                };
                (key.clone(), file)
            })
            .collect();
        let first = self
            .seconds
            .keys()
            .chain(self.users.keys())
            .min()
            .copied()
            .unwrap_or(0);
        let last = self
            .seconds
            .keys()
            .chain(self.users.keys())
            .max()
            .copied()
            .unwrap_or(first - 1);
        let range = first..=last;
        let second = |at: i64| self.seconds.get(&at).copied().unwrap_or_default();
        MetricsFile {
            format_version: FORMAT_VERSION,
            cxgate_version: env!("CARGO_PKG_VERSION").to_string(),
            path: self.path.clone(),
            shard,
            target: self.target.clone(),
            settings: self.settings.clone(),
            window: self.window.clone(),
            users: shard.users(self.settings.users),
            operations,
            contract_violations: self.contract_violations.clone(),
            rate_limited: self.rate_limited.clone(),
            counts: self.counts,
            errors: self.errors.clone(),
            seconds: Seconds {
                first,
                requests: range.clone().map(|s| second(s).requests).collect(),
                errors: range.clone().map(|s| second(s).errors).collect(),
                latency_us: range.clone().map(|s| second(s).latency_us).collect(),
                users: range
                    .map(|s| self.users.get(&s).copied().unwrap_or(0))
                    .collect(),
            },
        }
    }

    /// The run a file holds, or why the file is corrupted.
    pub fn from_file(path: &Path, file: MetricsFile) -> Result<RunMetrics, Refusal> {
        let mut operations = BTreeMap::new();
        for (key, op) in file.operations {
            let latencies = decode(&op.histogram)
                .map_err(|why| refuse(path, format!("corrupted: the histogram of {key:?} is {why}; write the file again with --metrics-out")))?;
            if latencies.len() != op.count {
                return Err(refuse(
                    path,
                    format!(
                        "corrupted: {key:?} counts {} requests but its histogram holds {}; write the file again with --metrics-out",
                        op.count,
                        latencies.len()
                    ),
                ));
            }
            if op.failures.total() > op.count {
                return Err(refuse(
                    path,
                    format!(
                        "corrupted: {key:?} has {} failures among {} requests; write the file again with --metrics-out",
                        op.failures.total(),
                        op.count
                    ),
                ));
            }
            // Every histogram must add to the same layout.
            let mut h = histogram();
            h.add(&latencies).map_err(|e| {
                refuse(
                    path,
                    format!("corrupted: the histogram of {key:?} does not fit ({e:?})"),
                )
            })?;
            operations.insert(
                key,
                Operation {
                    latencies: h,
                    failures: op.failures,
                },
            );
        }
        let s = &file.seconds;
        let lengths = [
            s.requests.len(),
            s.errors.len(),
            s.latency_us.len(),
            s.users.len(),
        ];
        if lengths.iter().any(|l| *l != s.requests.len()) {
            return Err(refuse(
                path,
                "corrupted: its per-second series differ in length; write the file again with --metrics-out",
            ));
        }
        if s.requests.iter().zip(&s.errors).any(|(r, e)| e > r) {
            return Err(refuse(
                path,
                "corrupted: a second has more errors than requests; write the file again with --metrics-out",
            ));
        }
        let requests: u64 = operations
            .iter()
            .filter(|(k, _)| !k.starts_with("EVENT "))
            .map(|(_, op)| op.count())
            .sum();
        if s.requests.iter().sum::<u64>() != requests {
            return Err(refuse(
                path,
                format!(
                    "corrupted: its seconds add up to {} requests, its operations to {requests}; write the file again with --metrics-out",
                    s.requests.iter().sum::<u64>()
                ),
            ));
        }
        if file.window.seconds() <= 0.0
            && (Window::parse(&file.window.start).is_none()
                || Window::parse(&file.window.end).is_none())
        {
            return Err(refuse(
                path,
                "corrupted: its window is not two RFC 3339 times; write the file again with --metrics-out",
            ));
        }
        let at = |i: usize| s.first + i as i64;
        let mut seconds = BTreeMap::new();
        let mut users = BTreeMap::new();
        for i in 0..s.requests.len() {
            let second = Second {
                requests: s.requests[i],
                errors: s.errors[i],
                latency_us: s.latency_us[i],
            };
            if second != Second::default() {
                seconds.insert(at(i), second);
            }
            if s.users[i] > 0 {
                users.insert(at(i), s.users[i]);
            }
        }
        Ok(RunMetrics {
            path: file.path,
            target: file.target,
            settings: file.settings,
            shards: vec![file.shard],
            window: file.window,
            operations,
            contract_violations: file.contract_violations,
            rate_limited: file.rate_limited,
            counts: file.counts,
            errors: file.errors,
            seconds,
            users,
        })
    }

    /// Adds `other`'s measurements: histograms, counts, seconds; the window becomes the
    /// span of both.
    fn absorb(&mut self, other: RunMetrics) -> Result<(), String> {
        for (key, op) in other.operations {
            let mine = self.operations.entry(key.clone()).or_default();
            mine.latencies
                .add(&op.latencies)
                .map_err(|e| format!("the histograms of {key:?} do not add up ({e:?})"))?;
            mine.failures.add(&op.failures);
        }
        for (key, n) in other.contract_violations {
            *self.contract_violations.entry(key).or_default() += n;
        }
        for (key, n) in other.rate_limited {
            *self.rate_limited.entry(key).or_default() += n;
        }
        self.counts.add(&other.counts);
        for e in other.errors {
            if self.errors.len() < ERRORS_KEPT * 2 && !self.errors.contains(&e) {
                self.errors.push(e);
            }
        }
        for (at, s) in other.seconds {
            self.seconds.entry(at).or_default().add(&s);
        }
        for (at, n) in other.users {
            *self.users.entry(at).or_default() += n;
        }
        let earlier = |a: &str, b: &str| match (Window::parse(a), Window::parse(b)) {
            (Some(a), Some(b)) => a < b,
            _ => false,
        };
        if earlier(&other.window.start, &self.window.start) {
            self.window.start = other.window.start;
        }
        if earlier(&self.window.end, &other.window.end) {
            self.window.end = other.window.end;
        }
        self.shards.extend(other.shards);
        Ok(())
    }
}

/// Reads one metrics file.
pub fn read(path: &Path) -> Result<RunMetrics, Refusal> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        refuse(
            path,
            format!(
                "cannot be read ({e}); check the path and that the shard wrote it (--metrics-out)"
            ),
        )
    })?;
    let value: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
        refuse(
            path,
            format!("corrupted: not JSON ({e}); write the file again with --metrics-out"),
        )
    })?;
    let version = value
        .get("format_version")
        .and_then(serde_json::Value::as_u64);
    if version != Some(u64::from(FORMAT_VERSION)) {
        return Err(refuse(
            path,
            match version {
                Some(v) => format!(
                    "format version {v}, but this cxgate reads version {FORMAT_VERSION}; merge with the cxgate that wrote it"
                ),
                None => "not a cxgate metrics file (no format_version); give the files --metrics-out wrote".to_string(),
            },
        ));
    }
    let file: MetricsFile = serde_json::from_value(value).map_err(|e| {
        refuse(
            path,
            format!("corrupted: not a cxgate metrics file ({e}); write the file again with --metrics-out"),
        )
    })?;
    if file.cxgate_version != env!("CARGO_PKG_VERSION") {
        return Err(refuse(
            path,
            format!(
                "written by cxgate {}, but this is cxgate {}; run every shard and the merge with one cxgate version (one image)",
                file.cxgate_version,
                env!("CARGO_PKG_VERSION")
            ),
        ));
    }
    if file.shard.count == 0 || file.shard.index >= file.shard.count {
        return Err(refuse(
            path,
            format!(
                "corrupted: shard {}/{} does not exist",
                file.shard.index, file.shard.count
            ),
        ));
    }
    RunMetrics::from_file(path, file)
}

/// Reads and merges the files of every shard of one run: the same path, version,
/// settings and shard count, each shard exactly once.
pub fn merge(paths: &[PathBuf]) -> Result<RunMetrics, Refusal> {
    let Some((first_path, rest)) = paths.split_first() else {
        return Err(refuse(
            Path::new("cxgate load merge"),
            "no metrics file given; give every shard's --metrics-out file",
        ));
    };
    let mut merged = read(first_path)?;
    let count = merged.shards[0].count;
    let mut seen: BTreeMap<usize, &PathBuf> = BTreeMap::new();
    seen.insert(merged.shards[0].index, first_path);
    for path in rest {
        let next = read(path)?;
        let first = first_path.display();
        if next.path != merged.path {
            return Err(refuse(
                path,
                format!(
                    "a run of the path {}, but {first} is of {}; merge the shards of one run only",
                    next.path, merged.path
                ),
            ));
        }
        let shard = next.shards[0];
        if shard.count != count {
            return Err(refuse(
                path,
                format!(
                    "shard {shard} of a run of {}, but {first} is of a run of {count}; merge the shards of one run only",
                    shard.count
                ),
            ));
        }
        if next.settings != merged.settings {
            return Err(refuse(
                path,
                format!(
                    "its settings {:?} differ from {first}'s {:?}; every shard of a run takes the same --target, --users, --increase-rate, --run-time, --iterations and --sample-every",
                    next.settings, merged.settings
                ),
            ));
        }
        if let Some(earlier) = seen.insert(shard.index, path) {
            return Err(refuse(
                path,
                format!(
                    "shard {shard} again (also in {}); give each shard's file once",
                    earlier.display()
                ),
            ));
        }
        merged.absorb(next).map_err(|why| refuse(path, why))?;
    }
    let missing: Vec<String> = (0..count)
        .filter(|i| !seen.contains_key(i))
        .map(|i| format!("{i}/{count}"))
        .collect();
    if !missing.is_empty() {
        return Err(refuse(
            first_path,
            format!(
                "a run of {count} shards, but no file was given for shard {}; wait for every shard to finish, or give its file",
                missing.join(", ")
            ),
        ));
    }
    merged.shards.sort_by_key(|s| s.index);
    Ok(merged)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_histogram_survives_the_file() {
        let mut h = histogram();
        for us in [1u64, 250, 999, 1_000, 12_345, 3_000_000] {
            h.saturating_record(us);
        }
        let back = decode(&encode(&h)).unwrap();
        assert_eq!(back.len(), h.len());
        assert_eq!(back.value_at_quantile(0.5), h.value_at_quantile(0.5));
        assert_eq!(back.max(), h.max());
        assert!(decode("not base64!").unwrap_err().contains("base64"));
        assert!(decode("AAAA").unwrap_err().contains("HDR"));
    }

    #[test]
    fn a_window_has_the_seconds_between_its_ends() {
        let w = Window {
            start: "2026-12-02T10:00:00Z".into(),
            end: "2026-12-02T10:00:02.5Z".into(),
        };
        assert!((w.seconds() - 2.5).abs() < 1e-9);
    }
}
