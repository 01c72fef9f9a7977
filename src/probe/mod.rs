//! `cxgate probe`: negative and security testing of every catalog endpoint, generated
//! from the contract and judged by envelope-aware rules. Loads the contract, resolves
//! the target like `verify` (starting the embedded mock when asked), plans the cases,
//! sends them within the budget and writes the reports.

pub mod cases;
pub mod plan;
pub mod report;
pub mod reproduce;
pub mod run;
pub mod verdict;

pub use plan::{Case, Family, Plan, Selection};
pub use report::ProbeResult;
pub use verdict::Rule;

use crate::client::{HttpClient, TargetConfig, TargetKind};
use crate::contract::ContractModel;
use crate::harness::{
    from_setup_errors, preflight, require_credentials, EmbeddedMock, Placement, SetupError,
};
use crate::mock::MockConfig;
use crate::report::Redactor;
use futures::StreamExt as _;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// What `cxgate probe` was asked to do.
#[derive(Debug, Clone)]
pub struct ProbeOptions {
    /// Project root holding `features/` and `schemas/`.
    pub root: PathBuf,
    /// `mock`, a URL, or a profile path.
    pub target: String,
    pub selection: Selection,
    /// The seed of the generated values; `None`: drawn, and printed.
    pub seed: Option<u64>,
    /// The most requests the run sends to the target.
    pub max_requests: Option<u64>,
    /// Cases at once; `None`: 8 on the mock, 2 elsewhere.
    pub concurrency: Option<usize>,
    pub timeout: Duration,
    pub report_dir: PathBuf,
    pub allow_writes: bool,
    pub allow_destructive: bool,
    pub strict: bool,
    /// Values that take the place of environment variables of the same name.
    pub env: std::collections::HashMap<String, String>,
    pub redactor: Redactor,
}

impl ProbeOptions {
    /// Defaults: the embedded mock, every endpoint and family, 10 s per request.
    pub fn new(root: impl Into<PathBuf>) -> ProbeOptions {
        let root = root.into();
        ProbeOptions {
            report_dir: root.join("reports"),
            root,
            target: "mock".into(),
            selection: Selection::default(),
            seed: None,
            max_requests: None,
            concurrency: None,
            timeout: Duration::from_secs(10),
            allow_writes: false,
            allow_destructive: false,
            strict: false,
            env: std::collections::HashMap::new(),
            redactor: Redactor::new(),
        }
    }

    fn lookup(&self, name: &str) -> Option<String> {
        self.env
            .get(name)
            .cloned()
            .or_else(|| std::env::var(name).ok())
    }
}

/// Why a probe could not start (exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum ProbeError {
    /// The contract, the target or the command line is wrong, or the mock did not start.
    #[error(transparent)]
    Setup(#[from] SetupError),
    /// Reports could not be written.
    #[error("cannot write reports to {dir}: {source}")]
    Reports {
        dir: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

from_setup_errors!(ProbeError);

/// A finished run.
#[derive(Debug)]
pub struct ProbeOutcome {
    pub result: ProbeResult,
    pub summary: String,
    pub reports: Vec<PathBuf>,
    pub redactor: Redactor,
}

/// Cases at once on the embedded mock or `cxgate mock`.
pub const LOCAL_CONCURRENCY: usize = 8;
/// Cases at once on any other target.
pub const REMOTE_CONCURRENCY: usize = 2;

/// The seed of a run: the one given, or one drawn from the clock.
fn seed_of(options: &ProbeOptions) -> (u64, bool) {
    match options.seed {
        Some(seed) => (seed, false),
        None => {
            let nanos = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos() as u64);
            (nanos % 1_000_000_007, true)
        }
    }
}

fn usage(text: String) -> ProbeError {
    ProbeError::Setup(SetupError::Usage(text))
}

/// The cases a run would send, without sending anything (`probe --list`).
pub fn list(options: &ProbeOptions) -> Result<Plan, ProbeError> {
    let contract = ContractModel::load(&options.root)?;
    let target = TargetConfig::resolve(&options.target, &|n| options.lookup(n))?;
    let plan = plan::generate(
        &contract,
        &cases::Context::of(&target),
        &options.selection,
        seed_of(options).0,
    );
    if plan.cases.is_empty() {
        return Err(usage(
            "--api/--family select no endpoint of the catalog".into(),
        ));
    }
    Ok(plan)
}

/// Runs the probe.
pub async fn run(options: &ProbeOptions) -> Result<ProbeOutcome, ProbeError> {
    let started = Instant::now();
    if options.concurrency == Some(0) {
        return Err(usage("--concurrency must be at least 1".into()));
    }
    if options.max_requests == Some(0) {
        return Err(usage("--max-requests must be at least 1".into()));
    }
    let contract = ContractModel::load(&options.root)?;
    let mut target = TargetConfig::resolve(&options.target, &|n| options.lookup(n))?;
    let (seed, seed_drawn) = seed_of(options);
    let plan = plan::generate(
        &contract,
        &cases::Context::of(&target),
        &options.selection,
        seed,
    );
    if plan.cases.is_empty() {
        return Err(usage(
            "--api/--family select no endpoint of the catalog".into(),
        ));
    }
    std::fs::create_dir_all(&options.report_dir).map_err(|source| ProbeError::Reports {
        dir: options.report_dir.clone(),
        source,
    })?;
    let mock = EmbeddedMock::start_for(&mut target, Placement::Runtime, MockConfig::default_seed())
        .await?;
    let redactor = options.redactor.clone();
    for secret in target.secrets() {
        redactor.add(&secret);
    }
    let budget = run::Budget::new(options.max_requests);
    let mut result = ProbeResult {
        target: target.describe(),
        seed,
        seed_drawn,
        duration: Duration::ZERO,
        requests_sent: 0,
        max_requests: options.max_requests,
        cases: Vec::new(),
        results: Vec::new(),
        errors: Vec::new(),
        notes: Vec::new(),
    };
    // The health check of every host counts against the budget too.
    let hosts = 1 + target.urls.len() as u64;
    for _ in 0..hosts {
        budget.take();
    }
    let control_plane = match preflight(&target, options.timeout).await {
        Ok(cp) => cp,
        Err(unreachable) => {
            result.errors.push(format!("{unreachable}; no check ran"));
            result.cases = plan.cases;
            return finish(options, &contract, result, &budget, started, redactor, mock).await;
        }
    };
    require_credentials(&target, control_plane)?;
    let mock_target = control_plane || target.kind == TargetKind::EmbeddedMock;
    let allowed = run::Allowed {
        mock: mock_target,
        strict: options.strict,
        writes: options.allow_writes,
        destructive: options.allow_destructive,
    };
    let client = HttpClient::for_target(&target, options.timeout).map_err(usage)?;
    let runnable: Vec<&Case> = plan
        .cases
        .iter()
        .filter(|c| allowed.refuses(c).is_none())
        .collect();
    let tokens = run::tokens(
        &client,
        &budget,
        &target,
        control_plane,
        options.lookup("CXGATE_EXPIRED_TOKEN"),
        run::Needs::of(runnable.into_iter()),
        &redactor,
    )
    .await;
    if let Err(reason) = &tokens.agent {
        if reason != "not needed by the selected cases" {
            result
                .notes
                .push(format!("no access token for the agent: {reason}"));
        }
    }
    let runner = run::Runner {
        client,
        target: target.clone(),
        tokens,
        budget,
        redactor: redactor.clone(),
        allowed,
        timeout: options.timeout,
    };
    let concurrency = options.concurrency.unwrap_or(if mock_target {
        LOCAL_CONCURRENCY
    } else {
        REMOTE_CONCURRENCY
    });
    let done = std::sync::Mutex::new(Vec::with_capacity(plan.cases.len()));
    let all = futures::stream::iter(plan.cases.iter())
        .map(|case| runner.run(case))
        .buffer_unordered(concurrency)
        .for_each(|r| {
            done.lock().unwrap_or_else(|p| p.into_inner()).push(r);
            async {}
        });
    // Ctrl-C stops the run; what was judged is still reported.
    let interrupted = tokio::select! {
        _ = all => false,
        _ = tokio::signal::ctrl_c() => true,
    };
    let mut results = done.into_inner().unwrap_or_else(|p| p.into_inner());
    results.sort_by_key(|r| r.index);
    if interrupted {
        result.errors.push(format!(
            "interrupted (Ctrl-C) after {:.1}s: {} of {} checks had finished",
            started.elapsed().as_secs_f64(),
            results.len(),
            plan.cases.len()
        ));
    }
    result.results = results;
    result.cases = plan.cases;
    if !mock_target && (options.allow_writes || options.allow_destructive) {
        let accepted_writes = result
            .cases
            .iter()
            .zip(&result.results)
            .filter(|(c, r)| {
                c.change != plan::Change::Read && matches!(r.outcome, run::Outcome::Failed { .. })
            })
            .count();
        if accepted_writes > 0 {
            result.notes.push(format!(
                "{accepted_writes} failed write check(s) may have changed the target's data: \
                 each sent ids no target holds or data that must be refused, so a target that \
                 accepted it needs a look"
            ));
        }
    }
    let budget = runner.budget;
    finish(options, &contract, result, &budget, started, redactor, mock).await
}

async fn finish(
    options: &ProbeOptions,
    contract: &ContractModel,
    mut result: ProbeResult,
    budget: &run::Budget,
    started: Instant,
    redactor: Redactor,
    mock: Option<EmbeddedMock>,
) -> Result<ProbeOutcome, ProbeError> {
    if let Some(server) = mock {
        server.shutdown().await;
    }
    if result.results.len() < result.cases.len() {
        let reason = result.errors.first().cloned().unwrap_or_default();
        let finished: std::collections::BTreeSet<usize> =
            result.results.iter().map(|r| r.index).collect();
        for case in result.cases.iter().filter(|c| !finished.contains(&c.index)) {
            result.results.push(run::CaseResult {
                index: case.index,
                outcome: run::Outcome::NotRun(format!("the run stopped: {reason}")),
                status: None,
                duration: Duration::ZERO,
            });
        }
        result.results.sort_by_key(|r| r.index);
    }
    result.requests_sent = budget.sent();
    result.duration = started.elapsed();
    let reports = report::write(&options.report_dir, &result, &contract.catalog, &redactor)
        .map_err(|source| ProbeError::Reports {
            dir: options.report_dir.clone(),
            source,
        })?;
    let summary = report::render_summary(&result, &redactor);
    Ok(ProbeOutcome {
        result,
        summary,
        reports,
        redactor,
    })
}
