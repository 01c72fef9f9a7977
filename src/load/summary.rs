//! Turns goose's metrics of a finished run into the run's [`LoadSummary`]: per-operation
//! latency and throughput, the overall numbers, threshold verdicts and contract
//! violations. Each path adds its own numbers afterwards (its `account` step).

use super::context::LoadContext;
use super::options::LoadOptions;
use crate::client::TargetConfig;
use crate::report::load::{LoadSummary, OperationStats, ThresholdVerdict};
use goose::metrics::GooseMetrics;
use std::time::Duration;

/// The verdicts of the run's `--threshold` rules.
pub fn verdicts(metrics: &GooseMetrics) -> Vec<ThresholdVerdict> {
    metrics
        .thresholds
        .iter()
        .map(|t| ThresholdVerdict {
            rule: t.rule.clone(),
            observed: t.observed.clone(),
            passed: t.passed,
        })
        .collect()
}

/// The error-rate limit of a run: `--max-error-rate`, unless a `--threshold` rule on
/// the error rate takes its place.
fn error_rate_limit(options: &LoadOptions) -> Option<f64> {
    let decided = options
        .thresholds
        .iter()
        .any(|rule| rule.to_ascii_lowercase().contains("error"));
    (!decided).then_some(options.max_error_rate_pct)
}

/// The kept check failures, then goose's own errors (transport errors and failed
/// requests), each once with its count, most frequent first, at most 20.
fn errors(ctx: &LoadContext, metrics: &GooseMetrics) -> Vec<String> {
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

/// The summary of a run of `elapsed` (the longer of it and goose's own duration).
pub fn summarise(
    options: &LoadOptions,
    target: &TargetConfig,
    metrics: &GooseMetrics,
    ctx: &LoadContext,
    elapsed: Duration,
) -> LoadSummary {
    let secs = (metrics.duration as f64)
        .max(elapsed.as_secs_f64())
        .max(0.001);
    let mut operations: Vec<OperationStats> = metrics
        .requests
        .iter()
        .map(|(name, agg)| {
            let count = (agg.success_count + agg.fail_count) as u64;
            OperationStats {
                name: name.clone(),
                count,
                failures: agg.fail_count as u64,
                p50_ms: ms(agg.raw_data.percentile_us(0.50)),
                p95_ms: ms(agg.raw_data.percentile_us(0.95)),
                p99_ms: ms(agg.raw_data.percentile_us(0.99)),
                rps: count as f64 / secs,
            }
        })
        .collect();
    operations.sort_by(|a, b| a.name.cmp(&b.name));
    // Overall percentiles weight each operation's by its count (an approximation; goose
    // keeps no merged histogram for us).
    let count: u64 = operations
        .iter()
        .filter(|o| !o.name.starts_with("EVENT"))
        .map(|o| o.count)
        .sum();
    let failures: u64 = operations.iter().map(|o| o.failures).sum();
    let weighted = |f: fn(&OperationStats) -> f64| {
        if count == 0 {
            return 0.0;
        }
        operations
            .iter()
            .filter(|o| !o.name.starts_with("EVENT"))
            .map(|o| f(o) * o.count as f64)
            .sum::<f64>()
            / count as f64
    };
    let overall = OperationStats {
        name: "all requests".into(),
        count,
        failures,
        p50_ms: weighted(|o| o.p50_ms),
        p95_ms: weighted(|o| o.p95_ms),
        p99_ms: weighted(|o| o.p99_ms),
        rps: count as f64 / secs,
    };
    LoadSummary {
        path: options.path.name().into(),
        target: target.describe(),
        users: options.users,
        duration_secs: secs,
        overall,
        operations,
        contract_violations: ctx.violations(),
        rate_limited: ctx.rate_limits(),
        max_error_rate_pct: error_rate_limit(options),
        thresholds: verdicts(metrics),
        errors: errors(ctx, metrics),
        ..LoadSummary::default()
    }
}
