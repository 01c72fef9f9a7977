//! The Third-Party Messaging API, its outgoing webhook and the Interactions
//! Webhook: signed requests in, signed deliveries out to a receiver started here.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::http::HeaderMap as AxumHeaders;
use axum::response::IntoResponse;
use reqwest::Method;
use serde_json::{json, Value};

use super::*;
use crate::signing::{sign, verify};

const SMS: &str = "0123456789";
const EMAIL: &str = "company.com";
const CCID: &str = "0ff723ff-6c6f-44e0-9ce3-ce579337eadd";
const SECRET: &str = "cxgate-channel-secret";
const CONSUMER: &str = "16504661149";

// ---------------------------------------------------------------- helpers

/// A signed POST of `body` to `/nexus/v3{path}` with the channel's ccid.
fn signed(mock: &Harness, method: Method, path: &str, body: Vec<u8>) -> RequestBuilder {
    signed_as(mock, method, path, "application/json", body)
}

/// A signed request with the given Content-Type.
fn signed_as(
    mock: &Harness,
    method: Method,
    path: &str,
    content_type: &str,
    body: Vec<u8>,
) -> RequestBuilder {
    mock.keyed(method, &format!("/nexus/v3{path}"))
        .header("x-ccid", CCID)
        .header("X-Hub-Signature", sign(SECRET.as_bytes(), &body))
        .header(CONTENT_TYPE, content_type)
        .body(body)
}

fn text_body(channel: &str, from: &str, text: &str) -> Vec<u8> {
    json!({"messages": [{"channel": {"from": {"id": from}, "to": {"id": channel}}, "type": "Text", "text": text}]})
        .to_string()
        .into_bytes()
}

fn receipt_body(message_id: &str, status: &str, reasons: Option<Value>) -> Vec<u8> {
    let mut receipt = json!({
        "channel": {"from": {"id": SMS}, "to": {"id": CONSUMER}, "messageId": message_id},
        "type": "Receipt",
        "status": status,
    });
    if let Some(reasons) = reasons {
        receipt["reasons"] = reasons;
    }
    json!({ "messages": [receipt] }).to_string().into_bytes()
}

async fn send(request: RequestBuilder) -> (u16, Value) {
    let (status, _, body) = json_of(request.send().await.unwrap()).await;
    (status, body)
}

async fn control(mock: &Harness, method: Method, path: &str, body: Option<Value>) -> (u16, Value) {
    let mut request = mock.bare(method, &format!("/__cxgate{path}"));
    if let Some(body) = body {
        request = request.json(&body);
    }
    send(request).await
}

/// A multipart body with one `file` part.
fn multipart(filename: &str, content_type: &str, bytes: &[u8]) -> (String, Vec<u8>) {
    let boundary = "cxgate-boundary-7MA4YWxkTrZu0gW";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\nContent-Type: {content_type}\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

fn upload(mock: &Harness, channel: &str, content_type: &str, body: Vec<u8>) -> RequestBuilder {
    signed_as(
        mock,
        Method::POST,
        &format!("/channels/{channel}/media"),
        content_type,
        body,
    )
}

/// How the receiver answers one request.
#[derive(Clone, Debug)]
enum Answer {
    /// This status and `{}`.
    Status(u16),
    /// 200 `{"messageId": <the payload's channel.messageId>}`.
    Echo,
    /// 200 with an EventsResponse.
    Events,
    /// Waits this long, then echoes.
    Slow(u64),
}

#[derive(Clone, Debug)]
struct Seen {
    headers: AxumHeaders,
    body: Bytes,
}

#[derive(Default)]
struct Script {
    answers: Vec<Answer>,
    seen: Vec<Seen>,
}

/// A webhook receiver on 127.0.0.1:0 that answers from a script, the last
/// answer repeating, and records every request.
struct Receiver {
    url: String,
    script: Arc<Mutex<Script>>,
}

impl Receiver {
    async fn start(answers: Vec<Answer>) -> Receiver {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        Self::serve(listener, answers)
    }

    fn serve(listener: tokio::net::TcpListener, answers: Vec<Answer>) -> Receiver {
        let url = format!("http://{}/hook", listener.local_addr().unwrap());
        let script = Arc::new(Mutex::new(Script {
            answers,
            seen: Vec::new(),
        }));
        let shared = script.clone();
        let app = axum::Router::new().fallback(move |headers: AxumHeaders, body: Bytes| {
            let shared = shared.clone();
            async move {
                let answer = {
                    let mut script = shared.lock().unwrap();
                    let n = script.seen.len();
                    script.seen.push(Seen {
                        headers,
                        body: body.clone(),
                    });
                    script
                        .answers
                        .get(n)
                        .or(script.answers.last())
                        .cloned()
                        .unwrap_or(Answer::Echo)
                };
                let echo = || {
                    let payload: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
                    axum::Json(json!({"messageId": payload["channel"]["messageId"]}))
                        .into_response()
                };
                match answer {
                    Answer::Status(status) => (
                        axum::http::StatusCode::from_u16(status).unwrap(),
                        axum::Json(json!({})),
                    )
                        .into_response(),
                    Answer::Echo => echo(),
                    Answer::Events => axum::Json(json!({
                        "status": {"code": 0, "message": "OK"},
                        "data": {"ids": [{"id": "x"}]},
                    }))
                    .into_response(),
                    Answer::Slow(ms) => {
                        tokio::time::sleep(Duration::from_millis(ms)).await;
                        echo()
                    }
                }
            }
        });
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Receiver { url, script }
    }

    fn seen(&self) -> Vec<Seen> {
        self.script.lock().unwrap().seen.clone()
    }
}

async fn set_webhook(mock: &Harness, channel: &str, url: &str) {
    let (status, body) = control(
        mock,
        Method::PUT,
        &format!("/messaging/channels/{channel}/webhook"),
        Some(json!({"url": url})),
    )
    .await;
    assert_eq!(status, 200, "{body}");
}

async fn reply(mock: &Harness, channel: &str, body: Value) -> (String, String) {
    let (status, answer) = control(
        mock,
        Method::POST,
        &format!("/messaging/channels/{channel}/replies"),
        Some(body),
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    (
        answer["messageId"].as_str().unwrap().to_owned(),
        answer["traceId"].as_str().unwrap().to_owned(),
    )
}

/// The outbound record of `message_id` once its state is no longer pending.
async fn settled(mock: &Harness, channel: &str, message_id: &str) -> Value {
    for _ in 0..500 {
        let (_, snapshot) = control(
            mock,
            Method::GET,
            &format!("/messaging/channels/{channel}/messages"),
            None,
        )
        .await;
        let found = snapshot["outbound"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["messageId"] == message_id)
            .cloned()
            .unwrap();
        if found["state"] != "pending" {
            return found;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("message {message_id} is still pending after 10 s");
}

/// An SMS reply delivered to an echoing receiver; its message id.
async fn delivered_sms_reply(mock: &Harness) -> String {
    let receiver = Receiver::start(vec![Answer::Echo]).await;
    set_webhook(mock, SMS, &receiver.url).await;
    let (message_id, _) = reply(
        mock,
        SMS,
        json!({"to": CONSUMER, "text": "Agent message text"}),
    )
    .await;
    assert_eq!(settled(mock, SMS, &message_id).await["state"], "delivered");
    message_id
}

fn outcomes(record: &Value) -> Vec<String> {
    record["attempts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| match a["status"].as_u64() {
            Some(status) => status.to_string(),
            None => a["outcome"].as_str().unwrap().to_owned(),
        })
        .collect()
}

// ---------------------------------------------------------------- inbound messages

#[tokio::test]
async fn a_signed_text_is_accepted_with_an_id_of_unix_ms_dash_seq() {
    let mock = Harness::start().await;

    let (status, body) = send(signed(
        &mock,
        Method::POST,
        &format!("/channels/{SMS}/messages"),
        text_body(SMS, CONSUMER, "Consumer message text"),
    ))
    .await;

    assert_eq!(status, 200, "{body}");
    assert_eq!(body["status"], json!({"code": 0, "message": "OK"}));
    let id = body["data"]["ids"][0]["id"].as_str().unwrap();
    let (ms, seq) = id.split_once('-').unwrap();
    assert!(
        ms.len() >= 13 && ms.parse::<u64>().is_ok() && seq.parse::<u64>().is_ok(),
        "{id}"
    );
    let (_, snapshot) = control(
        &mock,
        Method::GET,
        &format!("/messaging/channels/{SMS}/messages"),
        None,
    )
    .await;
    assert_eq!(snapshot["inbound"][0]["id"], id);
    assert_eq!(snapshot["inbound"][0]["from"], CONSUMER);
    assert_eq!(snapshot["inbound"][0]["text"], "Consumer message text");
}

#[tokio::test]
async fn texts_of_one_consumer_join_one_conversation_and_get_distinct_ids() {
    let mock = Harness::start().await;
    let body = json!({"messages": [
        {"channel": {"from": {"id": CONSUMER}, "to": {"id": SMS}}, "type": "Text", "text": "one"},
        {"channel": {"from": {"id": CONSUMER}, "to": {"id": SMS}}, "type": "Text", "text": "two"},
        {"channel": {"from": {"id": "other"}, "to": {"id": SMS}}, "type": "Text", "text": "three"},
    ]});

    let (status, answer) = send(signed(
        &mock,
        Method::POST,
        &format!("/channels/{SMS}/messages"),
        body.to_string().into_bytes(),
    ))
    .await;

    assert_eq!(status, 200);
    let ids: Vec<&str> = answer["data"]["ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 3);
    assert!(ids[0] != ids[1] && ids[1] != ids[2] && ids[0] != ids[2]);
    let (_, snapshot) = control(
        &mock,
        Method::GET,
        &format!("/messaging/channels/{SMS}/messages"),
        None,
    )
    .await;
    let inbound = snapshot["inbound"].as_array().unwrap();
    assert_eq!(inbound[0]["conversationId"], inbound[1]["conversationId"]);
    assert_ne!(inbound[0]["conversationId"], inbound[2]["conversationId"]);
}

#[tokio::test]
async fn a_wrong_secret_a_changed_byte_a_missing_header_or_no_sha1_prefix_is_401() {
    let mock = Harness::start().await;
    let path = format!("/nexus/v3/channels/{SMS}/messages");
    let body = text_body(SMS, CONSUMER, "hello");
    let good = sign(SECRET.as_bytes(), &body);
    let mut changed = body.clone();
    let last = changed.len() - 3;
    changed[last] ^= 0x01;
    let cases: Vec<(&str, Vec<u8>, Option<String>)> = vec![
        (
            "wrong secret",
            body.clone(),
            Some(sign(b"not-the-secret", &body)),
        ),
        ("one byte changed", changed, Some(good.clone())),
        ("header missing", body.clone(), None),
        (
            "no sha1= prefix",
            body.clone(),
            Some(good.trim_start_matches("sha1=").to_owned()),
        ),
        (
            "sha256 prefix",
            body.clone(),
            Some(good.replace("sha1=", "sha256=")),
        ),
    ];

    for (case, bytes, header) in cases {
        let mut request = mock
            .keyed(Method::POST, &path)
            .header("x-ccid", CCID)
            .body(bytes);
        if let Some(header) = header {
            request = request.header("X-Hub-Signature", header);
        }
        let (status, answer) = send(request).await;

        assert_eq!(status, 401, "{case}: {answer}");
        assert_eq!(answer["status"]["code"], 401, "{case}");
        assert!(
            answer["status"]["message"]
                .as_str()
                .unwrap()
                .contains("X-Hub-Signature"),
            "{case}"
        );
    }
}

#[tokio::test]
async fn an_unknown_channel_is_404_before_the_signature_is_checked() {
    let mock = Harness::start().await;

    let (status, body) = send(
        mock.keyed(Method::POST, "/nexus/v3/channels/1234567890/messages")
            .header("x-ccid", CCID)
            .body(text_body("1234567890", CONSUMER, "x")),
    )
    .await;

    assert_eq!(status, 404);
    assert_eq!(
        body,
        json!({"status": {"code": 404, "message": "Channel 1234567890 not found"}})
    );
}

#[tokio::test]
async fn a_wrong_x_ccid_is_403_and_a_missing_one_is_400() {
    let mock = Harness::start().await;
    let path = format!("/nexus/v3/channels/{SMS}/messages");
    let body = text_body(SMS, CONSUMER, "x");
    let signature = sign(SECRET.as_bytes(), &body);

    let (wrong, wrong_body) = send(
        mock.keyed(Method::POST, &path)
            .header("x-ccid", "another-contact-center")
            .header("X-Hub-Signature", &signature)
            .body(body.clone()),
    )
    .await;
    let (missing, missing_body) = send(
        mock.keyed(Method::POST, &path)
            .header("X-Hub-Signature", &signature)
            .body(body),
    )
    .await;

    assert_eq!(
        (wrong, wrong_body["status"]["code"].clone()),
        (403, json!(403))
    );
    assert_eq!(
        (missing, missing_body["status"]["code"].clone()),
        (400, json!(400))
    );
}

#[tokio::test]
async fn without_the_api_key_every_nexus_path_is_the_gateways_403() {
    let mock = Harness::start().await;

    let (status, body) = send(
        mock.bare(Method::POST, &format!("/nexus/v3/channels/{SMS}/messages"))
            .body("{}"),
    )
    .await;
    let (unknown, unknown_body) = send(mock.bare(Method::GET, "/nexus/v3/nothing")).await;

    assert_eq!((status, body), (403, json!({"message": "Forbidden"})));
    assert_eq!(
        (unknown, unknown_body),
        (403, json!({"message": "Forbidden"}))
    );
}

#[tokio::test]
async fn malformed_json_and_bad_shapes_are_400_once_the_signature_passes() {
    let mock = Harness::start().await;
    let path = format!("/channels/{SMS}/messages");
    let bodies: Vec<(&str, Vec<u8>)> = vec![
        ("not JSON", b"{\"messages\": [".to_vec()),
        ("empty batch", br#"{"messages": []}"#.to_vec()),
        ("no messages", b"{}".to_vec()),
        ("to is another channel", text_body("9999", CONSUMER, "x")),
        ("RichMedia", br#"{"messages":[{"channel":{"from":{"id":"1"},"to":{"id":"0123456789"}},"type":"RichMedia","text":"x"}]}"#.to_vec()),
        ("text missing", br#"{"messages":[{"channel":{"from":{"id":"1"},"to":{"id":"0123456789"}},"type":"Text"}]}"#.to_vec()),
    ];

    for (case, body) in bodies {
        let (status, answer) = send(signed(&mock, Method::POST, &path, body)).await;

        assert_eq!(status, 400, "{case}: {answer}");
        assert_eq!(answer["status"]["code"], 400, "{case}");
    }
}

#[tokio::test]
async fn unknown_nexus_paths_are_404_and_wrong_methods_405_as_response_errors() {
    let mock = Harness::start().await;

    let (missing, missing_body) =
        send(mock.keyed(Method::GET, "/nexus/v3/channels/x/nothing")).await;
    let response = mock
        .keyed(Method::GET, &format!("/nexus/v3/channels/{SMS}/messages"))
        .send()
        .await
        .unwrap();
    let allow = response.headers().get("allow").cloned();
    let (wrong, _, wrong_body) = json_of(response).await;

    assert_eq!(
        (missing, missing_body["status"]["code"].clone()),
        (404, json!(404))
    );
    assert_eq!(
        (wrong, wrong_body["status"]["code"].clone()),
        (405, json!(405))
    );
    assert_eq!(allow.unwrap(), "POST");
}

// ---------------------------------------------------------------- receipts

#[tokio::test]
async fn receipts_delivered_then_failed_with_reason_350_update_the_outbound_status() {
    let mock = Harness::start().await;
    let message_id = delivered_sms_reply(&mock).await;
    let path = format!("/channels/{SMS}/messages");

    let (delivered, delivered_body) = send(signed(
        &mock,
        Method::POST,
        &path,
        receipt_body(&message_id, "Delivered", None),
    ))
    .await;
    let after_delivered = settled(&mock, SMS, &message_id).await;
    let reasons =
        json!([{"code": 350, "message": "Message not allowed. Your account has been suspended."}]);
    let (failed, _) = send(signed(
        &mock,
        Method::POST,
        &path,
        receipt_body(&message_id, "Failed", Some(reasons.clone())),
    ))
    .await;
    let after_failed = settled(&mock, SMS, &message_id).await;

    assert_eq!(
        (delivered, delivered_body),
        (200, json!({"status": {"code": 0}}))
    );
    assert_eq!(after_delivered["status"], "Delivered");
    assert_eq!(failed, 200);
    assert_eq!(after_failed["status"], "Failed");
    assert_eq!(after_failed["reasons"], reasons);
    assert_eq!(after_failed["receipts"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn an_undocumented_reason_code_or_reasons_without_failed_is_400() {
    let mock = Harness::start().await;
    let message_id = delivered_sms_reply(&mock).await;
    let path = format!("/channels/{SMS}/messages");

    let (bad_code, body) = send(signed(
        &mock,
        Method::POST,
        &path,
        receipt_body(&message_id, "Failed", Some(json!([{"code": 404}]))),
    ))
    .await;
    let (not_failed, _) = send(signed(
        &mock,
        Method::POST,
        &path,
        receipt_body(&message_id, "Delivered", Some(json!([{"code": 500}]))),
    ))
    .await;
    let (bad_status, _) = send(signed(
        &mock,
        Method::POST,
        &path,
        receipt_body(&message_id, "Read", None),
    ))
    .await;

    assert_eq!(bad_code, 400);
    assert!(body["status"]["message"].as_str().unwrap().contains("404"));
    assert_eq!(not_failed, 400);
    assert_eq!(bad_status, 400);
    assert_eq!(
        settled(&mock, SMS, &message_id).await["status"],
        Value::Null
    );
}

#[tokio::test]
async fn a_receipt_for_an_unknown_message_is_404_and_nothing_of_the_request_is_stored() {
    let mock = Harness::start().await;
    let body = json!({"messages": [
        {"channel": {"from": {"id": CONSUMER}, "to": {"id": SMS}}, "type": "Text", "text": "kept?"},
        {"channel": {"from": {"id": SMS}, "to": {"id": CONSUMER}, "messageId": "1-0"}, "type": "Receipt", "status": "Delivered"},
    ]});

    let (status, answer) = send(signed(
        &mock,
        Method::POST,
        &format!("/channels/{SMS}/messages"),
        body.to_string().into_bytes(),
    ))
    .await;
    let (_, snapshot) = control(
        &mock,
        Method::GET,
        &format!("/messaging/channels/{SMS}/messages"),
        None,
    )
    .await;

    assert_eq!(status, 404, "{answer}");
    assert!(answer["status"]["message"]
        .as_str()
        .unwrap()
        .contains("not found"));
    assert_eq!(snapshot["inbound"], json!([]));
}

/// Reference 3804: a receipt's id is looked up in the channel's history, which holds
/// the consumer's messages too.
#[tokio::test]
async fn a_receipt_naming_a_consumer_message_of_the_history_is_answered_code_0() {
    let mock = Harness::start().await;
    let (status, answer) = send(signed(
        &mock,
        Method::POST,
        &format!("/channels/{SMS}/messages"),
        text_body(SMS, CONSUMER, "hello"),
    ))
    .await;
    assert_eq!(status, 200, "{answer}");
    let id = answer["data"]["ids"][0]["id"].as_str().unwrap().to_string();

    let (status, answer) = send(signed(
        &mock,
        Method::POST,
        &format!("/channels/{SMS}/messages"),
        receipt_body(&id, "Removed", None),
    ))
    .await;
    let (_, snapshot) = control(
        &mock,
        Method::GET,
        &format!("/messaging/channels/{SMS}/messages"),
        None,
    )
    .await;

    assert_eq!((status, answer), (200, json!({"status": {"code": 0}})));
    assert_eq!(snapshot["inbound"][0]["status"], "Removed");
}

// ---------------------------------------------------------------- media

#[tokio::test]
async fn media_is_uploaded_downloaded_and_deleted_once() {
    let mock = Harness::start().await;
    let bytes = b"\x89PNG\r\n\x1a\n not really a png".to_vec();
    let (content_type, body) = multipart("MyImage.png", "image/png", &bytes);

    let (status, uploaded) = send(upload(&mock, SMS, &content_type, body)).await;
    let media_id = uploaded["data"]["mediaId"].as_str().unwrap().to_owned();
    let media_path = format!("/channels/{SMS}/media/{media_id}");
    let download = signed(&mock, Method::GET, &media_path, Vec::new())
        .send()
        .await
        .unwrap();
    let download_status = download.status().as_u16();
    let download_type = download.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_owned();
    let downloaded = download.bytes().await.unwrap();
    let (deleted, deleted_body) =
        send(signed(&mock, Method::DELETE, &media_path, Vec::new())).await;
    let (again, again_body) = send(signed(&mock, Method::DELETE, &media_path, Vec::new())).await;
    let (gone, _) = send(signed(&mock, Method::GET, &media_path, Vec::new())).await;

    assert_eq!(status, 200, "{uploaded}");
    assert_eq!(
        uploaded,
        json!({"status": {"code": 0, "message": "OK"}, "data": {
            "mediaId": media_id, "url": format!("genesys://nexus/{media_id}"),
            "filename": "MyImage.png", "mimetype": "image/png", "length": bytes.len(),
        }})
    );
    assert_eq!(
        (download_status, download_type.as_str()),
        (200, "image/png")
    );
    assert_eq!(downloaded.as_ref(), bytes.as_slice());
    assert_eq!((deleted, deleted_body), (200, uploaded));
    assert_eq!(
        (again, again_body["status"]["code"].clone()),
        (404, json!(404))
    );
    assert_eq!(gone, 404);
}

#[tokio::test]
async fn an_unlisted_media_type_is_415_a_missing_file_part_400_and_a_bad_signature_401() {
    let mock = Harness::start().await;
    let (content_type, body) = multipart("run.exe", "application/x-msdownload", b"MZ");
    let (no_file_type, _) = multipart("x", "text/plain", b"x");
    let no_file = b"--cxgate-boundary-7MA4YWxkTrZu0gW\r\nContent-Disposition: form-data; name=\"other\"\r\n\r\nx\r\n--cxgate-boundary-7MA4YWxkTrZu0gW--\r\n".to_vec();
    let (text_type, text) = multipart("a.txt", "text/plain", b"hi");

    let (unsupported, unsupported_body) = send(upload(&mock, SMS, &content_type, body)).await;
    let (missing, _) = send(upload(&mock, SMS, &no_file_type, no_file)).await;
    let (unsigned, _) = send(
        mock.keyed(Method::POST, &format!("/nexus/v3/channels/{SMS}/media"))
            .header("x-ccid", CCID)
            .header(CONTENT_TYPE, text_type)
            .header("X-Hub-Signature", sign(b"wrong", &text))
            .body(text),
    )
    .await;

    assert_eq!(
        (unsupported, unsupported_body["status"]["code"].clone()),
        (415, json!(415))
    );
    assert_eq!(missing, 400);
    assert_eq!(unsigned, 401);
}

#[tokio::test]
async fn media_larger_than_max_media_bytes_is_400() {
    let mut config = MockConfig::default_seed();
    config.messaging.max_media_bytes = 1024;
    let mock = Harness::start_with(config).await;
    let (content_type, at_limit) = multipart("a.txt", "text/plain", &[b'a'; 1024]);
    let (_, over) = multipart("a.txt", "text/plain", &[b'a'; 1025]);
    let (_, far_over) = multipart("a.txt", "text/plain", &vec![b'a'; 1024 * 1024]);

    let (ok, _) = send(upload(&mock, SMS, &content_type, at_limit)).await;
    let (too_large, body) = send(upload(&mock, SMS, &content_type, over)).await;
    let (far_too_large, _) = send(upload(&mock, SMS, &content_type, far_over)).await;

    assert_eq!(ok, 200);
    assert_eq!(
        (too_large, body["status"]["code"].clone()),
        (400, json!(400))
    );
    assert_eq!(far_too_large, 400);
}

// ---------------------------------------------------------------- outgoing webhook

#[tokio::test]
async fn an_agent_reply_is_delivered_signed_with_a_trace_id() {
    let mock = Harness::start().await;
    let receiver = Receiver::start(vec![Answer::Echo]).await;
    set_webhook(&mock, SMS, &receiver.url).await;

    let (message_id, trace_id) = reply(
        &mock,
        SMS,
        json!({"to": CONSUMER, "text": "Agent message text"}),
    )
    .await;
    let record = settled(&mock, SMS, &message_id).await;

    let seen = receiver.seen();
    assert_eq!(seen.len(), 1);
    let request = &seen[0];
    let signature = request.headers["x-hub-signature"].to_str().unwrap();
    assert_eq!(
        verify(SECRET.as_bytes(), &request.body, Some(signature)),
        Ok(())
    );
    assert_eq!(request.headers["x-b3-traceid"].to_str().unwrap(), trace_id);
    assert_eq!(
        request.headers["content-type"].to_str().unwrap(),
        "application/json"
    );
    let payload: Value = serde_json::from_slice(&request.body).unwrap();
    assert_eq!(
        payload,
        json!({"channel": {"id": SMS, "type": "sms", "from": {"id": SMS}, "to": {"id": CONSUMER}, "messageId": message_id},
               "type": "Text", "text": "Agent message text"})
    );
    assert_eq!(record["state"], "delivered");
    assert_eq!(record["answeredMessageId"], message_id);
    assert_eq!(record["problems"], json!([]));
    assert_eq!(outcomes(&record), vec!["200"]);
}

#[tokio::test]
async fn an_email_reply_carries_to_and_message_id_inside_channel() {
    let mock = Harness::start().await;
    let receiver = Receiver::start(vec![Answer::Echo]).await;
    set_webhook(&mock, EMAIL, &receiver.url).await;

    let (message_id, _) = reply(
        &mock,
        EMAIL,
        json!({"to": [{"id": "recipient-1@mail.com", "name": "First Recipient"}], "subject": "Subject",
               "text": "Plain text email body", "html": "Html email body", "from_name": "Sender display name",
               "reply_to": {"id": "reply-to@company.com", "name": "Responder display name"}}),
    )
    .await;
    settled(&mock, EMAIL, &message_id).await;

    let payload: Value = serde_json::from_slice(&receiver.seen()[0].body).unwrap();
    assert_eq!(
        payload,
        json!({
            "channel": {"id": EMAIL, "type": "email", "from": {"id": "no-reply@company.com", "name": "Sender display name"},
                        "to": [{"id": "recipient-1@mail.com", "name": "First Recipient"}], "messageId": message_id},
            "context": {"replyTo": {"id": "reply-to@company.com", "name": "Responder display name"}},
            "type": "Email", "subject": "Subject",
            "content": [{"type": "text", "text": "Plain text email body"}, {"type": "html", "text": "Html email body"}],
        })
    );
    assert!(uuid::Uuid::parse_str(&message_id).is_ok());
}

#[tokio::test]
async fn after_two_500s_the_third_attempt_delivers_the_same_bytes_message_id_and_trace_id() {
    let mock = Harness::start().await;
    let receiver =
        Receiver::start(vec![Answer::Status(500), Answer::Status(503), Answer::Echo]).await;
    set_webhook(&mock, SMS, &receiver.url).await;

    let (message_id, trace_id) = reply(
        &mock,
        SMS,
        json!({"to": CONSUMER, "text": "again", "retry_backoff_ms": 10}),
    )
    .await;
    let record = settled(&mock, SMS, &message_id).await;

    let seen = receiver.seen();
    assert_eq!(seen.len(), 3);
    assert!(seen.iter().all(|s| s.body == seen[0].body));
    assert!(seen
        .iter()
        .all(|s| s.headers["x-b3-traceid"] == trace_id.as_str()));
    assert!(seen
        .iter()
        .all(|s| s.headers["x-hub-signature"] == seen[0].headers["x-hub-signature"]));
    assert_eq!(record["state"], "delivered");
    assert_eq!(outcomes(&record), vec!["500", "503", "200"]);
    assert_eq!(record["answeredMessageId"], message_id);
}

#[tokio::test]
async fn delivery_gives_up_after_retry_attempts_and_a_4xx_is_not_retried() {
    let mock = Harness::start().await;
    let failing = Receiver::start(vec![Answer::Status(500)]).await;
    let refusing = Receiver::start(vec![Answer::Status(400)]).await;

    set_webhook(&mock, SMS, &failing.url).await;
    let (exhausted, _) = reply(
        &mock,
        SMS,
        json!({"to": CONSUMER, "text": "x", "retry_backoff_ms": 5, "retry_attempts": 3}),
    )
    .await;
    let exhausted = settled(&mock, SMS, &exhausted).await;
    set_webhook(&mock, SMS, &refusing.url).await;
    let (rejected, _) = reply(
        &mock,
        SMS,
        json!({"to": CONSUMER, "text": "x", "retry_backoff_ms": 5}),
    )
    .await;
    let rejected = settled(&mock, SMS, &rejected).await;

    assert_eq!(exhausted["state"], "failed");
    assert_eq!(outcomes(&exhausted), vec!["500", "500", "500"]);
    assert_eq!(failing.seen().len(), 3);
    assert_eq!(rejected["state"], "failed");
    assert_eq!(outcomes(&rejected), vec!["400"]);
}

#[tokio::test]
async fn a_receiver_slower_than_the_timeout_counts_as_a_failed_attempt() {
    let mock = Harness::start().await;
    let receiver = Receiver::start(vec![Answer::Slow(600), Answer::Echo]).await;
    set_webhook(&mock, SMS, &receiver.url).await;

    let (message_id, _) = reply(
        &mock,
        SMS,
        json!({"to": CONSUMER, "text": "x", "timeout_ms": 150, "retry_backoff_ms": 10}),
    )
    .await;
    let record = settled(&mock, SMS, &message_id).await;

    assert_eq!(outcomes(&record), vec!["timeout", "200"]);
    assert_eq!(record["state"], "delivered");
    assert!(record["attempts"][0]["ms"].as_u64().unwrap() < 600);
}

#[tokio::test]
async fn a_refused_connection_is_retried_until_the_receiver_listens() {
    let mock = Harness::start().await;
    let port = {
        let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        probe.local_addr().unwrap().port()
    };
    set_webhook(&mock, SMS, &format!("http://127.0.0.1:{port}/hook")).await;

    let (message_id, _) = reply(
        &mock,
        SMS,
        json!({"to": CONSUMER, "text": "x", "retry_backoff_ms": 300, "retry_attempts": 5}),
    )
    .await;
    for _ in 0..100 {
        let (_, snapshot) = control(
            &mock,
            Method::GET,
            &format!("/messaging/channels/{SMS}/messages"),
            None,
        )
        .await;
        if !snapshot["outbound"][0]["attempts"]
            .as_array()
            .unwrap()
            .is_empty()
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
        .await
        .unwrap();
    let receiver = Receiver::serve(listener, vec![Answer::Echo]);
    let record = settled(&mock, SMS, &message_id).await;

    assert_eq!(outcomes(&record)[0], "refused");
    assert_eq!(outcomes(&record).last().unwrap(), "200");
    assert_eq!(record["state"], "delivered");
    assert_eq!(receiver.seen().len(), 1);
}

#[tokio::test]
async fn a_missing_or_different_answered_message_id_is_recorded_as_a_problem_but_delivered() {
    let mock = Harness::start().await;
    let receiver = Receiver::start(vec![Answer::Status(200)]).await;
    set_webhook(&mock, SMS, &receiver.url).await;

    let (message_id, _) = reply(&mock, SMS, json!({"to": CONSUMER, "text": "x"})).await;
    let record = settled(&mock, SMS, &message_id).await;

    assert_eq!(record["state"], "delivered");
    assert_eq!(record["answeredMessageId"], Value::Null);
    assert_eq!(record["problems"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn a_reply_on_a_channel_without_webhook_is_400_and_on_an_unknown_channel_404() {
    let mock = Harness::start().await;

    let (no_hook, _) = control(
        &mock,
        Method::POST,
        &format!("/messaging/channels/{SMS}/replies"),
        Some(json!({"to": CONSUMER, "text": "x"})),
    )
    .await;
    let (unknown, _) = control(
        &mock,
        Method::POST,
        "/messaging/channels/nope/replies",
        Some(json!({"to": CONSUMER, "text": "x"})),
    )
    .await;

    assert_eq!(no_hook, 400);
    assert_eq!(unknown, 404);
}

#[tokio::test]
async fn a_channel_created_by_the_control_plane_checks_its_own_ccid_and_secret() {
    let mock = Harness::start().await;
    let (status, created) = control(
        &mock,
        Method::POST,
        "/messaging/channels",
        Some(json!({"id": "scenario-42", "type": "sms", "contact_center_id": "cc-42", "secret": "s-42"})),
    )
    .await;
    let body = text_body("scenario-42", CONSUMER, "x");

    let (accepted, _) = send(
        mock.keyed(Method::POST, "/nexus/v3/channels/scenario-42/messages")
            .header("x-ccid", "cc-42")
            .header("X-Hub-Signature", sign(b"s-42", &body))
            .body(body.clone()),
    )
    .await;
    let (seed_secret, _) = send(
        mock.keyed(Method::POST, "/nexus/v3/channels/scenario-42/messages")
            .header("x-ccid", "cc-42")
            .header("X-Hub-Signature", sign(SECRET.as_bytes(), &body))
            .body(body),
    )
    .await;

    assert_eq!(status, 200);
    assert_eq!(created["id"], "scenario-42");
    assert!(created.get("secret").is_none());
    assert_eq!(accepted, 200);
    assert_eq!(seed_secret, 401);
}

#[tokio::test]
async fn reset_forgets_added_channels_messages_and_media() {
    let mock = Harness::start().await;
    control(
        &mock,
        Method::POST,
        "/messaging/channels",
        Some(json!({"id": "temp", "type": "email"})),
    )
    .await;
    send(signed(
        &mock,
        Method::POST,
        &format!("/channels/{SMS}/messages"),
        text_body(SMS, CONSUMER, "x"),
    ))
    .await;

    let (status, _) = control(&mock, Method::POST, "/reset", None).await;
    let (temp, _) = control(
        &mock,
        Method::GET,
        "/messaging/channels/temp/messages",
        None,
    )
    .await;
    let (_, snapshot) = control(
        &mock,
        Method::GET,
        &format!("/messaging/channels/{SMS}/messages"),
        None,
    )
    .await;

    assert_eq!(status, 200);
    assert_eq!(temp, 404);
    assert_eq!(snapshot["inbound"], json!([]));
}

// ---------------------------------------------------------------- interactions webhook

#[tokio::test]
async fn an_interactions_started_event_is_delivered_signed_with_the_interactions_secret() {
    let mock = Harness::start().await;
    let receiver = Receiver::start(vec![Answer::Events]).await;
    let (set, _) = control(
        &mock,
        Method::PUT,
        "/interactions/webhook",
        Some(json!({"url": receiver.url, "secret": "events-secret"})),
    )
    .await;

    let (status, sent) = control(
        &mock,
        Method::POST,
        "/interactions/events",
        Some(json!({"event": "STARTED", "mediaType": "chat", "interactionSubtype": "InboundNew", "id": "8e09e19f-b8ba-4db0-b6e7-dfc8a7776176"})),
    )
    .await;
    let mut delivery = Value::Null;
    for _ in 0..500 {
        let (_, deliveries) = control(&mock, Method::GET, "/interactions/deliveries", None).await;
        delivery = deliveries["deliveries"][0].clone();
        if delivery["state"] != "pending" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    assert_eq!((set, status), (200, 200));
    let seen = receiver.seen();
    let request = &seen[0];
    let signature = request.headers["x-hub-signature"].to_str().unwrap();
    assert_eq!(
        verify(b"events-secret", &request.body, Some(signature)),
        Ok(())
    );
    assert_eq!(
        request.headers["x-b3-traceid"].to_str().unwrap(),
        sent["traceId"]
    );
    let payload: Value = serde_json::from_slice(&request.body).unwrap();
    assert_eq!(payload["operationId"], sent["operationId"]);
    let event = &payload["data"]["entities"][0];
    assert_eq!(event["event"], "STARTED");
    assert_eq!(
        event["entity"]["id"],
        "8e09e19f-b8ba-4db0-b6e7-dfc8a7776176"
    );
    assert_eq!(event["entity"]["mediaType"], "chat");
    assert_eq!(event["entity"]["interactionSubtype"], "InboundNew");
    assert!(event["entity"]["selfUri"]
        .as_str()
        .unwrap()
        .ends_with("/nexus/v3/chat/sessions/8e09e19f-b8ba-4db0-b6e7-dfc8a7776176"));
    assert_eq!(delivery["state"], "delivered");
    assert_eq!(delivery["answer"]["status"]["code"], 0);
    assert_eq!(delivery["problems"], json!([]));
}

/// Reference 1905: only 200 OK ends an interaction event's delivery; a 400, a 202 or a
/// 500 is redelivered (unlike the Third-Party Messaging webhook, where a 4xx is final).
#[tokio::test]
async fn an_interactions_event_is_redelivered_on_400_202_and_500_until_200() {
    let mock = Harness::start().await;
    let receiver = Receiver::start(vec![
        Answer::Status(400),
        Answer::Status(202),
        Answer::Status(500),
        Answer::Events,
    ])
    .await;
    control(
        &mock,
        Method::PUT,
        "/interactions/webhook",
        Some(json!({"url": receiver.url, "secret": "events-secret"})),
    )
    .await;

    let (status, sent) = control(
        &mock,
        Method::POST,
        "/interactions/events",
        Some(json!({"event": "FINISHED", "mediaType": "email", "retry_backoff_ms": 10})),
    )
    .await;
    let mut delivery = Value::Null;
    for _ in 0..500 {
        let (_, deliveries) = control(&mock, Method::GET, "/interactions/deliveries", None).await;
        delivery = deliveries["deliveries"][0].clone();
        if delivery["state"] != "pending" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    assert_eq!(status, 200, "{sent}");
    assert_eq!(delivery["state"], "delivered", "{delivery}");
    let statuses: Vec<Value> = delivery["attempts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["status"].clone())
        .collect();
    assert_eq!(
        statuses,
        vec![json!(400), json!(202), json!(500), json!(200)]
    );
    let seen = receiver.seen();
    assert_eq!(seen.len(), 4);
    assert!(seen.iter().all(|s| s.body == seen[0].body));
}

#[tokio::test]
async fn an_interactions_event_with_an_undocumented_subtype_or_no_url_is_400() {
    let mock = Harness::start().await;

    let (no_url, _) = control(
        &mock,
        Method::POST,
        "/interactions/events",
        Some(json!({"event": "FINISHED"})),
    )
    .await;
    let (bad_subtype, _) = control(
        &mock,
        Method::POST,
        "/interactions/events",
        Some(json!({"event": "STARTED", "interactionSubtype": "Inbound", "url": "http://127.0.0.1:9/hook"})),
    )
    .await;

    assert_eq!(no_url, 400);
    assert_eq!(bad_subtype, 400);
}

#[test]
fn a_seed_with_zero_retry_attempts_is_rejected() {
    let mut text = include_str!("../../../targets/mock.toml").to_owned();
    text = text.replace("retry_attempts = 5", "retry_attempts = 0");

    let message = MockConfig::from_toml_str(&text).unwrap_err().to_string();

    assert!(message.contains("retry_attempts"), "{message}");
}
