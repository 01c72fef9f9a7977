//! `cxgate verify`: loads the contract, resolves the target (starting the embedded mock
//! when asked), runs the feature files with cucumber and writes the reports.

mod definitions;
mod gate;
pub mod plan;

pub use gate::{writes, Gates, Verdict};
pub use plan::{Plan, Planned};

use crate::client::{TargetConfig, TargetKind, WebhookEndpoint};
use crate::contract::ContractModel;
use crate::harness::{
    from_setup_errors, preflight, require_credentials, EmbeddedMock, Placement, SetupError,
};
use crate::mock::MockConfig;
use crate::report::{write_reports, Collector, Progress, Redactor, RunResult};
use crate::steps::{CxWorld, RunContext};
use base64::Engine as _;
use cucumber::gherkin::tagexpr::TagOperation;
use cucumber::World as _;
use futures::FutureExt as _;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// What `cxgate verify` was asked to do.
#[derive(Debug, Clone)]
pub struct VerifyOptions {
    /// Project root holding `features/` and `schemas/`.
    pub root: PathBuf,
    /// `mock`, a URL, or a profile path.
    pub target: String,
    /// A tag expression such as `@auth and not @mock`.
    pub tags: Option<String>,
    /// Only scenarios whose name matches this regex.
    pub name: Option<String>,
    /// Scenarios at once; `None`: [`LOCAL_CONCURRENCY`] on the embedded mock or a target
    /// with the cxgate control plane, [`REMOTE_CONCURRENCY`] on any other.
    pub concurrency: Option<usize>,
    pub timeout: Duration,
    pub report_dir: PathBuf,
    pub allow_destructive: bool,
    /// Run scenarios that create test data (each cleaned up after it) against a target
    /// that is not the cxgate mock.
    pub allow_writes: bool,
    /// Run `@strict` scenarios (the mock's own choices where the reference is silent)
    /// against a target that is not the cxgate mock.
    pub strict: bool,
    /// Where a deployment delivers webhooks to this run: `@receiver` scenarios run against
    /// a target that is not a cxgate mock only with it.
    pub webhook: Option<WebhookEndpoint>,
    /// Values that take the place of environment variables of the same name (tests and
    /// embedding); every other name is read from the process environment.
    pub env: std::collections::HashMap<String, String>,
    /// Stop at the first failed scenario (those already running finish).
    pub fail_fast: bool,
    /// Draw the progress line on stderr (it is drawn only when stderr is a terminal).
    pub progress: bool,
    /// Masks the run's secrets; shared with whatever else prints during the run (the
    /// request trace of `-v`), which learns the tokens the run is issued.
    pub redactor: Redactor,
}

impl VerifyOptions {
    /// Defaults: the embedded mock, every scenario, as many at once as the target suits,
    /// 10 s per request.
    pub fn new(root: impl Into<PathBuf>) -> VerifyOptions {
        let root = root.into();
        VerifyOptions {
            report_dir: root.join("reports"),
            root,
            target: "mock".into(),
            tags: None,
            name: None,
            concurrency: None,
            timeout: Duration::from_secs(10),
            allow_destructive: false,
            allow_writes: false,
            strict: false,
            webhook: None,
            env: std::collections::HashMap::new(),
            fail_fast: false,
            progress: false,
            redactor: Redactor::new(),
        }
    }
}

/// Scenarios at once on the embedded mock or `cxgate mock`: most of a run there is
/// waiting out timed notification steps, so more at once ends it sooner (measured on 2
/// cores: 14.0 s at 4, 10.9 s at 16, 11.3 s at 32 for the whole suite).
pub const LOCAL_CONCURRENCY: usize = 16;
/// Scenarios at once on any other target: a deployment's rate limits are not ours.
pub const REMOTE_CONCURRENCY: usize = 4;

/// Why a run could not start (exit code 2); contract failures are in the result instead.
#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    /// The contract, the target or the command line is wrong, or the embedded mock did
    /// not start (as for `load`).
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

from_setup_errors!(VerifyError);

fn usage(text: String) -> VerifyError {
    VerifyError::Setup(SetupError::Usage(text))
}

/// A finished run.
#[derive(Debug)]
pub struct VerifyOutcome {
    pub result: RunResult,
    pub summary: String,
    pub reports: Vec<PathBuf>,
    /// Knows every secret of the run, for renderings made after it.
    pub redactor: Redactor,
}

/// Runs the contract suite.
pub async fn run(options: &VerifyOptions) -> Result<VerifyOutcome, VerifyError> {
    let started = Instant::now();
    if options.concurrency == Some(0) {
        return Err(usage("--concurrency must be at least 1".into()));
    }
    let Prepared {
        contract,
        tags,
        name,
        features,
    } = prepare(options)?;
    let contract = Arc::new(contract);
    if tags.is_some() || name.is_some() {
        let selected = Plan::of(
            &features,
            &Gates::everything(tags.clone(), name.clone()),
            &contract.root,
        );
        if selected.scenarios.is_empty() {
            return Err(usage(nothing_selected(options, &selected.tags_seen)));
        }
    }
    check_report_dir(&options.report_dir)?;
    let mut target = resolve_target(options)?;
    let mock = EmbeddedMock::start_for(&mut target, Placement::Runtime, MockConfig::default_seed())
        .await?;
    let redactor = options.redactor.clone();
    for secret in target.secrets() {
        redactor.add(&secret);
    }
    let b64 =
        |a: &str, b: &str| base64::engine::general_purpose::STANDARD.encode(format!("{a}:{b}"));
    redactor.add(&b64(&target.client_id, &target.client_secret));
    redactor.add(&b64(&target.agent.username, &target.agent.password));
    redactor.add(&b64(
        &target.supervisor.username,
        &target.supervisor.password,
    ));

    let control_plane = match preflight(&target, options.timeout).await {
        Ok(control_plane) => control_plane,
        Err(unreachable) => {
            if let Some(server) = mock {
                server.shutdown().await;
            }
            return unreachable_outcome(options, &target, &redactor, unreachable, started);
        }
    };
    require_credentials(&target, control_plane)?;
    let gates = gates(options, tags, name, &target, control_plane);
    let plan = Plan::of(&features, &gates, &contract.root);
    let ctx = Arc::new(RunContext {
        target: target.clone(),
        contract: contract.clone(),
        redactor: redactor.clone(),
        timeout: options.timeout,
        control_plane,
        webhook: options.webhook.clone(),
    });

    let progress = Progress::new(plan.scenarios.len(), options.progress);
    let collector = Collector::new(redactor.clone())
        .with_progress(progress.clone())
        .with_base(&contract.root);
    let skipper = collector.clone();
    let filter = move |feature: &cucumber::gherkin::Feature,
                       rule: Option<&cucumber::gherkin::Rule>,
                       scenario: &cucumber::gherkin::Scenario| {
        match gates.judge(feature, rule, scenario) {
            Verdict::Excluded => false,
            Verdict::Skip(reason) => {
                skipper.skip(feature, scenario, &reason);
                false
            }
            Verdict::Run => true,
        }
    };
    let before_ctx = ctx.clone();
    let _quiet = QuietPanics::enter();
    let cucumber = CxWorld::cucumber()
        .max_concurrent_scenarios(options.concurrency.unwrap_or(
            if control_plane || target.kind == TargetKind::EmbeddedMock {
                LOCAL_CONCURRENCY
            } else {
                REMOTE_CONCURRENCY
            },
        ))
        .with_writer(collector.clone())
        .with_default_cli()
        .before(move |_, _, _, world| {
            world.ctx = Some(before_ctx.clone());
            async {}.boxed_local()
        })
        .after(|_, _, _, _, world| {
            async move {
                let Some(world) = world else { return };
                let failures = world.run_cleanups().await;
                // A failed undo fails the scenario: the target was left changed.
                if !failures.is_empty() {
                    std::panic::panic_any(failures.join("\n"));
                }
            }
            .boxed_local()
        });
    let cucumber = if options.fail_fast {
        cucumber.fail_fast()
    } else {
        cucumber
    };
    let run = cucumber.filter_run(contract.features_dir.clone(), filter);
    // Ctrl-C stops the run; what was collected is still reported.
    let interrupted = tokio::select! {
        _ = run => false,
        _ = tokio::signal::ctrl_c() => true,
    };
    drop(_quiet);
    progress.finish();

    if let Some(server) = mock {
        server.shutdown().await;
    }
    let mut result = collector.result();
    result.duration = started.elapsed();
    result.target = target.describe();
    if let Some(note) = deprecated_note(&contract, &result) {
        result.notes.push(note);
    }
    let reported: usize = result.features.iter().map(|f| f.scenarios.len()).sum();
    if options.fail_fast && !result.passed() && reported < plan.scenarios.len() {
        result.notes.push(format!(
            "--fail-fast: the run stopped at its first failure; {} of {} selected scenarios \
             did not run",
            plan.scenarios.len() - reported,
            plan.scenarios.len()
        ));
    }
    if interrupted {
        result.errors.push(format!(
            "interrupted (Ctrl-C) after {:.1}s: scenarios that had not finished are not in \
             this report, and their cleanup did not run",
            result.duration.as_secs_f64()
        ));
    }
    let summary = crate::report::render_summary(&result, &redactor);
    finish(options, result, summary, redactor)
}

/// What a run would do, without sending a request (`verify --list`). Against a target
/// other than the embedded mock, the plan assumes it has no cxgate control plane.
pub fn list(options: &VerifyOptions) -> Result<Plan, VerifyError> {
    let Prepared {
        contract,
        tags,
        name,
        features,
    } = prepare(options)?;
    let target = resolve_target(options)?;
    let control_plane = target.kind == TargetKind::EmbeddedMock;
    let gates = gates(options, tags, name, &target, control_plane);
    let mut plan = Plan::of(&features, &gates, &contract.root);
    plan.target = target.describe();
    if !control_plane {
        plan.assumptions.push(
            "no request is sent, so the list assumes the target has no cxgate control plane; \
             against `cxgate mock` by URL the @mock and @strict scenarios run too"
                .into(),
        );
    }
    if plan.scenarios.is_empty() && (options.tags.is_some() || options.name.is_some()) {
        return Err(usage(nothing_selected(options, &plan.tags_seen)));
    }
    Ok(plan)
}

/// What a run and a list both start from, before any target is looked at.
struct Prepared {
    contract: ContractModel,
    tags: Option<TagOperation>,
    name: Option<regex::Regex>,
    /// Every feature file, parsed with its outlines expanded, each step defined once.
    features: Vec<cucumber::gherkin::Feature>,
}

/// Loads the contract, parses the filters and the feature files, and checks every step
/// against the step definitions: each mistake is a usage error.
fn prepare(options: &VerifyOptions) -> Result<Prepared, VerifyError> {
    let contract = ContractModel::load(&options.root)?;
    let (tags, name) = filters(options)?;
    let features = plan::parse_features(&contract.features.files).map_err(usage)?;
    definitions::check(&features, &contract.root).map_err(usage)?;
    Ok(Prepared {
        contract,
        tags,
        name,
        features,
    })
}

/// Writes the reports of `result` and makes the outcome of the run.
fn finish(
    options: &VerifyOptions,
    result: RunResult,
    summary: String,
    redactor: Redactor,
) -> Result<VerifyOutcome, VerifyError> {
    let reports = write_reports(&options.report_dir, &result, &redactor).map_err(|source| {
        VerifyError::Reports {
            dir: options.report_dir.clone(),
            source,
        }
    })?;
    Ok(VerifyOutcome {
        result,
        summary,
        reports,
        redactor,
    })
}

/// `--tags` and `--name`, parsed.
fn filters(
    options: &VerifyOptions,
) -> Result<(Option<TagOperation>, Option<regex::Regex>), VerifyError> {
    let tags = match &options.tags {
        Some(expr) => Some(
            expr.parse::<TagOperation>()
                .map_err(|e| usage(format!("--tags {expr:?}: not a tag expression: {e}")))?,
        ),
        None => None,
    };
    let name = match &options.name {
        Some(re) => Some(
            regex::Regex::new(re).map_err(|e| usage(format!("--name {re:?}: bad regex: {e}")))?,
        ),
        None => None,
    };
    Ok((tags, name))
}

fn resolve_target(options: &VerifyOptions) -> Result<TargetConfig, VerifyError> {
    Ok(TargetConfig::resolve(&options.target, &|name| {
        options
            .env
            .get(name)
            .cloned()
            .or_else(|| std::env::var(name).ok())
    })?)
}

/// The gates of a run on `target`: the embedded mock and `cxgate mock` (which answers
/// the control plane) always run the mock's own choices and every change; any other
/// target only what the flags allow.
fn gates(
    options: &VerifyOptions,
    tags: Option<TagOperation>,
    name: Option<regex::Regex>,
    target: &TargetConfig,
    control_plane: bool,
) -> Gates {
    let embedded = target.kind == TargetKind::EmbeddedMock;
    let destructive_ok = options.allow_destructive || embedded;
    Gates {
        tags,
        name,
        control_plane,
        strict_ok: options.strict || control_plane || embedded,
        destructive_ok,
        writes_ok: options.allow_writes || destructive_ok || control_plane,
        receiver: options.webhook.is_some(),
    }
}

/// The outcome of a run whose target does not answer: one line, in the summary and in
/// every report, and no scenario run.
fn unreachable_outcome(
    options: &VerifyOptions,
    target: &TargetConfig,
    redactor: &Redactor,
    reason: String,
    started: Instant,
) -> Result<VerifyOutcome, VerifyError> {
    let line = format!("cxgate verify: {reason}; no scenario ran");
    let result = RunResult {
        errors: vec![reason],
        duration: started.elapsed(),
        target: target.describe(),
        ..RunResult::default()
    };
    let summary = format!("{}\n", redactor.redact(&line));
    finish(options, result, summary, redactor.clone())
}

/// How many of the run's scenarios sent a request under a base path the reference
/// deprecates (every endpoint under it marked deprecated in the catalog).
fn deprecated_note(contract: &ContractModel, result: &RunResult) -> Option<String> {
    let base = |path: &str| path.splitn(4, '/').take(3).collect::<Vec<_>>().join("/");
    let endpoints = &contract.catalog.endpoints;
    let mut prefixes: Vec<String> = endpoints
        .iter()
        .filter(|e| e.deprecated)
        .map(|e| base(&e.full_path))
        .filter(|p| {
            endpoints
                .iter()
                .all(|e| e.deprecated || base(&e.full_path) != *p)
        })
        .collect();
    prefixes.sort();
    prefixes.dedup();
    let ran = result
        .features
        .iter()
        .flat_map(|f| &f.scenarios)
        .filter(|s| s.status != crate::report::Status::Skipped)
        .filter(|s| {
            s.steps.iter().any(|step| {
                step.text
                    .split('"')
                    .nth(1)
                    .is_some_and(|path| prefixes.iter().any(|p| path.starts_with(p.as_str())))
            })
        })
        .count();
    (ran > 0).then(|| {
        format!(
            "{ran} scenario(s) exercised deprecated APIs ({}): the reference deprecates them \
             (5694, 6256; the Cloud Data Download Service: 93-95, 897-899, 930-932)",
            prefixes.join(", ")
        )
    })
}

/// The usage error for filters that select no scenario: a green run that tested nothing
/// would look like a pass.
fn nothing_selected(options: &VerifyOptions, tags: &std::collections::BTreeSet<String>) -> String {
    let mut filters = Vec::new();
    if let Some(expr) = &options.tags {
        filters.push(format!("--tags {expr:?}"));
    }
    if let Some(re) = &options.name {
        filters.push(format!("--name {re:?}"));
    }
    let known: Vec<&str> = tags.iter().map(String::as_str).collect();
    format!(
        "{} select(s) no scenario of {}; tags are case-sensitive, and the features use: {}",
        filters.join(" with "),
        options.root.join("features").display(),
        known.join(" ")
    )
}

/// The report directory exists (or is created) and takes a file, before anything runs.
fn check_report_dir(dir: &std::path::Path) -> Result<(), VerifyError> {
    let fail = |source| VerifyError::Reports {
        dir: dir.to_path_buf(),
        source,
    };
    std::fs::create_dir_all(dir).map_err(fail)?;
    // Named for this run, so runs sharing a report directory never remove each other's.
    let probe = dir.join(format!(
        ".cxgate-write-check-{}-{}",
        std::process::id(),
        crate::ids::uuid_v4().simple()
    ));
    std::fs::write(&probe, b"").map_err(fail)?;
    std::fs::remove_file(&probe).map_err(fail)
}

thread_local! {
    static QUIET: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Step failures travel as panics inside cucumber and their text goes to the reports;
/// while a run is polled on this thread, the panic hook stays silent. Other threads
/// (and panics outside a run) keep the default hook.
struct QuietPanics;

impl QuietPanics {
    fn enter() -> QuietPanics {
        static INSTALL: std::sync::Once = std::sync::Once::new();
        INSTALL.call_once(|| {
            let default = std::panic::take_hook();
            std::panic::set_hook(Box::new(move |info| {
                if !QUIET.with(std::cell::Cell::get) {
                    default(info);
                }
            }));
        });
        QUIET.with(|q| q.set(true));
        QuietPanics
    }
}

impl Drop for QuietPanics {
    fn drop(&mut self) {
        QUIET.with(|q| q.set(false));
    }
}
