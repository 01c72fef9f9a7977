//! POST /auth/v3/oauth/token and the x-api-key gate: only what `features/auth/token_*.feature`
//! and `api_key.feature` cannot see (the seed's lifetime and the exact token answer, inputs
//! no scenario sends, how the key header is spelled, the gate on an unknown path).

use reqwest::header::AUTHORIZATION;
use reqwest::Method;
use serde_json::json;

use super::*;

pub const TOKEN: &str = "/auth/v3/oauth/token";

/// POST /oauth/token with the API key and the seed client's Basic credentials; add the body.
pub fn token_call(mock: &Harness) -> Call {
    mock.call(Method::POST, TOKEN)
        .key()
        .header(AUTHORIZATION.as_str(), &basic(CLIENT_ID, CLIENT_SECRET))
}

#[tokio::test]
async fn a_password_grant_answers_exactly_the_token_fields_with_the_seed_lifetime() {
    let mock = Harness::start().await;

    let answer = token_call(&mock)
        .form(&[
            ("grant_type", "password"),
            ("username", AGENT),
            ("password", AGENT_PASSWORD),
            ("scope", "*"),
        ])
        .send()
        .await;

    assert_eq!(answer.status, 200, "{}", answer.text);
    assert_eq!(answer.header("pragma"), "no-cache");
    let mut keys: Vec<&str> = answer
        .json
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
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
    assert_eq!(answer.json["token_type"], "bearer");
    assert_eq!(answer.json["expires_in"], 43200);
    for field in ["access_token", "refresh_token"] {
        assert!(uuid::Uuid::parse_str(answer.json[field].as_str().unwrap()).is_ok());
    }
    mock.server.shutdown().await;
}

#[tokio::test]
async fn token_requests_no_scenario_sends_are_refused_with_their_codes() {
    let mock = Harness::start().await;
    let form = "application/x-www-form-urlencoded; charset=utf-8";
    let cases: [(&str, Vec<u8>, u16, Value); 4] = [
        (
            "a user name without its tenant",
            form_body(&[
                ("grant_type", "password"),
                ("username", "agent1"),
                ("password", AGENT_PASSWORD),
            ])
            .into_bytes(),
            400,
            json!({"error": "invalid_grant", "error_description": "Bad credentials"}),
        ),
        (
            "a form client_id other than the Basic client",
            form_body(&[
                ("grant_type", "client_credentials"),
                ("client_id", "someone-else"),
            ])
            .into_bytes(),
            401,
            json!("Unauthorized"),
        ),
        (
            "a form that is not UTF-8",
            vec![b'a', b'=', 0xff, 0xfe],
            400,
            json!("invalid_request"),
        ),
        (
            "an unknown refresh token",
            form_body(&[("grant_type", "refresh_token"), ("refresh_token", "nope")]).into_bytes(),
            400,
            json!({"error": "invalid_grant", "error_description": "Invalid refresh token"}),
        ),
    ];

    for (what, body, status, expected) in cases {
        let answer = token_call(&mock).raw(body, form).send().await;

        assert_eq!(answer.status, status, "{what}: {}", answer.text);
        if expected.is_object() {
            assert_eq!(answer.json, expected, "{what}");
        } else {
            assert_eq!(answer.json["error"], expected, "{what}");
        }
    }
}

#[tokio::test]
async fn the_api_key_header_is_matched_without_case_and_guards_unknown_paths_too() {
    let (mock, token) = Harness::signed_in().await;
    let cases = [
        (
            "X-API-KEY",
            API_KEY,
            "/auth/v3/ping",
            200,
            json!({"status": {"code": 0, "message": "OK"}, "path": "/auth/v3/ping"}),
        ),
        (
            "X-Api-Key",
            "wrong-key",
            "/auth/v3/no-such-endpoint",
            403,
            json!({"message": "Forbidden"}),
        ),
    ];

    for (name, key, path, status, body) in cases {
        let answer = mock
            .call(Method::GET, path)
            .header(name, key)
            .bearer(&token)
            .send()
            .await;

        assert_eq!(
            (answer.status, &answer.json),
            (status, &body),
            "{name}: {key} {path}"
        );
    }
}
