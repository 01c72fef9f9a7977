//! The messaging gates catch what they name: each test puts the fault proxy in front of
//! an honest in-test mock, breaks one behaviour (download bytes, the emitted interaction
//! event, the receipt answer), runs the scenario that names it and checks that it fails
//! for that reason. The same scenario passes against the honest mock behind the proxy.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/fault_proxy.rs"]
mod fault_proxy;
#[path = "support/verdict.rs"]
mod verdict;

use verdict::failure_of;

use cxgate::mock::{MockConfig, MockServer};
use cxgate::report::{RunResult, Status};
use fault_proxy::{FaultProxy, ProxiedRequest, ProxiedResponse};
use serde_json::json;
use std::sync::Arc;
use std::time::Duration;

const ROUND_TRIP: &str = "A file is uploaded, downloaded byte for byte and deleted";
const INTERACTION_EMAIL: &str = "A STARTED email interaction event arrives signed, as emitted";
const RECEIPT: &str = "A Delivered receipt is answered with status code 0";

async fn mock() -> MockServer {
    MockServer::start(MockConfig::default_seed(), "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap()
}

async fn verify(target: &str, scenario: &str) -> RunResult {
    let mut options = verdict::options(target, &[scenario], "gates-messaging");
    options.timeout = Duration::from_secs(5);
    verdict::result(&options).await
}

/// The one scenario that ran; it must have passed.
fn passed(result: &RunResult, scenario: &str) {
    let scenarios: Vec<_> = result.features.iter().flat_map(|f| &f.scenarios).collect();
    assert_eq!(
        scenarios.len(),
        1,
        "expected {scenario:?} to run: {scenarios:?}"
    );
    assert_eq!(
        scenarios[0].status,
        Status::Passed,
        "{scenario:?} should pass against the honest mock: {:?}",
        scenarios[0].reason
    );
}

fn is_media_download(req: &ProxiedRequest, answer: &ProxiedResponse) -> bool {
    req.method == "GET" && req.path().contains("/media/") && answer.status == 200
}

fn is_receipt(req: &ProxiedRequest) -> bool {
    req.method == "POST" && req.path().ends_with("/messages") && req.text().contains("\"Receipt\"")
}

async fn proxy(
    upstream: &MockServer,
    rewrite: impl Fn(&ProxiedRequest, &mut ProxiedResponse) + Send + Sync + 'static,
) -> FaultProxy {
    FaultProxy::start(&upstream.base_url(), Arc::new(rewrite)).await
}

#[tokio::test]
async fn the_media_round_trip_passes_through_an_honest_proxy() {
    let upstream = mock().await;
    let proxy = proxy(&upstream, |_, _| {}).await;
    passed(&verify(&proxy.uri(), ROUND_TRIP).await, ROUND_TRIP);
}

#[tokio::test]
async fn a_download_with_other_bytes_of_the_same_length_fails_the_media_round_trip() {
    let upstream = mock().await;
    let proxy = proxy(&upstream, |req, answer| {
        if is_media_download(req, answer) {
            let last = answer.body.len() - 1;
            answer.body[last] ^= 0x5a;
        }
    })
    .await;
    let reason = failure_of(&verify(&proxy.uri(), ROUND_TRIP).await, ROUND_TRIP);
    assert!(
        reason.contains("differs from the uploaded file at byte 2047 of 2048"),
        "{reason}"
    );
    assert!(reason.contains("media.feature:"), "{reason}");
}

#[tokio::test]
async fn a_truncated_download_fails_the_media_round_trip() {
    let upstream = mock().await;
    let proxy = proxy(&upstream, |req, answer| {
        if is_media_download(req, answer) {
            answer.body.truncate(1024);
        }
    })
    .await;
    let reason = failure_of(&verify(&proxy.uri(), ROUND_TRIP).await, ROUND_TRIP);
    assert!(
        reason.contains("the body is 1024 bytes, the uploaded file was 2048 bytes"),
        "{reason}"
    );
}

#[tokio::test]
async fn an_interaction_event_passes_through_an_honest_proxy() {
    let upstream = mock().await;
    let proxy = proxy(&upstream, |_, _| {}).await;
    passed(
        &verify(&proxy.uri(), INTERACTION_EMAIL).await,
        INTERACTION_EMAIL,
    );
}

/// The mock is asked for an email event but emits chat: the proxy rewrites the
/// control-plane request on its way in, so the event the receiver gets is well-formed,
/// signed and of the right type, only its mediaType is not what was emitted.
#[tokio::test]
async fn an_event_with_another_media_type_fails_the_interactions_scenario() {
    let upstream = mock().await;
    let proxy = FaultProxy::start_with(
        &upstream.base_url(),
        Arc::new(|req: &mut ProxiedRequest| {
            if req.path() == "/__cxgate/interactions/events" {
                let mut body: serde_json::Value = serde_json::from_slice(&req.body).unwrap();
                body["mediaType"] = json!("chat");
                req.body = body.to_string().into_bytes();
            }
            None
        }),
        Arc::new(|_, _| {}),
    )
    .await;
    let reason = failure_of(
        &verify(&proxy.uri(), INTERACTION_EMAIL).await,
        INTERACTION_EMAIL,
    );
    assert!(
        reason.contains("entity.mediaType Some(\"chat\"), the emitted event had \"email\""),
        "{reason}"
    );
}

/// Same, with the subtype: InboundNew asked, Outbound emitted.
#[tokio::test]
async fn an_event_with_another_subtype_fails_the_interactions_scenario() {
    let upstream = mock().await;
    let proxy = FaultProxy::start_with(
        &upstream.base_url(),
        Arc::new(|req: &mut ProxiedRequest| {
            if req.path() == "/__cxgate/interactions/events" {
                let mut body: serde_json::Value = serde_json::from_slice(&req.body).unwrap();
                body["interactionSubtype"] = json!("Outbound");
                req.body = body.to_string().into_bytes();
            }
            None
        }),
        Arc::new(|_, _| {}),
    )
    .await;
    let reason = failure_of(
        &verify(&proxy.uri(), INTERACTION_EMAIL).await,
        INTERACTION_EMAIL,
    );
    assert!(
        reason.contains(
            "entity.interactionSubtype Some(\"Outbound\"), the emitted event had \"InboundNew\""
        ),
        "{reason}"
    );
}

#[tokio::test]
async fn a_receipt_passes_through_an_honest_proxy() {
    let upstream = mock().await;
    let proxy = proxy(&upstream, |_, _| {}).await;
    passed(&verify(&proxy.uri(), RECEIPT).await, RECEIPT);
}

#[tokio::test]
async fn a_receipt_answered_with_status_code_1_fails_the_receipt_scenario() {
    let upstream = mock().await;
    let proxy = proxy(&upstream, |req, answer| {
        if is_receipt(req) {
            answer.set_json_body(&json!({"status": {"code": 1}}));
        }
    })
    .await;
    let reason = failure_of(&verify(&proxy.uri(), RECEIPT).await, RECEIPT);
    assert!(
        reason.contains("messaging/InboundMessageResponse"),
        "{reason}"
    );
    assert!(reason.contains("/status/code"), "{reason}");
}

#[tokio::test]
async fn a_receipt_answered_with_500_fails_the_receipt_scenario() {
    let upstream = mock().await;
    let proxy = proxy(&upstream, |req, answer| {
        if is_receipt(req) {
            *answer = ProxiedResponse::json(
                500,
                &json!({"status": {"code": 500, "message": "Internal Server Error"}}),
            );
        }
    })
    .await;
    let reason = failure_of(&verify(&proxy.uri(), RECEIPT).await, RECEIPT);
    assert!(
        reason.contains("expected status 200, actual 500"),
        "{reason}"
    );
}
