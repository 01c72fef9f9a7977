//! Runs that would look green while testing nothing, or lose their reports, are refused
//! before anything is sent (through the binary, exit 2).
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/fault_proxy.rs"]
mod fault_proxy;

use cxgate::mock::{MockConfig, MockServer};
use fault_proxy::{FaultProxy, ProxiedRequest, ProxiedResponse};
use serde_json::json;
use std::process::Command;
use std::sync::{Arc, Mutex};

/// `cxgate verify ARGS` from the project root: (exit code, stdout + stderr).
fn verify(args: &[&str]) -> (i32, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_cxgate"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .arg("verify")
        .args(args)
        .output()
        .expect("run cxgate verify");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.code().unwrap_or(-1), text)
}

#[test]
fn a_filter_that_selects_no_scenario_is_a_usage_error_naming_the_tags() {
    let reports = std::env::temp_dir().join(format!("cxgate-select-{}", std::process::id()));
    let dir = reports.to_str().unwrap();
    // (the filter, what the message must name)
    let cases: [(&[&str], &str); 3] = [
        (&["--tags", "@Auth"], "--tags \"@Auth\""),
        (&["--name", "nomatch"], "--name \"nomatch\""),
        (&["--tags", "@auth", "--name", "nomatch"], "with --name"),
    ];
    for (filter, named) in cases {
        let _ = std::fs::remove_dir_all(&reports);
        let mut args = filter.to_vec();
        args.extend(["--report-dir", dir]);
        let (code, text) = verify(&args);
        assert_eq!(code, 2, "{filter:?}: {text}");
        assert!(text.contains(named), "{filter:?}: {text}");
        assert!(text.contains("no scenario"), "{text}");
        assert!(
            text.contains("@auth") && text.contains("@statistics"),
            "lists the tags: {text}"
        );
        assert!(
            !text.contains("passed"),
            "nothing ran, so no totals: {text}"
        );
    }
}

#[test]
fn an_unwritable_report_directory_is_refused_before_the_run() {
    let (code, text) = verify(&["--report-dir", "/dev/null/x"]);
    assert_eq!(code, 2, "{text}");
    assert!(text.contains("/dev/null/x"), "{text}");
    assert!(
        !text.contains(" passed"),
        "refused before any scenario ran: {text}"
    );
}

/// A server that is not a cxgate mock: it answers 404 to everything, and remembers.
/// The paths of every request `server` received, in order.
async fn paths_received(server: &wiremock::MockServer) -> Vec<String> {
    server
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .map(|r| r.url.path().to_owned())
        .collect()
}

async fn foreign_server() -> wiremock::MockServer {
    wiremock::MockServer::start().await
}

#[tokio::test]
async fn no_seed_credential_goes_to_a_target_that_is_not_a_cxgate_mock() {
    let server = foreign_server().await;
    let url = server.uri();
    let reports = std::env::temp_dir().join(format!("cxgate-creds-{}", std::process::id()));
    let output = tokio::process::Command::new(env!("CARGO_BIN_EXE_cxgate"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "verify",
            "--tags",
            "@auth",
            "--target",
            &url,
            "--report-dir",
        ])
        .arg(&reports)
        .env_remove("CXGATE_API_KEY")
        .env_remove("CXGATE_CLIENT_SECRET")
        .env("CXGATE_CLIENT_ID", "their-client")
        .output()
        .await
        .expect("run cxgate verify");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(output.status.code(), Some(2), "{text}");
    for named in [
        "CXGATE_API_KEY ([target.env] api_key)",
        "CXGATE_CLIENT_SECRET ([target.env] client_secret)",
    ] {
        assert!(text.contains(named), "names {named}: {text}");
    }
    assert!(
        !text.contains("CXGATE_CLIENT_ID "),
        "that one is set: {text}"
    );
    // At most the unauthenticated probe of the control plane reached the server.
    let received = server.received_requests().await.unwrap_or_default();
    for request in &received {
        assert_eq!(request.url.path(), "/__cxgate/health", "{request:?}");
        assert!(
            !request.headers.contains_key("x-api-key")
                && !request.headers.contains_key("authorization"),
            "{request:?}"
        );
    }
}

#[tokio::test]
async fn tokens_quoted_in_a_failure_are_redacted_in_the_output_and_every_report() {
    let mock = MockServer::start(MockConfig::default_seed(), "127.0.0.1:0".parse().unwrap())
        .await
        .expect("the mock starts");
    // A token answer with expires_in as a string: the scenario fails and quotes the body.
    let issued = Arc::new(Mutex::new(Vec::<String>::new()));
    let seen = issued.clone();
    let rewrite = Arc::new(
        move |request: &ProxiedRequest, response: &mut ProxiedResponse| {
            if request.path() != "/auth/v3/oauth/token" || response.status != 200 {
                return;
            }
            let Some(mut body) = response.json_body() else {
                return;
            };
            for key in ["access_token", "refresh_token"] {
                if let Some(token) = body[key].as_str() {
                    seen.lock().unwrap().push(token.to_owned());
                }
            }
            body["expires_in"] = json!("3600");
            response.set_json_body(&body);
        },
    );
    let proxy = FaultProxy::start(&mock.base_url(), rewrite).await;
    let reports = std::env::temp_dir().join(format!("cxgate-redact-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&reports);
    let output = tokio::process::Command::new(env!("CARGO_BIN_EXE_cxgate"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "verify",
            "--tags",
            "@auth",
            "--name",
            "^The password grant returns a bearer token$",
        ])
        .args(["--target", &proxy.uri(), "--report-dir"])
        .arg(&reports)
        .env("CXGATE_LOG", "trace")
        .output()
        .await
        .expect("run cxgate verify");
    let mut text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(output.status.code(), Some(1), "the scenario fails: {text}");
    assert!(
        text.contains("expires_in"),
        "the failure names the field: {text}"
    );
    for entry in std::fs::read_dir(&reports).unwrap() {
        text.push_str(&std::fs::read_to_string(entry.unwrap().path()).unwrap_or_default());
    }
    let issued = issued.lock().unwrap().clone();
    assert!(!issued.is_empty(), "the proxy saw the token answer");
    for token in &issued {
        assert!(!text.contains(token.as_str()), "{token} leaked: {text}");
    }
    assert!(text.contains("[REDACTED]"), "{text}");
    mock.shutdown().await;
}

#[test]
fn a_proxy_in_the_environment_does_not_capture_the_embedded_mock() {
    let reports = std::env::temp_dir().join(format!("cxgate-envproxy-{}", std::process::id()));
    let output = Command::new(env!("CARGO_BIN_EXE_cxgate"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "verify",
            "--tags",
            "@auth",
            "--name",
            "^The password grant returns a bearer token$",
        ])
        .arg("--report-dir")
        .arg(&reports)
        .env("HTTP_PROXY", "http://127.0.0.1:1")
        .env("HTTPS_PROXY", "http://127.0.0.1:1")
        .env("ALL_PROXY", "http://127.0.0.1:1")
        .env("http_proxy", "http://127.0.0.1:1")
        .output()
        .expect("run cxgate verify");
    let text = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{text}");
    assert!(text.contains("1 passed, 0 failed"), "{text}");
}

#[tokio::test]
async fn requests_to_a_remote_target_go_through_the_given_proxy() {
    let proxy = foreign_server().await;
    let reports = std::env::temp_dir().join(format!("cxgate-proxy-{}", std::process::id()));
    let output = tokio::process::Command::new(env!("CARGO_BIN_EXE_cxgate"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "verify",
            "--tags",
            "@auth",
            "--target",
            "http://cxgate-target.invalid",
        ])
        .args(["--proxy", &proxy.uri(), "--report-dir"])
        .arg(&reports)
        .env_remove("NO_PROXY")
        .env_remove("no_proxy")
        .output()
        .await
        .expect("run cxgate verify");
    let text = String::from_utf8_lossy(&output.stderr);
    // The probe of the control plane went through the proxy; then the run stops, since
    // no credential is set for that target.
    assert_eq!(output.status.code(), Some(2), "{text}");
    let received = proxy.received_requests().await.unwrap_or_default();
    assert!(
        received.iter().any(|r| r.url.path() == "/__cxgate/health"
            && r.headers
                .get("host")
                .is_some_and(|h| h.to_str().unwrap_or("") == "cxgate-target.invalid")),
        "{received:?}"
    );
}

#[test]
fn an_unusable_ca_bundle_or_proxy_is_a_usage_error_naming_it() {
    let garbage = std::env::temp_dir().join(format!("cxgate-not-pem-{}", std::process::id()));
    std::fs::write(&garbage, "not a certificate\n").unwrap();
    let garbage = garbage.to_str().unwrap();
    // (flags, SSL_CERT_FILE, what the message names)
    let cases: [(&[&str], Option<&str>, &str); 4] = [
        (
            &["--ca-cert", "/nonexistent/ca.pem"],
            None,
            "--ca-cert /nonexistent/ca.pem",
        ),
        (&["--ca-cert", garbage], None, "holds no PEM certificate"),
        (&[], Some(garbage), "SSL_CERT_FILE"),
        (&["--proxy", "::not a url::"], None, "--proxy"),
    ];
    for (flags, env, named) in cases {
        let mut command = Command::new(env!("CARGO_BIN_EXE_cxgate"));
        command
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .arg("verify")
            .args(flags);
        match env {
            Some(file) => command.env("SSL_CERT_FILE", file),
            None => command.env_remove("SSL_CERT_FILE"),
        };
        let output = command.output().expect("run cxgate verify");
        let text = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{flags:?}: {text}");
        assert!(text.contains(named), "{flags:?}: {text}");
    }
}

#[path = "support/verdict.rs"]
mod verdict;

#[tokio::test]
async fn without_allow_writes_nothing_is_written_to_a_deployment() {
    let server = foreign_server().await;
    let reports = std::env::temp_dir().join(format!("cxgate-writes-{}", std::process::id()));
    let output = tokio::process::Command::new(env!("CARGO_BIN_EXE_cxgate"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["verify", "--tags", "@secure-email or @openmedia or @auth"])
        .args(["--target", &server.uri(), "--timeout", "2", "--report-dir"])
        .arg(&reports)
        .envs(verdict::seed_credentials())
        .output()
        .await
        .expect("run cxgate verify");
    let text = String::from_utf8_lossy(&output.stdout);
    for skipped in [
        "writes (POST /nexus/v3/securemail): creates test data",
        "writes (POST /nexus/v3/openmedia/",
        "@destructive: changes the target's data for good",
    ] {
        assert!(text.contains(skipped), "{skipped}: {text}");
    }
    let received = server.received_requests().await.unwrap_or_default();
    let sent: Vec<String> = received
        .iter()
        .map(|r| format!("{} {}", r.method, r.url.path()))
        .collect();
    for request in &sent {
        let read = request.starts_with("GET ")
            || request == "POST /auth/v3/oauth/token"
            || request.starts_with("POST /auth/v3/sign-out")
            || request == "POST /statistics/v3/subscriptions";
        assert!(read, "{request} was sent without --allow-writes: {sent:?}");
    }
    assert!(!sent.is_empty(), "the reads did run");
}

/// `cxgate verify ARGS` against `target` with the seed's credentials, from the project
/// root: (exit code, stdout + stderr).
async fn verify_against(target: &str, args: &[&str]) -> (Option<i32>, String) {
    static RUNS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let run = RUNS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let reports = std::env::temp_dir().join(format!("cxgate-against-{}-{run}", std::process::id()));
    let output = tokio::process::Command::new(env!("CARGO_BIN_EXE_cxgate"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["verify", "--target", target, "--report-dir"])
        .arg(&reports)
        .args(args)
        .envs(verdict::seed_credentials())
        .output()
        .await
        .expect("run cxgate verify");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.code(), text)
}

/// A gateway that answers the first token grant 429 with `Retry-After`, then a token.
async fn rate_limiting_gateway(retry_after: &str) -> wiremock::MockServer {
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, ResponseTemplate};
    let server = foreign_server().await;
    Mock::given(method("POST"))
        .and(path("/auth/v3/oauth/token"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", retry_after))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/auth/v3/oauth/token"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("Cache-Control", "no-store")
                .set_body_json(
                    json!({"access_token": "a4b5da75-a584-4053-9227-0f0ab23ff06e",
                    "token_type": "bearer", "expires_in": 43199,
                    "refresh_token": "456789ef-3dce-4c82-bc1f-987654324e87", "scope": "*"}),
                ),
        )
        .with_priority(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/auth/v3/userinfo"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"username": "u"})))
        .mount(&server)
        .await;
    server
}

const PASSWORD_GRANT: &str = "^The password grant returns a bearer token$";

#[tokio::test]
async fn a_429_with_retry_after_is_waited_out_and_the_grant_sent_again() {
    for retry_after in ["1", "Wed, 21 Oct 2015 07:28:00 GMT"] {
        let server = rate_limiting_gateway(retry_after).await;
        let (code, text) = verify_against(
            &server.uri(),
            &["--tags", "@auth", "--name", PASSWORD_GRANT],
        )
        .await;
        assert_eq!(code, Some(0), "Retry-After {retry_after}: {text}");
        let grants = server
            .received_requests()
            .await
            .unwrap_or_default()
            .iter()
            .filter(|r| r.url.path() == "/auth/v3/oauth/token")
            .count();
        assert_eq!(grants, 2, "one 429, then the grant again");
    }
}

#[tokio::test]
async fn max_rps_spreads_the_requests_of_a_run() {
    // Every request of the run waits its turn in a budget of 2 a second; the bound is a
    // floor, so a slow machine cannot break it.
    let server = rate_limiting_gateway("0").await;
    let started = std::time::Instant::now();
    let (_, text) = verify_against(
        &server.uri(),
        &["--tags", "@auth", "--name", "grant", "--max-rps", "2"],
    )
    .await;
    let sent = server.received_requests().await.unwrap_or_default().len();
    assert!(sent >= 5, "{sent} requests: {text}");
    // The budget lets the first second's 2 requests go at once, then one every 500 ms.
    let floor = std::time::Duration::from_millis(500 * (sent as u64 - 2));
    assert!(
        started.elapsed() >= floor,
        "{sent} requests in {:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_profile_sends_each_api_family_to_its_own_host() {
    let mock = MockServer::start(MockConfig::default_seed(), "127.0.0.1:0".parse().unwrap())
        .await
        .expect("the mock starts");
    let gateway = foreign_server().await;
    let dir = std::env::temp_dir().join(format!("cxgate-urls-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let profile = dir.join("split.toml");
    let write = |urls: &str| {
        std::fs::write(
            &profile,
            format!(
                "[target]\nbase_url = \"{}\"\n[target.urls]\n{urls}\n",
                gateway.uri()
            ),
        )
        .unwrap();
    };
    write(&format!("auth = \"{}\"", mock.base_url()));
    let (code, text) = verify_against(
        profile.to_str().unwrap(),
        &["--tags", "@auth", "--name", PASSWORD_GRANT],
    )
    .await;
    assert_eq!(code, Some(0), "{text}");
    let paths = paths_received(&gateway).await;
    assert_eq!(
        paths,
        ["/__cxgate/health"],
        "only the probe went to base_url"
    );

    write("udmx = \"http://127.0.0.1:1\"");
    let (code, text) = verify_against(profile.to_str().unwrap(), &["--tags", "@auth"]).await;
    assert_eq!(code, Some(2), "{text}");
    assert!(
        text.contains("[target.urls] udmx") && text.contains("auth, statistics, nexus"),
        "{text}"
    );
    mock.shutdown().await;
}

/// `cxgate load ARGS` with the seed's credentials, reports in a fresh folder: (exit
/// code, stdout, stderr, load-summary.json).
async fn load(label: &str, args: &[&str]) -> (Option<i32>, String, String, serde_json::Value) {
    let reports = std::env::temp_dir().join(format!("cxgate-load-{label}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&reports);
    let output = tokio::process::Command::new(env!("CARGO_BIN_EXE_cxgate"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .arg("load")
        .args(args)
        .args(["--users", "2", "--increase-rate", "2", "--report-dir"])
        .arg(&reports)
        .envs(verdict::seed_credentials())
        .env_remove("CXGATE_LOG")
        .output()
        .await
        .expect("run cxgate load");
    let summary = std::fs::read_to_string(reports.join("load-summary.json"))
        .ok()
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default();
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
        summary,
    )
}

#[tokio::test]
async fn a_load_run_whose_requests_all_fail_is_a_failure_logged_once() {
    let (code, stdout, stderr, summary) = load(
        "refused",
        &["auth", "--target", "http://127.0.0.1:1", "--run-time", "2s"],
    )
    .await;
    assert_eq!(code, Some(1), "{stdout}{stderr}");
    assert!(stdout.contains("cxgate load auth: FAIL"), "{stdout}");
    assert!(stdout.contains("error rate: 100.00%"), "{stdout}");
    assert!(
        stderr.len() < 4096,
        "no line per failed request: {} bytes of stderr",
        stderr.len()
    );
    let errors = summary["errors"].as_array().cloned().unwrap_or_default();
    assert!(
        errors.iter().any(|e| e
            .as_str()
            .is_some_and(|e| e.contains("x POST") && e.contains("Connect"))),
        "goose's error, once with its count: {errors:?}"
    );
}

#[tokio::test]
async fn iterations_and_bad_load_options_get_what_they_ask_for() {
    let (code, stdout, stderr, summary) = load("iterations", &["auth", "--iterations", "3"]).await;
    assert_eq!(code, Some(0), "{stdout}{stderr}");
    assert!(
        summary["overall"]["count"].as_u64().unwrap_or(0) > 0,
        "{summary}"
    );
    // (the option, what the message names)
    let cases: [(&[&str], &str); 2] = [
        (&["--threshold", "p95<<1"], "the operator must be"),
        (
            &["--baseline", "/nonexistent/load-summary.json"],
            "/nonexistent/load-summary.json",
        ),
    ];
    for (option, named) in cases {
        let mut args = vec!["auth", "--run-time", "1s"];
        args.extend(option);
        let (code, _, stderr, _) = load("bad", &args).await;
        assert_eq!(code, Some(2), "{option:?}: {stderr}");
        assert!(stderr.contains(named), "{option:?}: {stderr}");
        assert!(
            !stderr.contains("invalid option or value specified"),
            "{stderr}"
        );
    }
}

#[tokio::test]
async fn a_load_run_counts_429s_as_rate_limited_not_as_contract_violations() {
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, ResponseTemplate};
    let server = foreign_server().await;
    Mock::given(method("POST"))
        .and(path("/auth/v3/oauth/token"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "1"))
        .mount(&server)
        .await;
    let (code, stdout, _, summary) = load(
        "limited",
        &["auth", "--target", &server.uri(), "--run-time", "2s"],
    )
    .await;
    assert_eq!(code, Some(1), "every request failed: {stdout}");
    let limited = summary["rate_limited"]["token: password grant"]
        .as_u64()
        .unwrap_or(0);
    assert!(limited > 0, "{summary}");
    let violations = summary["contract_violations"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    assert!(violations.values().all(|n| n == 0), "{violations:?}");
    assert!(
        stdout.contains("rate-limited (429, not contract violations)"),
        "{stdout}"
    );
}

#[tokio::test]
async fn a_proxy_in_the_environment_does_not_capture_the_mock_of_a_load_run() {
    let reports = std::env::temp_dir().join(format!("cxgate-load-proxy-{}", std::process::id()));
    let output = tokio::process::Command::new(env!("CARGO_BIN_EXE_cxgate"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "load",
            "auth",
            "--users",
            "2",
            "--increase-rate",
            "2",
            "--run-time",
            "2s",
        ])
        .arg("--report-dir")
        .arg(&reports)
        .env("HTTP_PROXY", "http://127.0.0.1:1")
        .env("http_proxy", "http://127.0.0.1:1")
        .env("ALL_PROXY", "http://127.0.0.1:1")
        .output()
        .await
        .expect("run cxgate load");
    let text = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{text}");
    assert!(text.contains("error rate: 0.00%"), "{text}");
}

#[tokio::test]
async fn a_load_path_that_writes_needs_allow_writes_on_a_deployment() {
    let server = foreign_server().await;
    for path in ["export", "messaging", "all"] {
        let (code, stdout, stderr, _) = load(
            "writes",
            &[path, "--target", &server.uri(), "--run-time", "1s"],
        )
        .await;
        assert_eq!(code, Some(2), "{path}: {stdout}{stderr}");
        assert!(
            stderr.contains("--allow-writes") && stderr.contains("writes to it"),
            "{path}: {stderr}"
        );
    }
    let paths = paths_received(&server).await;
    assert!(
        paths.iter().all(|p| p == "/__cxgate/health"),
        "only the probe was sent: {paths:?}"
    );
}

#[tokio::test]
async fn a_load_run_sends_each_api_family_to_its_own_host() {
    let mock = MockServer::start(MockConfig::default_seed(), "127.0.0.1:0".parse().unwrap())
        .await
        .expect("the mock starts");
    let gateway = foreign_server().await;
    let dir = std::env::temp_dir().join(format!("cxgate-load-profile-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let profile = dir.join("split.toml");
    std::fs::write(
        &profile,
        format!(
            "[target]\nbase_url = \"{}\"\n[target.urls]\nauth = \"{}\"\n",
            gateway.uri(),
            mock.base_url()
        ),
    )
    .unwrap();
    let (code, stdout, stderr, summary) = load(
        "urls",
        &[
            "auth",
            "--target",
            profile.to_str().unwrap(),
            "--iterations",
            "3",
        ],
    )
    .await;
    assert_eq!(code, Some(0), "{stdout}{stderr}");
    assert!(
        summary["overall"]["count"].as_u64().unwrap_or(0) > 0,
        "{summary}"
    );
    let paths = paths_received(&gateway).await;
    assert_eq!(
        paths,
        ["/__cxgate/health"],
        "only the probe went to base_url"
    );
    mock.shutdown().await;
}

/// A free loopback port (bound, then let go).
fn free_port() -> u16 {
    let socket = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    socket.local_addr().unwrap().port()
}

/// The mock behind a proxy that hides its control plane: a deployment whose Interactions
/// Webhook was configured (as Genesys does it, out of band) to post to `url`, signed
/// with `secret`; and a profile for it that waits 3 s for a webhook.
async fn deployment_posting_to(url: &str, secret: &str) -> (MockServer, FaultProxy, String) {
    let mock = MockServer::start(MockConfig::default_seed(), "127.0.0.1:0".parse().unwrap())
        .await
        .expect("the mock starts");
    let configured = reqwest::Client::new()
        .put(format!("{}/__cxgate/interactions/webhook", mock.base_url()))
        .json(&json!({"url": url, "secret": secret}))
        .send()
        .await
        .expect("configure the webhook");
    assert_eq!(configured.status(), 200);
    let proxy = FaultProxy::start_with(
        &mock.base_url(),
        Arc::new(|request: &mut ProxiedRequest| {
            request
                .path()
                .starts_with("/__cxgate")
                .then(|| ProxiedResponse::json(404, &json!({"error": "not found"})))
        }),
        Arc::new(|_: &ProxiedRequest, _: &mut ProxiedResponse| {}),
    )
    .await;
    let dir = std::env::temp_dir().join(format!("cxgate-hooks-{}", free_port()));
    std::fs::create_dir_all(&dir).unwrap();
    let profile = dir.join("deployment.toml");
    std::fs::write(
        &profile,
        format!(
            "[target]\nbase_url = \"{}\"\n[target.tenant]\nwebhook_wait_seconds = 3\n",
            proxy.uri()
        ),
    )
    .unwrap();
    (mock, proxy, profile.to_str().unwrap().to_owned())
}

#[tokio::test]
async fn a_deployment_posts_its_webhooks_to_the_listen_address() {
    let port = free_port();
    let public = format!("http://127.0.0.1:{port}/genesys/events");
    let listen = format!("127.0.0.1:{port}");
    let hooks = [
        "--webhook-listen",
        listen.as_str(),
        "--webhook-public-url",
        public.as_str(),
    ];
    let secret = &verdict::seed_credentials()["CXGATE_CHANNEL_SECRET"];
    let (mock, _proxy, profile) = deployment_posting_to(&public, secret).await;
    let mut args = vec!["--tags", "@receiver", "--allow-writes"];
    args.extend(hooks);
    let (code, text) = verify_against(&profile, &args).await;
    assert_eq!(code, Some(0), "{text}");
    assert!(text.contains("1 passed"), "{text}");

    // Without the flags the scenario is skipped, saying what to pass.
    let (code, text) = verify_against(&profile, &["--tags", "@receiver", "--allow-writes"]).await;
    assert_eq!(code, Some(0), "{text}");
    assert!(
        text.contains("@receiver: the target posts to a webhook receiver")
            && text.contains("--webhook-public-url"),
        "{text}"
    );
    // One flag without the other is a usage error.
    let (code, text) = verify_against(&profile, &["--webhook-listen", &listen]).await;
    assert_eq!(code, Some(2), "{text}");
    assert!(text.contains("--webhook-public-url"), "{text}");
    let (code, text) = verify_against(
        &profile,
        &[
            "--webhook-listen",
            &listen,
            "--webhook-public-url",
            "ftp://x",
        ],
    )
    .await;
    assert_eq!(code, Some(2), "{text}");
    assert!(text.contains("http:// or https://"), "{text}");
    mock.shutdown().await;
}

#[tokio::test]
async fn a_webhook_signed_with_another_secret_or_never_sent_fails_the_scenario() {
    let port = free_port();
    let public = format!("http://127.0.0.1:{port}/hooks");
    let listen = format!("127.0.0.1:{port}");
    // (where the deployment posts, with which secret, what the failure says)
    let cases = [
        (
            public.clone(),
            "another-secret",
            "X-Hub-Signature does not verify",
        ),
        (
            format!("http://127.0.0.1:{}/elsewhere", free_port()),
            "cxgate-channel-secret",
            "no STARTED event for an email interaction",
        ),
    ];
    for (url, secret, why) in cases {
        let (mock, _proxy, profile) = deployment_posting_to(&url, secret).await;
        let args = [
            "--tags",
            "@receiver",
            "--allow-writes",
            "--webhook-listen",
            &listen,
            "--webhook-public-url",
            &public,
        ];
        let (code, text) = verify_against(&profile, &args).await;
        assert_eq!(code, Some(1), "{why}: {text}");
        assert!(text.contains(why), "{why}: {text}");
        mock.shutdown().await;
    }
}

/// A TLS front for `upstream` (host:port) on a loopback port, with a certificate for
/// 127.0.0.1 signed by a CA of its own: (its https base URL, the CA's PEM).
async fn tls_front(upstream: std::net::SocketAddr) -> (String, String) {
    use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, IsCa, KeyPair};
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca = CertifiedIssuer::self_signed(ca_params, KeyPair::generate().unwrap()).unwrap();
    let key = KeyPair::generate().unwrap();
    let leaf = CertificateParams::new(vec!["127.0.0.1".to_owned()])
        .unwrap()
        .signed_by(&key, &ca)
        .unwrap();
    let _ = rustls::crypto::ring::default_provider().install_default();
    let config = rustls::ServerConfig::builder()
        .with_no_client_auth()
        .with_single_cert(
            vec![leaf.der().clone()],
            rustls::pki_types::PrivateKeyDer::Pkcs8(key.serialize_der().into()),
        )
        .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(stream).await else {
                    return;
                };
                let Ok(mut plain) = tokio::net::TcpStream::connect(upstream).await else {
                    return;
                };
                let _ = tokio::io::copy_bidirectional(&mut tls, &mut plain).await;
            });
        }
    });
    (format!("https://{addr}"), ca.pem())
}

#[tokio::test]
async fn a_tls_target_is_trusted_through_ca_cert_and_refused_without_it() {
    let mock = MockServer::start(MockConfig::default_seed(), "127.0.0.1:0".parse().unwrap())
        .await
        .expect("the mock starts");
    let upstream = mock
        .base_url()
        .trim_start_matches("http://")
        .parse()
        .unwrap();
    let (target, ca_pem) = tls_front(upstream).await;
    let ca = std::env::temp_dir().join(format!("cxgate-ca-{}.pem", std::process::id()));
    std::fs::write(&ca, ca_pem).unwrap();
    let grant = ["--tags", "@auth", "--name", PASSWORD_GRANT];

    let mut trusted = vec!["--ca-cert", ca.to_str().unwrap()];
    trusted.extend(grant);
    let (code, text) = verify_against(&target, &trusted).await;
    assert_eq!(code, Some(0), "{text}");
    assert!(text.contains("1 passed"), "{text}");

    let (code, text) = verify_against(&target, &grant).await;
    assert_eq!(code, Some(1), "an unknown issuer fails the run: {text}");
    assert!(
        text.to_lowercase().contains("certificate"),
        "the failure names the certificate: {text}"
    );
    mock.shutdown().await;
}
