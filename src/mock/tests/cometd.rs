//! The Statistics API's CometD endpoint where the features cannot look: timing of held
//! connects, reaped sessions, fan-out without the session cookie, batches, encodings and
//! the handshakes the mock refuses.

use std::time::{Duration, Instant};

use reqwest::header::{CONTENT_TYPE, COOKIE, SET_COOKIE};
use reqwest::Method;
use serde_json::{json, Value};

use super::*;

const N: &str = "/statistics/v3/notifications";
const UPDATES: &str = "/statistics/v3/updates";
const SERVICE: &str = "/statistics/v3/service";
const JSON_UTF8: &str = "application/json;charset=UTF-8";

fn handshake_message() -> Value {
    json!({"channel": "/meta/handshake", "version": "1.0", "supportedConnectionTypes": ["long-polling"], "id": "1"})
}

/// A new session's clientId.
async fn handshake(mock: &Harness, token: &str) -> String {
    let answer = mock
        .authorized(Method::POST, &format!("{N}/handshake"), token)
        .json(&json!([handshake_message()]))
        .send()
        .await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    answer.json[0]["clientId"].as_str().unwrap().to_owned()
}

/// The replies to one /meta/connect (with `advice.timeout` when given).
async fn connect(mock: &Harness, token: &str, client: &str, timeout: Option<u64>) -> Value {
    let mut message = json!({"channel": "/meta/connect", "clientId": client, "connectionType": "long-polling", "id": "c"});
    if let Some(timeout) = timeout {
        message["advice"] = json!({"timeout": timeout});
    }
    let path = format!("{N}/connect");
    let call = mock.authorized(Method::POST, &path, token);
    call.json(&json!([message])).send().await.json
}

async fn subscribe(mock: &Harness, token: &str, client: &str, channel: &str) -> Value {
    let message = json!([{"channel": "/meta/subscribe", "clientId": client, "subscription": channel, "id": "s"}]);
    let call = mock.authorized(Method::POST, N, token);
    call.json(&message).send().await.json
}

/// A session that handshook, made its first connect (answered at once, Bayeux's
/// handshake-then-connect) and subscribed to `channels`.
async fn session(mock: &Harness, token: &str, channels: &[&str]) -> String {
    let client = handshake(mock, token).await;
    let started = Instant::now();
    let first = connect(mock, token, &client, None).await;
    assert!(started.elapsed() < Duration::from_secs(2), "{first}");
    assert_eq!(first[0]["successful"], true, "{first}");
    assert_eq!(first[0]["advice"]["reconnect"], "retry", "{first}");
    for channel in channels {
        let reply = subscribe(mock, token, &client, channel).await;
        assert_eq!(reply[0]["successful"], true, "{reply}");
    }
    client
}

/// The first statistic of each StatisticUpdate among `messages`.
fn updates(messages: &Value) -> Vec<&Value> {
    let messages = messages.as_array().unwrap().iter();
    let on_updates = messages.filter(|m| m["channel"] == UPDATES);
    on_updates
        .map(|m| &m["data"]["data"]["statistics"][0])
        .collect()
}

/// Asserts that `messages` hold exactly one update, for `subscription`.
fn assert_one_update_for(messages: &Value, subscription: &str) {
    let ids: Vec<Option<&str>> = updates(messages)
        .iter()
        .map(|stat| stat["subscriptionId"].as_str())
        .collect();
    assert_eq!(ids, [Some(subscription)], "{messages}");
}

/// Creates a REST subscription `id` to `name` of agent1, bound to `session` by its cookie
/// when given.
async fn rest_subscription(
    mock: &Harness,
    token: &str,
    id: &str,
    name: &str,
    session: Option<&str>,
) {
    let body = json!({"operationId": id, "data": {"statistics": [
        {"statisticId": "st1", "objectId": "agent1", "objectType": "Agent", "name": name}]}});
    let mut call = mock
        .authorized(Method::POST, "/statistics/v3/subscriptions", token)
        .json(&body);
    if let Some(session) = session {
        let cookie = format!("STATISTICS_SESSIONID={session};other=1");
        call = call.header(COOKIE.as_str(), &cookie);
    }
    let answer = call.send().await;
    assert_eq!(answer.status, 200, "{}", answer.text);
}

/// A mock whose agent has a session subscribed to the updates and a REST subscription
/// `id` to `name` bound to it by the cookie; also that session's client id and the
/// connect that brought the push made at creation.
async fn bound_session(id: &str, name: &str) -> (Harness, String, String, Value) {
    let (mock, token) = Harness::signed_in().await;
    let client = session(&mock, &token, &[UPDATES]).await;
    rest_subscription(&mock, &token, id, name, Some(&client)).await;
    let pushed = connect(&mock, &token, &client, None).await;
    (mock, token, client, pushed)
}

#[tokio::test]
async fn the_meta_paths_also_take_a_handshake_and_every_answer_is_json_utf8() {
    let (mock, token) = Harness::signed_in().await;

    // The three handshake paths are scenarios (bayeux.feature:17); these are the others.
    for suffix in ["/connect", "/subscribe", "/unsubscribe", "/disconnect"] {
        let answer = mock
            .authorized(Method::POST, &format!("{N}{suffix}"), &token)
            .json(&json!([handshake_message()]))
            .send()
            .await;

        assert_eq!(answer.status, 200, "{suffix}");
        assert_eq!(answer.header(CONTENT_TYPE.as_str()), JSON_UTF8, "{suffix}");
        assert_eq!(answer.json[0]["successful"], true, "{suffix}");
    }
}

#[tokio::test]
async fn the_handshake_advises_the_configured_timeout_ignores_what_follows_and_sets_http_only_cookies(
) {
    let (mock, token) = Harness::signed_in().await;

    let answer = mock
        .authorized(Method::POST, &format!("{N}/handshake"), &token)
        .json(&json!([handshake_message(), {"channel": "/meta/connect"}]))
        .send()
        .await;

    let body = &answer.json;
    assert_eq!(body.as_array().unwrap().len(), 1, "{body}");
    assert_eq!(body[0]["minimumVersion"], "1.0");
    assert_eq!(
        body[0]["advice"],
        json!({"interval": 0, "timeout": 20000, "reconnect": "retry"})
    );
    let client = body[0]["clientId"].as_str().unwrap();
    assert_eq!(client.len(), 26);
    assert!(client
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()));
    let cookies: Vec<&str> = answer
        .headers
        .get_all(SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap())
        .collect();
    let session = format!("STATISTICS_SESSIONID={client}; Path=/; HttpOnly");
    assert!(cookies.contains(&session.as_str()), "{cookies:?}");
    assert!(
        cookies
            .iter()
            .any(|c| c.starts_with("BAYEUX_BROWSER=") && c.ends_with("; Path=/; HttpOnly")),
        "{cookies:?}"
    );
}

#[tokio::test]
async fn handshakes_the_mock_cannot_accept_fail_per_bayeux() {
    let (mock, token) = Harness::signed_in().await;
    // (what, body, error prefix, reconnect advice); a bare object is a one-message batch.
    let rows = [
        (
            "websocket only",
            json!({"channel": "/meta/handshake", "version": "1.0", "supportedConnectionTypes": ["websocket"]}),
            "403::No common transport",
            json!("none"),
        ),
        (
            "no version",
            json!([{"channel": "/meta/handshake", "supportedConnectionTypes": ["long-polling"]}]),
            "400::",
            Value::Null,
        ),
    ];

    for (what, body, error, reconnect) in rows {
        let answer = mock
            .authorized(Method::POST, N, &token)
            .json(&body)
            .send()
            .await;

        let reply = &answer.json[0];
        assert_eq!(answer.status, 200, "{what}");
        assert_eq!(reply["successful"], false, "{what}: {reply}");
        assert!(
            reply["error"].as_str().unwrap().starts_with(error),
            "{what}: {reply}"
        );
        if !reconnect.is_null() {
            assert_eq!(reply["advice"]["reconnect"], reconnect, "{what}: {reply}");
        }
    }
}

#[tokio::test]
async fn a_batch_gets_one_reply_per_message_in_order_with_each_id_as_sent() {
    let (mock, token) = Harness::signed_in().await;
    let client = handshake(&mock, &token).await;
    let meta = |channel: &str, subscription: &str| json!({"channel": channel, "clientId": client, "subscription": subscription});
    let with_id = |mut message: Value, id: Value| {
        message["id"] = id;
        message
    };
    // (message, what its reply holds besides the same id)
    let rows = [
        (
            with_id(meta("/meta/subscribe", SERVICE), json!("7")),
            json!({"channel": "/meta/subscribe", "successful": true, "subscription": SERVICE}),
        ),
        (
            with_id(meta("/meta/subscribe", UPDATES), json!(8)),
            json!({"successful": true, "subscription": UPDATES}),
        ),
        (
            meta("/meta/unsubscribe", UPDATES),
            json!({"channel": "/meta/unsubscribe", "successful": true}),
        ),
        (
            with_id(meta("/meta/subscribe", "/statistics/v3/*"), json!("x")),
            json!({"successful": false, "error": "403:/statistics/v3/*:Unknown channel", "subscription": "/statistics/v3/*"}),
        ),
        (
            json!({"channel": UPDATES, "clientId": client, "data": {}}),
            json!({"channel": UPDATES, "error": "403::Publish not allowed"}),
        ),
        (
            json!({"channel": "/meta/nonsense", "clientId": client}),
            json!({"error": "400::Unknown meta channel"}),
        ),
    ];
    let batch: Vec<&Value> = rows.iter().map(|(message, _)| message).collect();

    let answer = mock
        .authorized(Method::POST, N, &token)
        .json(&json!(batch))
        .send()
        .await;

    for (index, (message, expected)) in rows.iter().enumerate() {
        let reply = &answer.json[index];
        assert_eq!(reply.get("id"), message.get("id"), "{index}: {reply}");
        for (key, value) in expected.as_object().unwrap() {
            assert_eq!(&reply[key], value, "{index}: {reply}");
        }
    }
}

#[tokio::test]
async fn bodies_in_other_encodings_are_read_or_refused_with_a_bayeux_array() {
    let (mock, token) = Harness::signed_in().await;
    let handshake = json!([handshake_message()]).to_string();
    let bayeux = || mock.authorized(Method::POST, N, &token);
    // (what, request, status, error prefix; "" for a successful handshake)
    let rows = [
        (
            "not JSON",
            bayeux().raw(b"[{".to_vec(), "application/json"),
            400,
            "400::Malformed message: ",
        ),
        (
            "a form with a message field",
            bayeux().form(&[("message", &handshake)]),
            200,
            "",
        ),
    ];

    for (what, call, status, error) in rows {
        let answer = call.send().await;

        let reply = &answer.json[0];
        assert_eq!(answer.status, status, "{what}: {}", answer.text);
        assert_eq!(answer.header(CONTENT_TYPE.as_str()), JSON_UTF8);
        assert_eq!(reply["successful"], error.is_empty(), "{reply}");
        let said = reply["error"].as_str().unwrap_or("");
        assert!(said.starts_with(error), "{reply}");
    }
}

#[tokio::test]
async fn a_chunked_handshake_body_without_content_length_is_read_whole() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let (mock, token) = Harness::signed_in().await;
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
async fn a_held_connect_is_released_by_the_next_periodic_update() {
    let (mock, token, client, first) = bound_session("tics", "TimeInCurrentState").await;
    // The push at creation was queued: the first connect returned at once with it.
    assert_one_update_for(&first, "tics");

    let started = Instant::now();
    let held = connect(&mock, &token, &client, None).await;

    let elapsed = started.elapsed();
    assert!(elapsed < Duration::from_millis(2500), "{elapsed:?}");
    assert_one_update_for(&held, "tics");
    let last = held.as_array().unwrap().last().unwrap();
    assert_eq!(
        (last["channel"].as_str(), last["successful"].as_bool()),
        (Some("/meta/connect"), Some(true))
    );
}

#[tokio::test]
async fn a_second_connect_releases_the_held_one_at_once() {
    let (mock, token) = Harness::signed_in().await;
    let client = session(&mock, &token, &[SERVICE]).await;

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
    let (mock, token) = Harness::signed_in().await;
    let client = session(&mock, &token, &[]).await;
    rest_subscription(&mock, &token, "wake", "AverageHandlingTime", None).await;

    let started = Instant::now();
    let (held, subscribed) = tokio::join!(connect(&mock, &token, &client, None), async {
        tokio::time::sleep(Duration::from_millis(200)).await;
        subscribe(&mock, &token, &client, UPDATES).await
    });

    assert_eq!(subscribed[0]["successful"], true);
    assert!(started.elapsed() < Duration::from_secs(3));
    assert_one_update_for(&held, "wake");
}

#[tokio::test]
async fn disconnect_answers_a_held_connect_at_once() {
    let (mock, token) = Harness::signed_in().await;
    let client = session(&mock, &token, &[SERVICE]).await;
    let bye = json!([{"channel": "/meta/disconnect", "clientId": client, "id": 9}]);

    let started = Instant::now();
    let (held, bye) = tokio::join!(connect(&mock, &token, &client, None), async {
        tokio::time::sleep(Duration::from_millis(200)).await;
        let call = mock.authorized(Method::POST, &format!("{N}/disconnect"), &token);
        call.json(&bye).send().await.json
    });

    assert!(started.elapsed() < Duration::from_secs(3));
    assert_eq!(
        bye[0],
        json!({"channel": "/meta/disconnect", "id": 9, "successful": true})
    );
    assert_eq!(held[0]["successful"], true);
}

#[tokio::test]
async fn a_session_idle_longer_than_max_interval_is_dropped_and_told_to_handshake() {
    let mut config = MockConfig::default_seed();
    config.statistics.cometd_max_interval_ms = 300;
    let (mock, token) = Harness::with_agent(config).await;
    let client = session(&mock, &token, &[]).await;

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
async fn a_session_used_with_another_users_token_is_403_forbidden() {
    let (mock, agent) = Harness::signed_in().await;
    let supervisor = mock.supervisor_token().await;
    let client = handshake(&mock, &agent).await;

    let body = connect(&mock, &supervisor, &client, Some(0)).await;
    let sub = subscribe(&mock, &supervisor, &client, UPDATES).await;

    assert_eq!(body[0]["error"], "403::Forbidden");
    assert_eq!(sub[0]["error"], "403::Forbidden");
}

#[tokio::test]
async fn without_a_cookie_an_update_reaches_every_session_of_the_user_and_no_other() {
    let (mock, agent) = Harness::signed_in().await;
    let supervisor = mock.supervisor_token().await;
    // (whose token, channels, updates expected)
    let sessions = [
        (&agent, UPDATES, 1),
        (&agent, UPDATES, 1),
        (&supervisor, UPDATES, 0),
        (&agent, SERVICE, 0),
    ];
    let mut clients = Vec::new();
    for (token, channel, _) in &sessions {
        clients.push(session(&mock, token, &[channel]).await);
    }

    rest_subscription(&mock, &agent, "user", "AverageHandlingTime", None).await;

    for ((token, channel, expected), client) in sessions.iter().zip(&clients) {
        let body = connect(&mock, token, client, Some(0)).await;
        assert_eq!(updates(&body).len(), *expected, "{channel}: {body}");
    }
}

#[tokio::test]
async fn subscribing_to_updates_after_the_rest_subscription_delivers_the_current_values_once() {
    let (mock, token) = Harness::signed_in().await;
    let client = session(&mock, &token, &[SERVICE]).await;
    rest_subscription(&mock, &token, "late", "AverageHandlingTime", Some(&client)).await;

    subscribe(&mock, &token, &client, UPDATES).await;
    let body = connect(&mock, &token, &client, Some(0)).await;

    assert_one_update_for(&body, "late");
}

#[tokio::test]
async fn an_immediate_statistic_is_pushed_when_the_agent_state_changes() {
    let (mock, token, client, created) = bound_session("state", "CurrentAgentState").await;
    let initial = updates(&created)[0]["value"]["stringValue"].clone();

    // Each agent state lasts 3 to 8 buckets of one second: advance until it changes.
    for _ in 0..12 {
        mock.call(Method::POST, "/__cxgate/clock/advance")
            .json(&json!({"seconds": 1}))
            .send()
            .await;
        tokio::time::sleep(Duration::from_millis(250)).await;
        let body = connect(&mock, &token, &client, Some(0)).await;
        if let Some(stat) = updates(&body).first() {
            assert_eq!(stat["name"], "CurrentAgentState");
            assert_ne!(stat["value"]["stringValue"], initial, "{body}");
            return;
        }
    }
    panic!("the agent state never changed in 12 seconds of mock time");
}
