//! Turns a run's measurements ([`RunMetrics`]: one shard's, or every shard's merged)
//! into its [`LoadSummary`]: per-operation latency and throughput from its histograms,
//! the overall numbers from all requests' histograms added together, the error-rate
//! gate, the threshold verdicts and the baseline comparison. `cxgate load` and
//! `cxgate load merge` both summarise here, so they cannot disagree.

use super::context::LoadContext;
use super::metrics::RunMetrics;
use super::options::LoadOptions;
use super::recorder::Operation;
use super::threshold::{requests, Rule};
use crate::report::load::{LoadSummary, OperationStats};
use crate::report::Timeline;
use goose::metrics::GooseMetrics;
use std::path::PathBuf;

/// The gates a run is judged by.
#[derive(Debug, Clone, Default)]
pub struct Gates {
    /// `--threshold` rules.
    pub thresholds: Vec<String>,
    /// `--max-error-rate`, percent.
    pub max_error_rate_pct: f64,
    /// The `--baseline` summary, read.
    pub baseline: Option<LoadSummary>,
    /// `--tolerance`, percent.
    pub tolerance_pct: f64,
}

impl Gates {
    /// The gates of a run's options (the baseline read separately).
    pub fn of(options: &LoadOptions, baseline: Option<LoadSummary>) -> Gates {
        Gates {
            thresholds: options.thresholds.clone(),
            max_error_rate_pct: options.max_error_rate_pct,
            baseline,
            tolerance_pct: options.tolerance_pct,
        }
    }

    /// The error-rate limit: `--max-error-rate`, unless a `--threshold` rule on the
    /// error rate takes its place.
    fn error_rate_limit(&self) -> Option<f64> {
        let decided = self
            .thresholds
            .iter()
            .any(|rule| rule.to_ascii_lowercase().contains("error"));
        (!decided).then_some(self.max_error_rate_pct)
    }
}

/// Checks the rules and reads the baseline, before anything runs.
pub fn check_gates(
    thresholds: &[String],
    baseline: Option<&PathBuf>,
) -> Result<Option<LoadSummary>, super::LoadError> {
    for rule in thresholds {
        Rule::parse(rule)
            .map_err(|why| super::LoadError::usage(format!("--threshold {rule:?}: {why}")))?;
    }
    let Some(path) = baseline else {
        return Ok(None);
    };
    let text = std::fs::read_to_string(path).map_err(super::LoadError::file(path))?;
    serde_json::from_str::<LoadSummary>(&text)
        .map(Some)
        .map_err(|source| super::LoadError::Baseline {
            path: path.clone(),
            source,
        })
}

/// The kept check failures, then goose's own errors (transport errors and failed
/// requests), each once with its count, most frequent first, at most 20.
pub fn errors(ctx: &LoadContext, metrics: &GooseMetrics) -> Vec<String> {
    let mut goose: Vec<_> = metrics.errors.values().collect();
    goose.sort_by_key(|e| std::cmp::Reverse(e.occurrences));
    let mut out = ctx.errors();
    out.extend(goose.iter().take(20).map(|e| {
        format!(
            "{}x {} {}: {}",
            e.occurrences,
            e.method,
            e.name,
            e.error.trim()
        )
    }));
    out
}

fn ms(us: u64) -> f64 {
    us as f64 / 1000.0
}

/// One operation's numbers from its histogram, over `secs`.
fn stats(name: &str, op: &Operation, secs: f64) -> OperationStats {
    let count = op.count();
    let q = |p: f64| match count {
        0 => 0.0,
        _ => ms(op.latencies.value_at_quantile(p)),
    };
    OperationStats {
        name: name.to_string(),
        count,
        failures: op.failures.total(),
        p50_ms: q(0.50),
        p95_ms: q(0.95),
        p99_ms: q(0.99),
        rps: count as f64 / secs,
    }
}

/// The operation that times agent replies from sent to delivered.
pub const REPLY_DELIVERY: &str = "EVENT agent reply delivery";

/// The summary of `run`, judged by `gates`.
pub fn summarise(run: &RunMetrics, gates: &Gates) -> LoadSummary {
    let secs = run.window.seconds().max(0.001);
    let operations: Vec<OperationStats> = run
        .operations
        .iter()
        .map(|(name, op)| stats(name, op, secs))
        .collect();
    let (latencies, failures) = requests(run);
    let all = Operation {
        latencies,
        failures,
    };
    let overall = stats("all requests", &all, secs);
    let mut summary = LoadSummary {
        path: run.path.clone(),
        target: run.target.clone(),
        users: run.settings.users,
        duration_secs: secs,
        overall,
        operations,
        contract_violations: run.contract_violations.clone(),
        rate_limited: run.rate_limited.clone(),
        max_error_rate_pct: gates.error_rate_limit(),
        thresholds: gates
            .thresholds
            .iter()
            .filter_map(|rule| Rule::parse(rule).ok())
            .map(|rule| rule.judge(run, secs))
            .collect(),
        errors: run.errors.clone(),
        shards: run.shards.len(),
        ..LoadSummary::default()
    };
    run.counts.apply(&mut summary);
    if let Some(delivery) = run.operations.get(REPLY_DELIVERY) {
        let s = stats(REPLY_DELIVERY, delivery, secs);
        summary.reply_delivery_p50_ms = s.p50_ms;
        summary.reply_delivery_p99_ms = s.p99_ms;
    }
    if let Some(base) = &gates.baseline {
        summary.compare(base, gates.tolerance_pct);
    }
    summary
}

/// The seconds of `run` for the HTML report's charts, from its first second to its last.
pub fn timeline(run: &RunMetrics) -> Timeline {
    let keys = run.seconds.keys().chain(run.users.keys());
    let (Some(first), Some(last)) = (keys.clone().min().copied(), keys.max().copied()) else {
        return Timeline::default();
    };
    let mut t = Timeline::default();
    for at in first..=last {
        let s = run.seconds.get(&at).copied().unwrap_or_default();
        t.requests.push(s.requests);
        t.errors.push(s.errors);
        t.mean_ms
            .push((s.requests > 0).then(|| s.latency_us as f64 / s.requests as f64 / 1000.0));
        t.users.push(run.users.get(&at).copied().unwrap_or(0));
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::metrics::{PathCounts, RunSettings, Window};
    use crate::load::recorder::Recorder;
    use std::time::Duration;

    fn run_of(recorder: &Recorder) -> RunMetrics {
        RunMetrics {
            path: "auth".into(),
            target: "mock".into(),
            settings: RunSettings {
                target: "mock".into(),
                users: 2,
                increase_rate: "2".into(),
                run_time_secs: 2,
                iterations: None,
                sample_every: 1,
            },
            shards: vec![Default::default()],
            window: Window {
                start: "2026-12-02T10:00:00Z".into(),
                end: "2026-12-02T10:00:10Z".into(),
            },
            operations: recorder.operations(),
            contract_violations: Default::default(),
            rate_limited: Default::default(),
            counts: PathCounts::default(),
            errors: vec![],
            seconds: recorder.seconds(),
            users: Default::default(),
        }
    }

    #[test]
    fn the_overall_percentiles_are_those_of_every_request_together() {
        let recorder = Recorder::default();
        // 90 fast requests of one operation, 10 slow ones of another: the overall p95
        // is a slow one, which no weighting of the two p95s gives.
        for _ in 0..90 {
            recorder.record("GET fast", Duration::from_millis(1), None);
        }
        for _ in 0..10 {
            recorder.record("GET slow", Duration::from_millis(100), None);
        }
        recorder.record("EVENT delivery", Duration::from_secs(9), None);
        let gates = Gates {
            thresholds: vec!["p95<50ms".into(), "rps>=10".into()],
            max_error_rate_pct: 1.0,
            ..Gates::default()
        };
        let s = summarise(&run_of(&recorder), &gates);
        assert_eq!(s.overall.count, 100, "EVENTs are not requests");
        assert!(
            (s.overall.p95_ms - 100.0).abs() < 0.1,
            "{}",
            s.overall.p95_ms
        );
        assert!((s.overall.p50_ms - 1.0).abs() < 0.01);
        assert!((s.overall.rps - 10.0).abs() < 1e-9);
        assert!(!s.thresholds[0].passed, "{:?}", s.thresholds[0]);
        assert!(s.thresholds[1].passed, "{:?}", s.thresholds[1]);
        assert!(!s.passed());
    }
}
