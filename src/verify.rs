//! `cxgate verify`: loads the contract, resolves the target (starting the embedded mock
//! when asked), runs the feature files with cucumber and writes the reports.

use crate::client::{TargetConfig, TargetKind, WebhookEndpoint};
use crate::contract::ContractModel;
use crate::harness::{
    from_setup_errors, probe_control_plane, require_credentials, EmbeddedMock, Placement,
    SetupError,
};
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
            allow_writes: false,
            strict: false,
            webhook: None,
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
    if tag_expr.is_some() || name_re.is_some() {
        let (selected, tags) = select(
            &contract.features.files,
            tag_expr.as_ref(),
            name_re.as_ref(),
        );
        if selected == 0 {
            return Err(usage(nothing_selected(options, &tags)));
        }
    }
    check_report_dir(&options.report_dir)?;
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
    require_credentials(&target, control_plane)?;
    let destructive_ok = options.allow_destructive || target.kind == TargetKind::EmbeddedMock;
    let writes_ok = options.allow_writes || destructive_ok || control_plane;
    // The embedded mock and `cxgate mock` (which answers the control plane) always run
    // the mock's own choices; any other target only when asked.
    let strict_ok = options.strict || control_plane || target.kind == TargetKind::EmbeddedMock;
    let ctx = Arc::new(RunContext {
        target: target.clone(),
        contract: contract.clone(),
        redactor: redactor.clone(),
        timeout: options.timeout,
        control_plane,
        webhook: options.webhook.clone(),
    });

    let collector = Collector::new(redactor.clone());
    let skipper = collector.clone();
    let webhook = options.webhook.clone();
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
        if has("receiver") && !control_plane && webhook.is_none() {
            skipper.skip(
                feature,
                scenario,
                "@receiver: the target posts to a webhook receiver of this run; pass \
                 --webhook-listen ADDR and --webhook-public-url URL (the URL the deployment \
                 is configured to call, which reaches ADDR)",
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
        if !writes_ok {
            let steps = feature
                .background
                .iter()
                .chain(rule.and_then(|r| r.background.as_ref()))
                .flat_map(|b| &b.steps)
                .chain(&scenario.steps);
            if let Some(request) = steps.filter_map(|s| write_request(&s.value)).next() {
                skipper.skip(
                    feature,
                    scenario,
                    &format!(
                        "writes ({request}): creates test data on the target (cleaned up after \
                         the scenario); pass --allow-writes"
                    ),
                );
                return false;
            }
        }
        true
    };
    let before_ctx = ctx.clone();
    let _quiet = QuietPanics::enter();
    let run = CxWorld::cucumber()
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
        .filter_run(contract.features_dir.clone(), filter);
    // Ctrl-C stops the run; what was collected is still reported.
    let interrupted = tokio::select! {
        _ = run => false,
        _ = tokio::signal::ctrl_c() => true,
    };
    drop(_quiet);

    if let Some(server) = mock {
        server.shutdown().await;
    }
    let mut result = collector.result();
    result.duration = started.elapsed();
    result.target = target.describe();
    if let Some(note) = deprecated_note(&contract, &result) {
        result.notes.push(note);
    }
    if interrupted {
        result.errors.push(format!(
            "interrupted (Ctrl-C) after {:.1}s: scenarios that had not finished are not in \
             this report, and their cleanup did not run",
            result.duration.as_secs_f64()
        ));
    }
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

/// The requests a run may send to a deployment without `--allow-writes`: reads, and the
/// token traffic that changes nothing but the run's own sessions (grants, the user's own
/// sign-out, statistics subscriptions, peeks and CometD). Every other POST, PUT, PATCH or
/// DELETE creates or changes data.
const SELF_CONTAINED: &[(&str, &str)] = &[
    ("POST", "/auth/v3/oauth/token"),
    ("GET", "/auth/v3/sign-out"),
    ("POST", "/auth/v3/sign-out"),
    ("POST", "/statistics/v3/operations/get-statistic-ex"),
    ("POST", "/statistics/v3/subscriptions"),
    ("DELETE", "/statistics/v3/subscriptions/"),
    ("POST", "/statistics/v3/notifications"),
];

/// `POST /path` when the step sends a request that writes to the target.
fn write_request(step: &str) -> Option<String> {
    let rest = step.strip_prefix("I send a")?;
    let rest = rest.strip_prefix('n').unwrap_or(rest).trim_start();
    let (method, rest) = rest.split_once(' ')?;
    let path = rest.strip_prefix("request to \"")?.split('"').next()?;
    if matches!(method, "GET" | "HEAD" | "OPTIONS") {
        return None;
    }
    let path_only = path.split('?').next().unwrap_or(path);
    let contained = SELF_CONTAINED
        .iter()
        .any(|(m, prefix)| *m == method && path_only.starts_with(prefix));
    (!contained).then(|| format!("{method} {path_only}"))
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

/// How many scenarios (outline rows counted) of `files` the filters select, and every tag
/// the features use.
fn select(
    files: &[PathBuf],
    tags: Option<&TagOperation>,
    name: Option<&regex::Regex>,
) -> (usize, std::collections::BTreeSet<String>) {
    use cucumber::gherkin::{Feature, GherkinEnv};
    let mut selected = 0;
    let mut seen = std::collections::BTreeSet::new();
    for path in files {
        // The contract load already parsed every file; one that fails here is reported
        // by the run itself.
        let Ok(feature) = Feature::parse_path(path, GherkinEnv::default()) else {
            continue;
        };
        let in_rules = feature
            .rules
            .iter()
            .flat_map(|rule| rule.scenarios.iter().map(move |s| (Some(rule), s)));
        for (rule, scenario) in feature.scenarios.iter().map(|s| (None, s)).chain(in_rules) {
            let all: Vec<&String> = feature
                .tags
                .iter()
                .chain(rule.iter().flat_map(|r| &r.tags))
                .chain(&scenario.tags)
                .collect();
            seen.extend(all.iter().map(|t| format!("@{t}")));
            let by_tag = |extra: &[String]| {
                tags.is_none_or(|expr| {
                    expr.eval(
                        all.iter()
                            .map(|t| t.as_str())
                            .chain(extra.iter().map(String::as_str)),
                    )
                })
            };
            let by_name = |text: &str| name.is_none_or(|re| re.is_match(text));
            if scenario.examples.is_empty() {
                selected += usize::from(by_tag(&[]) && by_name(&scenario.name));
                continue;
            }
            // An outline is one scenario per Examples row, its name filled in from the row.
            for examples in &scenario.examples {
                seen.extend(examples.tags.iter().map(|t| format!("@{t}")));
                let Some((header, rows)) =
                    examples.table.as_ref().and_then(|t| t.rows.split_first())
                else {
                    continue;
                };
                for row in rows {
                    let mut text = scenario.name.clone();
                    for (column, value) in header.iter().zip(row) {
                        text = text.replace(&format!("<{column}>"), value);
                    }
                    selected += usize::from(by_tag(&examples.tags) && by_name(&text));
                }
            }
        }
    }
    (selected, seen)
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
    let probe = dir.join(".cxgate-write-check");
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

#[cfg(test)]
mod tests {
    use super::write_request;

    #[test]
    fn only_requests_that_create_or_change_data_count_as_writes() {
        // (the step, the write it names)
        let cases = [
            ("I send a GET request to \"/nexus/v3/securemail\"", None),
            ("I send a POST request to \"/auth/v3/oauth/token\"", None),
            (
                "I send a DELETE request to \"/statistics/v3/subscriptions/{sub}\"",
                None,
            ),
            (
                "I send a POST request to \"/statistics/v3/notifications/connect\"",
                None,
            ),
            (
                "I send a POST request to \"/nexus/v3/securemail\"",
                Some("POST /nexus/v3/securemail"),
            ),
            (
                "I send a DELETE request to \"/nexus/v3/securemail/{id}?remove=true\"",
                Some("DELETE /nexus/v3/securemail/{id}"),
            ),
            (
                "I send a PUT request to \"/udm/v10/export/jobs/{job}\"",
                Some("PUT /udm/v10/export/jobs/{job}"),
            ),
            ("the response status is 200", None),
        ];
        for (step, want) in cases {
            assert_eq!(write_request(step).as_deref(), want, "{step}");
        }
    }
}
