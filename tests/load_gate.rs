//! `cxgate load` as CI runs it: short runs (2 s, 2 users) whose exit code is gated by
//! thresholds, a baseline, and contract violations under load.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/verdict.rs"]
mod verdict;

use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::Command;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn report_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cxgate-load-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn load(args: &[&str], dir: &Path) -> (i32, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_cxgate"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        // A wiremock target is no cxgate mock: it gets credentials as a user gives them.
        .envs(verdict::seed_credentials())
        .args(["load"])
        .args(args)
        .args([
            "--users",
            "2",
            "--increase-rate",
            "2",
            "--run-time",
            "2s",
            "--report-dir",
        ])
        .arg(dir)
        .output()
        .expect("run cxgate load");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.code().unwrap_or(-1), text)
}

fn summary(dir: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join("load-summary.json")).unwrap()).unwrap()
}

#[test]
fn a_passing_threshold_exits_0_and_writes_every_report() {
    let dir = report_dir("pass");
    let (code, text) = load(
        &[
            "auth",
            "--threshold",
            "error-rate<=1%",
            "--threshold",
            "p99<5s",
        ],
        &dir,
    );
    assert_eq!(code, 0, "{text}");
    for file in [
        "load-report.html",
        "load-report.json",
        "load-summary.md",
        "load-summary.json",
    ] {
        assert!(dir.join(file).exists(), "{file} missing");
    }
    let s = summary(&dir);
    assert!(s["overall"]["count"].as_u64().unwrap() > 0);
    assert_eq!(s["thresholds"][0]["passed"], true);
}

#[test]
fn a_failing_threshold_exits_1() {
    let dir = report_dir("fail");
    let (code, text) = load(&["auth", "--threshold", "rps>1000000"], &dir);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("FAIL `rps>1000000`"), "{text}");
}

#[test]
fn a_regression_against_the_baseline_exits_1() {
    let dir = report_dir("baseline");
    let (code, text) = load(&["auth"], &dir);
    assert_eq!(code, 0, "{text}");
    // A baseline ten times faster and busier than anything this run can do.
    let mut baseline = summary(&dir);
    let p95 = baseline["overall"]["p95_ms"].as_f64().unwrap();
    let rps = baseline["overall"]["rps"].as_f64().unwrap();
    baseline["overall"]["p95_ms"] = json!(p95 / 10.0);
    baseline["overall"]["rps"] = json!(rps * 10.0);
    let baseline_file = dir.join("baseline.json");
    std::fs::write(&baseline_file, baseline.to_string()).unwrap();
    let (code, text) = load(
        &["auth", "--baseline", baseline_file.to_str().unwrap()],
        &report_dir("baseline-2"),
    );
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("## Baseline"), "{text}");
}

#[test]
fn a_bad_threshold_is_a_usage_error() {
    let (code, text) = load(
        &["auth", "--threshold", "p95 is fast"],
        &report_dir("usage"),
    );
    assert_eq!(code, 2, "{text}");
    assert!(text.contains("--threshold"), "{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn contract_violations_under_load_are_counted_by_operation_and_fail_the_run() {
    let server = MockServer::start().await;
    // A token endpoint that answers 200 with expires_in as a string.
    Mock::given(method("POST"))
        .and(path("/auth/v3/oauth/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "access_token": "t", "token_type": "bearer", "expires_in": "3600", "scope": "*"})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/auth/v3/userinfo"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"username": "u"})))
        .mount(&server)
        .await;
    let dir = report_dir("violations");
    let uri = server.uri();
    let result = tokio::task::spawn_blocking(move || load(&["auth", "--target", &uri], &dir).0)
        .await
        .unwrap();
    assert_eq!(result, 1);
    let s = summary(&report_dir_existing("violations"));
    let violations = s["contract_violations"].as_object().unwrap();
    assert!(
        violations
            .get("token: password grant")
            .and_then(Value::as_u64)
            .unwrap_or(0)
            > 0,
        "{violations:?}"
    );
}

fn report_dir_existing(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("cxgate-load-{name}-{}", std::process::id()))
}

#[test]
fn an_unknown_path_is_a_usage_error_that_lists_the_registered_paths() {
    let (code, text) = load(&["everything"], &report_dir("unknown-path"));
    assert_eq!(code, 2, "{text}");
    assert!(
        text.contains("[possible values: auth, statistics, messaging, export, all]"),
        "{text}"
    );
}

#[test]
fn messaging_replies_reach_the_run_s_receiver_with_the_mock_in_a_thread() {
    let dir = report_dir("messaging-thread");
    let (code, text) = load(&["messaging", "--mock-mode", "thread"], &dir);
    assert_eq!(code, 0, "{text}");
    let s = summary(&dir);
    assert_eq!(s["path"], "messaging");
    assert!(s["replies_sent"].as_u64().unwrap() > 0, "{s}");
    assert_eq!(s["replies_lost"], 0, "{s}");
    assert_eq!(s["unsigned_deliveries"], 0, "{s}");
}
