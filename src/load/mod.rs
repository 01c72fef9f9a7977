//! `cxgate load`: goose scenarios for the auth, statistics, messaging and export
//! paths, driven in-process, with every response checked against the contract,
//! thresholds and a baseline gating the exit code, and reports a person can read.
//!
//! A path is a module that exports a [`LoadPath`] (name, scenarios, optional prepare
//! and account steps), listed in [`registry::PATHS`]. Its transactions send
//! [`call::Call`]s, which check each response against the contract and record it in the
//! run's own histograms ([`recorder`]). A run's summary is made from those
//! ([`metrics::RunMetrics`]); so is a merge of shards' `--metrics-out` files
//! ([`merge`]), by the same code.

mod attack;
mod auth;
mod call;
mod check;
mod context;
mod error;
mod export;
mod messaging;
pub mod metrics;
mod options;
pub mod recorder;
pub mod registry;
mod session;
pub mod shard;
mod statistics;
mod summary;
mod threshold;

pub use context::LoadContext;
pub use error::LoadError;
pub use metrics::{MetricsFile, Refusal, RunMetrics};
pub use options::{LoadOptions, MergeOptions, MockMode};
pub use registry::{LoadPath, Selection};
pub use shard::Shard;

use crate::client::{TargetConfig, TargetKind};
use crate::contract::ContractModel;
use crate::harness::{probe_control_plane, require_credentials, EmbeddedMock};
use crate::mock::MockConfig;
use crate::report::load::LoadSummary;
use metrics::{PathCounts, RunSettings, Window};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A finished load run.
#[derive(Debug)]
pub struct LoadOutcome {
    pub summary: LoadSummary,
    pub reports: Vec<PathBuf>,
}

impl LoadOutcome {
    /// True when every gate passed (exit code 0; otherwise 1).
    pub fn passed(&self) -> bool {
        self.summary.passed()
    }
}

/// Checks the options a run cannot start without, and reads the baseline.
fn check_options(options: &LoadOptions) -> Result<Option<LoadSummary>, LoadError> {
    if options.users == 0 {
        return Err(LoadError::usage("--users must be at least 1"));
    }
    if let Some(shard) = options.shard {
        shard.check_users(options.users).map_err(LoadError::usage)?;
        if options.increase_rate.trim().parse::<f64>().is_err() {
            return Err(LoadError::usage(format!(
                "--increase-rate {:?} with --shard: give a number of users per second, which \
                 the shards share",
                options.increase_rate
            )));
        }
    }
    if let Some(at) = &options.start_at {
        let start = shard::parse_start_at(at)
            .map_err(|why| LoadError::usage(format!("--start-at {why}")))?;
        shard::wait_for(start, chrono::Utc::now()).map_err(LoadError::usage)?;
    }
    summary::check_gates(&options.thresholds, options.baseline.as_ref())
}

/// Waits for `--start-at`; Ctrl-C ends the wait (and the run) with a usage error.
async fn wait_for_start(options: &LoadOptions) -> Result<(), LoadError> {
    let Some(at) = &options.start_at else {
        return Ok(());
    };
    let start = shard::parse_start_at(at).map_err(LoadError::usage)?;
    match shard::wait_for(start, chrono::Utc::now()).map_err(LoadError::usage)? {
        None => {
            eprintln!("cxgate load: --start-at {at} has passed; starting now");
            Ok(())
        }
        Some(wait) => {
            tokio::select! {
                () = tokio::time::sleep(wait) => Ok(()),
                _ = tokio::signal::ctrl_c() => Err(LoadError::usage(format!(
                    "interrupted while waiting for --start-at {at}; nothing was sent"
                ))),
            }
        }
    }
}

fn rfc3339(at: chrono::DateTime<chrono::Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

/// Runs the load test and writes its reports (and, with `--metrics-out`, its
/// measurements).
pub async fn run(options: &LoadOptions) -> Result<LoadOutcome, LoadError> {
    let baseline = check_options(options)?;
    let shard = options.shard.unwrap_or_default();
    let contract = Arc::new(ContractModel::load(&options.root)?);
    let mut target = TargetConfig::resolve(&options.target, &|name| std::env::var(name).ok())?;
    let mut config = MockConfig::default_seed();
    if let Some(lifetime) = options.mock_token_lifetime {
        config.auth.token_lifetime_secs = lifetime;
    }
    let _mock = EmbeddedMock::start_for(&mut target, options.mock_mode.into(), config).await?;
    let control_plane = probe_control_plane(&target.base_url).await;
    require_credentials(&target, control_plane)?;
    let mock_target = control_plane || target.kind == TargetKind::EmbeddedMock;
    if !mock_target && !options.allow_writes {
        let writing: Vec<String> = options
            .path
            .paths()
            .iter()
            .filter_map(|p| p.writes.map(|what| format!("{} ({what})", p.name)))
            .collect();
        if !writing.is_empty() {
            return Err(LoadError::usage(format!(
                "{} is not a cxgate mock, and the load path {} writes to it; pass \
                 --allow-writes to let it, or load auth or statistics, which only read and \
                 hold their own sessions",
                target.base_url,
                writing.join(" and ")
            )));
        }
    }
    let mut ctx = LoadContext::new(
        target.clone(),
        contract,
        options.sample_every,
        control_plane,
    )
    .sharded(shard, options.users);
    for path in options.path.paths() {
        if let Some(prepare) = path.prepare {
            prepare(&mut ctx).await?;
        }
    }
    let ctx = Arc::new(ctx);

    std::fs::create_dir_all(&options.report_dir).map_err(LoadError::file(&options.report_dir))?;
    if let Some(out) = &options.metrics_out {
        // A file that cannot be written is found before the run, not after it; a run
        // that does not finish leaves none (the merge then names the missing shard).
        std::fs::write(out, b"").map_err(LoadError::file(out))?;
        std::fs::remove_file(out).map_err(LoadError::file(out))?;
    }
    wait_for_start(options).await?;
    let start = chrono::Utc::now();
    let (metrics, _) = attack::execute(options, &ctx).await?;
    let end = chrono::Utc::now();
    // The paths' own counters (and the reply deliveries they time) come first: they
    // join the measurements the summary is made from.
    let mut counted = LoadSummary::default();
    for path in options.path.paths() {
        if let Some(account) = path.account {
            account(&ctx, &mut counted).await;
        }
    }
    let [_, json] = attack::report_files(&options.report_dir);
    let run = RunMetrics {
        path: options.path.name().into(),
        target: target.describe(),
        settings: settings(options),
        shards: vec![shard],
        window: Window {
            start: rfc3339(start),
            end: rfc3339(end),
        },
        operations: ctx.recorder.operations(),
        contract_violations: ctx.violations(),
        rate_limited: ctx.rate_limits(),
        counts: PathCounts::of(&counted),
        errors: summary::errors(&ctx, &metrics),
        seconds: ctx.recorder.seconds(),
        users: users_by_second(&attack::timeline(&json), start.timestamp()),
    };
    let mut reports = Vec::new();
    if let Some(out) = &options.metrics_out {
        let text = serde_json::to_string(&run.to_file()).unwrap_or_default();
        std::fs::write(out, text).map_err(LoadError::file(out))?;
        reports.push(out.clone());
    }
    let gates = summary::Gates::of(options, baseline);
    let mut outcome = finish(&run, &gates, &options.report_dir, &target.secrets())?;
    outcome.reports.insert(1, json);
    outcome.reports.extend(reports);
    Ok(outcome)
}

/// What every shard of a run must be given alike.
fn settings(options: &LoadOptions) -> RunSettings {
    RunSettings {
        target: options.target.clone(),
        users: options.users,
        increase_rate: options.increase_rate.clone(),
        run_time_secs: options.run_time.as_secs(),
        iterations: options.iterations,
        sample_every: options.sample_every,
    }
}

/// goose's users-running series, by Unix second from the run's start.
fn users_by_second(timeline: &crate::report::Timeline, start: i64) -> BTreeMap<i64, u64> {
    timeline
        .users
        .iter()
        .enumerate()
        .filter(|(_, n)| **n > 0)
        .map(|(i, n)| (start + i as i64, *n))
        .collect()
}

/// Summarises `run`, judges it by `gates`, and writes `load-summary.md`,
/// `load-summary.json` and `load-report.html` into `report_dir`: the one ending of a
/// single run and of a merge.
fn finish(
    run: &RunMetrics,
    gates: &summary::Gates,
    report_dir: &Path,
    secrets: &[String],
) -> Result<LoadOutcome, LoadError> {
    std::fs::create_dir_all(report_dir).map_err(LoadError::file(report_dir))?;
    let summary = summary::summarise(run, gates);
    let md = report_dir.join("load-summary.md");
    let summary_json = report_dir.join("load-summary.json");
    std::fs::write(&md, summary.markdown()).map_err(LoadError::file(&md))?;
    std::fs::write(
        &summary_json,
        serde_json::to_string_pretty(&summary).unwrap_or_default(),
    )
    .map_err(LoadError::file(&summary_json))?;
    let [html, _] = attack::report_files(report_dir);
    let redactor = crate::report::Redactor::new();
    secrets.iter().for_each(|secret| redactor.add(secret));
    let page = crate::report::render_load_html(&summary, &summary::timeline(run), &redactor);
    std::fs::write(&html, page).map_err(LoadError::file(&html))?;
    Ok(LoadOutcome {
        summary,
        reports: vec![html, md, summary_json],
    })
}

/// Merges the shards' metrics files into one run, judges it as a single run is judged,
/// and writes the same reports (but goose's JSON report, which only a run has).
pub fn merge(options: &MergeOptions) -> Result<LoadOutcome, LoadError> {
    let baseline = summary::check_gates(&options.thresholds, options.baseline.as_ref())?;
    let run = metrics::merge(&options.files)?;
    let gates = summary::Gates {
        thresholds: options.thresholds.clone(),
        max_error_rate_pct: options.max_error_rate_pct,
        baseline,
        tolerance_pct: options.tolerance_pct,
    };
    finish(&run, &gates, &options.report_dir, &[])
}
