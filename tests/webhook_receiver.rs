//! The harness's webhook receiver: records deliveries with a signature verdict and
//! answers as planned.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use cxgate::client::{Reply, WebhookReceiver};
use cxgate::signing::sign;
use std::time::Duration;

const SECRET: &[u8] = b"cxgate-channel-secret";

fn http() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::new()
}

async fn post(url: &str, body: &str, signature: Option<String>) -> reqwest::Response {
    let mut request = http()
        .post(url)
        .header("content-type", "application/json")
        .body(body.to_string());
    if let Some(s) = signature {
        request = request.header("X-Hub-Signature", s);
    }
    request.send().await.unwrap()
}

#[tokio::test]
async fn a_correctly_signed_delivery_is_accepted_with_its_message_id() {
    let receiver = WebhookReceiver::start("127.0.0.1:0".parse().unwrap(), SECRET)
        .await
        .unwrap();
    let body = r#"{"channel":{"id":"0123456789","type":"sms","from":{"id":"0123456789"},"to":{"id":"16504661149"},"messageId":"1613474523265-0"},"type":"Text","text":"Agent message text"}"#;
    let response = post(&receiver.url(), body, Some(sign(SECRET, body.as_bytes()))).await;
    assert_eq!(response.status(), 200);
    let answer: serde_json::Value = response.json().await.unwrap();
    assert_eq!(answer["messageId"], "1613474523265-0");
    let deliveries = receiver.deliveries();
    assert_eq!(deliveries.len(), 1);
    assert!(deliveries[0].signature.is_ok());
    assert_eq!(deliveries[0].body, body.as_bytes());
}

#[tokio::test]
async fn a_delivery_signed_with_another_secret_is_recorded_as_unverified() {
    let receiver = WebhookReceiver::start("127.0.0.1:0".parse().unwrap(), SECRET)
        .await
        .unwrap();
    let body = r#"{"channel":{"messageId":"m-1"}}"#;
    post(&receiver.url(), body, Some(sign(b"other", body.as_bytes()))).await;
    post(&receiver.url(), body, None).await;
    let deliveries = receiver.wait_for(2, Duration::from_secs(2)).await;
    assert!(
        deliveries[0]
            .signature
            .as_ref()
            .unwrap_err()
            .to_lowercase()
            .contains("match"),
        "{:?}",
        deliveries[0].signature
    );
    assert!(deliveries[1].signature.is_err());
}

#[tokio::test]
async fn planned_answers_come_first_then_acceptance() {
    let receiver = WebhookReceiver::start("127.0.0.1:0".parse().unwrap(), SECRET)
        .await
        .unwrap();
    receiver.plan([Reply::Status(503), Reply::Status(500)]);
    let body = r#"{"channel":{"messageId":"m-2"}}"#;
    let mut statuses = Vec::new();
    for _ in 0..3 {
        statuses.push(
            post(&receiver.url(), body, Some(sign(SECRET, body.as_bytes())))
                .await
                .status()
                .as_u16(),
        );
    }
    assert_eq!(statuses, vec![503, 500, 200]);
    assert_eq!(
        receiver
            .deliveries()
            .iter()
            .filter(|d| d.accepted())
            .count(),
        1
    );
}

#[tokio::test]
async fn a_stall_holds_the_answer_past_a_short_client_timeout() {
    let receiver = WebhookReceiver::start("127.0.0.1:0".parse().unwrap(), SECRET)
        .await
        .unwrap();
    receiver.plan([Reply::Stall(Duration::from_secs(2))]);
    let result = http()
        .post(receiver.url())
        .body("{}")
        .timeout(Duration::from_millis(300))
        .send()
        .await;
    assert!(result.unwrap_err().is_timeout());
}
