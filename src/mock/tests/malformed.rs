//! Malformed requests every mount refuses in its own envelope, found by `cxgate probe`: a
//! broken `%` escape in the path (it was taken literally), and a body over 2 MiB (it was
//! answered unread, which reset the connection, or with a plain-text 413).

use reqwest::Method;
use serde_json::{json, Value};

use super::*;

#[tokio::test]
async fn a_broken_escape_in_a_path_is_a_400_in_the_envelope_of_its_api() {
    let (mock, token) = Harness::signed_in().await;
    // (method, path, where the envelope's code is, what it is)
    let cases = [
        (
            Method::POST,
            "/udm/v10/cipher/%zz",
            "/status/code",
            json!(400),
        ),
        (
            Method::DELETE,
            "/statistics/v3/subscriptions/%zz",
            "/status/code",
            json!(400),
        ),
        (
            Method::GET,
            "/nexus/v3/securemail/%zz/userdata",
            "/status/code",
            json!("INVALID_PARAMETER"),
        ),
        (
            Method::GET,
            "/data-download/v3/files/%4",
            "/status/code",
            json!(400),
        ),
    ];
    for (method, path, pointer, code) in cases {
        let answer = mock.call(method, path).key().bearer(&token).send().await;
        assert_eq!(answer.status, 400, "{path}: {}", answer.text);
        assert_eq!(
            answer.json.pointer(pointer),
            Some(&code),
            "{path}: {}",
            answer.text
        );
    }
    let fine = mock
        .call(Method::GET, "/udm/v10/version")
        .key()
        .send()
        .await;
    assert_eq!(fine.status, 200, "a path without '%' is untouched");
}

#[tokio::test]
async fn a_body_over_2_mib_is_read_and_refused_with_a_400_in_the_envelope() {
    let (mock, token) = Harness::signed_in().await;
    let padding = "x".repeat(6 * 1024 * 1024);
    let big = json!({"data": {"statistics": []}, "padding": padding});
    for path in [
        "/statistics/v3/operations/get-statistic-ex",
        "/udm/v10/export/jobs",
        "/statistics/v3/notifications/handshake",
    ] {
        let answer = mock
            .call(Method::POST, path)
            .key()
            .bearer(&token)
            .json(&big)
            .send()
            .await;
        assert_eq!(answer.status, 400, "{path}: {}", answer.text);
        assert_eq!(
            answer.json.pointer("/status/code"),
            Some(&json!(400)),
            "{path}"
        );
        assert_ne!(answer.json, Value::Null, "{path}: a JSON envelope");
    }
}
