//! `cxgate probe` through the binary: green on the embedded mock and on `cxgate mock` by
//! URL, red with the endpoint and the rule named against servers that let a request
//! through, accept a malformed body or fail with a 500; repeatable by seed, within its
//! budget, patient with a 429, read-only on a deployment, and secret-free.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/fault_proxy.rs"]
mod fault_proxy;

use cxgate::mock::{MockConfig, MockServer};
use fault_proxy::{Before, FaultProxy, ProxiedRequest, ProxiedResponse};
use serde_json::{json, Value};
use std::process::Command;
use std::sync::{Arc, Mutex};

/// What one run of the binary gave.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
    reports: std::path::PathBuf,
}

impl Run {
    fn text(&self) -> String {
        format!("{}{}", self.stdout, self.stderr)
    }

    /// stdout, stderr and every report, as one text.
    fn everything(&self) -> String {
        let mut all = self.text();
        for file in std::fs::read_dir(&self.reports).unwrap() {
            all.push_str(&std::fs::read_to_string(file.unwrap().path()).unwrap());
        }
        all
    }

    fn json(&self) -> Value {
        let text = std::fs::read_to_string(self.reports.join("probe.json")).expect("probe.json");
        serde_json::from_str(&text).unwrap()
    }
}

/// `cxgate probe ARGS --report-dir <fresh dir>` with `env` set, off the async runtime so
/// the servers of the test keep answering.
async fn probe(label: &str, args: &[&str], env: &[(&str, &str)]) -> Run {
    let reports = std::env::temp_dir().join(format!("cxgate-probe-{label}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&reports);
    let mut command = Command::new(env!("CARGO_BIN_EXE_cxgate"));
    command
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .arg("probe")
        .args(args)
        .args(["--report-dir", reports.to_str().unwrap()]);
    for (name, value) in env {
        command.env(name, value);
    }
    let output = tokio::task::spawn_blocking(move || command.output().expect("run cxgate probe"))
        .await
        .unwrap();
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        reports,
    }
}

/// The mock on a loopback port, and a proxy in front of it that first asks `before`.
async fn behind_proxy(before: Before) -> (MockServer, FaultProxy) {
    let mock = MockServer::start(MockConfig::default_seed(), "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let proxy = FaultProxy::start_with(&mock.base_url(), before, Arc::new(|_, _| {})).await;
    (mock, proxy)
}

/// Every request the proxy saw: (method, path and query).
type Seen = Arc<Mutex<Vec<(String, String)>>>;

fn recording(
    seen: &Seen,
    then: impl Fn(&mut ProxiedRequest) -> Option<ProxiedResponse> + Send + Sync + 'static,
) -> Before {
    let seen = seen.clone();
    Arc::new(move |request: &mut ProxiedRequest| {
        seen.lock()
            .unwrap()
            .push((request.method.clone(), request.path_and_query.clone()));
        then(request)
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_embedded_mock_passes_every_check_of_every_endpoint() {
    let run = probe("mock", &["--seed", "11", "--format", "json"], &[]).await;
    assert_eq!(run.code, 0, "{}", run.text());
    let report = run.json();
    let checks = report["checks_run"].as_u64().unwrap();
    assert!(checks >= 119 * 6, "{checks} checks");
    assert_eq!(report["failed"], 0);
    let endpoints = report["endpoints"].as_array().unwrap();
    assert_eq!(endpoints.len(), 119);
    for endpoint in endpoints {
        assert!(
            endpoint["checks_run"].as_u64().unwrap() >= 6,
            "{}",
            endpoint["endpoint"]
        );
    }
    let stdout: Value = serde_json::from_str(&run.stdout).expect("--format json on stdout");
    assert_eq!(stdout["checks_run"], report["checks_run"]);
    let junit = std::fs::read_to_string(run.reports.join("probe-junit.xml")).unwrap();
    assert!(junit.contains("<testsuites name=\"cxgate probe\""));
    assert!(junit.contains("<testcase name=\"security\" classname=\"GET /udm/v10/version\""));
    let html = std::fs::read_to_string(run.reports.join("probe.html")).unwrap();
    assert!(html.contains("id=\"coverage\""));
    assert!(
        cxgate::report::references(&html).is_empty(),
        "self-contained"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_endpoint_served_without_its_api_key_fails_the_gateway_rule_naming_it() {
    let seen: Seen = Arc::default();
    let (_mock, proxy) = behind_proxy(recording(&seen, |request| {
        // The wrong gateway: GET /udm/v10/version lets a request without a key through.
        if request.method == "GET" && request.path() == "/udm/v10/version" {
            request
                .headers
                .retain(|(n, _)| !n.eq_ignore_ascii_case("x-api-key"));
            request
                .headers
                .push(("x-api-key".into(), cxgate::client::seed::API_KEY.into()));
        }
        None
    }))
    .await;
    let run = probe(
        "key",
        &[
            "--target",
            &proxy.uri(),
            "--api",
            "udm",
            "--family",
            "security",
            "--seed",
            "3",
        ],
        &[],
    )
    .await;
    assert_eq!(run.code, 1, "{}", run.text());
    let text = run.text();
    assert!(
        text.contains("FAIL GET /udm/v10/version [security] no x-api-key"),
        "{text}"
    );
    assert!(text.contains("rule gateway-key-required"), "{text}");
    assert!(text.contains("curl -sS -i -X GET"), "{text}");
    let failures = run.json()["failures"].as_array().unwrap().clone();
    assert!(failures
        .iter()
        .all(|f| f["endpoint"] == "GET /udm/v10/version" && f["rule"] == "gateway-key-required"));
    // No secret of the run shows anywhere, in the curl lines neither.
    let everything = run.everything();
    for secret in [
        cxgate::client::seed::API_KEY,
        cxgate::client::seed::CLIENT_SECRET,
        cxgate::client::seed::AGENT_PASSWORD,
        cxgate::client::seed::SUPERVISOR_PASSWORD,
        cxgate::client::seed::CHANNEL_SECRET,
    ] {
        assert!(!everything.contains(secret), "{secret} leaked");
    }
    assert!(everything.contains("authorization: Bearer [REDACTED]"));
    assert!(
        everything.contains("x-api-key=[REDACTED]"),
        "the key in the query is masked too"
    );
    assert!(!everything.contains("Bearer ey"), "no token shows");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_malformed_body_answered_with_code_0_fails_the_envelope_rule() {
    let seen: Seen = Arc::default();
    let (_mock, proxy) = behind_proxy(recording(&seen, |request| {
        let peek = request.path() == "/statistics/v3/operations/get-statistic-ex";
        let malformed = serde_json::from_slice::<Value>(&request.body).is_err();
        (peek && malformed).then(|| ProxiedResponse::json(200, &json!({"status": {"code": 0}})))
    }))
    .await;
    let run = probe(
        "code0",
        &[
            "--target",
            &proxy.uri(),
            "--api",
            "statistics",
            "--family",
            "body",
            "--seed",
            "4",
        ],
        &[],
    )
    .await;
    assert_eq!(run.code, 1, "{}", run.text());
    let text = run.text();
    assert!(
        text.contains("FAIL POST /statistics/v3/operations/get-statistic-ex [body] malformed JSON"),
        "{text}"
    );
    assert!(text.contains("rule envelope-error"), "{text}");
    assert!(text.contains("got 200 {\"status\":{\"code\":0}}"), "{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_error_fails_no_5xx() {
    let seen: Seen = Arc::default();
    let (_mock, proxy) = behind_proxy(recording(&seen, |request| {
        (request.path() == "/nexus/v3/securemail/count").then(|| {
            ProxiedResponse::json(
                500,
                &json!({"status": {"code": "FAILURE", "message": "boom"}}),
            )
        })
    }))
    .await;
    let run = probe(
        "500",
        &[
            "--target",
            &proxy.uri(),
            "--api",
            "secure-email",
            "--seed",
            "5",
        ],
        &[],
    )
    .await;
    assert_eq!(run.code, 1, "{}", run.text());
    let text = run.text();
    assert!(
        text.contains("FAIL GET /nexus/v3/securemail/count"),
        "{text}"
    );
    assert!(text.contains("rule no-5xx"), "{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_seed_lists_the_same_cases_and_another_seed_other_values() {
    let a = probe(
        "list-a",
        &["--list", "--format", "json", "--seed", "7"],
        &[],
    )
    .await;
    let b = probe(
        "list-b",
        &["--list", "--format", "json", "--seed", "7"],
        &[],
    )
    .await;
    let c = probe(
        "list-c",
        &["--list", "--format", "json", "--seed", "8"],
        &[],
    )
    .await;
    assert_eq!(a.code, 0, "{}", a.text());
    assert_eq!(a.stdout, b.stdout);
    assert_ne!(a.stdout, c.stdout);
    let plan: Value = serde_json::from_str(&a.stdout).unwrap();
    assert_eq!(plan["seed"], 7);
    assert!(plan["cases"].as_array().unwrap().len() > 119 * 6);
    let drawn = probe("drawn", &["--api", "udm", "--family", "methods"], &[]).await;
    assert!(drawn.stdout.contains("(pass --seed "), "{}", drawn.text());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_request_budget_is_never_exceeded_and_the_rest_is_reported_not_run() {
    let seen: Seen = Arc::default();
    let (_mock, proxy) = behind_proxy(recording(&seen, |_| None)).await;
    let run = probe(
        "budget",
        &[
            "--target",
            &proxy.uri(),
            "--max-requests",
            "50",
            "--seed",
            "6",
        ],
        &[],
    )
    .await;
    let sent = seen.lock().unwrap().len();
    assert!(sent <= 50, "{sent} requests reached the server");
    assert_eq!(run.code, 0, "{}", run.text());
    let report = run.json();
    assert!(report["requests_sent"].as_u64().unwrap() <= 50);
    assert!(report["not_run"].as_u64().unwrap() > 1000);
    let reasons = report["not_run_reasons"].to_string();
    assert!(
        reasons.contains("--max-requests 50: the budget was spent"),
        "{reasons}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_429_is_waited_out_by_its_retry_after_and_the_case_passes() {
    let seen: Seen = Arc::default();
    let limited = Arc::new(Mutex::new(false));
    let flag = limited.clone();
    let (_mock, proxy) = behind_proxy(recording(&seen, move |request| {
        let mut once = flag.lock().unwrap();
        if request.path() == "/udm/v10/version" && !*once {
            *once = true;
            let mut response = ProxiedResponse::json(429, &json!({"message": "Too Many Requests"}));
            response.set_header("retry-after", "1");
            return Some(response);
        }
        None
    }))
    .await;
    let run = probe(
        "429",
        &[
            "--target",
            &proxy.uri(),
            "--api",
            "udm",
            "--family",
            "positive",
            "--seed",
            "2",
        ],
        &[],
    )
    .await;
    assert!(*limited.lock().unwrap(), "the 429 was served");
    assert_eq!(run.code, 0, "{}", run.text());
    assert_eq!(run.json()["not_judged"], 0);
    let versions = seen
        .lock()
        .unwrap()
        .iter()
        .filter(|(_, p)| p.starts_with("/udm/v10/version"))
        .count();
    assert_eq!(versions, 2, "sent once more after the 429");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deployment_without_allow_writes_receives_no_write() {
    let seen: Seen = Arc::default();
    // A deployment: no control plane.
    let (_mock, proxy) = behind_proxy(recording(&seen, |request| {
        request
            .path()
            .starts_with("/__cxgate")
            .then(|| ProxiedResponse::json(404, &json!({"message": "Not Found"})))
    }))
    .await;
    let env = [
        ("CXGATE_API_KEY", cxgate::client::seed::API_KEY),
        ("CXGATE_CLIENT_ID", cxgate::client::seed::CLIENT_ID),
        ("CXGATE_CLIENT_SECRET", cxgate::client::seed::CLIENT_SECRET),
        ("CXGATE_REDIRECT_URI", cxgate::client::seed::REDIRECT_URI),
        ("CXGATE_USERNAME", cxgate::client::seed::AGENT_USERNAME),
        ("CXGATE_PASSWORD", cxgate::client::seed::AGENT_PASSWORD),
        (
            "CXGATE_SUPERVISOR_USERNAME",
            cxgate::client::seed::SUPERVISOR_USERNAME,
        ),
        (
            "CXGATE_SUPERVISOR_PASSWORD",
            cxgate::client::seed::SUPERVISOR_PASSWORD,
        ),
        ("CXGATE_CCID", cxgate::client::seed::CONTACT_CENTER_ID),
        ("CXGATE_SMS_CHANNEL", cxgate::client::seed::SMS_CHANNEL),
        ("CXGATE_EMAIL_CHANNEL", cxgate::client::seed::EMAIL_CHANNEL),
        (
            "CXGATE_CHANNEL_SECRET",
            cxgate::client::seed::CHANNEL_SECRET,
        ),
    ];
    let run = probe("readonly", &["--target", &proxy.uri(), "--seed", "9"], &env).await;
    assert_eq!(run.code, 0, "{}", run.text());
    let seen = seen.lock().unwrap();
    let writes: Vec<&(String, String)> = seen
        .iter()
        .filter(|(method, path)| cxgate::verify::writes(method, path))
        .collect();
    assert!(
        writes.is_empty(),
        "writes reached the deployment: {writes:?}"
    );
    assert!(seen.iter().any(|(m, _)| m == "GET"), "reads were sent");
    let everything = run.everything();
    for (name, value) in env {
        if name.contains("KEY") || name.contains("SECRET") || name.contains("PASSWORD") {
            assert!(
                !everything.contains(value),
                "{name} from the environment leaked"
            );
        }
    }
    let reasons = run.json()["not_run_reasons"].to_string();
    assert!(reasons.contains("pass --allow-writes"), "{reasons}");
    assert!(reasons.contains("CXGATE_EXPIRED_TOKEN"), "{reasons}");
    assert!(reasons.contains("pass --strict"), "{reasons}");
}

/// `cxgate mock` as a child process, killed on drop.
struct MockProcess(std::process::Child);

impl Drop for MockProcess {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cxgate_mock_by_url_passes_with_a_10000_request_budget() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}");
    let _mock = MockProcess(
        Command::new(env!("CARGO_BIN_EXE_cxgate"))
            .args(["mock", "--listen", &format!("127.0.0.1:{port}")])
            .stdout(std::process::Stdio::null())
            .spawn()
            .unwrap(),
    );
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while !cxgate::harness::probe_control_plane(&url).await {
        assert!(
            std::time::Instant::now() < deadline,
            "cxgate mock did not start"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    // Seven rounds of checks need more than 10,000 requests: the budget is all spent.
    let args = [
        "--target",
        &url,
        "--max-requests",
        "10000",
        "--rounds",
        "7",
        "--seed",
        "12",
    ];
    let run = probe("by-url", &args, &[]).await;
    assert_eq!(run.code, 0, "{}", run.text());
    let report = run.json();
    assert_eq!(report["failed"], 0);
    assert!(report["checks_run"].as_u64().unwrap() >= 119 * 6);
    assert_eq!(report["requests_sent"], 10_000);
}
