//! Setting goose up for a run and running it: the configuration from the options, the
//! scenarios of the selected paths, the progress line on a terminal, the metrics of a
//! finished run (also when a threshold failed), and the seconds of its JSON report.

use super::context::LoadContext;
use super::error::LoadError;
use super::options::LoadOptions;
use crate::report::Timeline;
use goose::config::GooseConfiguration;
use goose::metrics::GooseMetrics;
use goose::{GooseAttack, GooseError};
use serde_json::Value;
use std::io::IsTerminal as _;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The run's HTML report (cxgate's own, written from the summary) and goose's JSON
/// report, which also holds the per-second data the HTML report draws.
pub fn report_files(report_dir: &Path) -> [std::path::PathBuf; 2] {
    [
        report_dir.join("load-report.html"),
        report_dir.join("load-report.json"),
    ]
}

/// The seconds of a run as goose's JSON report (`graphs`) has them, the operations the
/// summary counts (not the `EVENT`s); empty when the report has no graph data.
pub fn timeline(json_report: &Path) -> Timeline {
    let Ok(text) = std::fs::read_to_string(json_report) else {
        return Timeline::default();
    };
    let Ok(report) = serde_json::from_str::<Value>(&text) else {
        return Timeline::default();
    };
    let graphs = &report["graphs"];
    let requests = per_operation(&graphs["requests_per_second"]);
    let errors = per_operation(&graphs["errors_per_second"]);
    let means = per_operation(&graphs["average_response_time"]);
    let users = series(&graphs["users_per_second"]);
    // Second 0 is the first second any series holds.
    let first = requests
        .iter()
        .chain(&errors)
        .chain(&means)
        .chain(users.iter())
        .map(|(origin, _)| *origin)
        .min()
        .unwrap_or(0);
    let end = requests
        .iter()
        .chain(&errors)
        .chain(&means)
        .chain(users.iter())
        .map(|(origin, data)| origin + data.len())
        .max()
        .unwrap_or(0);
    let len = end.saturating_sub(first);
    let counts = |all: &[(usize, &Vec<Value>)]| {
        let mut out = vec![0u64; len];
        for (origin, data) in all {
            for (i, value) in data.iter().enumerate() {
                out[origin + i - first] += value.as_u64().unwrap_or(0);
            }
        }
        out
    };
    // Each second's mean: the means of its operations weighted by their counts.
    let mut weighted = vec![(0.0_f64, 0u64); len];
    for (origin, data) in &means {
        for (i, value) in data.iter().enumerate() {
            let count = value[0].as_u64().unwrap_or(0);
            let mean = value[1].as_f64().unwrap_or(0.0);
            let slot = &mut weighted[origin + i - first];
            slot.0 += mean * count as f64;
            slot.1 += count;
        }
    }
    Timeline {
        requests: counts(&requests),
        errors: counts(&errors),
        mean_ms: weighted
            .iter()
            .map(|(sum, n)| (*n > 0).then(|| sum / *n as f64))
            .collect(),
        users: counts(users.as_slice()),
    }
}

/// A series of goose's JSON report: its first second and its values.
fn series(value: &Value) -> Option<(usize, &Vec<Value>)> {
    let origin = value["origin"].as_u64().unwrap_or(0) as usize;
    value["data"].as_array().map(|data| (origin, data))
}

/// The series of every operation but the `EVENT`s.
fn per_operation(value: &Value) -> Vec<(usize, &Vec<Value>)> {
    value
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(key, _)| !key.starts_with("EVENT"))
        .filter_map(|(_, value)| series(value))
        .collect()
}

fn configuration(options: &LoadOptions, host: &str) -> GooseConfiguration {
    let mut config = GooseConfiguration::default();
    config.host = Some(host.to_string());
    // A shard runs its share of the users, started at its share of the rate.
    let shard = options.shard.unwrap_or_default();
    config.users = Some(shard.users(options.users));
    config.increase_rate = Some(match options.increase_rate.trim().parse::<f64>() {
        Ok(rate) if !shard.is_whole() => {
            format!("{:.6}", shard.increase_rate(rate, options.users))
        }
        _ => options.increase_rate.clone(),
    });
    match options.iterations {
        Some(n) => config.iterations = Some(n),
        None => config.run_time = Some(format!("{}s", options.run_time.as_secs().max(1))),
    }
    // goose writes its JSON report only: its HTML report loads its charts' script from
    // the network; cxgate writes its own (see `report::render_load_html`).
    let [_, json] = report_files(&options.report_dir);
    config.report_file = vec![json.display().to_string()];
    config.report_graph_data = true;
    // Per-second response time histograms (goose's heatmap) are not drawn.
    config.no_percentiles_over_time = true;
    // Thresholds are judged on cxgate's own histograms (`summary::summarise`), the same
    // way for one run and for merged shards; goose does not judge them.
    config.quiet = 1;
    config.no_print_metrics = true;
    // goose's errors, each with its count, go to the summary (none is printed).
    config.no_error_summary = false;
    config.no_telnet = true;
    // Metrics are kept from the first user on; goose allows this only for a timed run.
    config.no_reset_metrics = options.iterations.is_none();
    config
}

/// Runs the selected paths' scenarios against `ctx.target`; returns goose's metrics and
/// how long the run took.
pub async fn execute(
    options: &LoadOptions,
    ctx: &Arc<LoadContext>,
) -> Result<(GooseMetrics, Duration), LoadError> {
    let mut attack =
        GooseAttack::initialize_with_config(configuration(options, &ctx.target.base_url))?;
    // The embedded mock or a local `cxgate mock`: a proxy in the environment must not
    // capture it.
    let loopback = crate::client::is_loopback(&ctx.target.base_url);
    for path in options.path.paths() {
        for scenario in (path.scenarios)(ctx)? {
            let scenario = match loopback {
                // First of all, each user's client stops honouring proxy variables.
                true => scenario.register_transaction(
                    goose::goose::Transaction::new(std::sync::Arc::new(|user| {
                        Box::pin(direct_client(user))
                    }))
                    .set_name("direct client")
                    .set_on_start()
                    .set_sequence(1),
                ),
                false => scenario,
            };
            attack = attack.register_scenario(scenario);
        }
    }
    let progress = std::io::stdout()
        .is_terminal()
        .then(|| spawn_progress(options.run_time));
    let started = Instant::now();
    let metrics = match attack.execute().await {
        Ok(metrics) => metrics,
        Err(GooseError::ThresholdsFailed { metrics, .. }) => *metrics.0,
        Err(e) => return Err(e.into()),
    };
    if let Some(p) = progress {
        p.abort();
        println!();
    }
    Ok((metrics, started.elapsed()))
}

/// Replaces the user's client by one that goes straight to a loopback target (goose's
/// own honours `HTTP_PROXY`), with goose's settings otherwise: its user agent, a cookie
/// store, its 60 s timeout.
async fn direct_client(user: &mut goose::goose::GooseUser) -> goose::goose::TransactionResult {
    let builder = reqwest::Client::builder()
        .no_proxy()
        .user_agent(concat!("goose/", "0.19.0"))
        .cookie_store(true)
        .timeout(Duration::from_secs(60));
    user.set_client_builder(builder).await?;
    Ok(())
}

/// A one-line progress display on a terminal, redrawn every second.
fn spawn_progress(run_time: Duration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let started = Instant::now();
        loop {
            tokio::time::sleep(Duration::from_secs(1)).await;
            let done = started.elapsed().as_secs();
            print!("\rcxgate load: {done}s of {}s", run_time.as_secs());
            let _ = std::io::Write::flush(&mut std::io::stdout());
        }
    })
}
