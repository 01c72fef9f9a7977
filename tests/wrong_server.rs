//! The contract gate catches a deliberately wrong server: each test stubs one wrong
#![allow(clippy::unwrap_used, clippy::expect_used)]
//! behaviour with wiremock, runs the matching scenario, and checks that it fails for the
//! right reason. Broken transports (refused, stalled, garbage, huge bodies) fail a step
//! with a reason; the run never hangs or panics.

#[path = "support/verdict.rs"]
mod verdict;

use cxgate::report::{RunResult, Status};
use cxgate::verify::{run, VerifyOptions};
use serde_json::json;
use std::time::Duration;
use verdict::failure_of;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn verify(target: &str, scenario: &str) -> RunResult {
    let mut options = verdict::options(target, &[scenario], "wrong");
    options.timeout = Duration::from_secs(2);
    // A wrong server is held to the mock's own choices too: a gate must not pass it.
    options.strict = true;
    verdict::result(&options).await
}

fn token_body() -> serde_json::Value {
    json!({"access_token": "a4b5da75-a584-4053-9227-0f0ab23ff06e", "token_type": "bearer",
           "expires_in": 43199, "refresh_token": "456789ef-3dce-4c82-bc1f-987654324e87", "scope": "*"})
}

async fn server_with_token(body: serde_json::Value) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/auth/v3/oauth/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .mount(&server)
        .await;
    server
}

const PASSWORD_GRANT: &str = "The password grant returns a bearer token";

#[tokio::test]
async fn a_token_without_token_type_fails_the_password_grant() {
    let mut body = token_body();
    body.as_object_mut().unwrap().remove("token_type");
    let server = server_with_token(body).await;
    let reason = failure_of(&verify(&server.uri(), PASSWORD_GRANT).await, PASSWORD_GRANT);
    assert!(reason.contains("token_type"), "{reason}");
    assert!(reason.contains("auth/DefaultOAuth2AccessToken"), "{reason}");
    assert!(reason.contains("token_password.feature:"), "{reason}");
}

#[tokio::test]
async fn expires_in_as_a_string_fails_the_password_grant() {
    let mut body = token_body();
    body["expires_in"] = json!("43199");
    let server = server_with_token(body).await;
    let reason = failure_of(&verify(&server.uri(), PASSWORD_GRANT).await, PASSWORD_GRANT);
    assert!(reason.contains("/expires_in"), "{reason}");
}

#[tokio::test]
async fn a_revoked_token_that_still_works_fails_the_revocation_scenario() {
    let server = server_with_token(token_body()).await;
    Mock::given(method("POST"))
        .and(path("/auth/v3/sign-out"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"status": {"code": 0}})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/auth/v3/userinfo"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"username": "x", "authorities": []})),
        )
        .mount(&server)
        .await;
    let scenario = "A revoked token is answered 401";
    let reason = failure_of(&verify(&server.uri(), scenario).await, scenario);
    assert!(
        reason.contains("expected status 401, actual 200"),
        "{reason}"
    );
}

#[tokio::test]
async fn a_server_that_accepts_a_wrong_api_key_fails_the_api_key_scenario() {
    let server = server_with_token(token_body()).await;
    Mock::given(method("GET"))
        .and(path("/auth/v3/userinfo"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"username": "x", "authorities": []})),
        )
        .mount(&server)
        .await;
    let scenario = "A request with a wrong API key is forbidden: GET /auth/v3/userinfo";
    let reason = failure_of(&verify(&server.uri(), scenario).await, scenario);
    assert!(
        reason.contains("expected status 403, actual 200"),
        "{reason}"
    );
}

#[tokio::test]
async fn a_userinfo_without_authorities_fails_the_userinfo_scenario() {
    let server = server_with_token(token_body()).await;
    Mock::given(method("GET"))
        .and(path("/auth/v3/userinfo"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"username": "tenant1\\agent1"})),
        )
        .mount(&server)
        .await;
    let scenario = "/userinfo describes the signed-in user";
    let reason = failure_of(&verify(&server.uri(), scenario).await, scenario);
    assert!(reason.contains("authorities"), "{reason}");
    assert!(reason.contains("auth/CloudUserDetails"), "{reason}");
}

#[tokio::test]
async fn secrets_never_reach_the_failure_reason() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/auth/v3/oauth/token"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"echo": "agent1-password cxgate-api-key"})),
        )
        .mount(&server)
        .await;
    let reason = failure_of(&verify(&server.uri(), PASSWORD_GRANT).await, PASSWORD_GRANT);
    assert!(!reason.contains("agent1-password"), "{reason}");
    assert!(!reason.contains("cxgate-api-key"), "{reason}");
    assert!(reason.contains("[REDACTED]"), "{reason}");
}

/// Answers every token request with `template`.
async fn token_endpoint_answering(template: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/auth/v3/oauth/token"))
        .respond_with(template)
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn a_non_json_body_fails_with_the_reason() {
    let server = token_endpoint_answering(
        ResponseTemplate::new(200).set_body_raw("<html>oops</html>", "text/html"),
    )
    .await;
    let reason = failure_of(&verify(&server.uri(), PASSWORD_GRANT).await, PASSWORD_GRANT);
    assert!(reason.contains("not JSON"), "{reason}");
}

#[tokio::test]
async fn truncated_json_fails_with_the_reason() {
    let server = token_endpoint_answering(
        ResponseTemplate::new(200).set_body_raw("{\"access_token\": \"abc", "application/json"),
    )
    .await;
    let reason = failure_of(&verify(&server.uri(), PASSWORD_GRANT).await, PASSWORD_GRANT);
    assert!(reason.contains("truncated JSON"), "{reason}");
}

#[tokio::test]
async fn json_with_a_wrong_content_type_fails_with_the_reason() {
    let body = serde_json::to_string(&token_body()).unwrap();
    let server =
        token_endpoint_answering(ResponseTemplate::new(200).set_body_raw(body, "text/plain")).await;
    let reason = failure_of(&verify(&server.uri(), PASSWORD_GRANT).await, PASSWORD_GRANT);
    assert!(reason.contains("content-type is text/plain"), "{reason}");
}

#[tokio::test]
async fn invalid_utf8_fails_with_the_reason() {
    let server = token_endpoint_answering(
        ResponseTemplate::new(200).set_body_raw(vec![0xff, 0xfe, 0x7b], "application/json"),
    )
    .await;
    let reason = failure_of(&verify(&server.uri(), PASSWORD_GRANT).await, PASSWORD_GRANT);
    assert!(reason.contains("not valid UTF-8"), "{reason}");
}

#[tokio::test]
async fn a_ten_megabyte_body_fails_without_being_read_whole() {
    let server = token_endpoint_answering(
        ResponseTemplate::new(200).set_body_raw(vec![b' '; 10 * 1024 * 1024], "application/json"),
    )
    .await;
    let reason = failure_of(&verify(&server.uri(), PASSWORD_GRANT).await, PASSWORD_GRANT);
    assert!(reason.contains("larger than"), "{reason}");
}

#[tokio::test]
async fn a_stalled_server_fails_at_the_timeout() {
    let server = token_endpoint_answering(
        ResponseTemplate::new(200)
            .set_body_json(token_body())
            .set_delay(Duration::from_secs(30)),
    )
    .await;
    let started = std::time::Instant::now();
    let reason = failure_of(&verify(&server.uri(), PASSWORD_GRANT).await, PASSWORD_GRANT);
    assert!(reason.contains("no answer within"), "{reason}");
    assert!(
        started.elapsed() < Duration::from_secs(25),
        "the run waited for the stalled server"
    );
}

#[tokio::test]
async fn a_redirect_loop_is_not_followed_and_fails_the_step() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/auth/v3/oauth/token"))
        .respond_with(ResponseTemplate::new(302).insert_header("Location", "/auth/v3/oauth/token"))
        .mount(&server)
        .await;
    let reason = failure_of(&verify(&server.uri(), PASSWORD_GRANT).await, PASSWORD_GRANT);
    assert!(
        reason.contains("expected status 200, actual 302"),
        "{reason}"
    );
}

#[tokio::test]
async fn a_refused_connection_ends_the_run_at_once_with_the_reason() {
    // Bind and drop a listener so the port is (almost certainly) closed.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let result = verify(&format!("http://127.0.0.1:{port}"), PASSWORD_GRANT).await;
    assert!(!result.passed());
    assert!(result.features.is_empty(), "no scenario ran: {result:?}");
    assert_eq!(result.errors.len(), 1, "{result:?}");
    let reason = &result.errors[0];
    assert!(
        reason.starts_with(&format!("http://127.0.0.1:{port} cannot be reached (")),
        "{reason}"
    );
    assert!(reason.contains("cannot connect"), "{reason}");
}

#[tokio::test]
async fn mock_only_scenarios_are_skipped_on_a_target_without_control_plane() {
    let server = MockServer::start().await;
    let scenario = "An expired token is answered 401";
    let result = verify(&server.uri(), scenario).await;
    let scenarios: Vec<_> = result.features.iter().flat_map(|f| &f.scenarios).collect();
    assert_eq!(scenarios.len(), 1);
    assert_eq!(scenarios[0].status, Status::Skipped);
    assert!(scenarios[0]
        .reason
        .as_deref()
        .unwrap_or("")
        .contains("@mock"));
    assert_eq!(result.totals().skipped, 1);
}

/// Runs every scenario that does not need the control plane against `server` and
/// returns the names of those that passed.
async fn passing_scenarios(server: &MockServer) -> Vec<String> {
    let root = env!("CARGO_MANIFEST_DIR");
    let mut options = VerifyOptions::new(root);
    options.target = server.uri();
    options.env = verdict::seed_credentials();
    options.allow_destructive = true;
    options.strict = true;
    options.timeout = Duration::from_secs(2);
    options.report_dir =
        std::env::temp_dir().join(format!("cxgate-all-wrong-{}", std::process::id()));
    let result = run(&options).await.expect("the run starts");
    assert!(result.result.totals().failed > 0);
    result
        .result
        .features
        .iter()
        .flat_map(|f| &f.scenarios)
        .filter(|s| s.status == Status::Passed)
        .map(|s| s.name.clone())
        .collect()
}

#[tokio::test]
async fn no_scenario_passes_against_a_server_that_answers_200_empty_object_to_everything() {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&server)
        .await;
    let passed = passing_scenarios(&server).await;
    assert!(
        passed.is_empty(),
        "these scenarios cannot catch a server that says 200 {{}}: {passed:#?}"
    );
}

#[tokio::test]
async fn no_scenario_passes_against_a_server_that_answers_404_to_everything() {
    let server = MockServer::start().await;
    let passed = passing_scenarios(&server).await;
    assert!(
        passed.is_empty(),
        "these scenarios cannot catch a server that says 404: {passed:#?}"
    );
}

#[tokio::test]
async fn no_scenario_passes_against_a_server_that_signs_everyone_in_and_accepts_everything() {
    // Tokens are issued to anyone, and every other request succeeds with a plausible body.
    let server = server_with_token(token_body()).await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "status": {"code": 0}, "username": "tenant1\\agent1", "sub": "s", "authorities": []
        })))
        .mount(&server)
        .await;
    let passed = passing_scenarios(&server).await;
    let happy_paths = [
        "The password grant returns a bearer token",
        "The client credentials grant returns a token without a refresh token",
        "/userinfo describes the signed-in user",
        "/openid/userinfo describes the signed-in user with OpenID claims",
        "An authenticated ping succeeds",
        "The refresh token can be used again after a refresh",
        "Deleting an unknown subscription still succeeds",
    ];
    let unexpected: Vec<_> = passed
        .iter()
        .filter(|p| !happy_paths.contains(&p.as_str()))
        .collect();
    assert!(
        unexpected.is_empty(),
        "these scenarios cannot catch a server that accepts everything: {unexpected:#?}"
    );
}

#[tokio::test]
async fn strict_scenarios_are_skipped_on_a_target_that_is_not_the_mock_unless_asked() {
    let server = MockServer::start().await;
    let root = env!("CARGO_MANIFEST_DIR");
    let mut options = VerifyOptions::new(root);
    options.target = server.uri();
    options.env = verdict::seed_credentials();
    options.tags = Some("@strict and not @mock and not @destructive".into());
    options.allow_writes = true;
    options.timeout = Duration::from_secs(2);
    options.report_dir =
        std::env::temp_dir().join(format!("cxgate-strict-skip-{}", std::process::id()));
    let outcome = run(&options).await.expect("the run starts");
    let totals = outcome.result.totals();
    assert!(
        totals.skipped > 0,
        "there are @strict scenarios: {}",
        outcome.summary
    );
    assert_eq!(totals.passed + totals.failed, 0, "{}", outcome.summary);
    assert!(
        outcome
            .summary
            .contains(&format!("SKIP {} scenario(s): @strict", totals.skipped)),
        "the summary counts the @strict skips and says why: {}",
        outcome.summary
    );

    options.strict = true;
    let outcome = run(&options).await.expect("the run starts");
    let totals = outcome.result.totals();
    assert_eq!(totals.skipped, 0, "{}", outcome.summary);
    assert!(
        totals.failed > 0,
        "with --strict they run (and fail on a 404 server)"
    );
}
