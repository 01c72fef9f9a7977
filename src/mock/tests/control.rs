//! The /__cxgate control plane: health, forced expiry, the shared clock, reset, its 404.

use reqwest::Method;
use serde_json::json;

use super::*;

#[tokio::test]
async fn health_names_the_service_and_version() {
    let mock = Harness::start().await;

    let answer = mock.call(Method::GET, "/__cxgate/health").send().await;

    assert_eq!(answer.status, 200);
    assert_eq!(
        answer.json,
        json!({"service": "cxgate-mock", "status": "ok", "version": env!("CARGO_PKG_VERSION")})
    );
}

#[tokio::test]
async fn forced_expiry_answers_known_unknown_and_malformed_requests() {
    let (mock, token) = Harness::signed_in().await;
    let cases = [
        (
            "tokens",
            json!({"access_token": token}).to_string(),
            200,
            json!({"expired": "access_token"}),
        ),
        (
            "tokens",
            json!({"access_token": "nope"}).to_string(),
            404,
            json!({"error": "unknown token"}),
        ),
        ("tokens", "{".to_owned(), 400, Value::Null),
        (
            "codes",
            json!({"code": "nope"}).to_string(),
            404,
            json!({"error": "unknown code"}),
        ),
        ("codes", json!({"code": ""}).to_string(), 400, Value::Null),
    ];

    for (what, body, status, expected) in cases {
        let path = format!("/__cxgate/{what}/expire");
        let answer = mock
            .call(Method::POST, &path)
            .raw(body.clone().into_bytes(), "application/json")
            .send()
            .await;

        assert_eq!(answer.status, status, "{path} {body}: {}", answer.text);
        if !expected.is_null() {
            assert_eq!(answer.json, expected, "{path} {body}");
        }
    }
    let after = mock
        .authorized(Method::GET, "/auth/v3/userinfo", &token)
        .send()
        .await;
    assert_eq!(after.status, 401);
    assert_eq!(after.json["error_description"], "Access token expired");
}

#[tokio::test]
async fn the_clock_advances_by_whole_seconds_and_reports_its_offset() {
    let (mock, token) = Harness::signed_in().await;
    let advance = |seconds: Value| {
        mock.call(Method::POST, "/__cxgate/clock/advance")
            .json(&json!({ "seconds": seconds }))
    };

    // (seconds, offset after, the token's userinfo status)
    for (seconds, offset, status) in [(43_000, 43_000, 200), (200, 43_200, 401)] {
        let advanced = advance(json!(seconds)).send().await;
        let userinfo = mock
            .authorized(Method::GET, "/auth/v3/userinfo", &token)
            .send()
            .await;

        assert_eq!(advanced.json, json!({ "offset_secs": offset }));
        assert_eq!(
            userinfo.status, status,
            "after {offset} s: {}",
            userinfo.text
        );
    }
    for refused in [json!(-1), json!(1.5), json!("10")] {
        assert_eq!(
            advance(refused.clone()).send().await.status,
            400,
            "{refused}"
        );
    }
}

#[tokio::test]
async fn reset_restores_seed_passwords_and_drops_tokens() {
    let (mock, token) = Harness::signed_in().await;
    let change = json!({"data": {"oldPassword": AGENT_PASSWORD, "newPassword": "changed"}});
    let changed = mock.change_password(&token, &change).await;
    assert_eq!(changed.status, 200, "{}", changed.text);

    let reset = mock.call(Method::POST, "/__cxgate/reset").send().await;

    assert_eq!(reset.status, 200);
    let forgotten = json!({ "access_token": token });
    let expire = mock
        .call(Method::POST, "/__cxgate/tokens/expire")
        .json(&forgotten)
        .send()
        .await;
    assert_eq!(
        expire.json,
        json!({"error": "unknown token"}),
        "reset drops the token"
    );
    mock.password_token(AGENT, AGENT_PASSWORD).await;
}

#[tokio::test]
async fn an_unknown_control_path_is_json_404() {
    let mock = Harness::start().await;

    let answer = mock.call(Method::GET, "/__cxgate/nothing").send().await;

    assert_eq!(answer.status, 404);
    assert!(answer
        .header("content-type")
        .starts_with("application/json"));
    assert!(answer.json["error"]
        .as_str()
        .unwrap()
        .contains("/__cxgate/nothing"));
}
