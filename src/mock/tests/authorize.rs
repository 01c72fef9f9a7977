//! GET /auth/v3/oauth/authorize, the sign-in form, and the authorization_code grant.

use regex::Regex;
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE};
use reqwest::Method;
use serde_json::json;

use super::*;

const AUTHORIZE: &str = "/auth/v3/oauth/authorize";

/// `name -> value` of every `<input>` in the form.
fn inputs(html: &str) -> HashMap<String, String> {
    let re = Regex::new(r#"<input [^>]*name="([^"]*)" value="([^"]*)""#).unwrap();
    re.captures_iter(html)
        .map(|c| (c[1].to_owned(), c[2].to_owned()))
        .collect()
}

#[tokio::test]
async fn basic_user_credentials_redirect_with_code_and_state_exactly() {
    // Arrange
    let mock = Harness::start().await;

    // Act
    let response = mock
        .keyed(Method::GET, AUTHORIZE)
        .query(&[
            ("response_type", "code"),
            ("client_id", CLIENT_ID),
            ("state", "70db3ab252ead1dd"),
            ("redirect_uri", REDIRECT_URI),
            ("scope", "*"),
        ])
        .header(AUTHORIZATION, basic(AGENT, AGENT_PASSWORD))
        .send()
        .await
        .unwrap();

    // Assert
    assert_eq!(response.status(), 302);
    let location = location(&response);
    let re =
        Regex::new(r"^http://127\.0\.0\.1/callback\?code=([0-9a-f-]{36})&state=70db3ab252ead1dd$")
            .unwrap();
    assert!(re.is_match(&location), "unexpected Location {location}");
}

#[tokio::test]
async fn state_is_omitted_from_the_redirect_when_not_given() {
    let mock = Harness::start().await;

    let response = mock
        .keyed(Method::GET, AUTHORIZE)
        .query(&[
            ("response_type", "code"),
            ("client_id", CLIENT_ID),
            ("redirect_uri", REDIRECT_URI),
        ])
        .header(AUTHORIZATION, basic(AGENT, AGENT_PASSWORD))
        .send()
        .await
        .unwrap();

    let pairs = url_pairs(&location(&response), false);
    assert!(pairs.contains_key("code"));
    assert!(!pairs.contains_key("state"));
}

#[tokio::test]
async fn an_authorization_code_works_once_and_only_once() {
    // Arrange
    let mock = Harness::start().await;
    let code = mock.authorization_code().await;
    let exchange = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", REDIRECT_URI),
    ];

    // Act
    let (first, _, token) = json_of(mock.token_request(&exchange).await).await;
    let (second, _, again) = json_of(mock.token_request(&exchange).await).await;

    // Assert
    assert_eq!(first, 200);
    assert!(token["refresh_token"].is_string());
    let userinfo = mock
        .bearer(Method::GET, "/auth/v3/userinfo", &access_token(&token))
        .send()
        .await
        .unwrap();
    assert_eq!(json_of(userinfo).await.2["username"], AGENT);
    assert_eq!(second, 400);
    assert_eq!(again["error"], "invalid_grant");
}

#[tokio::test]
async fn a_code_exchanged_with_another_redirect_uri_fails_and_is_consumed() {
    let mock = Harness::start().await;
    let code = mock.authorization_code().await;

    let (wrong, _, body) = json_of(
        mock.token_request(&[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", "http://127.0.0.1/other"),
        ])
        .await,
    )
    .await;
    let (retry, _, _) = json_of(
        mock.token_request(&[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", REDIRECT_URI),
        ])
        .await,
    )
    .await;

    assert_eq!(wrong, 400);
    assert_eq!(
        body,
        json!({"error": "invalid_grant", "error_description": "Redirect URI mismatch"})
    );
    assert_eq!(retry, 400, "a code is consumed even by a failed exchange");
}

#[tokio::test]
async fn an_unregistered_redirect_uri_never_redirects() {
    let mock = Harness::start().await;

    let cases = [
        vec![
            ("response_type", "code"),
            ("client_id", CLIENT_ID),
            ("redirect_uri", "http://127.0.0.1/callback/extra"),
        ],
        vec![
            ("response_type", "code"),
            ("client_id", CLIENT_ID),
            ("redirect_uri", "http://evil.example/callback"),
        ],
        vec![("response_type", "nonsense"), ("client_id", CLIENT_ID)],
    ];
    for query in cases {
        let response = mock
            .keyed(Method::GET, AUTHORIZE)
            .query(&query)
            .header(AUTHORIZATION, basic(AGENT, AGENT_PASSWORD))
            .send()
            .await
            .unwrap();
        assert!(response.headers().get("location").is_none());
        let (status, _, body) = json_of(response).await;
        assert_eq!(status, 400);
        assert_eq!(body["error"], "invalid_request");
    }
}

#[tokio::test]
async fn an_unknown_client_gets_401_invalid_client() {
    let mock = Harness::start().await;

    let response = mock
        .keyed(Method::GET, AUTHORIZE)
        .query(&[
            ("response_type", "code"),
            ("client_id", "nobody"),
            ("redirect_uri", REDIRECT_URI),
        ])
        .send()
        .await
        .unwrap();
    let (status, _, body) = json_of(response).await;

    assert_eq!(status, 401);
    assert_eq!(body["error"], "invalid_client");
}

#[tokio::test]
async fn errors_after_redirect_validation_go_back_by_redirect() {
    let mock = Harness::start().await;

    let bad_type = mock
        .keyed(Method::GET, AUTHORIZE)
        .query(&[
            ("response_type", "id_token"),
            ("client_id", CLIENT_ID),
            ("redirect_uri", REDIRECT_URI),
            ("state", "s1"),
        ])
        .send()
        .await
        .unwrap();
    let bad_scope = mock
        .keyed(Method::GET, AUTHORIZE)
        .query(&[
            ("response_type", "code"),
            ("client_id", CLIENT_ID),
            ("redirect_uri", REDIRECT_URI),
            ("scope", "openid"),
        ])
        .send()
        .await
        .unwrap();

    assert_eq!(bad_type.status(), 302);
    let pairs = url_pairs(&location(&bad_type), false);
    assert_eq!(pairs["error"], "unsupported_response_type");
    assert_eq!(pairs["state"], "s1");
    assert_eq!(bad_scope.status(), 302);
    assert_eq!(
        url_pairs(&location(&bad_scope), false)["error"],
        "invalid_scope"
    );
}

#[tokio::test]
async fn wrong_basic_user_credentials_get_401_bad_credentials() {
    let mock = Harness::start().await;

    let response = mock
        .keyed(Method::GET, AUTHORIZE)
        .query(&[
            ("response_type", "code"),
            ("client_id", CLIENT_ID),
            ("redirect_uri", REDIRECT_URI),
        ])
        .header(AUTHORIZATION, basic(AGENT, "wrong"))
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
async fn implicit_grant_puts_the_token_in_the_fragment_without_refresh_token() {
    let mock = Harness::start().await;

    let response = mock
        .keyed(Method::GET, AUTHORIZE)
        .query(&[
            ("response_type", "token"),
            ("client_id", CLIENT_ID),
            ("redirect_uri", REDIRECT_URI),
            ("state", "xyz"),
        ])
        .header(AUTHORIZATION, basic(AGENT, AGENT_PASSWORD))
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), 302);
    let location = location(&response);
    assert!(
        location.starts_with("http://127.0.0.1/callback#access_token="),
        "{location}"
    );
    let pairs = url_pairs(&location, true);
    assert_eq!(pairs["token_type"], "bearer");
    assert_eq!(pairs["expires_in"], "43200");
    assert_eq!(pairs["state"], "xyz");
    assert!(!pairs.contains_key("refresh_token"));
    let ping = mock
        .status_of(mock.bearer(Method::GET, "/auth/v3/ping", &pairs["access_token"]))
        .await;
    assert_eq!(ping, 200);
}

#[tokio::test]
async fn without_authorization_the_sign_in_form_carries_the_request_escaped() {
    let mock = Harness::start().await;

    let response = mock
        .keyed(Method::GET, AUTHORIZE)
        .query(&[
            ("response_type", "code"),
            ("client_id", CLIENT_ID),
            ("redirect_uri", REDIRECT_URI),
            ("state", "a\"<b>&c"),
        ])
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()[CONTENT_TYPE], "text/html; charset=utf-8");
    let html = response.text().await.unwrap();
    assert!(html.contains(r#"<form method="post" action="/auth/v3/sign-in">"#));
    let fields = inputs(&html);
    assert_eq!(fields["client_id"], CLIENT_ID);
    assert_eq!(fields["redirect_uri"], REDIRECT_URI);
    assert_eq!(fields["response_type"], "code");
    assert_eq!(fields["state"], "a&quot;&lt;b&gt;&amp;c");
    assert_eq!(fields["scope"], "");
    assert!(fields.contains_key("tenant"));
    assert!(fields.contains_key("username"));
    assert!(fields.contains_key("password"));
}

#[tokio::test]
async fn hide_tenant_removes_the_tenant_field() {
    let mock = Harness::start().await;

    let html = mock
        .keyed(Method::GET, AUTHORIZE)
        .query(&[
            ("response_type", "code"),
            ("client_id", CLIENT_ID),
            ("redirect_uri", REDIRECT_URI),
            ("hideTenant", "true"),
        ])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();

    let fields = inputs(&html);
    assert!(!fields.contains_key("tenant"));
    assert!(fields.contains_key("username"));
}

#[tokio::test]
async fn sign_in_post_with_tenant_and_username_redirects_with_a_code() {
    // Arrange: the browser posts the form without an API key.
    let mock = Harness::start().await;
    let body = form_body(&[
        ("client_id", CLIENT_ID),
        ("redirect_uri", REDIRECT_URI),
        ("response_type", "code"),
        ("state", "st"),
        ("scope", ""),
        ("tenant", "tenant1"),
        ("username", "agent1"),
        ("password", AGENT_PASSWORD),
    ]);

    // Act
    let response = mock
        .bare(Method::POST, "/auth/v3/sign-in")
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap();

    // Assert
    assert_eq!(response.status(), 302);
    let pairs = url_pairs(&location(&response), false);
    assert_eq!(pairs["state"], "st");
    let (status, _, _) = json_of(
        mock.token_request(&[
            ("grant_type", "authorization_code"),
            ("code", &pairs["code"]),
            ("redirect_uri", REDIRECT_URI),
        ])
        .await,
    )
    .await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn sign_in_post_with_bad_credentials_shows_the_form_again() {
    let mock = Harness::start().await;
    let body = form_body(&[
        ("client_id", CLIENT_ID),
        ("redirect_uri", REDIRECT_URI),
        ("response_type", "code"),
        ("username", AGENT),
        ("password", "wrong"),
    ]);

    let response = mock
        .bare(Method::POST, "/auth/v3/sign-in")
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), 200);
    assert!(response.headers().get("location").is_none());
    let html = response.text().await.unwrap();
    assert!(html.contains("Bad credentials"));
    assert_eq!(inputs(&html)["username"], "tenant1\\agent1");
    assert_eq!(inputs(&html)["password"], "");
}

#[tokio::test]
async fn sign_in_post_revalidates_the_redirect_uri() {
    let mock = Harness::start().await;
    let body = form_body(&[
        ("client_id", CLIENT_ID),
        ("redirect_uri", "http://evil.example/"),
        ("response_type", "code"),
        ("username", AGENT),
        ("password", AGENT_PASSWORD),
    ]);

    let response = mock
        .bare(Method::POST, "/auth/v3/sign-in")
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), 400);
    assert!(response.headers().get("location").is_none());
}
