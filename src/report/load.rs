//! The load run's summary: per-operation latency and throughput, the latencies that are
//! not HTTP requests, contract violations, lost messages, threshold and baseline
//! verdicts; rendered as markdown and kept as JSON for the next run's baseline.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// One operation's numbers (milliseconds; requests per second over the whole run).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct OperationStats {
    pub name: String,
    pub count: u64,
    pub failures: u64,
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub p99_ms: f64,
    pub rps: f64,
}

/// A threshold rule and how it went.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThresholdVerdict {
    pub rule: String,
    pub observed: String,
    pub passed: bool,
}

/// One comparison with the baseline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BaselineVerdict {
    pub operation: String,
    /// `p95_ms` or `rps`.
    pub metric: String,
    pub baseline: f64,
    pub current: f64,
    /// Signed change in percent (positive = higher now).
    pub change_pct: f64,
    pub passed: bool,
}

/// Everything a load run reports.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct LoadSummary {
    pub path: String,
    pub target: String,
    pub users: usize,
    pub duration_secs: f64,
    pub overall: OperationStats,
    pub operations: Vec<OperationStats>,
    pub contract_violations: BTreeMap<String, u64>,
    pub updates_received: u64,
    pub replies_sent: u64,
    pub replies_delivered: u64,
    pub replies_lost: u64,
    pub unsigned_deliveries: u64,
    pub reply_delivery_p50_ms: f64,
    pub reply_delivery_p99_ms: f64,
    /// Export iterations whose every step passed (created, completed, downloaded,
    /// deleted).
    #[serde(default)]
    pub exports_completed: u64,
    /// Export runs that had not completed when the wait ended, and were cancelled.
    #[serde(default)]
    pub exports_unfinished: u64,
    pub thresholds: Vec<ThresholdVerdict>,
    pub baseline: Vec<BaselineVerdict>,
    /// The first distinct errors: why checks failed, and errors outside them.
    #[serde(default)]
    pub errors: Vec<String>,
    /// 429 answers by operation (the target's rate limit; failed requests, not
    /// contract violations).
    #[serde(default)]
    pub rate_limited: BTreeMap<String, u64>,
    /// The share of failed requests above which the run fails, in percent; `None` when
    /// a `--threshold` on the error rate decides instead.
    #[serde(default)]
    pub max_error_rate_pct: Option<f64>,
    /// How many shards' measurements this summary merges (0 or 1: a single run).
    #[serde(default)]
    pub shards: usize,
}

impl LoadSummary {
    /// True when every gate passed: thresholds, no contract violation, no lost or
    /// unsigned message, no baseline regression.
    pub fn passed(&self) -> bool {
        self.overall.count > 0
            && self.error_rate_ok()
            && self.thresholds.iter().all(|t| t.passed)
            && self.contract_violations.values().all(|n| *n == 0)
            && self.replies_lost == 0
            && self.unsigned_deliveries == 0
            && self.baseline.iter().all(|b| b.passed)
    }

    /// Failed requests in percent of all requests (0 when none was sent).
    pub fn error_rate_pct(&self) -> f64 {
        match self.overall.count {
            0 => 0.0,
            n => self.overall.failures as f64 * 100.0 / n as f64,
        }
    }

    fn error_rate_ok(&self) -> bool {
        self.max_error_rate_pct
            .is_none_or(|max| self.error_rate_pct() <= max)
    }

    /// Compares with an earlier summary: p95 may not grow, and rps may not shrink, by
    /// more than `tolerance_pct`, overall and for every operation both runs have.
    pub fn compare(&mut self, baseline: &LoadSummary, tolerance_pct: f64) {
        let mut verdicts = Vec::new();
        let pairs = std::iter::once((&self.overall, &baseline.overall)).chain(
            self.operations.iter().filter_map(|op| {
                baseline
                    .operations
                    .iter()
                    .find(|b| b.name == op.name)
                    .map(|b| (op, b))
            }),
        );
        for (now, then) in pairs {
            for (metric, current, before, higher_is_worse) in [
                ("p95_ms", now.p95_ms, then.p95_ms, true),
                ("rps", now.rps, then.rps, false),
            ] {
                if before <= 0.0 {
                    continue;
                }
                let change_pct = (current - before) / before * 100.0;
                let passed = if higher_is_worse {
                    change_pct <= tolerance_pct
                } else {
                    change_pct >= -tolerance_pct
                };
                verdicts.push(BaselineVerdict {
                    operation: now.name.clone(),
                    metric: metric.to_string(),
                    baseline: before,
                    current,
                    change_pct,
                    passed,
                });
            }
        }
        self.baseline = verdicts;
    }

    /// The markdown report.
    pub fn markdown(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "# cxgate load {}: {}\n",
            self.path,
            verdict(self.passed())
        );
        let merged = match self.shards {
            0 | 1 => String::new(),
            n => format!(", {n} shards merged"),
        };
        let _ = writeln!(
            out,
            "Target {}, {} users, {:.1} s{merged}.\n",
            self.target, self.users, self.duration_secs
        );
        let _ = writeln!(
            out,
            "| operation | requests | failures | p50 ms | p95 ms | p99 ms | req/s |"
        );
        let _ = writeln!(out, "|---|---:|---:|---:|---:|---:|---:|");
        for op in self.operations.iter().chain(std::iter::once(&self.overall)) {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {:.1} | {:.1} | {:.1} | {:.1} |",
                op.name, op.count, op.failures, op.p50_ms, op.p95_ms, op.p99_ms, op.rps
            );
        }
        let _ = writeln!(out, "\n## Errors and contract\n");
        let rate = self.error_rate_pct();
        let _ = match (self.overall.count, self.max_error_rate_pct) {
            (0, _) => writeln!(out, "- no request was measured: the run tested nothing"),
            (_, Some(max)) => writeln!(
                out,
                "- error rate: {rate:.2}% of requests failed ({} of {}); the limit is {max}%{}",
                self.overall.failures,
                self.overall.count,
                if rate > max { ": FAIL" } else { "" }
            ),
            (_, None) => writeln!(
                out,
                "- error rate: {rate:.2}% of requests failed ({} of {}); a --threshold decides",
                self.overall.failures, self.overall.count
            ),
        };
        let limited: u64 = self.rate_limited.values().sum();
        if limited > 0 {
            let _ = writeln!(
                out,
                "- rate-limited (429, not contract violations): {limited}"
            );
            for (op, n) in &self.rate_limited {
                let _ = writeln!(out, "  - {op}: {n}");
            }
        }
        let violations: u64 = self.contract_violations.values().sum();
        let _ = writeln!(out, "- contract violations: {violations}");
        for (op, n) in &self.contract_violations {
            let _ = writeln!(out, "  - {op}: {n}");
        }
        let _ = writeln!(
            out,
            "- statistics updates received over CometD: {}",
            self.updates_received
        );
        let _ = writeln!(
            out,
            "- agent replies: {} sent, {} delivered, {} lost, {} deliveries with a bad signature",
            self.replies_sent, self.replies_delivered, self.replies_lost, self.unsigned_deliveries
        );
        if self.replies_delivered > 0 {
            let _ = writeln!(
                out,
                "- agent reply delivery (reply to receipt by the webhook receiver): p50 {:.1} ms, p99 {:.1} ms",
                self.reply_delivery_p50_ms, self.reply_delivery_p99_ms
            );
        }
        if self.exports_completed + self.exports_unfinished > 0 {
            let _ = writeln!(
                out,
                "- exports: {} completed (created, run, downloaded, deleted), {} not finished in time (cancelled)",
                self.exports_completed, self.exports_unfinished
            );
        }
        let errors = format!("Errors (first {})", self.errors.len());
        section(&mut out, &errors, &self.errors, |e| format!("- {e}"));
        section(&mut out, "Thresholds", &self.thresholds, |t| {
            format!(
                "- {} `{}` (observed {})",
                verdict(t.passed),
                t.rule,
                t.observed
            )
        });
        section(&mut out, "Baseline", &self.baseline, |b| {
            format!(
                "- {} {} {}: {:.1} -> {:.1} ({:+.1}%)",
                verdict(b.passed),
                b.operation,
                b.metric,
                b.baseline,
                b.current,
                b.change_pct
            )
        });
        out
    }
}

/// `PASS` or `FAIL`.
fn verdict(passed: bool) -> &'static str {
    if passed {
        "PASS"
    } else {
        "FAIL"
    }
}

/// A `## title` section of the markdown report with one line per item; none when there
/// are no items.
fn section<T>(out: &mut String, title: &str, items: &[T], line: impl Fn(&T) -> String) {
    if items.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n## {title}\n");
    for item in items {
        let _ = writeln!(out, "{}", line(item));
    }
}

/// The value below which `p` percent of `sorted` lie.
pub fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((sorted.len() - 1) as f64 * p / 100.0).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn op(name: &str, p95: f64, rps: f64) -> OperationStats {
        OperationStats {
            name: name.into(),
            count: 10,
            p95_ms: p95,
            rps,
            ..OperationStats::default()
        }
    }

    /// A summary whose overall p95 and rate are `p95` and `rps`.
    fn overall(p95: f64, rps: f64) -> LoadSummary {
        LoadSummary {
            overall: op("all", p95, rps),
            ..LoadSummary::default()
        }
    }

    #[test]
    fn a_change_beyond_the_tolerance_is_a_regression() {
        // Baseline and current (p95 ms, req/s), and whether the run passes at 10 %.
        let cases = [
            ((10.0, 100.0), (11.5, 100.0), false),
            ((10.0, 100.0), (10.9, 100.0), true),
            ((10.0, 100.0), (10.0, 85.0), false),
        ];
        for ((p95, rps), (now_p95, now_rps), passes) in cases {
            let mut now = overall(now_p95, now_rps);
            now.compare(&overall(p95, rps), 10.0);
            assert_eq!(now.passed(), passes, "{p95}/{rps} -> {now_p95}/{now_rps}");
        }
    }

    #[test]
    fn a_lost_message_fails_the_run() {
        let summary = LoadSummary {
            replies_sent: 3,
            replies_lost: 1,
            ..LoadSummary::default()
        };
        assert!(!summary.passed());
    }
}
