//! The Bayeux client against the mock's CometD server: handshake, subscribe, events,
//! and recovery after the server forgets the session (`402::Unknown client`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use cxgate::cometd::{BayeuxClient, CometdError, Message};
use cxgate::mock::{MockConfig, MockServer};
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::{Duration, Instant};

async fn mock_with_short_max_interval() -> MockServer {
    let mut config = MockConfig::default_seed();
    config.statistics.cometd_max_interval_ms = 400;
    config.statistics.cometd_timeout_ms = 2_000;
    MockServer::start(config, "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap()
}

async fn token(http: &reqwest::Client, base: &str) -> String {
    let response = http
        .post(format!("{base}/auth/v3/oauth/token"))
        .header("x-api-key", "cxgate-api-key")
        .basic_auth("cxgate-client", Some("cxgate-secret"))
        .form(&[
            ("grant_type", "password"),
            ("username", "tenant1\\agent1"),
            ("password", "agent1-password"),
            ("scope", "*"),
        ])
        .send()
        .await
        .unwrap();
    let body: Value = response.json().await.unwrap();
    body["access_token"].as_str().unwrap().to_string()
}

fn http() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap()
}

async fn client_for(server: &MockServer, http: &reqwest::Client, token: &str) -> BayeuxClient {
    BayeuxClient::new(
        http.clone(),
        format!("{}/statistics/v3/notifications", server.base_url()),
        vec![
            ("x-api-key".into(), "cxgate-api-key".into()),
            ("Authorization".into(), format!("Bearer {token}")),
        ],
    )
}

async fn create_subscription(http: &reqwest::Client, base: &str, token: &str) -> String {
    let id = cxgate::ids::uuid_v4().to_string();
    let body = json!({"operationId": id, "data": {"statistics": [{"statisticId": "st-1", "objectId": "agent", "objectType": "Agent",
        "definition": {"notificationMode": "Periodical", "notificationFrequency": 1, "category": "CurrentTime", "subject": "DNStatus", "mainMask": "*"}}]}});
    let response = http
        .post(format!("{base}/statistics/v3/subscriptions"))
        .header("x-api-key", "cxgate-api-key")
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.status(),
        200,
        "{}",
        response.text().await.unwrap_or_default()
    );
    id
}

fn is_update_for(message: &Message, subscription: &str) -> bool {
    message.channel == "/statistics/v3/updates"
        && message
            .data
            .as_ref()
            .is_some_and(|d| d.to_string().contains(subscription))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forgotten_session_is_told_to_handshake_and_the_client_recovers_with_its_channels() {
    let server = mock_with_short_max_interval().await;
    let http = http();
    let token = token(&http, &server.base_url()).await;
    let client = client_for(&server, &http, &token).await;
    client.handshake().await.unwrap();
    let first_id = client.client_id().unwrap();
    client.subscribe("/statistics/v3/updates").await.unwrap();

    tokio::time::sleep(Duration::from_millis(1_200)).await; // no connect: past maxInterval
    let err = client.connect().await.unwrap_err();
    assert!(matches!(err, CometdError::Rehandshake { .. }), "{err}");

    client.rehandshake().await.unwrap();
    assert_ne!(client.client_id().unwrap(), first_id);
    assert_eq!(
        client.channels(),
        vec!["/statistics/v3/updates".to_string()]
    );
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_connect_loop_recovers_from_402_and_delivers_updates() {
    let server = mock_with_short_max_interval().await;
    let http = http();
    let token = token(&http, &server.base_url()).await;
    let client = Arc::new(client_for(&server, &http, &token).await);
    client.handshake().await.unwrap();
    client.subscribe("/statistics/v3/updates").await.unwrap();
    tokio::time::sleep(Duration::from_millis(1_200)).await; // the server drops the session

    let running = client.clone().start();
    let started = Instant::now();
    // Wait for the loop to handshake again, then subscribe over REST with the new cookie.
    while running
        .stats
        .rehandshakes
        .load(std::sync::atomic::Ordering::Relaxed)
        == 0
    {
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "the loop never re-handshook: {:?}",
            running.errors()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let subscription = create_subscription(&http, &server.base_url(), &token).await;
    let event = running
        .events
        .wait_for(started, Instant::now() + Duration::from_secs(4), |m| {
            is_update_for(m, &subscription)
        })
        .await;
    assert!(
        event.is_some(),
        "no update after recovery; errors: {:?}",
        running.errors()
    );
    running.stop().await.unwrap();
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_generic_client_posting_to_the_bare_url_works_too() {
    let server = mock_with_short_max_interval().await;
    let http = http();
    let token = token(&http, &server.base_url()).await;
    let client = client_for(&server, &http, &token)
        .await
        .append_message_type(false);
    let reply = client.handshake().await.unwrap();
    assert_eq!(reply.successful, Some(true));
    assert!(client.connect().await.is_ok());
    client.subscribe("/statistics/v3/service").await.unwrap();
    client.unsubscribe("/statistics/v3/service").await.unwrap();
    client.disconnect().await.unwrap();
    assert!(matches!(
        client.connect().await,
        Err(CometdError::NotHandshaken)
    ));
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_subscribe_to_an_unknown_channel_is_refused() {
    let server = mock_with_short_max_interval().await;
    let http = http();
    let token = token(&http, &server.base_url()).await;
    let client = client_for(&server, &http, &token).await;
    client.handshake().await.unwrap();
    let err = client
        .subscribe("/statistics/v3/nothing")
        .await
        .unwrap_err();
    assert!(matches!(err, CometdError::Failed { .. }), "{err}");
    assert!(client.channels().is_empty());
    server.shutdown().await;
}
