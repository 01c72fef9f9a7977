//! The /__cxgate control plane.

use reqwest::Method;
use serde_json::json;

use super::*;

#[tokio::test]
async fn health_names_the_service_and_version() {
    let mock = Harness::start().await;

    let (status, _, body) = json_of(
        mock.bare(Method::GET, "/__cxgate/health")
            .send()
            .await
            .unwrap(),
    )
    .await;

    assert_eq!(status, 200);
    assert_eq!(
        body,
        json!({"service": "cxgate-mock", "status": "ok", "version": env!("CARGO_PKG_VERSION")})
    );
}

#[tokio::test]
async fn expiring_a_token_makes_it_401_access_token_expired() {
    let mock = Harness::start().await;
    let token = access_token(&mock.password_token(AGENT, AGENT_PASSWORD).await);

    let (status, _, _) = json_of(
        mock.bare(Method::POST, "/__cxgate/tokens/expire")
            .json(&json!({"access_token": token}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    let (after, _, body) = json_of(
        mock.bearer(Method::GET, "/auth/v3/userinfo", &token)
            .send()
            .await
            .unwrap(),
    )
    .await;
    let (unknown, _, unknown_body) = json_of(
        mock.bare(Method::POST, "/__cxgate/tokens/expire")
            .json(&json!({"access_token": "nope"}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    let (bad, _, _) = json_of(
        mock.bare(Method::POST, "/__cxgate/tokens/expire")
            .body("{")
            .send()
            .await
            .unwrap(),
    )
    .await;

    assert_eq!(status, 200);
    assert_eq!(after, 401);
    assert_eq!(body["error_description"], "Access token expired");
    assert_eq!(unknown, 404);
    assert_eq!(unknown_body, json!({"error": "unknown token"}));
    assert_eq!(bad, 400);
}

#[tokio::test]
async fn an_expired_code_is_invalid_grant() {
    let mock = Harness::start().await;
    let code = mock.authorization_code().await;

    let expire = mock
        .bare(Method::POST, "/__cxgate/codes/expire")
        .json(&json!({"code": code}))
        .send()
        .await
        .unwrap();
    let (status, _, body) = json_of(
        mock.token_request(&[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", REDIRECT_URI),
        ])
        .await,
    )
    .await;

    assert_eq!(expire.status(), 200);
    assert_eq!(status, 400);
    assert_eq!(body["error"], "invalid_grant");
}

#[tokio::test]
async fn advancing_the_clock_past_the_lifetime_expires_tokens_and_shrinks_expires_in() {
    // Arrange
    let mock = Harness::start().await;
    let token = access_token(&mock.password_token(AGENT, AGENT_PASSWORD).await);

    // Act
    let (_, _, first) = json_of(
        mock.bare(Method::POST, "/__cxgate/clock/advance")
            .json(&json!({"seconds": 43_000}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    let still_valid = mock
        .status_of(mock.bearer(Method::GET, "/auth/v3/userinfo", &token))
        .await;
    let (_, _, second) = json_of(
        mock.bare(Method::POST, "/__cxgate/clock/advance")
            .json(&json!({"seconds": 200}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    let (expired, _, body) = json_of(
        mock.bearer(Method::GET, "/auth/v3/userinfo", &token)
            .send()
            .await
            .unwrap(),
    )
    .await;
    let negative = mock
        .status_of(
            mock.bare(Method::POST, "/__cxgate/clock/advance")
                .json(&json!({"seconds": -1})),
        )
        .await;
    let fraction = mock
        .status_of(
            mock.bare(Method::POST, "/__cxgate/clock/advance")
                .json(&json!({"seconds": 1.5})),
        )
        .await;

    // Assert
    assert_eq!(first, json!({"offset_secs": 43_000}));
    assert_eq!(still_valid, 200);
    assert_eq!(second, json!({"offset_secs": 43_200}));
    assert_eq!(expired, 401);
    assert_eq!(body["error_description"], "Access token expired");
    assert_eq!((negative, fraction), (400, 400));
}

#[tokio::test]
async fn reset_restores_seed_passwords_and_drops_tokens() {
    let mock = Harness::start().await;
    let token = access_token(&mock.password_token(AGENT, AGENT_PASSWORD).await);
    let change = json!({"data": {"oldPassword": AGENT_PASSWORD, "newPassword": "changed"}});
    mock.bearer(Method::POST, "/auth/v3/change-password", &token)
        .json(&change)
        .send()
        .await
        .unwrap();

    let reset = mock
        .bare(Method::POST, "/__cxgate/reset")
        .send()
        .await
        .unwrap();

    assert_eq!(reset.status(), 200);
    assert_eq!(
        mock.status_of(mock.bearer(Method::GET, "/auth/v3/userinfo", &token))
            .await,
        401
    );
    mock.password_token(AGENT, AGENT_PASSWORD).await;
}

#[tokio::test]
async fn an_unknown_control_path_is_json_404() {
    let mock = Harness::start().await;

    let (status, headers, body) = json_of(
        mock.bare(Method::GET, "/__cxgate/nothing")
            .send()
            .await
            .unwrap(),
    )
    .await;

    assert_eq!(status, 404);
    assert!(headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/json"));
    assert!(body["error"]
        .as_str()
        .unwrap()
        .contains("/__cxgate/nothing"));
}
