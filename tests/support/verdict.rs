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
    options.report_dir = std::env::temp_dir().join(format!(
        "cxgate-{label}-{}-{}",
        std::process::id(),
        scenarios.iter().map(|s| s.len()).sum::<usize>()
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
