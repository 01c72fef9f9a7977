//! Running chosen scenarios of the suite against a target in a test, and reading their
//! verdicts: the shared part of the wrong-server and gate tests.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use cxgate::report::{RunResult, Status};
use cxgate::verify::{run, VerifyOptions};
use std::time::Duration;

/// Options for a run of the scenarios named `scenarios` (exact names) against `target`,
/// with reports in a temporary folder named after `label`; 10 s per request.
pub fn options(target: &str, scenarios: &[&str], label: &str) -> VerifyOptions {
    let mut options = VerifyOptions::new(env!("CARGO_MANIFEST_DIR"));
    options.target = target.to_string();
    let names: Vec<String> = scenarios.iter().map(|s| regex::escape(s)).collect();
    options.name = Some(format!("^({})$", names.join("|")));
    options.timeout = Duration::from_secs(10);
    // The deployment behind a test's proxy is the mock: its credentials are given as a
    // user would give theirs, since a proxy that hides the control plane is no cxgate mock.
    options.env = seed_credentials();
    // Scenarios under test may create test data; a user would opt in the same way.
    options.allow_writes = true;
    // One folder per run: two runs of a test binary never write the same reports.
    static RUNS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    options.report_dir = std::env::temp_dir().join(format!(
        "cxgate-{label}-{}-{}",
        std::process::id(),
        RUNS.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    ));
    options
}

/// The run's result; the run itself must start.
pub async fn result(options: &VerifyOptions) -> RunResult {
    run(options).await.expect("the run starts").result
}

/// The scenario named `scenario`, which must have run once and failed; its reason.
pub fn failure_of(result: &RunResult, scenario: &str) -> String {
    let found: Vec<_> = result
        .features
        .iter()
        .flat_map(|f| &f.scenarios)
        .filter(|s| s.name == scenario)
        .collect();
    assert_eq!(
        found.len(),
        1,
        "expected the scenario {scenario:?} to run once, got {result:?}"
    );
    assert_eq!(
        found[0].status,
        Status::Failed,
        "{scenario:?} should fail against a wrong server"
    );
    assert!(!result.passed());
    found[0].reason.clone().unwrap_or_default()
}

/// Exactly `expected` scenarios ran, and every one passed.
pub fn all_passed(result: &RunResult, expected: usize) {
    let scenarios: Vec<_> = result.features.iter().flat_map(|f| &f.scenarios).collect();
    assert_eq!(scenarios.len(), expected, "{scenarios:?}");
    for s in &scenarios {
        assert_eq!(s.status, Status::Passed, "{s:?}");
    }
}

/// The mock seed's credentials under the default variable names.
pub fn seed_credentials() -> std::collections::HashMap<String, String> {
    use cxgate::client::seed;
    [
        ("CXGATE_API_KEY", seed::API_KEY),
        ("CXGATE_CLIENT_ID", seed::CLIENT_ID),
        ("CXGATE_CLIENT_SECRET", seed::CLIENT_SECRET),
        ("CXGATE_REDIRECT_URI", seed::REDIRECT_URI),
        ("CXGATE_USERNAME", seed::AGENT_USERNAME),
        ("CXGATE_PASSWORD", seed::AGENT_PASSWORD),
        ("CXGATE_SUPERVISOR_USERNAME", seed::SUPERVISOR_USERNAME),
        ("CXGATE_SUPERVISOR_PASSWORD", seed::SUPERVISOR_PASSWORD),
        ("CXGATE_CCID", seed::CONTACT_CENTER_ID),
        ("CXGATE_SMS_CHANNEL", seed::SMS_CHANNEL),
        ("CXGATE_EMAIL_CHANNEL", seed::EMAIL_CHANNEL),
        ("CXGATE_CHANNEL_SECRET", seed::CHANNEL_SECRET),
    ]
    .into_iter()
    .map(|(name, value)| (name.to_owned(), value.to_owned()))
    .collect()
}
