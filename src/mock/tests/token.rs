//! POST /auth/v3/oauth/token and the x-api-key gate.

use reqwest::header::{AUTHORIZATION, CONTENT_TYPE};
use reqwest::Method;
use serde_json::json;

use super::*;

#[tokio::test]
async fn password_grant_answers_the_documented_token_shape() {
    // Arrange
    let mock = Harness::start().await;

    // Act
    let response = mock
        .token_request(&[
            ("grant_type", "password"),
            ("username", AGENT),
            ("password", AGENT_PASSWORD),
            ("scope", "*"),
        ])
        .await;
    let (status, headers, body) = json_of(response).await;

    // Assert
    assert_eq!(status, 200);
    assert_eq!(headers["cache-control"], "no-store");
    assert_eq!(headers["pragma"], "no-cache");
    assert!(headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/json"));
    let object = body.as_object().unwrap();
    let mut keys: Vec<&str> = object.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "access_token",
            "expires_in",
            "refresh_token",
            "scope",
            "token_type"
        ]
    );
    assert_eq!(body["token_type"], "bearer");
    assert_eq!(body["scope"], "*");
    assert_eq!(body["expires_in"], 43200);
    assert!(uuid::Uuid::parse_str(body["access_token"].as_str().unwrap()).is_ok());
    assert!(uuid::Uuid::parse_str(body["refresh_token"].as_str().unwrap()).is_ok());
    mock.server.shutdown().await;
}

#[tokio::test]
async fn bad_client_credentials_get_401_unauthorized_bad_credentials() {
    let mock = Harness::start().await;

    let response = mock
        .keyed(Method::POST, "/auth/v3/oauth/token")
        .header(AUTHORIZATION, basic(CLIENT_ID, "wrong"))
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(form_body(&[
            ("grant_type", "password"),
            ("username", AGENT),
            ("password", AGENT_PASSWORD),
        ]))
        .send()
        .await
        .unwrap();
    let (status, _, body) = json_of(response).await;

    assert_eq!(status, 401);
    assert_eq!(
        body,
        json!({"error": "Unauthorized", "error_description": "Bad credentials"})
    );
}

#[tokio::test]
async fn client_credentials_in_the_form_are_accepted_without_basic() {
    let mock = Harness::start().await;

    let response = mock
        .keyed(Method::POST, "/auth/v3/oauth/token")
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(form_body(&[
            ("grant_type", "client_credentials"),
            ("client_id", CLIENT_ID),
            ("client_secret", CLIENT_SECRET),
        ]))
        .send()
        .await
        .unwrap();
    let (status, _, body) = json_of(response).await;

    assert_eq!(status, 200);
    assert!(
        body.get("refresh_token").is_none(),
        "client_credentials must not get a refresh token"
    );
}

#[tokio::test]
async fn a_form_client_id_that_disagrees_with_basic_is_refused() {
    let mock = Harness::start().await;

    let response = mock
        .token_request(&[
            ("grant_type", "client_credentials"),
            ("client_id", "someone-else"),
        ])
        .await;

    assert_eq!(response.status(), 401);
}

#[tokio::test]
async fn wrong_user_password_gets_400_invalid_grant_bad_credentials() {
    let mock = Harness::start().await;

    let response = mock
        .token_request(&[
            ("grant_type", "password"),
            ("username", AGENT),
            ("password", "nope"),
        ])
        .await;
    let (status, _, body) = json_of(response).await;

    assert_eq!(status, 400);
    assert_eq!(
        body,
        json!({"error": "invalid_grant", "error_description": "Bad credentials"})
    );
}

#[tokio::test]
async fn username_without_tenant_is_not_matched() {
    let mock = Harness::start().await;

    let response = mock
        .token_request(&[
            ("grant_type", "password"),
            ("username", "agent1"),
            ("password", AGENT_PASSWORD),
        ])
        .await;

    assert_eq!(response.status(), 400);
}

#[tokio::test]
async fn grant_type_and_scope_errors_use_their_oauth_codes() {
    let mock = Harness::start().await;

    let (missing, _, missing_body) = json_of(mock.token_request(&[("scope", "*")]).await).await;
    let (unknown, _, unknown_body) =
        json_of(mock.token_request(&[("grant_type", "magic")]).await).await;
    let (scope, _, scope_body) = json_of(
        mock.token_request(&[("grant_type", "client_credentials"), ("scope", "openid")])
            .await,
    )
    .await;

    assert_eq!(
        (missing, missing_body["error"].as_str()),
        (400, Some("invalid_request"))
    );
    assert_eq!(
        (unknown, unknown_body["error"].as_str()),
        (400, Some("unsupported_grant_type"))
    );
    assert_eq!(
        (scope, scope_body["error"].as_str()),
        (400, Some("invalid_scope"))
    );
}

#[tokio::test]
async fn missing_api_key_gets_403_forbidden_on_three_endpoints() {
    let mock = Harness::start().await;
    let token = access_token(&mock.password_token(AGENT, AGENT_PASSWORD).await);

    let token_endpoint = mock
        .bare(Method::POST, "/auth/v3/oauth/token")
        .header(AUTHORIZATION, basic(CLIENT_ID, CLIENT_SECRET))
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body("grant_type=client_credentials")
        .send()
        .await
        .unwrap();
    let userinfo = mock
        .bare(Method::GET, "/auth/v3/userinfo")
        .header(AUTHORIZATION, format!("Bearer {token}"))
        .send()
        .await
        .unwrap();
    let wrong_key_unknown_path = mock
        .bare(Method::GET, "/auth/v3/no-such-endpoint")
        .header("X-API-KEY", "wrong-key")
        .send()
        .await
        .unwrap();

    for response in [token_endpoint, userinfo, wrong_key_unknown_path] {
        let (status, _, body) = json_of(response).await;
        assert_eq!(status, 403);
        assert_eq!(body, json!({"message": "Forbidden"}));
    }
}

#[tokio::test]
async fn the_api_key_header_name_is_case_insensitive() {
    let mock = Harness::start().await;

    let status = mock
        .status_of(
            mock.bare(Method::GET, "/auth/v3/ping")
                .header("X-Api-Key", API_KEY),
        )
        .await;

    assert_eq!(status, 403, "reaches /ping (403 Prohibited), not the gate");
}

#[tokio::test]
async fn malformed_form_body_gives_400_oauth_error_not_500() {
    let mock = Harness::start().await;

    let broken_escape = mock
        .keyed(Method::POST, "/auth/v3/oauth/token")
        .header(AUTHORIZATION, basic(CLIENT_ID, CLIENT_SECRET))
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body("grant_type=password&username=%zz&password=%ff%fe")
        .send()
        .await
        .unwrap();
    let json_body = mock
        .keyed(Method::POST, "/auth/v3/oauth/token")
        .header(AUTHORIZATION, basic(CLIENT_ID, CLIENT_SECRET))
        .header(CONTENT_TYPE, "application/json")
        .body(r#"{"grant_type":"password"}"#)
        .send()
        .await
        .unwrap();
    let not_utf8 = mock
        .keyed(Method::POST, "/auth/v3/oauth/token")
        .header(AUTHORIZATION, basic(CLIENT_ID, CLIENT_SECRET))
        .header(
            CONTENT_TYPE,
            "application/x-www-form-urlencoded; charset=utf-8",
        )
        .body(vec![b'a', b'=', 0xff, 0xfe])
        .send()
        .await
        .unwrap();

    for response in [broken_escape, json_body, not_utf8] {
        let (status, _, body) = json_of(response).await;
        assert_eq!(status, 400);
        assert_eq!(body["error"], "invalid_request");
        assert!(body["error_description"]
            .as_str()
            .is_some_and(|d| !d.is_empty()));
    }
}

#[tokio::test]
async fn refresh_revokes_the_old_access_token_and_the_refresh_token_still_works() {
    // Arrange
    let mock = Harness::start().await;
    let first = mock.password_token(AGENT, AGENT_PASSWORD).await;
    let refresh = first["refresh_token"].as_str().unwrap().to_owned();

    // Act
    let (status, _, second) = json_of(
        mock.token_request(&[("grant_type", "refresh_token"), ("refresh_token", &refresh)])
            .await,
    )
    .await;
    let old_userinfo = mock
        .bearer(Method::GET, "/auth/v3/userinfo", &access_token(&first))
        .send()
        .await
        .unwrap();
    let new_userinfo = mock
        .status_of(mock.bearer(Method::GET, "/auth/v3/userinfo", &access_token(&second)))
        .await;
    let (again, _, third) = json_of(
        mock.token_request(&[("grant_type", "refresh_token"), ("refresh_token", &refresh)])
            .await,
    )
    .await;

    // Assert
    assert_eq!(status, 200);
    assert_eq!(
        second["refresh_token"],
        refresh.as_str(),
        "the refresh token is reused"
    );
    assert_ne!(second["access_token"], first["access_token"]);
    assert_eq!(old_userinfo.status(), 401);
    assert_eq!(
        old_userinfo.headers()["www-authenticate"],
        "Bearer error=\"invalid_token\""
    );
    let (_, _, old_body) = json_of(old_userinfo).await;
    assert_eq!(
        old_body,
        json!({"error": "invalid_token", "error_description": "Invalid access token"})
    );
    assert_eq!(new_userinfo, 200);
    assert_eq!(again, 200);
    assert_eq!(third["refresh_token"], refresh.as_str());
}

#[tokio::test]
async fn an_unknown_refresh_token_is_invalid_grant() {
    let mock = Harness::start().await;

    let (status, _, body) = json_of(
        mock.token_request(&[("grant_type", "refresh_token"), ("refresh_token", "nope")])
            .await,
    )
    .await;

    assert_eq!(status, 400);
    assert_eq!(
        body,
        json!({"error": "invalid_grant", "error_description": "Invalid refresh token"})
    );
}
