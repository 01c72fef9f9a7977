//! GET /auth/v3/oauth/authorize and the sign-in form: only what
//! `features/auth/authorize.feature` cannot see (redirects without a state, errors that keep
//! the state, the implicit fragment's fields, a code consumed by a failed exchange, the
//! form's HTML escaping and hideTenant, a refilled form, a forged sign-in post).

use regex::Regex;
use reqwest::header::AUTHORIZATION;
use reqwest::Method;
use serde_json::json;

use super::token::token_call;
use super::*;

/// Query or redirect pairs.
type Pairs<'a> = Vec<(&'a str, &'a str)>;

const AUTHORIZE: &str = "/auth/v3/oauth/authorize";
const CODE: [(&str, &str); 3] = [
    ("response_type", "code"),
    ("client_id", CLIENT_ID),
    ("redirect_uri", REDIRECT_URI),
];

/// `name -> value` of every `<input>` in the form.
fn inputs(html: &str) -> HashMap<String, String> {
    let re = Regex::new(r#"<input [^>]*name="([^"]*)" value="([^"]*)""#).unwrap();
    re.captures_iter(html)
        .map(|c| (c[1].to_owned(), c[2].to_owned()))
        .collect()
}

#[tokio::test]
async fn redirects_no_scenario_asks_for_carry_exactly_their_fields() {
    let mock = Harness::start().await;
    let agent = basic(AGENT, AGENT_PASSWORD);
    // (query, in the fragment, pairs expected, pairs absent)
    let cases: [(Pairs, bool, Pairs, Vec<&str>); 4] = [
        (CODE.to_vec(), false, vec![], vec!["state", "error"]),
        (
            vec![
                ("response_type", "id_token"),
                ("client_id", CLIENT_ID),
                ("redirect_uri", REDIRECT_URI),
                ("state", "s1"),
            ],
            false,
            vec![("error", "unsupported_response_type"), ("state", "s1")],
            vec!["code"],
        ),
        (
            [CODE.as_slice(), &[("scope", "openid")]].concat(),
            false,
            vec![("error", "invalid_scope")],
            vec!["code", "state"],
        ),
        (
            vec![
                ("response_type", "token"),
                ("client_id", CLIENT_ID),
                ("redirect_uri", REDIRECT_URI),
                ("state", "xyz"),
            ],
            true,
            vec![
                ("token_type", "bearer"),
                ("expires_in", "43200"),
                ("state", "xyz"),
            ],
            vec!["refresh_token", "code"],
        ),
    ];

    for (query, fragment, expected, absent) in cases {
        let answer = mock
            .call(Method::GET, AUTHORIZE)
            .key()
            .query(&query)
            .header(AUTHORIZATION.as_str(), &agent)
            .send()
            .await;

        assert_eq!(answer.status, 302, "{query:?}: {}", answer.text);
        let location = answer.header("location");
        assert!(location.starts_with(REDIRECT_URI), "{location}");
        let pairs = url_pairs(location, fragment);
        for (name, value) in expected {
            assert_eq!(
                pairs.get(name).map(String::as_str),
                Some(value),
                "{location}"
            );
        }
        for name in absent {
            assert!(!pairs.contains_key(name), "{name} in {location}");
        }
        if !pairs.contains_key("error") {
            let credential = if fragment { "access_token" } else { "code" };
            assert!(
                uuid::Uuid::parse_str(&pairs[credential]).is_ok(),
                "{location}"
            );
        }
    }
}

#[tokio::test]
async fn requests_no_scenario_sends_are_refused_without_a_redirect() {
    let mock = Harness::start().await;
    let cases = [
        vec![
            ("response_type", "code"),
            ("client_id", CLIENT_ID),
            ("redirect_uri", "http://127.0.0.1/callback/extra"),
        ],
        vec![("response_type", "nonsense"), ("client_id", CLIENT_ID)],
    ];

    for query in cases {
        let answer = mock
            .call(Method::GET, AUTHORIZE)
            .key()
            .query(&query)
            .header(AUTHORIZATION.as_str(), &basic(AGENT, AGENT_PASSWORD))
            .send()
            .await;

        assert_eq!(answer.header("location"), "", "{query:?}");
        assert_eq!(
            (answer.status, &answer.json["error"]),
            (400, &json!("invalid_request")),
            "{query:?}"
        );
    }
}

#[tokio::test]
async fn a_code_refused_for_another_redirect_uri_is_consumed() {
    let mock = Harness::start().await;
    let code = mock.authorization_code().await;
    let exchange = |redirect_uri: &'static str| {
        let form = [
            ("grant_type", "authorization_code"),
            ("code", code.as_str()),
            ("redirect_uri", redirect_uri),
        ];
        token_call(&mock).form(&form).send()
    };

    let wrong = exchange("http://127.0.0.1/other").await;
    let retry = exchange(REDIRECT_URI).await;

    assert_eq!(wrong.status, 400);
    assert_eq!(
        wrong.json,
        json!({"error": "invalid_grant", "error_description": "Redirect URI mismatch"})
    );
    assert_eq!(
        retry.status, 400,
        "a code is consumed even by a failed exchange"
    );
}

#[tokio::test]
async fn the_sign_in_form_carries_the_request_escaped_and_the_tenant_field_unless_hidden() {
    let mock = Harness::start().await;
    let state = "a\"<b>&c";

    for (hide, tenant_field) in [(None, true), (Some("true"), false)] {
        let query = [
            CODE.as_slice(),
            &[("state", state)],
            hide.map(|h| ("hideTenant", h)).as_slice(),
        ]
        .concat();
        let answer = mock
            .call(Method::GET, AUTHORIZE)
            .key()
            .query(&query)
            .send()
            .await;

        assert_eq!(answer.status, 200);
        assert_eq!(answer.header("content-type"), "text/html; charset=utf-8");
        assert!(answer
            .text
            .contains(r#"<form method="post" action="/auth/v3/sign-in">"#));
        let fields = inputs(&answer.text);
        assert_eq!(fields["client_id"], CLIENT_ID);
        assert_eq!(fields["redirect_uri"], REDIRECT_URI);
        assert_eq!(fields["response_type"], "code");
        assert_eq!(fields["state"], "a&quot;&lt;b&gt;&amp;c");
        assert_eq!(fields["scope"], "");
        assert_eq!(
            fields.contains_key("tenant"),
            tenant_field,
            "hideTenant {hide:?}"
        );
        assert!(fields.contains_key("username") && fields.contains_key("password"));
    }
}

#[tokio::test]
async fn a_sign_in_post_refills_the_form_or_refuses_a_forged_redirect_uri() {
    let mock = Harness::start().await;
    // (redirect_uri, password, status)
    let cases = [
        (REDIRECT_URI, "wrong", 200),
        ("http://evil.example/", AGENT_PASSWORD, 400),
    ];

    for (redirect_uri, password, status) in cases {
        let form = [
            ("client_id", CLIENT_ID),
            ("redirect_uri", redirect_uri),
            ("response_type", "code"),
            ("username", AGENT),
            ("password", password),
        ];
        let answer = mock
            .call(Method::POST, "/auth/v3/sign-in")
            .form(&form)
            .send()
            .await;

        assert_eq!(answer.status, status, "{redirect_uri}: {}", answer.text);
        assert_eq!(answer.header("location"), "", "{redirect_uri}");
        if status == 200 {
            assert!(answer.text.contains("Bad credentials"));
            assert_eq!(inputs(&answer.text)["username"], AGENT);
            assert_eq!(inputs(&answer.text)["password"], "");
        }
    }
}
