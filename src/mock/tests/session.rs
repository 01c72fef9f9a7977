//! Bearer-token endpoints: userinfo, openid, jwt-userinfo, ping, sign-out, change-password.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use reqwest::header::AUTHORIZATION;
use reqwest::Method;
use serde_json::json;
use sha2::Sha256;

use super::*;

#[tokio::test]
async fn userinfo_answers_cloud_user_details_of_the_token_user() {
    let mock = Harness::start().await;
    let token = access_token(&mock.password_token(AGENT, AGENT_PASSWORD).await);

    let (status, _, body) = json_of(
        mock.bearer(Method::GET, "/auth/v3/userinfo", &token)
            .send()
            .await
            .unwrap(),
    )
    .await;

    assert_eq!(status, 200);
    assert_eq!(
        body,
        json!({
            "authorities": [{"name": "ROLE_AGENT", "privileges": ["statistics:read", "messaging:send", "email:send"]}],
            "cmeUserName": "agent1",
            "contactCenterId": "0ff723ff-6c6f-44e0-9ce3-ce579337eadd",
            "dbid": 101,
            "environmentId": "6c5b8e3a-1d2f-4e7a-9b0c-3f4d5e6a7b8c",
            "loginName": "agent1",
            "properties": {},
            "username": "tenant1\\agent1",
        })
    );
}

#[tokio::test]
async fn userinfo_of_a_client_credentials_token_names_the_client_only() {
    let mock = Harness::start().await;
    let (_, _, token) = json_of(
        mock.token_request(&[("grant_type", "client_credentials")])
            .await,
    )
    .await;

    let (_, _, body) = json_of(
        mock.bearer(Method::GET, "/auth/v3/userinfo", &access_token(&token))
            .send()
            .await
            .unwrap(),
    )
    .await;

    assert_eq!(
        body,
        json!({"authorities": [{"name": "ROLE_CLIENT", "privileges": []}], "username": CLIENT_ID, "properties": {}})
    );
}

#[tokio::test]
async fn openid_userinfo_answers_the_openid_claims() {
    let mock = Harness::start().await;
    let token = access_token(&mock.password_token(SUPERVISOR, SUPERVISOR_PASSWORD).await);

    let (status, _, body) = json_of(
        mock.bearer(Method::GET, "/auth/v3/openid/userinfo", &token)
            .send()
            .await
            .unwrap(),
    )
    .await;

    assert_eq!(status, 200);
    assert_eq!(body["aud"], CLIENT_ID);
    assert_eq!(body["user_name"], "supervisor1");
    assert_eq!(body["dbid"], 102);
    assert_eq!(body["given_name"], "Supervisor");
    assert_eq!(body["family_name"], "One");
    assert_eq!(body["email"], "supervisor1@tenant1.example.com");
    assert_eq!(
        body["contact_center_id"],
        "0ff723ff-6c6f-44e0-9ce3-ce579337eadd"
    );
    assert_eq!(body["authorities"][0]["name"], "ROLE_SUPERVISOR");
    assert!(uuid::Uuid::parse_str(body["sub"].as_str().unwrap()).is_ok());
    let again = json_of(
        mock.bearer(Method::GET, "/auth/v3/openid/userinfo", &token)
            .send()
            .await
            .unwrap(),
    )
    .await
    .2;
    assert_eq!(again["sub"], body["sub"], "sub is stable");
}

#[tokio::test]
async fn jwt_userinfo_payload_equals_userinfo_plus_iat_and_exp() {
    // Arrange
    let mock = Harness::start().await;
    let token = access_token(&mock.password_token(AGENT, AGENT_PASSWORD).await);
    let (_, _, userinfo) = json_of(
        mock.bearer(Method::GET, "/auth/v3/userinfo", &token)
            .send()
            .await
            .unwrap(),
    )
    .await;

    // Act
    let (status, headers, body) = json_of(
        mock.bearer(Method::GET, "/auth/v3/jwt-userinfo", &token)
            .send()
            .await
            .unwrap(),
    )
    .await;

    // Assert
    assert_eq!(status, 200);
    assert_eq!(
        body,
        json!({"status": {"code": 0, "message": "OK"}, "path": "/auth/v3/jwt-userinfo"})
    );
    let jwt = headers["x-gws-user"].to_str().unwrap();
    let parts: Vec<&str> = jwt.split('.').collect();
    assert_eq!(parts.len(), 3);
    let header: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[0]).unwrap()).unwrap();
    assert_eq!(header, json!({"alg": "HS256", "typ": "JWT"}));
    let mut mac = Hmac::<Sha256>::new_from_slice(b"cxgate-jwt-secret").unwrap();
    mac.update(format!("{}.{}", parts[0], parts[1]).as_bytes());
    mac.verify_slice(&URL_SAFE_NO_PAD.decode(parts[2]).unwrap())
        .unwrap();
    let mut payload: Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();
    let claims = payload.as_object_mut().unwrap();
    let iat = claims.remove("iat").unwrap().as_u64().unwrap();
    let exp = claims.remove("exp").unwrap().as_u64().unwrap();
    assert!(exp > iat && exp - iat <= 43_200);
    assert_eq!(payload, userinfo);
}

#[tokio::test]
async fn ping_is_200_with_a_token_and_403_prohibited_without() {
    let mock = Harness::start().await;
    let token = access_token(&mock.password_token(AGENT, AGENT_PASSWORD).await);

    let (ok, _, ok_body) = json_of(
        mock.bearer(Method::GET, "/auth/v3/ping", &token)
            .send()
            .await
            .unwrap(),
    )
    .await;
    let (no, _, no_body) = json_of(
        mock.keyed(Method::GET, "/auth/v3/ping")
            .send()
            .await
            .unwrap(),
    )
    .await;
    let (bad, _, _) = json_of(
        mock.bearer(Method::GET, "/auth/v3/ping", "nope")
            .send()
            .await
            .unwrap(),
    )
    .await;

    assert_eq!(ok, 200);
    assert_eq!(
        ok_body,
        json!({"status": {"code": 0, "message": "OK"}, "path": "/auth/v3/ping"})
    );
    assert_eq!(no, 403);
    assert_eq!(
        no_body,
        json!({"status": {"code": 403, "message": "Prohibited"}})
    );
    assert_eq!(bad, 403);
}

#[tokio::test]
async fn a_missing_bearer_token_gets_401_full_authentication_required() {
    let mock = Harness::start().await;

    let response = mock
        .keyed(Method::GET, "/auth/v3/openid/userinfo")
        .header(AUTHORIZATION, "bearer")
        .send()
        .await
        .unwrap();

    assert_eq!(
        response.headers()["www-authenticate"],
        "Bearer error=\"invalid_token\""
    );
    let (status, _, body) = json_of(response).await;
    assert_eq!(status, 401);
    assert_eq!(
        body,
        json!({"error": "invalid_token", "error_description": "Full authentication is required to access this resource"})
    );
}

#[tokio::test]
async fn the_bearer_scheme_is_case_insensitive() {
    let mock = Harness::start().await;
    let token = access_token(&mock.password_token(AGENT, AGENT_PASSWORD).await);

    let status = mock
        .status_of(
            mock.keyed(Method::GET, "/auth/v3/userinfo")
                .header(AUTHORIZATION, format!("bearer {token}")),
        )
        .await;

    assert_eq!(status, 200);
}

#[tokio::test]
async fn sign_out_without_global_revokes_only_the_presented_token_and_its_refresh_token() {
    // Arrange
    let mock = Harness::start().await;
    let first = mock.password_token(AGENT, AGENT_PASSWORD).await;
    let second = mock.password_token(AGENT, AGENT_PASSWORD).await;

    // Act
    let (status, _, body) = json_of(
        mock.bearer(Method::POST, "/auth/v3/sign-out", &access_token(&first))
            .send()
            .await
            .unwrap(),
    )
    .await;

    // Assert
    assert_eq!(status, 200);
    assert_eq!(
        body,
        json!({"status": {"code": 0, "message": "OK"}, "path": "/auth/v3/sign-out"})
    );
    assert_eq!(
        mock.status_of(mock.bearer(Method::GET, "/auth/v3/userinfo", &access_token(&first)))
            .await,
        401
    );
    assert_eq!(
        mock.status_of(mock.bearer(Method::GET, "/auth/v3/userinfo", &access_token(&second)))
            .await,
        200
    );
    let refresh = first["refresh_token"].as_str().unwrap();
    let refreshed = mock
        .token_request(&[("grant_type", "refresh_token"), ("refresh_token", refresh)])
        .await;
    assert_eq!(refreshed.status(), 400);
}

#[tokio::test]
async fn sign_out_global_revokes_every_token_of_the_user_and_no_one_else() {
    let mock = Harness::start().await;
    let first = mock.password_token(AGENT, AGENT_PASSWORD).await;
    let second = mock.password_token(AGENT, AGENT_PASSWORD).await;
    let other = mock.password_token(SUPERVISOR, SUPERVISOR_PASSWORD).await;

    let status = mock
        .status_of(mock.bearer(
            Method::GET,
            "/auth/v3/sign-out?global=true",
            &access_token(&first),
        ))
        .await;

    assert_eq!(status, 200);
    assert_eq!(
        mock.status_of(mock.bearer(Method::GET, "/auth/v3/userinfo", &access_token(&second)))
            .await,
        401
    );
    let refresh = second["refresh_token"].as_str().unwrap();
    assert_eq!(
        mock.token_request(&[("grant_type", "refresh_token"), ("refresh_token", refresh)])
            .await
            .status(),
        400
    );
    assert_eq!(
        mock.status_of(mock.bearer(Method::GET, "/auth/v3/userinfo", &access_token(&other)))
            .await,
        200
    );
}

#[tokio::test]
async fn sign_out_rejects_a_bad_global_value_without_revoking() {
    let mock = Harness::start().await;
    let token = access_token(&mock.password_token(AGENT, AGENT_PASSWORD).await);

    let (status, _, body) = json_of(
        mock.bearer(Method::POST, "/auth/v3/sign-out?global=maybe", &token)
            .send()
            .await
            .unwrap(),
    )
    .await;

    assert_eq!(status, 400);
    assert_eq!(
        body,
        json!({"status": {"code": 400, "message": "Invalid value for global: maybe"}})
    );
    assert_eq!(
        mock.status_of(mock.bearer(Method::GET, "/auth/v3/ping", &token))
            .await,
        200
    );
}

#[tokio::test]
async fn sign_out_get_redirects_only_to_a_registered_uri() {
    let mock = Harness::start().await;
    let kept = access_token(&mock.password_token(AGENT, AGENT_PASSWORD).await);
    let signed_out = access_token(&mock.password_token(AGENT, AGENT_PASSWORD).await);

    let refused = mock
        .bearer(Method::GET, "/auth/v3/sign-out", &kept)
        .query(&[("redirectUri", "http://evil.example/")])
        .send()
        .await
        .unwrap();
    let redirected = mock
        .bearer(Method::GET, "/auth/v3/sign-out", &signed_out)
        .query(&[("redirectUri", REDIRECT_URI)])
        .send()
        .await
        .unwrap();

    assert_eq!(redirected.status(), 302);
    assert_eq!(location(&redirected), REDIRECT_URI);
    let (status, _, body) = json_of(refused).await;
    assert_eq!(status, 400);
    assert_eq!(
        body,
        json!({"status": {"code": 400, "message": "redirectUri is not registered for this client"}})
    );
    assert_eq!(
        mock.status_of(mock.bearer(Method::GET, "/auth/v3/ping", &kept))
            .await,
        200
    );
    assert_eq!(
        mock.status_of(mock.bearer(Method::GET, "/auth/v3/ping", &signed_out))
            .await,
        403
    );
}

#[tokio::test]
async fn change_password_replaces_the_old_password_and_keeps_tokens() {
    // Arrange
    let mock = Harness::start().await;
    let token = access_token(&mock.password_token(AGENT, AGENT_PASSWORD).await);
    let request = json!({"data": {"oldPassword": AGENT_PASSWORD, "newPassword": "new-secret", "userName": AGENT}, "operationId": "op-1"});

    // Act
    let (status, _, body) = json_of(
        mock.bearer(Method::POST, "/auth/v3/change-password", &token)
            .json(&request)
            .send()
            .await
            .unwrap(),
    )
    .await;

    // Assert
    assert_eq!(status, 200);
    assert_eq!(
        body,
        json!({"status": {"code": 0, "message": "OK"}, "path": "/auth/v3/change-password", "operationId": "op-1"})
    );
    let old = mock
        .token_request(&[
            ("grant_type", "password"),
            ("username", AGENT),
            ("password", AGENT_PASSWORD),
        ])
        .await;
    assert_eq!(old.status(), 400);
    mock.password_token(AGENT, "new-secret").await;
    assert_eq!(
        mock.status_of(mock.bearer(Method::GET, "/auth/v3/ping", &token))
            .await,
        200
    );
    let authorize_old = mock
        .keyed(Method::GET, "/auth/v3/oauth/authorize")
        .query(&[
            ("response_type", "code"),
            ("client_id", CLIENT_ID),
            ("redirect_uri", REDIRECT_URI),
        ])
        .header(AUTHORIZATION, basic(AGENT, AGENT_PASSWORD))
        .send()
        .await
        .unwrap();
    assert_eq!(authorize_old.status(), 401);
}

#[tokio::test]
async fn change_password_refuses_a_wrong_old_password_another_user_and_a_client_token() {
    let mock = Harness::start().await;
    let token = access_token(&mock.password_token(AGENT, AGENT_PASSWORD).await);
    let (_, _, client) = json_of(
        mock.token_request(&[("grant_type", "client_credentials")])
            .await,
    )
    .await;
    let wrong_old = json!({"data": {"oldPassword": "nope", "newPassword": "x"}});
    let other_user = json!({"data": {"oldPassword": AGENT_PASSWORD, "newPassword": "x", "userName": SUPERVISOR}});

    let cases = [
        (token.clone(), wrong_old.clone()),
        (token.clone(), other_user),
        (access_token(&client), wrong_old),
    ];
    for (bearer, request) in cases {
        let response = mock
            .bearer(Method::POST, "/auth/v3/change-password", &bearer)
            .json(&request)
            .send()
            .await
            .unwrap();
        let (status, _, body) = json_of(response).await;
        assert_eq!(status, 403);
        assert_eq!(
            body,
            json!({"status": {"code": 403, "message": "Unable to update password"}})
        );
    }
    mock.password_token(AGENT, AGENT_PASSWORD).await;
}

#[tokio::test]
async fn change_password_reports_a_malformed_body_as_400() {
    let mock = Harness::start().await;
    let token = access_token(&mock.password_token(AGENT, AGENT_PASSWORD).await);

    for body in [
        "{not json",
        "[]",
        r#"{"operationId":"x"}"#,
        r#"{"data":{"oldPassword":"a"}}"#,
        r#"{"data":{"oldPassword":"a","newPassword":""}}"#,
    ] {
        let response = mock
            .bearer(Method::POST, "/auth/v3/change-password", &token)
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        let (status, _, json) = json_of(response).await;
        assert_eq!(status, 400, "{body}");
        assert_eq!(json["status"]["code"], 400);
        assert!(json["status"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()));
    }
}

#[tokio::test]
async fn unknown_paths_and_wrong_methods_answer_json_404_and_405() {
    let mock = Harness::start().await;

    let (missing, _, missing_body) = json_of(
        mock.keyed(Method::GET, "/auth/v3/nothing")
            .send()
            .await
            .unwrap(),
    )
    .await;
    let wrong_method = mock
        .keyed(Method::DELETE, "/auth/v3/userinfo")
        .send()
        .await
        .unwrap();
    let allow = wrong_method.headers().get("allow").cloned();
    let (method, _, method_body) = json_of(wrong_method).await;

    assert_eq!(missing, 404);
    assert_eq!(
        missing_body,
        json!({"status": {"code": 404, "message": "Not found: /auth/v3/nothing"}})
    );
    assert_eq!(method, 405);
    assert_eq!(method_body["status"]["code"], 405);
    assert!(allow.is_some_and(|a| a.to_str().unwrap().contains("GET")));
}
