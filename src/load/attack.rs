//! Setting goose up for a run and running it: the configuration from the options, the
//! scenarios of the selected paths, the progress line on a terminal, and the metrics of
//! a finished run (also when a threshold failed).

use super::context::LoadContext;
use super::error::LoadError;
use super::options::LoadOptions;
use goose::config::GooseConfiguration;
use goose::metrics::GooseMetrics;
use goose::{GooseAttack, GooseError};
use std::io::IsTerminal as _;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The files goose writes: its HTML and its JSON report.
pub fn report_files(report_dir: &Path) -> [std::path::PathBuf; 2] {
    [
        report_dir.join("load-report.html"),
        report_dir.join("load-report.json"),
    ]
}

fn configuration(options: &LoadOptions, host: &str) -> GooseConfiguration {
    let mut config = GooseConfiguration::default();
    config.host = Some(host.to_string());
    config.users = Some(options.users);
    config.increase_rate = Some(options.increase_rate.clone());
    match options.iterations {
        Some(n) => config.iterations = Some(n),
        None => config.run_time = Some(format!("{}s", options.run_time.as_secs().max(1))),
    }
    config.report_file = report_files(&options.report_dir)
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    config.threshold = options.thresholds.clone();
    config.no_threshold_abort = true;
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
