//! `cxgate load export`: the UDM v10 export path, briefly, on the embedded mock (every
//! response matches its schema, iterations complete and clean up after themselves) and
//! against wrong servers (a progress out of range, a 429), which fail the run with
//! the operation named and still delete the job they created.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/verdict.rs"]
mod verdict;

use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::Command;
use wiremock::matchers::{method, path, path_regex};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn report_dir(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("cxgate-load-export-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// `cxgate load export` with 2 users for 2 s against `target` (`mock` or a URL); its
/// exit code and output.
fn load(target: &str, dir: &Path) -> (i32, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_cxgate"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        // A wiremock target is no cxgate mock: it gets credentials as a user gives them.
        .envs(verdict::seed_credentials())
        // It creates export jobs (and deletes them): the user opts in.
        .args(["load", "export", "--target", target, "--allow-writes"])
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

fn operation<'a>(s: &'a Value, name: &str) -> Option<&'a Value> {
    s["operations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["name"].as_str().is_some_and(|n| n.ends_with(name)))
}

#[test]
fn export_lives_on_the_embedded_mock_complete_with_no_contract_violation() {
    let dir = report_dir("mock");
    let (code, text) = load("mock", &dir);
    assert_eq!(code, 0, "{text}");
    let s = summary(&dir);
    assert_eq!(s["path"], "export");
    assert_eq!(s["contract_violations"], json!({}), "{s}");
    assert!(s["exports_completed"].as_u64().unwrap() > 0, "{s}");
    assert_eq!(s["exports_unfinished"], 0, "{s}");
    assert_eq!(s["errors"], json!([]), "{s}");
    // Every step of an iteration was sent, and none failed.
    for name in [
        "export job create",
        "export history of the job",
        "export progress",
        "export run complete (mock control)",
        "export history record",
        "export history list",
        "export file metadata",
        "export pre-signed url",
        "export download (pre-signed)",
        "export file delete",
        "export history delete",
        "export job delete",
    ] {
        let op = operation(&s, name).unwrap_or_else(|| panic!("{name} missing: {s}"));
        assert!(op["count"].as_u64().unwrap() > 0, "{name}: {s}");
        assert_eq!(op["failures"], 0, "{name}: {s}");
    }
    // Each completed export downloaded its files and deleted its job.
    let downloads = operation(&s, "export download (pre-signed)").unwrap()["count"]
        .as_u64()
        .unwrap();
    let deletes = operation(&s, "export job delete").unwrap()["count"]
        .as_u64()
        .unwrap();
    let completed = s["exports_completed"].as_u64().unwrap();
    assert!(downloads >= completed, "{s}");
    assert!(deletes >= completed, "{s}");
}

/// A UDM v10 deployment whose token endpoint works and whose export endpoints answer
/// with `progress` instead of a JobProgress; job 7 has run 70.
async fn udm_server(progress: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/auth/v3/oauth/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "access_token": "t", "token_type": "bearer", "expires_in": 3600,
            "refresh_token": "r", "scope": "*"})))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/udm/v10/export/jobs"))
        .respond_with(ResponseTemplate::new(202).set_body_json(json!({
            "id": 7, "status": "IN_PROGRESS", "progress": 0, "exportAttachments": false})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/udm/v10/export/history"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "count": 1, "from": 0, "size": 1,
            "items": [{"id": 70, "parentId": 7, "status": "IN_PROGRESS", "progress": 0}]})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/udm/v10/export/history/70/progress"))
        .respond_with(progress)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/udm/v10/export/jobs/cancel/7"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path_regex(r"^/udm/v10/export/(jobs|history)/\d+$"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    server
}

/// Runs the export path against `server` in a blocking thread; exit code and summary.
async fn run_against(server: &MockServer, name: &'static str) -> (i32, String, Value) {
    let uri = server.uri();
    let (code, text) = tokio::task::spawn_blocking(move || load(&uri, &report_dir(name)))
        .await
        .unwrap();
    let dir =
        std::env::temp_dir().join(format!("cxgate-load-export-{name}-{}", std::process::id()));
    assert!(dir.join("load-summary.json").exists(), "no summary: {text}");
    (code, text, summary(&dir))
}

/// How many `verb path` requests `server` received.
async fn received(server: &MockServer, verb: &str, path: &str) -> usize {
    server
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .filter(|r| r.method.as_str() == verb && r.url.path() == path)
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_progress_above_100_is_a_contract_violation_and_the_job_is_still_deleted() {
    let server = udm_server(
        ResponseTemplate::new(200).set_body_json(json!({"progress": 150, "status": "IN_PROGRESS"})),
    )
    .await;
    let (code, text, s) = run_against(&server, "progress").await;
    assert_eq!(code, 1, "{text}");
    let violations = s["contract_violations"].as_object().unwrap();
    assert!(
        violations
            .get("export progress")
            .and_then(Value::as_u64)
            .unwrap_or(0)
            > 0,
        "{violations:?}"
    );
    assert_eq!(s["exports_completed"], 0, "{s}");
    // The run was never seen to end: it is cancelled before the job is deleted.
    let cancels = received(&server, "POST", "/udm/v10/export/jobs/cancel/7").await;
    let deletes = received(&server, "DELETE", "/udm/v10/export/jobs/7").await;
    assert!(cancels > 0, "the run was not cancelled");
    assert!(deletes > 0, "the job was not deleted");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_429_while_polling_is_a_failure_with_its_reason_and_the_job_is_still_deleted() {
    let server = udm_server(
        ResponseTemplate::new(429).set_body_json(json!({"message": "Too Many Requests"})),
    )
    .await;
    let (code, text, s) = run_against(&server, "busy").await;
    assert_eq!(code, 1, "{text}");
    let progress = operation(&s, "export progress").unwrap();
    assert!(progress["failures"].as_u64().unwrap() > 0, "{s}");
    let errors = s["errors"].as_array().unwrap();
    assert!(
        errors.iter().any(|e| e
            .as_str()
            .is_some_and(|e| e.contains("rate-limited: export progress: 429"))),
        "no reason in the summary: {errors:?}"
    );
    // A 429 is the target's rate limit, counted apart from contract violations.
    assert!(
        s["rate_limited"]["export progress"].as_u64().unwrap_or(0) > 0,
        "{s}"
    );
    assert!(
        s["contract_violations"]
            .as_object()
            .is_none_or(|v| v.get("export progress").is_none()),
        "{s}"
    );
    let deletes = received(&server, "DELETE", "/udm/v10/export/jobs/7").await;
    assert!(deletes > 0, "the job was not deleted");
}
