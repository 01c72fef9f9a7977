//! Bearer-token endpoints (userinfo, openid, jwt-userinfo, sign-out, change-password): only
//! what `features/auth/{userinfo,sign_out,change_password,ping}.feature` cannot see (the
//! seed's users as each endpoint shows them, the JWT's signature, Authorization spellings,
//! inputs no scenario sends, another user's tokens, the fallback 404/405).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use reqwest::header::AUTHORIZATION;
use reqwest::Method;
use serde_json::json;
use sha2::Sha256;

use super::token::token_call;
use super::*;

async fn client_token(mock: &Harness) -> String {
    let answer = token_call(mock)
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await;
    access_token(&answer.json)
}

#[tokio::test]
async fn the_seed_users_as_each_userinfo_endpoint_shows_them() {
    let mock = Harness::start().await;
    let (agent, supervisor, client) = (
        mock.agent_token().await,
        mock.supervisor_token().await,
        client_token(&mock).await,
    );
    let agent_details = json!({
        "authorities": [{"name": "ROLE_AGENT", "privileges": ["statistics:read", "messaging:send", "email:send"]}],
        "cmeUserName": "agent1",
        "contactCenterId": "0ff723ff-6c6f-44e0-9ce3-ce579337eadd",
        "dbid": 101,
        "environmentId": "6c5b8e3a-1d2f-4e7a-9b0c-3f4d5e6a7b8c",
        "loginName": "agent1",
        "properties": {},
        "username": "tenant1\\agent1",
    });
    let client_details = json!({"authorities": [{"name": "ROLE_CLIENT", "privileges": []}], "username": CLIENT_ID, "properties": {}});
    // (token, path, JSON pointer, value)
    let cases = [
        (&agent, "/auth/v3/userinfo", "", agent_details),
        (&client, "/auth/v3/userinfo", "", client_details),
        (
            &supervisor,
            "/auth/v3/openid/userinfo",
            "/aud",
            json!(CLIENT_ID),
        ),
        (
            &supervisor,
            "/auth/v3/openid/userinfo",
            "/user_name",
            json!("supervisor1"),
        ),
        (&supervisor, "/auth/v3/openid/userinfo", "/dbid", json!(102)),
        (
            &supervisor,
            "/auth/v3/openid/userinfo",
            "/given_name",
            json!("Supervisor"),
        ),
        (
            &supervisor,
            "/auth/v3/openid/userinfo",
            "/family_name",
            json!("One"),
        ),
        (
            &supervisor,
            "/auth/v3/openid/userinfo",
            "/email",
            json!("supervisor1@tenant1.example.com"),
        ),
        (
            &supervisor,
            "/auth/v3/openid/userinfo",
            "/contact_center_id",
            json!("0ff723ff-6c6f-44e0-9ce3-ce579337eadd"),
        ),
        (
            &supervisor,
            "/auth/v3/openid/userinfo",
            "/authorities/0/name",
            json!("ROLE_SUPERVISOR"),
        ),
    ];

    let mut subs = Vec::new();
    for (token, path, pointer, value) in cases {
        let answer = mock.authorized(Method::GET, path, token).send().await;

        assert_eq!(answer.status, 200, "{path}: {}", answer.text);
        assert_eq!(
            answer.json.pointer(pointer),
            Some(&value),
            "{path} {pointer}"
        );
        if path.starts_with("/auth/v3/openid") {
            subs.push(answer.json["sub"].clone());
        }
    }
    subs.dedup();
    assert_eq!(subs.len(), 1, "the supervisor's sub is stable: {subs:?}");
    assert!(
        uuid::Uuid::parse_str(subs[0].as_str().unwrap()).is_ok(),
        "{subs:?}"
    );
}

#[tokio::test]
async fn the_jwt_userinfo_header_is_signed_hs256_with_the_seed_secret() {
    let (mock, token) = Harness::signed_in().await;

    let answer = mock
        .authorized(Method::GET, "/auth/v3/jwt-userinfo", &token)
        .send()
        .await;

    let parts: Vec<&str> = answer.header("x-gws-user").split('.').collect();
    assert_eq!(parts.len(), 3);
    let decode = |part: &str| -> Value {
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(part).unwrap()).unwrap()
    };
    assert_eq!(decode(parts[0]), json!({"alg": "HS256", "typ": "JWT"}));
    let mut mac = Hmac::<Sha256>::new_from_slice(b"cxgate-jwt-secret").unwrap();
    mac.update(format!("{}.{}", parts[0], parts[1]).as_bytes());
    mac.verify_slice(&URL_SAFE_NO_PAD.decode(parts[2]).unwrap())
        .unwrap();
    let claims = decode(parts[1]);
    let (iat, exp) = (
        claims["iat"].as_u64().unwrap(),
        claims["exp"].as_u64().unwrap(),
    );
    assert!(exp > iat && exp - iat <= 43_200);
}

#[tokio::test]
async fn the_bearer_scheme_is_case_insensitive_and_a_bare_scheme_is_unauthenticated() {
    let (mock, token) = Harness::signed_in().await;
    let full = json!({"error": "invalid_token", "error_description": "Full authentication is required to access this resource"});
    let cases = [
        (format!("bearer {token}"), 200, Value::Null),
        ("bearer".to_owned(), 401, full),
    ];

    for (authorization, status, body) in cases {
        let answer = mock
            .call(Method::GET, "/auth/v3/openid/userinfo")
            .key()
            .header(AUTHORIZATION.as_str(), &authorization)
            .send()
            .await;

        assert_eq!(answer.status, status, "{authorization}: {}", answer.text);
        if status == 401 {
            assert_eq!(
                answer.header("www-authenticate"),
                "Bearer error=\"invalid_token\""
            );
            assert_eq!(answer.json, body);
        }
    }
}

#[tokio::test]
async fn a_bad_global_value_signs_nobody_out_and_a_global_sign_out_spares_other_users() {
    let mock = Harness::start().await;
    let (agent, supervisor) = (mock.agent_token().await, mock.supervisor_token().await);
    let harness = &mock;
    let ping = |token: String| async move {
        harness
            .authorized(Method::GET, "/auth/v3/ping", &token)
            .send()
            .await
            .status
    };

    let refused = json!({"status": {"code": 400, "message": "Invalid value for global: maybe"}});
    let done = json!({"status": {"code": 0, "message": "OK"}, "path": "/auth/v3/sign-out"});
    // (global, status, body, the agent's ping after)
    for (global, status, body, ping_after) in
        [("maybe", 400, refused, 200), ("true", 200, done, 403)]
    {
        let answer = mock
            .authorized(Method::POST, "/auth/v3/sign-out", &agent)
            .query(&[("global", global)])
            .send()
            .await;

        assert_eq!(
            (answer.status, &answer.json),
            (status, &body),
            "global={global}"
        );
        assert_eq!(ping(agent.clone()).await, ping_after, "global={global}");
    }
    assert_eq!(ping(supervisor).await, 200);
}

#[tokio::test]
async fn a_changed_password_keeps_tokens_echoes_the_operation_and_gates_basic_sign_in() {
    let (mock, token) = Harness::signed_in().await;
    let request = json!({"data": {"oldPassword": AGENT_PASSWORD, "newPassword": "new-secret", "userName": AGENT}, "operationId": "op-1"});

    let answer = mock.change_password(&token, &request).await;

    assert_eq!(answer.status, 200, "{}", answer.text);
    assert_eq!(
        answer.json,
        json!({"status": {"code": 0, "message": "OK"}, "path": "/auth/v3/change-password", "operationId": "op-1"})
    );
    let ping = mock
        .authorized(Method::GET, "/auth/v3/ping", &token)
        .send()
        .await;
    assert_eq!(ping.status, 200, "tokens outlive a password change");
    let query = [
        ("response_type", "code"),
        ("client_id", CLIENT_ID),
        ("redirect_uri", REDIRECT_URI),
    ];
    for (password, status) in [(AGENT_PASSWORD, 401), ("new-secret", 302)] {
        let authorize = mock
            .call(Method::GET, "/auth/v3/oauth/authorize")
            .key()
            .query(&query)
            .header(AUTHORIZATION.as_str(), &basic(AGENT, password))
            .send()
            .await;
        assert_eq!(authorize.status, status, "Basic with {password}");
    }
}

#[tokio::test]
async fn change_password_requests_no_scenario_sends_are_refused_and_change_nothing() {
    let mock = Harness::start().await;
    let (agent, client) = (mock.agent_token().await, client_token(&mock).await);
    let cases = [
        (
            &client,
            r#"{"data":{"oldPassword":"nope","newPassword":"x"}}"#,
            403,
        ),
        (&agent, "[]", 400),
        (&agent, r#"{"operationId":"x"}"#, 400),
        (
            &agent,
            r#"{"data":{"oldPassword":"a","newPassword":""}}"#,
            400,
        ),
    ];

    for (token, body, status) in cases {
        let answer = mock
            .authorized(Method::POST, "/auth/v3/change-password", token)
            .raw(body.as_bytes().to_vec(), "application/json")
            .send()
            .await;

        assert_eq!(answer.status, status, "{body}: {}", answer.text);
        assert_eq!(answer.json["status"]["code"], status, "{body}");
        assert!(answer.json["status"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()));
    }
    mock.password_token(AGENT, AGENT_PASSWORD).await;
}

#[tokio::test]
async fn unknown_paths_and_wrong_methods_answer_json_404_and_405() {
    let mock = Harness::start().await;

    let missing = mock
        .call(Method::GET, "/auth/v3/nothing")
        .key()
        .send()
        .await;
    let wrong_method = mock
        .call(Method::DELETE, "/auth/v3/userinfo")
        .key()
        .send()
        .await;

    assert_eq!(missing.status, 404);
    assert_eq!(
        missing.json,
        json!({"status": {"code": 404, "message": "Not found: /auth/v3/nothing"}})
    );
    assert_eq!(
        (wrong_method.status, &wrong_method.json["status"]["code"]),
        (405, &json!(405))
    );
    assert!(wrong_method.header("allow").contains("GET"));
}
