//! The CometD (Bayeux 1.0 long-polling) endpoint of the Statistics API.

use std::time::{Duration, Instant};

use reqwest::header::{CONTENT_TYPE, COOKIE, SET_COOKIE};
use reqwest::Method;
use serde_json::{json, Value};

use super::*;

const N: &str = "/statistics/v3/notifications";
const UPDATES: &str = "/statistics/v3/updates";
const SERVICE: &str = "/statistics/v3/service";

async fn token_of(mock: &Harness, user: &str, password: &str) -> String {
    access_token(&mock.password_token(user, password).await)
}

/// POSTs `body` to `path` with the credentials; status, headers, JSON body.
async fn post(mock: &Harness, token: &str, path: &str, body: &Value) -> (u16, HeaderMap, Value) {
    json_of(
        mock.bearer(Method::POST, path, token)
            .json(body)
            .send()
            .await
            .unwrap(),
    )
    .await
}

fn handshake_message() -> Value {
    json!({"channel": "/meta/handshake", "version": "1.0", "supportedConnectionTypes": ["long-polling"], "id": "1"})
}

async fn handshake(mock: &Harness, token: &str) -> String {
    let (status, _, body) = post(
        mock,
        token,
        &format!("{N}/handshake"),
        &json!([handshake_message()]),
    )
    .await;
    assert_eq!(status, 200);
    body[0]["clientId"].as_str().unwrap().to_owned()
}

async fn connect(mock: &Harness, token: &str, client: &str, timeout: Option<u64>) -> Value {
    let mut message = json!({"channel": "/meta/connect", "clientId": client, "connectionType": "long-polling", "id": "c"});
    if let Some(timeout) = timeout {
        message["advice"] = json!({"timeout": timeout});
    }
    post(mock, token, &format!("{N}/connect"), &json!([message]))
        .await
        .2
}

async fn subscribe(mock: &Harness, token: &str, client: &str, channel: &str) -> Value {
    let message = json!([{"channel": "/meta/subscribe", "clientId": client, "subscription": channel, "id": "s"}]);
    post(mock, token, &format!("{N}/"), &message).await.2
}

/// A session that handshook, made its first connect and subscribed to `channels`.
async fn ready_session(mock: &Harness, token: &str, channels: &[&str]) -> String {
    let client = handshake(mock, token).await;
    connect(mock, token, &client, None).await;
    for channel in channels {
        assert_eq!(
            subscribe(mock, token, &client, channel).await[0]["successful"],
            true
        );
    }
    client
}

fn events_on<'a>(messages: &'a Value, channel: &str) -> Vec<&'a Value> {
    messages
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["channel"] == channel)
        .collect()
}

fn subscription_with(operation_id: &str, name: &str) -> Value {
    json!({"operationId": operation_id, "data": {"statistics": [
        {"statisticId": "st1", "objectId": "agent1", "objectType": "Agent", "name": name}]}})
}

async fn create_subscription(mock: &Harness, token: &str, body: &Value, session: Option<&str>) {
    let mut request = mock
        .bearer(Method::POST, "/statistics/v3/subscriptions", token)
        .json(body);
    if let Some(session) = session {
        request = request.header(COOKIE, format!("STATISTICS_SESSIONID={session};other=1"));
    }
    assert_eq!(request.send().await.unwrap().status(), 200);
}

#[tokio::test]
async fn all_seven_notification_paths_answer_a_bayeux_array() {
    let mock = Harness::start().await;
    let token = token_of(&mock, AGENT, AGENT_PASSWORD).await;

    for suffix in [
        "",
        "/",
        "/handshake",
        "/connect",
        "/subscribe",
        "/unsubscribe",
        "/disconnect",
    ] {
        let (status, headers, body) = post(
            &mock,
            &token,
            &format!("{N}{suffix}"),
            &json!([handshake_message()]),
        )
        .await;
        assert_eq!(status, 200, "{suffix}");
        assert_eq!(headers[CONTENT_TYPE], "application/json;charset=UTF-8");
        assert_eq!(body[0]["successful"], true, "{suffix}");
    }
}

#[tokio::test]
async fn the_handshake_sets_both_cookies_and_advises_long_polling_with_the_configured_timeout() {
    let mock = Harness::start().await;
    let token = token_of(&mock, AGENT, AGENT_PASSWORD).await;

    let (_, headers, body) = post(
        &mock,
        &token,
        &format!("{N}/handshake"),
        &json!([handshake_message(), {"channel": "/meta/connect"}]),
    )
    .await;

    let reply = &body[0];
    assert_eq!(
        body.as_array().unwrap().len(),
        1,
        "messages after a handshake are ignored"
    );
    assert_eq!(reply["channel"], "/meta/handshake");
    assert_eq!(reply["version"], "1.0");
    assert_eq!(reply["minimumVersion"], "1.0");
    assert_eq!(reply["supportedConnectionTypes"], json!(["long-polling"]));
    assert_eq!(
        reply["advice"],
        json!({"interval": 0, "timeout": 20000, "reconnect": "retry"})
    );
    let client = reply["clientId"].as_str().unwrap();
    assert_eq!(client.len(), 26);
    assert!(client
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()));
    let cookies: Vec<&str> = headers
        .get_all(SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap())
        .collect();
    assert!(
        cookies.contains(&format!("STATISTICS_SESSIONID={client}; Path=/; HttpOnly").as_str()),
        "{cookies:?}"
    );
    assert!(
        cookies
            .iter()
            .any(|c| c.starts_with("BAYEUX_BROWSER=") && c.ends_with("; Path=/; HttpOnly")),
        "{cookies:?}"
    );
    assert!(!cookies.iter().any(|c| c.contains("Secure")));
}

#[tokio::test]
async fn a_handshake_without_long_polling_fails_with_no_common_transport() {
    let mock = Harness::start().await;
    let token = token_of(&mock, AGENT, AGENT_PASSWORD).await;

    let (status, _, body) = post(&mock, &token, N, &json!({"channel": "/meta/handshake", "version": "1.0", "supportedConnectionTypes": ["websocket"]})).await;
    let (_, _, no_version) = post(
        &mock,
        &token,
        N,
        &json!([{"channel": "/meta/handshake", "supportedConnectionTypes": ["long-polling"]}]),
    )
    .await;

    assert_eq!(status, 200);
    assert_eq!(body[0]["successful"], false);
    assert_eq!(body[0]["error"], "403::No common transport");
    assert_eq!(body[0]["advice"]["reconnect"], "none");
    assert_eq!(no_version[0]["successful"], false);
    assert!(no_version[0]["error"]
        .as_str()
        .unwrap()
        .starts_with("400::"));
}

#[tokio::test]
async fn the_reply_id_keeps_the_json_type_of_the_request_id() {
    let mock = Harness::start().await;
    let token = token_of(&mock, AGENT, AGENT_PASSWORD).await;
    let client = handshake(&mock, &token).await;

    let (_, _, body) = post(
        &mock,
        &token,
        N,
        &json!([
            {"channel": "/meta/subscribe", "clientId": client, "subscription": SERVICE, "id": "7"},
            {"channel": "/meta/subscribe", "clientId": client, "subscription": UPDATES, "id": 8},
            {"channel": "/meta/unsubscribe", "clientId": client, "subscription": UPDATES},
        ]),
    )
    .await;

    assert_eq!(body[0]["id"], json!("7"));
    assert_eq!(body[1]["id"], json!(8));
    assert!(body[2].get("id").is_none());
    assert_eq!(body[0]["subscription"], SERVICE);
    assert_eq!(body[0]["channel"], "/meta/subscribe");
    assert_eq!(body[2]["channel"], "/meta/unsubscribe");
    assert_eq!(body[2]["successful"], true);
}

#[tokio::test]
async fn the_first_connect_is_answered_at_once_with_advice() {
    let mock = Harness::start().await;
    let token = token_of(&mock, AGENT, AGENT_PASSWORD).await;
    let client = handshake(&mock, &token).await;

    let started = Instant::now();
    let body = connect(&mock, &token, &client, None).await;

    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(body[0]["channel"], "/meta/connect");
    assert_eq!(body[0]["successful"], true);
    assert_eq!(body[0]["id"], "c");
    assert_eq!(body[0]["advice"]["reconnect"], "retry");
}

#[tokio::test]
async fn a_held_connect_is_released_by_the_next_periodic_update() {
    let mock = Harness::start().await;
    let token = token_of(&mock, AGENT, AGENT_PASSWORD).await;
    let client = ready_session(&mock, &token, &[UPDATES]).await;
    create_subscription(
        &mock,
        &token,
        &subscription_with("tics", "TimeInCurrentState"),
        Some(&client),
    )
    .await;
    // The push at creation is queued: this connect returns at once with it.
    let first = connect(&mock, &token, &client, None).await;
    assert!(!events_on(&first, UPDATES).is_empty(), "{first}");

    let started = Instant::now();
    let held = connect(&mock, &token, &client, None).await;

    assert!(
        started.elapsed() < Duration::from_millis(2500),
        "{:?}",
        started.elapsed()
    );
    let updates = events_on(&held, UPDATES);
    assert_eq!(updates.len(), 1, "{held}");
    let event = &updates[0]["data"];
    assert_eq!(event["name"], "StatisticUpdate");
    assert_eq!(event["topic"], UPDATES);
    let stat = &event["data"]["statistics"][0];
    assert_eq!(stat["subscriptionId"], "tics");
    assert_eq!(stat["statisticId"], "st1");
    assert_eq!(stat["name"], "TimeInCurrentState");
    assert_eq!(stat["objectId"], "agent1");
    assert_eq!(stat["objectType"], "Agent");
    assert!(stat["timestamp"].is_u64());
    assert!(stat["value"]["intValue"].is_i64());
    let last = held.as_array().unwrap().last().unwrap();
    assert_eq!(
        (last["channel"].as_str(), last["successful"].as_bool()),
        (Some("/meta/connect"), Some(true))
    );
}

#[tokio::test]
async fn a_second_connect_releases_the_held_one_at_once() {
    let mock = Harness::start().await;
    let token = token_of(&mock, AGENT, AGENT_PASSWORD).await;
    let client = ready_session(&mock, &token, &[SERVICE]).await;

    let started = Instant::now();
    let (first, second) = tokio::join!(connect(&mock, &token, &client, None), async {
        tokio::time::sleep(Duration::from_millis(300)).await;
        connect(&mock, &token, &client, Some(400)).await
    });

    assert_eq!(first[0]["successful"], true);
    assert_eq!(second[0]["successful"], true);
    let elapsed = started.elapsed();
    assert!(
        elapsed >= Duration::from_millis(650) && elapsed < Duration::from_secs(3),
        "{elapsed:?}"
    );
}

#[tokio::test]
async fn a_subscribe_sent_while_a_connect_is_held_is_answered_at_once_and_wakes_the_connect() {
    let mock = Harness::start().await;
    let token = token_of(&mock, AGENT, AGENT_PASSWORD).await;
    let client = ready_session(&mock, &token, &[]).await;
    create_subscription(
        &mock,
        &token,
        &subscription_with("wake", "AverageHandlingTime"),
        None,
    )
    .await;

    let started = Instant::now();
    let (held, subscribed) = tokio::join!(connect(&mock, &token, &client, None), async {
        tokio::time::sleep(Duration::from_millis(200)).await;
        subscribe(&mock, &token, &client, UPDATES).await
    });

    assert_eq!(subscribed[0]["successful"], true);
    assert!(started.elapsed() < Duration::from_secs(3));
    let updates = events_on(&held, UPDATES);
    assert_eq!(updates.len(), 1, "{held}");
    assert_eq!(
        updates[0]["data"]["data"]["statistics"][0]["subscriptionId"],
        "wake"
    );
}

#[tokio::test]
async fn a_session_idle_longer_than_max_interval_is_dropped_and_told_to_handshake() {
    let mut config = MockConfig::default_seed();
    config.statistics.cometd_max_interval_ms = 300;
    let mock = Harness::start_with(config).await;
    let token = token_of(&mock, AGENT, AGENT_PASSWORD).await;
    let client = handshake(&mock, &token).await;
    connect(&mock, &token, &client, None).await;

    tokio::time::sleep(Duration::from_millis(900)).await;
    let body = connect(&mock, &token, &client, Some(0)).await;

    assert_eq!(body[0]["successful"], false);
    assert_eq!(body[0]["error"], "402::Unknown client");
    assert_eq!(
        body[0]["advice"],
        json!({"interval": 0, "reconnect": "handshake"})
    );
    assert_eq!(body[0]["id"], "c");
}

#[tokio::test]
async fn an_unknown_channel_is_403_unknown_channel_and_publishing_is_refused() {
    let mock = Harness::start().await;
    let token = token_of(&mock, AGENT, AGENT_PASSWORD).await;
    let client = handshake(&mock, &token).await;

    let unknown = subscribe(&mock, &token, &client, "/statistics/v3/*").await;
    let (_, _, others) = post(
        &mock,
        &token,
        N,
        &json!([
            {"channel": UPDATES, "clientId": client, "data": {}},
            {"channel": "/meta/nonsense", "clientId": client},
        ]),
    )
    .await;

    assert_eq!(unknown[0]["successful"], false);
    assert_eq!(unknown[0]["error"], "403:/statistics/v3/*:Unknown channel");
    assert_eq!(unknown[0]["subscription"], "/statistics/v3/*");
    assert_eq!(others[0]["error"], "403::Publish not allowed");
    assert_eq!(others[0]["channel"], UPDATES);
    assert_eq!(others[1]["error"], "400::Unknown meta channel");
}

#[tokio::test]
async fn a_body_that_is_not_json_is_400_with_a_bayeux_array() {
    let mock = Harness::start().await;
    let token = token_of(&mock, AGENT, AGENT_PASSWORD).await;

    let response = mock
        .bearer(Method::POST, N, &token)
        .header(CONTENT_TYPE, "application/json")
        .body("[{")
        .send()
        .await
        .unwrap();
    let (status, headers, body) = json_of(response).await;

    assert_eq!(status, 400);
    assert_eq!(headers[CONTENT_TYPE], "application/json;charset=UTF-8");
    assert_eq!(body[0]["successful"], false);
    assert!(body[0]["error"]
        .as_str()
        .unwrap()
        .starts_with("400::Malformed message: "));
}

#[tokio::test]
async fn a_form_body_with_a_message_field_is_accepted() {
    let mock = Harness::start().await;
    let token = token_of(&mock, AGENT, AGENT_PASSWORD).await;

    let form = form_body(&[("message", &json!([handshake_message()]).to_string())]);
    let response = mock
        .bearer(Method::POST, N, &token)
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(form)
        .send()
        .await
        .unwrap();
    let (status, _, body) = json_of(response).await;

    assert_eq!(status, 200);
    assert_eq!(body[0]["successful"], true);
}

#[tokio::test]
async fn the_notifications_endpoint_checks_the_api_key_and_the_bearer_token() {
    let mock = Harness::start().await;

    let no_key = mock
        .bare(Method::POST, N)
        .json(&json!([handshake_message()]))
        .send()
        .await
        .unwrap();
    let no_token = mock
        .keyed(Method::POST, N)
        .json(&json!([handshake_message()]))
        .send()
        .await
        .unwrap();

    assert_eq!(no_key.status(), 403);
    assert_eq!(no_token.status(), 401);
}

#[tokio::test]
async fn a_session_used_with_another_users_token_is_403_forbidden() {
    let mock = Harness::start().await;
    let agent = token_of(&mock, AGENT, AGENT_PASSWORD).await;
    let supervisor = token_of(&mock, SUPERVISOR, SUPERVISOR_PASSWORD).await;
    let client = handshake(&mock, &agent).await;

    let body = connect(&mock, &supervisor, &client, Some(0)).await;
    let sub = subscribe(&mock, &supervisor, &client, UPDATES).await;

    assert_eq!(body[0]["error"], "403::Forbidden");
    assert_eq!(sub[0]["error"], "403::Forbidden");
}

#[tokio::test]
async fn an_update_reaches_only_the_session_named_by_the_cookie() {
    let mock = Harness::start().await;
    let agent = token_of(&mock, AGENT, AGENT_PASSWORD).await;
    let supervisor = token_of(&mock, SUPERVISOR, SUPERVISOR_PASSWORD).await;
    let bound = ready_session(&mock, &agent, &[UPDATES]).await;
    let other_agent_session = ready_session(&mock, &agent, &[UPDATES]).await;
    let other_user = ready_session(&mock, &supervisor, &[UPDATES]).await;

    create_subscription(
        &mock,
        &agent,
        &subscription_with("bound", "AverageHandlingTime"),
        Some(&bound),
    )
    .await;
    let to_bound = connect(&mock, &agent, &bound, Some(0)).await;
    let to_other_agent = connect(&mock, &agent, &other_agent_session, Some(0)).await;
    let to_other_user = connect(&mock, &supervisor, &other_user, Some(0)).await;

    assert_eq!(events_on(&to_bound, UPDATES).len(), 1, "{to_bound}");
    assert!(
        events_on(&to_other_agent, UPDATES).is_empty(),
        "{to_other_agent}"
    );
    assert!(
        events_on(&to_other_user, UPDATES).is_empty(),
        "{to_other_user}"
    );
}

#[tokio::test]
async fn without_a_cookie_an_update_reaches_every_session_of_the_user_and_no_other() {
    let mock = Harness::start().await;
    let agent = token_of(&mock, AGENT, AGENT_PASSWORD).await;
    let supervisor = token_of(&mock, SUPERVISOR, SUPERVISOR_PASSWORD).await;
    let one = ready_session(&mock, &agent, &[UPDATES]).await;
    let two = ready_session(&mock, &agent, &[UPDATES]).await;
    let other_user = ready_session(&mock, &supervisor, &[UPDATES]).await;
    let not_subscribed = ready_session(&mock, &agent, &[SERVICE]).await;

    create_subscription(
        &mock,
        &agent,
        &subscription_with("user", "AverageHandlingTime"),
        None,
    )
    .await;

    assert_eq!(
        events_on(&connect(&mock, &agent, &one, Some(0)).await, UPDATES).len(),
        1
    );
    assert_eq!(
        events_on(&connect(&mock, &agent, &two, Some(0)).await, UPDATES).len(),
        1
    );
    assert!(events_on(
        &connect(&mock, &supervisor, &other_user, Some(0)).await,
        UPDATES
    )
    .is_empty());
    assert!(events_on(
        &connect(&mock, &agent, &not_subscribed, Some(0)).await,
        UPDATES
    )
    .is_empty());
}

#[tokio::test]
async fn subscribing_to_updates_after_the_rest_subscription_delivers_the_current_values_once() {
    let mock = Harness::start().await;
    let token = token_of(&mock, AGENT, AGENT_PASSWORD).await;
    let client = ready_session(&mock, &token, &[SERVICE]).await;
    create_subscription(
        &mock,
        &token,
        &subscription_with("late", "AverageHandlingTime"),
        Some(&client),
    )
    .await;

    subscribe(&mock, &token, &client, UPDATES).await;
    let body = connect(&mock, &token, &client, Some(0)).await;

    let updates = events_on(&body, UPDATES);
    assert_eq!(updates.len(), 1, "{body}");
    assert_eq!(
        updates[0]["data"]["data"]["statistics"][0]["subscriptionId"],
        "late"
    );
}

#[tokio::test]
async fn unavailable_is_broadcast_on_the_service_channel_and_drops_every_subscription() {
    let mock = Harness::start().await;
    let token = token_of(&mock, AGENT, AGENT_PASSWORD).await;
    let client = ready_session(&mock, &token, &[SERVICE]).await;
    create_subscription(
        &mock,
        &token,
        &subscription_with("doomed", "CurrentAgentState"),
        Some(&client),
    )
    .await;

    let (held, _) = tokio::join!(connect(&mock, &token, &client, None), async {
        tokio::time::sleep(Duration::from_millis(200)).await;
        mock.bare(Method::POST, "/__cxgate/statistics/service")
            .json(&json!({"state": "UNAVAILABLE"}))
            .send()
            .await
            .unwrap()
    });
    let (_, _, snapshot) = json_of(
        mock.bare(Method::GET, "/__cxgate/statistics")
            .send()
            .await
            .unwrap(),
    )
    .await;

    let service = events_on(&held, SERVICE);
    assert_eq!(service.len(), 1, "{held}");
    assert_eq!(
        service[0]["data"],
        json!({"name": "ServiceStateChange", "topic": SERVICE, "data": {"serviceState": "UNAVAILABLE"}})
    );
    assert_eq!(snapshot["subscriptions"], 0);
    assert_eq!(snapshot["serviceState"], "UNAVAILABLE");
}

#[tokio::test]
async fn disconnect_ends_the_session_and_answers_a_held_connect_at_once() {
    let mock = Harness::start().await;
    let token = token_of(&mock, AGENT, AGENT_PASSWORD).await;
    let client = ready_session(&mock, &token, &[SERVICE]).await;

    let started = Instant::now();
    let (held, bye) = tokio::join!(connect(&mock, &token, &client, None), async {
        tokio::time::sleep(Duration::from_millis(200)).await;
        post(
            &mock,
            &token,
            &format!("{N}/disconnect"),
            &json!([{"channel": "/meta/disconnect", "clientId": client, "id": 9}]),
        )
        .await
        .2
    });
    let after = connect(&mock, &token, &client, Some(0)).await;

    assert!(started.elapsed() < Duration::from_secs(3));
    assert_eq!(
        bye[0],
        json!({"channel": "/meta/disconnect", "id": 9, "successful": true})
    );
    assert_eq!(held[0]["successful"], true);
    assert_eq!(after[0]["error"], "402::Unknown client");
}

#[tokio::test]
async fn a_chunked_handshake_body_without_content_length_is_read_whole() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mock = Harness::start().await;
    let token = token_of(&mock, AGENT, AGENT_PASSWORD).await;
    let body = json!([handshake_message()]).to_string();
    let (head, tail) = body.split_at(body.len() / 2);

    let request = format!(
        "POST {N}/handshake HTTP/1.1\r\nHost: {addr}\r\nx-api-key: {API_KEY}\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n\
         {:x}\r\n{head}\r\n{:x}\r\n{tail}\r\n0\r\n\r\n",
        head.len(),
        tail.len(),
        addr = mock.server.addr(),
    );
    let mut stream = tokio::net::TcpStream::connect(mock.server.addr())
        .await
        .unwrap();
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.unwrap();

    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains("\"clientId\""), "{answer}");
    assert!(answer.contains("STATISTICS_SESSIONID="), "{answer}");
}

#[tokio::test]
async fn an_immediate_statistic_is_pushed_when_the_agent_state_changes() {
    let mock = Harness::start().await;
    let token = token_of(&mock, AGENT, AGENT_PASSWORD).await;
    let client = ready_session(&mock, &token, &[UPDATES]).await;
    create_subscription(
        &mock,
        &token,
        &subscription_with("state", "CurrentAgentState"),
        Some(&client),
    )
    .await;
    let created = connect(&mock, &token, &client, None).await;
    let initial = events_on(&created, UPDATES)[0]["data"]["data"]["statistics"][0]["value"]
        ["stringValue"]
        .clone();

    // Each agent state lasts 3 to 8 buckets of one second: advance until it changes.
    for _ in 0..12 {
        mock.bare(Method::POST, "/__cxgate/clock/advance")
            .json(&json!({"seconds": 1}))
            .send()
            .await
            .unwrap();
        tokio::time::sleep(Duration::from_millis(250)).await;
        let body = connect(&mock, &token, &client, Some(0)).await;
        if let Some(update) = events_on(&body, UPDATES).first() {
            let stat = &update["data"]["data"]["statistics"][0];
            assert_eq!(stat["name"], "CurrentAgentState");
            assert_ne!(stat["value"]["stringValue"], initial, "{body}");
            return;
        }
    }
    panic!("the agent state never changed in 12 seconds of mock time");
}
