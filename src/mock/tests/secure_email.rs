//! The Secure Email API: mailboxes per address and securebox, the query rules,
//! read / delete / purge, userdata, and the genericResponse on every error.

use reqwest::Method;
use serde_json::{json, Value};
use uuid::Uuid;

use super::*;

const BASE: &str = "/nexus/v3/securemail";

/// A fresh address, so tests never share a mailbox.
fn address() -> String {
    format!("{}@example.com", Uuid::new_v4())
}

/// POST /securemail of a consumer's email from `consumer` (in `securebox` when given);
/// returns its id.
async fn send(mock: &Harness, consumer: &str, securebox: Option<&str>, user_data: Value) -> String {
    let mut request = mock.keyed(Method::POST, BASE).json(&json!({
        "operationId": "op-1",
        "data": {"from": consumer, "to": "service@company.com", "subject": "Hello", "text": "Body", "userData": user_data}
    }));
    if let Some(securebox) = securebox {
        request = request.query(&[("securebox", securebox)]);
    }
    let (status, _, body) = json_of(request.send().await.unwrap()).await;
    assert_eq!(status, 200, "{body}");
    body["secureMailId"].as_str().unwrap().to_owned()
}

async fn get(mock: &Harness, path: &str, query: &[(&str, &str)]) -> (u16, Value) {
    let response = mock
        .keyed(Method::GET, path)
        .query(query)
        .send()
        .await
        .unwrap();
    let (status, _, body) = json_of(response).await;
    (status, body)
}

async fn delete(mock: &Harness, id: &str, query: &[(&str, &str)]) -> (u16, Value) {
    let response = mock
        .keyed(Method::DELETE, &format!("{BASE}/{id}"))
        .query(query)
        .send()
        .await
        .unwrap();
    let (status, _, body) = json_of(response).await;
    (status, body)
}

async fn count(mock: &Harness, address: &str, query: &[(&str, &str)]) -> u64 {
    let mut pairs = vec![("address", address)];
    pairs.extend_from_slice(query);
    let (status, body) = get(mock, &format!("{BASE}/count"), &pairs).await;
    assert_eq!(status, 200, "{body}");
    body["data"]["count"].as_u64().unwrap()
}

fn assert_generic(body: &Value, code: &str) {
    assert_eq!(body["status"]["code"], code, "{body}");
    assert!(
        body["referenceId"]
            .as_str()
            .is_some_and(|s| Uuid::parse_str(s).is_ok()),
        "{body}"
    );
    assert!(
        body["operationId"].as_str().is_some_and(|s| !s.is_empty()),
        "{body}"
    );
}

#[tokio::test]
async fn a_sent_email_is_unread_in_the_consumers_mailbox_and_answers_its_id_and_self_uri() {
    let mock = Harness::start().await;
    let to = address();
    let response = mock
        .keyed(Method::POST, BASE)
        .json(&json!({"operationId": "my-op", "data": {"from": to, "to": "a@b.c", "text": "hi"}}))
        .send()
        .await
        .unwrap();
    let (status, _, body) = json_of(response).await;
    assert_eq!(status, 200, "{body}");
    assert_generic(&body, "SUCCESS");
    assert_eq!(body["operationId"], "my-op");
    let id = body["secureMailId"].as_str().unwrap();
    assert!(Uuid::parse_str(id).is_ok());
    assert_eq!(body["selfUri"], mock.url(&format!("{BASE}/{id}")));

    let (status, list) = get(&mock, BASE, &[("address", &to)]).await;
    assert_eq!(status, 200);
    assert_generic(&list, "SUCCESS");
    let mails = list["data"].as_array().unwrap();
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0]["id"], id);
    assert_eq!(mails[0]["status"], "unread");
    assert_eq!(mails[0]["subject"], "");
    assert_eq!(mails[0]["text"], "hi");
    assert_eq!(mails[0]["deleted"], false);
    assert!(mails[0].get("securebox").is_none());
}

#[tokio::test]
async fn a_consumers_email_is_filed_under_its_sender_not_its_recipient_and_to_is_optional() {
    let mock = Harness::start().await;
    let (consumer, company) = (address(), address());
    let response = mock
        .keyed(Method::POST, BASE)
        .json(&json!({"data": {"from": consumer, "to": company, "text": "hi"}}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(count(&mock, &consumer, &[]).await, 1);
    assert_eq!(count(&mock, &company, &[]).await, 0);
    let response = mock
        .keyed(Method::POST, BASE)
        .json(&json!({"data": {"from": consumer, "text": "no recipient"}}))
        .send()
        .await
        .unwrap();
    let (status, _, body) = json_of(response).await;
    assert_eq!(status, 200, "{body}");
    let id = body["secureMailId"].as_str().unwrap();
    let (_, mail) = get(&mock, &format!("{BASE}/{id}"), &[]).await;
    assert_eq!(mail["secureMail"]["from"], consumer.as_str());
    assert!(mail["secureMail"].get("to").is_none(), "{mail}");
    assert_eq!(count(&mock, &consumer, &[]).await, 2);
}

#[tokio::test]
async fn mailboxes_are_isolated_by_address_and_securebox_and_address_case_is_ignored() {
    let mock = Harness::start().await;
    let to = address();
    send(&mock, &to, None, json!({})).await;
    send(&mock, &to, Some("Sales"), json!({})).await;
    send(&mock, &to, Some("Sales"), json!({})).await;
    assert_eq!(count(&mock, &to, &[]).await, 1);
    assert_eq!(count(&mock, &to.to_uppercase(), &[]).await, 1);
    assert_eq!(count(&mock, &to, &[("securebox", "Sales")]).await, 2);
    assert_eq!(count(&mock, &to, &[("securebox", "sales")]).await, 0);
    assert_eq!(count(&mock, &address(), &[]).await, 0);
}

#[tokio::test]
async fn status_index_and_count_select_the_page() {
    let mock = Harness::start().await;
    let to = address();
    let mut ids = Vec::new();
    for _ in 0..12 {
        ids.push(send(&mock, &to, None, json!({})).await);
    }
    let (_, body) = get(&mock, &format!("{BASE}/{}", ids[0]), &[("read", "true")]).await;
    assert_eq!(body["secureMail"]["status"], "read");

    let (_, page) = get(&mock, BASE, &[("address", &to)]).await;
    assert_eq!(
        page["data"].as_array().unwrap().len(),
        10,
        "default count is 10"
    );
    assert_eq!(page["data"][0]["id"], ids[0].as_str(), "oldest first");
    let (_, page) = get(
        &mock,
        BASE,
        &[("address", &to), ("index", "10"), ("count", "5")],
    )
    .await;
    let page: Vec<_> = page["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].clone())
        .collect();
    assert_eq!(page, vec![json!(ids[10]), json!(ids[11])]);
    let (_, read) = get(&mock, BASE, &[("address", &to), ("status", "read")]).await;
    assert_eq!(read["data"].as_array().unwrap().len(), 1);
    assert_eq!(count(&mock, &to, &[("status", "unread")]).await, 11);
    assert_eq!(count(&mock, &to, &[("status", "all")]).await, 12);
}

/// (path, query pairs, the parameter named in `status.detail`).
type RuleCase<'a> = (&'a str, Vec<(&'a str, &'a str)>, &'a str);

#[tokio::test]
async fn every_query_rule_is_a_400_invalid_parameter_naming_the_parameter() {
    let mock = Harness::start().await;
    let to = address();
    let cases: Vec<RuleCase> = vec![
        (BASE, vec![], "address"),
        (BASE, vec![("address", "not-an-address")], "address"),
        (BASE, vec![("address", &to), ("status", "new")], "status"),
        (BASE, vec![("address", &to), ("index", "-1")], "index"),
        (BASE, vec![("address", &to), ("count", "ten")], "count"),
        (
            BASE,
            vec![("address", &to), ("securebox", "ab")],
            "securebox",
        ),
        (
            BASE,
            vec![("address", &to), ("securebox", "abcdefghijklmnopq")],
            "securebox",
        ),
        (
            BASE,
            vec![("address", &to), ("securebox", "bad-box!")],
            "securebox",
        ),
        ("/nexus/v3/securemail/count", vec![], "address"),
        (
            "/nexus/v3/securemail/count",
            vec![("address", &to), ("status", "x")],
            "status",
        ),
    ];
    for (path, query, parameter) in cases {
        let (status, body) = get(&mock, path, &query).await;
        assert_eq!(status, 400, "{path} {query:?}: {body}");
        assert_generic(&body, "INVALID_PARAMETER");
        assert_eq!(body["status"]["detail"], parameter, "{path} {query:?}");
        assert!(body["status"]["message"]
            .as_str()
            .unwrap()
            .contains(parameter));
    }
    let (status, body) = get(&mock, BASE, &[("address", &to), ("address", &to)]).await;
    assert_eq!(
        (status, body["status"]["code"].clone()),
        (400, json!("INVALID_PARAMETER"))
    );
    let (status, _) = get(
        &mock,
        BASE,
        &[("address", &to), ("securebox", "abc"), ("index", "0")],
    )
    .await;
    assert_eq!(status, 200, "3 characters is the shortest securebox");
}

#[tokio::test]
async fn a_bad_send_body_is_a_400_never_a_500() {
    let mock = Harness::start().await;
    let bodies = [
        ("not json", "body"),
        ("[1]", "body"),
        ("{}", "data"),
        (r#"{"data": []}"#, "data"),
        (r#"{"data": {"to": "x@y.z", "text": "t"}}"#, "data.from"),
        (
            r#"{"data": {"from": "x@y.z", "to": "nobody", "text": "t"}}"#,
            "data.to",
        ),
        (r#"{"data": {"from": "x@y.z", "to": "x@y.z"}}"#, "data.text"),
        (
            r#"{"data": {"from": "x@y.z", "to": "x@y.z", "text": 1}}"#,
            "data.text",
        ),
        (
            r#"{"data": {"from": "x@y.z", "to": "x@y.z", "text": "t", "userData": "k=v"}}"#,
            "data.userData",
        ),
        (
            r#"{"operationId": 7, "data": {"from": "x@y.z", "to": "x@y.z", "text": "t"}}"#,
            "operationId",
        ),
    ];
    for (raw, detail) in bodies {
        let response = mock
            .keyed(Method::POST, BASE)
            .header(CONTENT_TYPE, "application/json")
            .body(raw)
            .send()
            .await
            .unwrap();
        let (status, _, body) = json_of(response).await;
        assert_eq!(status, 400, "{raw}: {body}");
        assert_generic(&body, "INVALID_PARAMETER");
        assert_eq!(body["status"]["detail"], detail, "{raw}");
    }
    let response = mock
        .keyed(Method::POST, BASE)
        .query(&[("securebox", "x")])
        .json(&json!({"data": {"from": "x@y.z", "to": "x@y.z", "text": "t"}}))
        .send()
        .await
        .unwrap();
    let (status, _, body) = json_of(response).await;
    assert_eq!(
        (status, body["status"]["detail"].clone()),
        (400, json!("securebox"))
    );
}

#[tokio::test]
async fn delete_marks_read_by_default_and_with_the_deprecated_values() {
    let mock = Harness::start().await;
    let to = address();
    for remove in [None, Some("read"), Some("true"), Some("\\"), Some("")] {
        let id = send(&mock, &to, None, json!({})).await;
        let query: Vec<(&str, &str)> = remove.map(|r| vec![("remove", r)]).unwrap_or_default();
        let (status, body) = delete(&mock, &id, &query).await;
        assert_eq!(status, 200, "{remove:?}: {body}");
        assert_generic(&body, "SUCCESS");
        assert_eq!(body["secureMail"]["id"], id.as_str());
        assert_eq!(body["secureMail"]["status"], "read", "{remove:?}");
        assert_eq!(body["secureMail"]["deleted"], false);
    }
    assert_eq!(count(&mock, &to, &[("status", "read")]).await, 5);
    let id = send(&mock, &to, None, json!({})).await;
    let (status, body) = delete(&mock, &id, &[("remove", "forget")]).await;
    assert_eq!(
        (status, body["status"]["detail"].clone()),
        (400, json!("remove"))
    );
    let (status, body) = delete(&mock, &id, &[("remove", "\\\\")]).await;
    assert_eq!(
        status, 400,
        "two backslashes are not the deprecated value: {body}"
    );
}

#[tokio::test]
async fn delete_hides_an_email_from_list_and_count_and_purge_forgets_it() {
    let mock = Harness::start().await;
    let to = address();
    let hidden = send(&mock, &to, None, json!({})).await;
    let purged = send(&mock, &to, None, json!({})).await;
    let (status, body) = delete(&mock, &hidden, &[("remove", "delete")]).await;
    assert_eq!(status, 200);
    assert_eq!(body["secureMail"]["deleted"], true);
    assert_eq!(body["secureMail"]["status"], "unread");
    assert_eq!(count(&mock, &to, &[]).await, 1);
    let (_, list) = get(&mock, BASE, &[("address", &to)]).await;
    assert_eq!(list["data"][0]["id"], purged.as_str());
    let (status, body) = get(&mock, &format!("{BASE}/{hidden}"), &[]).await;
    assert_eq!(
        (status, body["secureMail"]["deleted"].clone()),
        (200, json!(true))
    );

    let (status, body) = delete(&mock, &purged, &[("remove", "purge")]).await;
    assert_eq!(
        (status, body["secureMail"]["id"].clone()),
        (200, json!(purged))
    );
    assert_eq!(count(&mock, &to, &[]).await, 0);
    for (status, body) in [
        get(&mock, &format!("{BASE}/{purged}"), &[]).await,
        get(&mock, &format!("{BASE}/{purged}/userdata"), &[]).await,
        delete(&mock, &purged, &[]).await,
    ] {
        assert_eq!(status, 404, "{body}");
        assert_generic(&body, "INVALID_PARAMETER");
        assert_eq!(body["status"]["detail"], "secureMailId");
    }
}

#[tokio::test]
async fn userdata_is_what_the_email_was_sent_with() {
    let mock = Harness::start().await;
    let to = address();
    let id = send(&mock, &to, None, json!({"CaseId": "42", "Priority": 3})).await;
    let (status, body) = get(&mock, &format!("{BASE}/{id}/userdata"), &[]).await;
    assert_eq!(status, 200);
    assert_generic(&body, "SUCCESS");
    assert_eq!(body["data"], json!({"CaseId": "42", "Priority": 3}));
    let (status, body) = get(&mock, &format!("{BASE}/{id}"), &[("read", "maybe")]).await;
    assert_eq!(
        (status, body["status"]["detail"].clone()),
        (400, json!("read"))
    );
    let (_, body) = get(&mock, &format!("{BASE}/{id}"), &[("read", "false")]).await;
    assert_eq!(body["secureMail"]["status"], "unread");
}

#[tokio::test]
async fn the_api_key_comes_first_and_unknown_paths_and_methods_get_the_envelope() {
    let mock = Harness::start().await;
    for (method, path) in [
        (Method::GET, BASE.to_owned()),
        (Method::POST, BASE.to_owned()),
        (Method::GET, format!("{BASE}/count")),
        (Method::DELETE, format!("{BASE}/x")),
        (Method::GET, format!("{BASE}/x/nothing/here")),
    ] {
        let response = mock.bare(method.clone(), &path).send().await.unwrap();
        let (status, _, body) = json_of(response).await;
        assert_eq!(
            (status, body),
            (403, json!({"message": "Forbidden"})),
            "{method} {path}"
        );
    }
    let (status, body) = get(&mock, &format!("{BASE}/x/nothing/here"), &[]).await;
    assert_eq!(status, 404);
    assert_generic(&body, "INVALID_ENDPOINT");
    let response = mock.keyed(Method::PUT, BASE).send().await.unwrap();
    let (status, headers, body) = json_of(response).await;
    assert_eq!(status, 405);
    assert_generic(&body, "INVALID_ENDPOINT");
    assert!(headers.contains_key("allow"));
    let response = mock
        .keyed(Method::GET, "/nexus/v3/channels")
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.status(),
        404,
        "the messaging router still answers its own paths"
    );
}

#[tokio::test]
async fn reset_empties_every_mailbox() {
    let mock = Harness::start().await;
    let to = address();
    let id = send(&mock, &to, None, json!({})).await;
    let response = mock
        .bare(Method::POST, "/__cxgate/reset")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(count(&mock, &to, &[]).await, 0);
    let (status, _) = get(&mock, &format!("{BASE}/{id}"), &[]).await;
    assert_eq!(status, 404);
}
