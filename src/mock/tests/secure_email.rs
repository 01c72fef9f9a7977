//! The Secure Email API: only what `features/secure-email` cannot see (how addresses and
//! secureboxes compare, query and body inputs no scenario tries, the selfUri, reset).

use reqwest::Method;
use serde_json::json;

use super::*;

const BASE: &str = "/nexus/v3/securemail";

/// A fresh address, so tests never share a mailbox.
fn address() -> String {
    format!("{}@example.com", crate::ids::uuid_v4())
}

/// POST /securemail of a consumer's email from `consumer`, in `securebox` when given.
async fn send(mock: &Harness, consumer: &str, securebox: Option<&str>) -> Answer {
    let body = json!({"data": {"from": consumer, "text": "Body"}});
    let query: Vec<(&str, &str)> = securebox
        .map(|s| vec![("securebox", s)])
        .unwrap_or_default();
    mock.call(Method::POST, BASE)
        .key()
        .query(&query)
        .json(&body)
        .send()
        .await
}

/// How many emails the mailbox of `address` (plus `query`) holds.
async fn count(mock: &Harness, address: &str, query: &[(&str, &str)]) -> u64 {
    let query = [&[("address", address)], query].concat();
    let call = mock.call(Method::GET, &format!("{BASE}/count")).key();
    let answer = call.query(&query).send().await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    answer.json["data"]["count"].as_u64().unwrap()
}

/// A mock whose fresh address holds one email: (mock, address, email id).
async fn one_email() -> (Harness, String, String) {
    let mock = Harness::start().await;
    let to = address();
    let answer = send(&mock, &to, None).await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    let id = answer.json["secureMailId"].as_str().unwrap().to_owned();
    (mock, to, id)
}

#[tokio::test]
async fn an_address_is_compared_without_case_and_a_securebox_with_it() {
    let mock = Harness::start().await;
    let to = address();
    send(&mock, &to, None).await;
    send(&mock, &to, Some("Sales")).await;

    assert_eq!(count(&mock, &to.to_uppercase(), &[]).await, 1);
    assert_eq!(count(&mock, &to, &[("securebox", "Sales")]).await, 1);
    assert_eq!(count(&mock, &to, &[("securebox", "sales")]).await, 0);
}

#[tokio::test]
async fn the_self_uri_is_the_emails_url_on_this_deployment() {
    let mock = Harness::start().await;

    let answer = send(&mock, &address(), None).await;

    let id = answer.json["secureMailId"].as_str().unwrap();
    assert_eq!(answer.json["selfUri"], mock.url(&format!("{BASE}/{id}")));
}

/// (path, method, query, raw JSON body, expected status, the parameter named in
/// `status.detail`, or "" for a success).
type Case<'a> = (
    &'a str,
    Method,
    Vec<(&'a str, &'a str)>,
    &'a str,
    u16,
    &'a str,
);

#[tokio::test]
async fn inputs_the_features_do_not_try_name_the_parameter_they_break() {
    let (mock, to, id) = one_email().await;
    let one = format!("{BASE}/{id}");
    let cases: Vec<Case> = vec![
        (
            BASE,
            Method::GET,
            vec![("address", "not-an-address")],
            "",
            400,
            "address",
        ),
        (
            BASE,
            Method::GET,
            vec![("address", &to), ("address", &to)],
            "",
            400,
            "query",
        ),
        (
            BASE,
            Method::GET,
            vec![("address", &to), ("count", "ten")],
            "",
            400,
            "count",
        ),
        (BASE, Method::POST, vec![], r#"{"data": []}"#, 400, "data"),
        (
            BASE,
            Method::POST,
            vec![],
            r#"{"data": {"from": "x@y.z", "text": 1}}"#,
            400,
            "data.text",
        ),
        (
            BASE,
            Method::POST,
            vec![],
            r#"{"operationId": 7, "data": {"from": "x@y.z", "text": "t"}}"#,
            400,
            "operationId",
        ),
        (&one, Method::DELETE, vec![("remove", "")], "", 200, ""),
    ];

    for (path, method, query, body, status, detail) in cases {
        let mut call = mock.call(method.clone(), path).key().query(&query);
        if !body.is_empty() {
            call = call.raw(body.as_bytes().to_vec(), "application/json");
        }
        let answer = call.send().await;

        let case = format!("{method} {path} {query:?} {body}");
        assert_eq!(answer.status, status, "{case}: {}", answer.text);
        if status == 400 {
            assert_eq!(answer.json["status"]["code"], "INVALID_PARAMETER", "{case}");
            assert_eq!(answer.json["status"]["detail"], detail, "{case}");
        }
    }
    assert_eq!(
        count(&mock, &to, &[("status", "read")]).await,
        1,
        "an empty remove marks read"
    );
}

#[tokio::test]
async fn reset_empties_every_mailbox() {
    let (mock, to, id) = one_email().await;

    let reset = mock.call(Method::POST, "/__cxgate/reset").send().await;
    let gone = mock
        .call(Method::GET, &format!("{BASE}/{id}"))
        .key()
        .send()
        .await;

    assert_eq!(reset.status, 200);
    assert_eq!(count(&mock, &to, &[]).await, 0);
    assert_eq!(gone.status, 404);
}
