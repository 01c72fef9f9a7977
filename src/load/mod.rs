//! `cxgate load`: goose scenarios for the auth, statistics and messaging paths, driven
//! in-process, with every response checked against the contract, thresholds and a
//! baseline gating the exit code, and reports a person can read.

mod auth;
mod check;
mod context;
mod http;
mod messaging;
mod statistics;

pub use context::LoadContext;

use crate::client::{
    HttpClient, RequestSpec, TargetConfig, TargetError, TargetKind, WebhookReceiver,
};
use crate::contract::{ContractError, ContractModel};
use crate::mock::{MockConfig, MockServer};
use crate::report::load::{percentile, LoadSummary, OperationStats, ThresholdVerdict};
use goose::config::GooseConfiguration;
use goose::metrics::GooseMetrics;
use goose::{GooseAttack, GooseError};
use std::io::IsTerminal as _;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Which path to load.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LoadPath {
    Auth,
    Statistics,
    Messaging,
    All,
}

impl LoadPath {
    fn name(self) -> &'static str {
        match self {
            LoadPath::Auth => "auth",
            LoadPath::Statistics => "statistics",
            LoadPath::Messaging => "messaging",
            LoadPath::All => "all",
        }
    }
}

/// Where the embedded mock runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum MockMode {
    /// In this process, on a runtime thread of its own.
    Thread,
    /// As a child process (`cxgate mock`).
    Process,
}

/// What `cxgate load` was asked to do.
#[derive(Debug, Clone)]
pub struct LoadOptions {
    pub root: PathBuf,
    pub path: LoadPath,
    pub target: String,
    pub users: usize,
    pub increase_rate: String,
    pub run_time: Duration,
    pub iterations: Option<usize>,
    pub report_dir: PathBuf,
    pub thresholds: Vec<String>,
    pub baseline: Option<PathBuf>,
    pub tolerance_pct: f64,
    /// Check every Nth response against its schema (1 = all).
    pub sample_every: u64,
    pub mock_mode: MockMode,
    /// Access-token lifetime of the embedded mock, so tokens expire during a run.
    pub mock_token_lifetime: Option<u64>,
}

impl LoadOptions {
    /// Defaults: 10 users, 10 per second, 30 s, the embedded mock in a thread.
    pub fn new(root: impl Into<PathBuf>, path: LoadPath) -> LoadOptions {
        let root = root.into();
        LoadOptions {
            report_dir: root.join("reports"),
            root,
            path,
            target: "mock".into(),
            users: 10,
            increase_rate: "10".into(),
            run_time: Duration::from_secs(30),
            iterations: None,
            thresholds: Vec::new(),
            baseline: None,
            tolerance_pct: 10.0,
            sample_every: 1,
            mock_mode: MockMode::Thread,
            mock_token_lifetime: Some(20),
        }
    }
}

/// Why a load run could not start or finish (exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error(transparent)]
    Contract(#[from] ContractError),
    #[error(transparent)]
    Target(#[from] TargetError),
    /// A command-line mistake (a bad threshold, users 0, ...).
    #[error("{0}")]
    Usage(String),
    /// The embedded mock or the webhook receiver did not start.
    #[error("cannot start {what}: {reason}")]
    Start { what: String, reason: String },
    /// goose refused the configuration or failed.
    #[error("goose: {0}")]
    Goose(String),
    /// Reports could not be written or the baseline read.
    #[error("{path}: {reason}")]
    File { path: PathBuf, reason: String },
}

/// A finished load run.
#[derive(Debug)]
pub struct LoadOutcome {
    pub summary: LoadSummary,
    pub reports: Vec<PathBuf>,
}

/// The embedded mock, wherever it runs; stopped on drop.
enum EmbeddedMock {
    Thread {
        stop: Option<tokio::sync::oneshot::Sender<()>>,
        thread: Option<std::thread::JoinHandle<()>>,
    },
    Process(std::process::Child),
}

impl Drop for EmbeddedMock {
    fn drop(&mut self) {
        match self {
            EmbeddedMock::Thread { stop, thread } => {
                if let Some(stop) = stop.take() {
                    let _ = stop.send(());
                }
                if let Some(thread) = thread.take() {
                    let _ = thread.join();
                }
            }
            EmbeddedMock::Process(child) => {
                let _ = child.kill();
                let _ = child.wait();
            }
        }
    }
}

fn start_error(what: &str, reason: impl ToString) -> LoadError {
    LoadError::Start {
        what: what.to_string(),
        reason: reason.to_string(),
    }
}

async fn start_mock(
    mode: MockMode,
    config: MockConfig,
) -> Result<(EmbeddedMock, String), LoadError> {
    match mode {
        MockMode::Thread => {
            let (addr_tx, addr_rx) = tokio::sync::oneshot::channel();
            let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
            let thread = std::thread::Builder::new()
                .name("cxgate-mock".into())
                .spawn(move || {
                    let runtime = match tokio::runtime::Builder::new_multi_thread()
                        .worker_threads(1)
                        .enable_all()
                        .build()
                    {
                        Ok(rt) => rt,
                        Err(e) => {
                            let _ = addr_tx.send(Err(e.to_string()));
                            return;
                        }
                    };
                    runtime.block_on(async move {
                        match MockServer::start(
                            config,
                            std::net::SocketAddr::from(([127, 0, 0, 1], 0)),
                        )
                        .await
                        {
                            Ok(server) => {
                                let _ = addr_tx.send(Ok(server.base_url()));
                                let _ = stop_rx.await;
                                server.shutdown().await;
                            }
                            Err(e) => {
                                let _ = addr_tx.send(Err(e.to_string()));
                            }
                        }
                    });
                })
                .map_err(|e| start_error("the mock thread", e))?;
            let base = addr_rx
                .await
                .map_err(|e| start_error("the embedded mock", e))?
                .map_err(|e| start_error("the embedded mock", e))?;
            Ok((
                EmbeddedMock::Thread {
                    stop: Some(stop_tx),
                    thread: Some(thread),
                },
                base,
            ))
        }
        MockMode::Process => {
            let port = std::net::TcpListener::bind("127.0.0.1:0")
                .and_then(|l| l.local_addr())
                .map_err(|e| start_error("the embedded mock", e))?
                .port();
            let exe = std::env::current_exe().map_err(|e| start_error("the embedded mock", e))?;
            let child = std::process::Command::new(exe)
                .args(["mock", "--listen", &format!("127.0.0.1:{port}")])
                .args([
                    "--token-lifetime",
                    &config.auth.token_lifetime_secs.to_string(),
                ])
                .stdout(std::process::Stdio::null())
                .spawn()
                .map_err(|e| start_error("the mock process", e))?;
            let base = format!("http://127.0.0.1:{port}");
            let mock = EmbeddedMock::Process(child);
            let deadline = Instant::now() + Duration::from_secs(10);
            while !probe_control_plane(&base).await {
                if Instant::now() > deadline {
                    return Err(start_error(
                        "the mock process",
                        "no answer on /__cxgate/health within 10 s",
                    ));
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            Ok((mock, base))
        }
    }
}

async fn probe_control_plane(base_url: &str) -> bool {
    let Ok(client) = HttpClient::new(base_url, Duration::from_secs(3)) else {
        return false;
    };
    let spec = RequestSpec {
        method: "GET".into(),
        path: "/__cxgate/health".into(),
        ..RequestSpec::default()
    };
    matches!(client.send(&spec).await, Ok(ex) if ex.status == 200 && ex.json().ok().and_then(|v| v.get("service").cloned()) == Some(serde_json::json!("cxgate-mock")))
}

/// Creates the run's own messaging channel with the receiver as its webhook.
async fn messaging_channel(
    base: &str,
    target: &TargetConfig,
    receiver: &WebhookReceiver,
) -> Result<String, LoadError> {
    let client = HttpClient::new(base, Duration::from_secs(5))
        .map_err(|e| start_error("the control plane client", e))?;
    let id: String = format!("9{}", &uuid::Uuid::new_v4().as_u128().to_string()[..9]);
    let body = serde_json::json!({"id": id, "type": "sms", "contact_center_id": target.contact_center_id,
        "secret": target.channel_secret, "webhook_url": receiver.url()});
    let spec = RequestSpec {
        method: "POST".into(),
        path: "/__cxgate/messaging/channels".into(),
        headers: vec![("Content-Type".into(), "application/json".into())],
        query: vec![],
        body: Some(body.to_string().into_bytes()),
    };
    match client.send(&spec).await {
        Ok(ex) if ex.status == 200 => Ok(id),
        Ok(ex) => Err(start_error("the load channel", ex.describe())),
        Err(e) => Err(start_error("the load channel", e)),
    }
}

/// Runs the load test and writes its reports.
pub async fn run(options: &LoadOptions) -> Result<LoadOutcome, LoadError> {
    if options.users == 0 {
        return Err(LoadError::Usage("--users must be at least 1".into()));
    }
    for rule in &options.thresholds {
        rule.parse::<goose::threshold::Threshold>()
            .map_err(|e| LoadError::Usage(format!("--threshold {rule:?}: {e}")))?;
    }
    let baseline = match &options.baseline {
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|e| LoadError::File {
                path: path.clone(),
                reason: e.to_string(),
            })?;
            Some(
                serde_json::from_str::<LoadSummary>(&text).map_err(|e| LoadError::File {
                    path: path.clone(),
                    reason: format!("not a cxgate load summary (load-summary.json): {e}"),
                })?,
            )
        }
        None => None,
    };
    let contract = Arc::new(ContractModel::load(&options.root)?);
    let mut target = TargetConfig::resolve(&options.target, &|name| std::env::var(name).ok())?;
    let mut _mock = None;
    if target.kind == TargetKind::EmbeddedMock {
        let mut config = MockConfig::default_seed();
        if let Some(lifetime) = options.mock_token_lifetime {
            config.auth.token_lifetime_secs = lifetime;
        }
        let (mock, base) = start_mock(options.mock_mode, config).await?;
        target.base_url = base;
        _mock = Some(mock);
    }
    let control_plane = probe_control_plane(&target.base_url).await;
    let mut ctx = LoadContext::new(
        target.clone(),
        contract,
        options.sample_every,
        control_plane,
    );
    let mut receiver = None;
    if control_plane && matches!(options.path, LoadPath::Messaging | LoadPath::All) {
        let r = WebhookReceiver::start(
            std::net::SocketAddr::from(([127, 0, 0, 1], 0)),
            target.channel_secret.as_bytes(),
        )
        .await
        .map_err(|e| start_error("the webhook receiver", e))?;
        ctx.channel = messaging_channel(&target.base_url, &target, &r).await?;
        ctx.receiver_url = Some(r.url());
        receiver = Some(r);
    }
    let ctx = Arc::new(ctx);

    std::fs::create_dir_all(&options.report_dir).map_err(|e| LoadError::File {
        path: options.report_dir.clone(),
        reason: e.to_string(),
    })?;
    let html = options.report_dir.join("load-report.html");
    let json = options.report_dir.join("load-report.json");
    let mut config = GooseConfiguration::default();
    config.host = Some(target.base_url.clone());
    config.users = Some(options.users);
    config.increase_rate = Some(options.increase_rate.clone());
    match options.iterations {
        Some(n) => config.iterations = Some(n),
        None => config.run_time = Some(format!("{}s", options.run_time.as_secs().max(1))),
    }
    config.report_file = vec![html.display().to_string(), json.display().to_string()];
    config.threshold = options.thresholds.clone();
    config.no_threshold_abort = true;
    config.quiet = 1;
    config.no_print_metrics = true;
    config.no_error_summary = true;
    config.no_telnet = true;
    config.no_reset_metrics = true;

    let mut attack =
        GooseAttack::initialize_with_config(config).map_err(|e| LoadError::Goose(e.to_string()))?;
    let mut scenarios = Vec::new();
    let goose_err = |e: GooseError| LoadError::Goose(e.to_string());
    if matches!(options.path, LoadPath::Auth | LoadPath::All) {
        scenarios.push(auth::scenario(&ctx).map_err(goose_err)?);
    }
    if matches!(options.path, LoadPath::Statistics | LoadPath::All) {
        scenarios.extend(statistics::scenarios(&ctx).map_err(goose_err)?);
    }
    if matches!(options.path, LoadPath::Messaging | LoadPath::All) {
        scenarios.push(messaging::scenario(&ctx).map_err(goose_err)?);
    }
    for scenario in scenarios {
        attack = attack.register_scenario(scenario);
    }
    let progress = std::io::stdout()
        .is_terminal()
        .then(|| spawn_progress(options.run_time));
    let started = Instant::now();
    let (metrics, thresholds) = match attack.execute().await {
        Ok(metrics) => {
            let verdicts = verdicts(&metrics);
            (metrics, verdicts)
        }
        Err(GooseError::ThresholdsFailed { metrics, .. }) => {
            let verdicts = verdicts(&metrics);
            (*metrics.0, verdicts)
        }
        Err(e) => return Err(LoadError::Goose(e.to_string())),
    };
    if let Some(p) = progress {
        p.abort();
        println!();
    }
    let elapsed = started.elapsed();

    let mut summary = summarise(options, &target, &metrics, &ctx, elapsed);
    summary.thresholds = thresholds;
    if let Some(r) = &receiver {
        deliveries(&mut summary, &ctx, r).await;
    }
    if let Some(base) = &baseline {
        summary.compare(base, options.tolerance_pct);
    }
    let md = options.report_dir.join("load-summary.md");
    let summary_json = options.report_dir.join("load-summary.json");
    let write = |path: &PathBuf, text: String| {
        std::fs::write(path, text).map_err(|e| LoadError::File {
            path: path.clone(),
            reason: e.to_string(),
        })
    };
    write(&md, summary.markdown())?;
    write(
        &summary_json,
        serde_json::to_string_pretty(&summary).unwrap_or_default(),
    )?;
    Ok(LoadOutcome {
        summary,
        reports: vec![html, json, md, summary_json],
    })
}

fn verdicts(metrics: &GooseMetrics) -> Vec<ThresholdVerdict> {
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

fn ms(us: u64) -> f64 {
    us as f64 / 1000.0
}

fn summarise(
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
        updates_received: ctx
            .updates_received
            .load(std::sync::atomic::Ordering::Relaxed),
        ..LoadSummary::default()
    }
}

/// Waits up to 15 s for every agent reply to reach the receiver, then counts.
async fn deliveries(summary: &mut LoadSummary, ctx: &LoadContext, receiver: &WebhookReceiver) {
    let sent: Vec<(String, Instant)> = ctx
        .replies
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .iter()
        .map(|(k, v)| (k.clone(), *v))
        .collect();
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let accepted = receiver
            .deliveries()
            .iter()
            .filter(|d| d.accepted())
            .count();
        if accepted >= sent.len() || Instant::now() > deadline {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let delivered = receiver.deliveries();
    // The first accepted delivery of each messageId (bodies parsed once each).
    let mut first_accepted: std::collections::HashMap<String, Instant> =
        std::collections::HashMap::new();
    for d in delivered.iter().filter(|d| d.accepted()) {
        if let Some(id) = d.message_id() {
            first_accepted.entry(id).or_insert(d.at);
        }
    }
    let mut latencies = Vec::new();
    let mut found = 0u64;
    for (id, at) in &sent {
        if let Some(arrived) = first_accepted.get(id) {
            found += 1;
            latencies.push(arrived.saturating_duration_since(*at).as_secs_f64() * 1000.0);
        }
    }
    latencies.sort_by(f64::total_cmp);
    summary.replies_sent = sent.len() as u64;
    summary.replies_delivered = found;
    summary.replies_lost = sent.len() as u64 - found;
    summary.unsigned_deliveries = delivered.iter().filter(|d| d.signature.is_err()).count() as u64;
    summary.reply_delivery_p50_ms = percentile(&latencies, 50.0);
    summary.reply_delivery_p99_ms = percentile(&latencies, 99.0);
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
