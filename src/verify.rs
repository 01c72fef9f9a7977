//! `cxgate verify`: loads the contract, resolves the target (starting the embedded mock
//! when asked), runs the feature files with cucumber and writes the reports.

use crate::client::{TargetConfig, TargetKind};
use crate::contract::ContractModel;
use crate::harness::{from_setup_errors, probe_control_plane, EmbeddedMock, Placement, SetupError};
use crate::mock::MockConfig;
use crate::report::{write_reports, Collector, Redactor, RunResult};
use crate::steps::{CxWorld, RunContext};
use base64::Engine as _;
use cucumber::gherkin::tagexpr::TagOperation;
use cucumber::tag::Ext as _;
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
    pub concurrency: usize,
    pub timeout: Duration,
    pub report_dir: PathBuf,
    pub allow_destructive: bool,
    /// Run `@strict` scenarios (the mock's own choices where the reference is silent)
    /// against a target that is not the cxgate mock.
    pub strict: bool,
    /// Values that take the place of environment variables of the same name (tests and
    /// embedding); every other name is read from the process environment.
    pub env: std::collections::HashMap<String, String>,
}

impl VerifyOptions {
    /// Defaults: the embedded mock, every scenario, 4 at a time, 10 s per request.
    pub fn new(root: impl Into<PathBuf>) -> VerifyOptions {
        let root = root.into();
        VerifyOptions {
            report_dir: root.join("reports"),
            root,
            target: "mock".into(),
            tags: None,
            name: None,
            concurrency: 4,
            timeout: Duration::from_secs(10),
            allow_destructive: false,
            strict: false,
            env: std::collections::HashMap::new(),
        }
    }
}

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
}

/// Runs the contract suite.
pub async fn run(options: &VerifyOptions) -> Result<VerifyOutcome, VerifyError> {
    let started = Instant::now();
    let contract = Arc::new(ContractModel::load(&options.root)?);
    let tag_expr = match &options.tags {
        Some(expr) => Some(
            expr.parse::<TagOperation>()
                .map_err(|e| usage(format!("--tags {expr:?}: not a tag expression: {e}")))?,
        ),
        None => None,
    };
    let name_re = match &options.name {
        Some(re) => Some(
            regex::Regex::new(re).map_err(|e| usage(format!("--name {re:?}: bad regex: {e}")))?,
        ),
        None => None,
    };
    if options.concurrency == 0 {
        return Err(usage("--concurrency must be at least 1".into()));
    }
    let mut target = TargetConfig::resolve(&options.target, &|name| {
        options
            .env
            .get(name)
            .cloned()
            .or_else(|| std::env::var(name).ok())
    })?;
    let mock = EmbeddedMock::start_for(&mut target, Placement::Runtime, MockConfig::default_seed())
        .await?;
    let redactor = Redactor::new();
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

    let control_plane = probe_control_plane(&target.base_url).await;
    let destructive_ok = options.allow_destructive || target.kind == TargetKind::EmbeddedMock;
    // The embedded mock and `cxgate mock` (which answers the control plane) always run
    // the mock's own choices; any other target only when asked.
    let strict_ok = options.strict || control_plane || target.kind == TargetKind::EmbeddedMock;
    let ctx = Arc::new(RunContext {
        target: target.clone(),
        contract: contract.clone(),
        redactor: redactor.clone(),
        timeout: options.timeout,
        control_plane,
    });

    let collector = Collector::new(redactor.clone());
    let skipper = collector.clone();
    let filter = move |feature: &cucumber::gherkin::Feature,
                       rule: Option<&cucumber::gherkin::Rule>,
                       scenario: &cucumber::gherkin::Scenario| {
        let tags: Vec<&String> = feature
            .tags
            .iter()
            .chain(rule.iter().flat_map(|r| &r.tags))
            .chain(&scenario.tags)
            .collect();
        if let Some(expr) = &tag_expr {
            if !expr.eval(tags.iter().map(|t| t.as_str())) {
                return false;
            }
        }
        if let Some(re) = &name_re {
            if !re.is_match(&scenario.name) {
                return false;
            }
        }
        let has = |t: &str| tags.iter().any(|x| x.as_str() == t);
        if has("mock") && !control_plane {
            skipper.skip(
                feature,
                scenario,
                "@mock: the target has no cxgate control plane (GET /__cxgate/health)",
            );
            return false;
        }
        if has("strict") && !strict_ok {
            skipper.skip(
                feature,
                scenario,
                "@strict: asserts a choice of the cxgate mock where the reference is silent or ambiguous; pass --strict to hold this target to it",
            );
            return false;
        }
        if has("destructive") && !destructive_ok {
            skipper.skip(
                feature,
                scenario,
                "@destructive: changes the target's data for good; pass --allow-destructive",
            );
            return false;
        }
        true
    };
    let before_ctx = ctx.clone();
    let _quiet = QuietPanics::enter();
    CxWorld::cucumber()
        .max_concurrent_scenarios(options.concurrency)
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
        })
        .filter_run(contract.features_dir.clone(), filter)
        .await;
    drop(_quiet);

    if let Some(server) = mock {
        server.shutdown().await;
    }
    let mut result = collector.result();
    result.duration = started.elapsed();
    result.target = target.describe();
    let summary = crate::report::render_summary(&result, &redactor);
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
    })
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
