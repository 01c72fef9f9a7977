//! The Third-Party Messaging API, its outgoing webhook and the Interactions Webhook:
//! only what `features/messaging` and `features/webhooks` cannot see (the control
//! plane's snapshots and refusals, id formats, conversations, a batch that is all or
//! nothing, the media cap of the seed, retry on a refused connection, recorded
//! problems, the neighbouring APIs' 404s, reset).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::http::HeaderMap as AxumHeaders;
use axum::response::IntoResponse;
use reqwest::Method;
use serde_json::{json, Value};

use super::*;
use crate::signing::sign;

const SMS: &str = "0123456789";
const EMAIL: &str = "company.com";
const CCID: &str = "0ff723ff-6c6f-44e0-9ce3-ce579337eadd";
const SECRET: &str = "cxgate-channel-secret";
const CONSUMER: &str = "16504661149";

// ---------------------------------------------------------------- helpers

/// A request to `/nexus/v3{path}` with the API key, the seed's ccid and the signature
/// of `body` by `secret`.
fn signed_by(
    mock: &Harness,
    secret: &[u8],
    method: Method,
    path: &str,
    content_type: &str,
    body: Vec<u8>,
) -> Call {
    mock.call(method, &format!("/nexus/v3{path}"))
        .key()
        .header("x-ccid", CCID)
        .header("X-Hub-Signature", &sign(secret, &body))
        .raw(body, content_type)
}

/// A POST of `body`, signed with the seed's secret, to the SMS channel's messages.
async fn post_messages(mock: &Harness, body: &Value) -> Answer {
    let path = format!("/channels/{SMS}/messages");
    let bytes = body.to_string().into_bytes();
    signed_by(
        mock,
        SECRET.as_bytes(),
        Method::POST,
        &path,
        "application/json",
        bytes,
    )
    .send()
    .await
}

fn text(from: &str, to: &str, text: &str) -> Value {
    json!({"channel": {"from": {"id": from}, "to": {"id": to}}, "type": "Text", "text": text})
}

fn receipt(message_id: &str, status: &str) -> Value {
    json!({"channel": {"from": {"id": SMS}, "to": {"id": CONSUMER}, "messageId": message_id},
           "type": "Receipt", "status": status})
}

/// A control-plane request (`/__cxgate{path}`), with a JSON body when given.
async fn control(mock: &Harness, method: Method, path: &str, body: Option<Value>) -> Answer {
    let call = mock.call(method, &format!("/__cxgate{path}"));
    match body {
        Some(body) => call.json(&body).send().await,
        None => call.send().await,
    }
}

/// What the control plane reports of `channel`: `{"inbound": [..], "outbound": [..]}`.
async fn snapshot(mock: &Harness, channel: &str) -> Value {
    let path = format!("/messaging/channels/{channel}/messages");
    let answer = control(mock, Method::GET, &path, None).await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    answer.json
}

/// How the receiver answers one request.
#[derive(Clone, Debug)]
enum Reaction {
    /// This status and `{}`.
    Status(u16),
    /// 200 `{"messageId": <the payload's channel.messageId>}`.
    Echo,
}

#[derive(Default)]
struct Script {
    reactions: Vec<Reaction>,
    seen: Vec<Bytes>,
}

/// A webhook receiver that answers from a script (the last reaction repeating) and
/// records every body.
struct Receiver {
    url: String,
    script: Arc<Mutex<Script>>,
}

impl Receiver {
    async fn start(reactions: Vec<Reaction>) -> Receiver {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        Self::serve(listener, reactions)
    }

    fn serve(listener: tokio::net::TcpListener, reactions: Vec<Reaction>) -> Receiver {
        let url = format!("http://{}/hook", listener.local_addr().unwrap());
        let script = Arc::new(Mutex::new(Script {
            reactions,
            seen: Vec::new(),
        }));
        let shared = script.clone();
        let app = axum::Router::new().fallback(move |_: AxumHeaders, body: Bytes| {
            let shared = shared.clone();
            async move {
                let reaction = {
                    let mut script = shared.lock().unwrap();
                    let n = script.seen.len();
                    script.seen.push(body.clone());
                    let next = script.reactions.get(n).or(script.reactions.last());
                    next.cloned().unwrap_or(Reaction::Echo)
                };
                match reaction {
                    Reaction::Status(status) => (
                        axum::http::StatusCode::from_u16(status).unwrap(),
                        axum::Json(json!({})),
                    )
                        .into_response(),
                    Reaction::Echo => {
                        let payload: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
                        axum::Json(json!({"messageId": payload["channel"]["messageId"]}))
                            .into_response()
                    }
                }
            }
        });
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Receiver { url, script }
    }

    fn seen(&self) -> Vec<Bytes> {
        self.script.lock().unwrap().seen.clone()
    }
}

/// Points `channel`'s webhook at `url`.
async fn set_webhook(mock: &Harness, channel: &str, url: &str) {
    let path = format!("/messaging/channels/{channel}/webhook");
    let answer = control(mock, Method::PUT, &path, Some(json!({"url": url}))).await;
    assert_eq!(answer.status, 200, "{}", answer.text);
}

/// An agent reply from the control plane; its messageId.
async fn reply(mock: &Harness, channel: &str, body: Value) -> String {
    let path = format!("/messaging/channels/{channel}/replies");
    let answer = control(mock, Method::POST, &path, Some(body)).await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    answer.json["messageId"].as_str().unwrap().to_owned()
}

/// Polls `path` of the control plane until `pick` finds a record that is no longer
/// pending, and returns it.
async fn settled(mock: &Harness, path: &str, pick: impl Fn(&Value) -> Value) -> Value {
    for _ in 0..500 {
        let record = pick(&control(mock, Method::GET, path, None).await.json);
        if !record.is_null() && record["state"] != "pending" {
            return record;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("nothing settled at {path} after 10 s");
}

/// The outbound record of `message_id` on `channel`, once settled.
async fn settled_reply(mock: &Harness, channel: &str, message_id: &str) -> Value {
    let path = format!("/messaging/channels/{channel}/messages");
    settled(mock, &path, |snapshot| {
        let outbound = snapshot["outbound"].as_array().cloned().unwrap_or_default();
        let found = outbound.into_iter().find(|o| o["messageId"] == message_id);
        found.unwrap_or(Value::Null)
    })
    .await
}

/// A receiver on `channel` reacting as scripted, one agent reply `body`, and the
/// settled outbound record.
async fn deliver(
    mock: &Harness,
    channel: &str,
    reactions: Vec<Reaction>,
    body: Value,
) -> (Receiver, String, Value) {
    let receiver = Receiver::start(reactions).await;
    set_webhook(mock, channel, &receiver.url).await;
    let message_id = reply(mock, channel, body).await;
    let record = settled_reply(mock, channel, &message_id).await;
    (receiver, message_id, record)
}

fn outcomes(record: &Value) -> Vec<String> {
    let attempts = record["attempts"].as_array().unwrap();
    let outcome = |a: &Value| match a["status"].as_u64() {
        Some(status) => status.to_string(),
        None => a["outcome"].as_str().unwrap().to_owned(),
    };
    attempts.iter().map(outcome).collect()
}

// ---------------------------------------------------------------- inbound messages

#[tokio::test]
async fn inbound_ids_are_unix_ms_dash_seq_and_one_consumer_keeps_one_conversation() {
    let mock = Harness::start().await;
    let batch = json!({"messages": [
        text(CONSUMER, SMS, "one"), text(CONSUMER, SMS, "two"), text("other", SMS, "three"),
    ]});

    let answer = post_messages(&mock, &batch).await;
    let ids: Vec<String> = answer.json["data"]["ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_owned())
        .collect();
    let first = ids[0].clone();
    let removed = post_messages(&mock, &json!({"messages": [receipt(&first, "Removed")]})).await;
    let inbound = snapshot(&mock, SMS).await["inbound"].clone();

    assert_eq!(answer.status, 200, "{}", answer.text);
    for id in &ids {
        let (ms, seq) = id.split_once('-').unwrap();
        assert!(
            ms.len() >= 13 && ms.parse::<u64>().is_ok() && seq.parse::<u64>().is_ok(),
            "{id}"
        );
    }
    assert!(
        ids[0] != ids[1] && ids[1] != ids[2] && ids[0] != ids[2],
        "{ids:?}"
    );
    assert_eq!(
        (inbound[0]["id"].as_str(), inbound[0]["from"].as_str()),
        (Some(first.as_str()), Some(CONSUMER))
    );
    assert_eq!(inbound[0]["text"], "one");
    assert_eq!(inbound[0]["conversationId"], inbound[1]["conversationId"]);
    assert_ne!(inbound[0]["conversationId"], inbound[2]["conversationId"]);
    assert_eq!(removed.status, 200, "{}", removed.text);
    assert_eq!(
        inbound[0]["status"], "Removed",
        "a receipt may name a consumer message (3804)"
    );
}

#[tokio::test]
async fn bodies_the_features_do_not_try_are_400_once_the_signature_passes_and_store_nothing() {
    let mock = Harness::start().await;
    let consumer = post_messages(&mock, &json!({"messages": [text(CONSUMER, SMS, "kept")]})).await;
    let id = consumer.json["data"]["ids"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let cases = [
        ("empty batch", json!({"messages": []})),
        ("no messages", json!({})),
        (
            "to is another channel",
            json!({"messages": [text(CONSUMER, "9999", "x")]}),
        ),
        (
            "RichMedia",
            json!({"messages": [{"channel": {"from": {"id": "1"}, "to": {"id": SMS}}, "type": "RichMedia", "text": "x"}]}),
        ),
        (
            "text missing",
            json!({"messages": [{"channel": {"from": {"id": "1"}, "to": {"id": SMS}}, "type": "Text"}]}),
        ),
        (
            "receipt status Read",
            json!({"messages": [receipt(&id, "Read")]}),
        ),
        (
            "a text then a bad receipt",
            json!({"messages": [text(CONSUMER, SMS, "dropped"), receipt(&id, "Read")]}),
        ),
    ];

    for (case, body) in cases {
        let answer = post_messages(&mock, &body).await;

        assert_eq!(answer.status, 400, "{case}: {}", answer.text);
        assert_eq!(answer.json["status"]["code"], 400, "{case}");
    }
    let unknown = post_messages(
        &mock,
        &json!({"messages": [text(CONSUMER, SMS, "dropped"), receipt("1-0", "Delivered")]}),
    )
    .await;
    assert_eq!(unknown.status, 404, "{}", unknown.text);
    let inbound = snapshot(&mock, SMS).await["inbound"].clone();
    assert_eq!(inbound.as_array().unwrap().len(), 1, "{inbound}");
    assert_eq!(inbound[0]["status"], Value::Null, "{inbound}");
}

/// The openmedia and securemail routers sit beside the messaging one under /nexus/v3;
/// what none of them serves gets the messaging router's answers.
#[tokio::test]
async fn beside_the_other_nexus_apis_unknown_paths_are_404_and_wrong_methods_405() {
    let mock = Harness::start().await;
    for (method, path, status) in [
        (Method::GET, "/nexus/v3/channels/x/nothing".to_owned(), 404),
        (Method::GET, "/nexus/v3/channels".to_owned(), 404),
        (Method::GET, "/nexus/v3/no-such-api".to_owned(), 404),
        (
            Method::GET,
            format!("/nexus/v3/channels/{SMS}/messages"),
            405,
        ),
    ] {
        let answer = mock.call(method.clone(), &path).key().send().await;

        assert_eq!(answer.status, status, "{method} {path}: {}", answer.text);
        assert_eq!(answer.json["status"]["code"], status, "{method} {path}");
        if status == 405 {
            assert_eq!(answer.header("allow"), "POST");
        }
    }
}

// ---------------------------------------------------------------- media

#[tokio::test]
async fn media_of_the_seeds_max_media_bytes_is_accepted_and_one_byte_more_is_400() {
    let mut config = MockConfig::default_seed();
    config.messaging.max_media_bytes = 1024;
    let mock = Harness::start_with(config).await;
    let boundary = "cxgate-boundary-7MA4YWxkTrZu0gW";
    let content_type = format!("multipart/form-data; boundary={boundary}");

    for (size, status) in [(1024, 200), (1025, 400), (1024 * 1024, 400)] {
        let mut body = format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\nContent-Type: text/plain\r\n\r\n").into_bytes();
        body.resize(body.len() + size, b'a');
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let path = format!("/channels/{SMS}/media");
        let answer = signed_by(
            &mock,
            SECRET.as_bytes(),
            Method::POST,
            &path,
            &content_type,
            body,
        )
        .send()
        .await;

        assert_eq!(answer.status, status, "{size} bytes: {}", answer.text);
    }
}

// ---------------------------------------------------------------- outgoing webhook

#[tokio::test]
async fn an_email_reply_puts_the_control_planes_fields_into_channel_context_and_content() {
    let mock = Harness::start().await;
    let body = json!({"to": [{"id": "recipient-1@mail.com", "name": "First Recipient"}], "subject": "Subject",
        "text": "Plain text email body", "html": "Html email body", "from_name": "Sender display name",
        "reply_to": {"id": "reply-to@company.com", "name": "Responder display name"}});

    let (receiver, message_id, _) = deliver(&mock, EMAIL, vec![Reaction::Echo], body).await;

    let payload: Value = serde_json::from_slice(&receiver.seen()[0]).unwrap();
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
async fn a_refused_connection_is_retried_until_the_receiver_listens() {
    let mock = Harness::start().await;
    let port = {
        let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        probe.local_addr().unwrap().port()
    };
    set_webhook(&mock, SMS, &format!("http://127.0.0.1:{port}/hook")).await;

    let body = json!({"to": CONSUMER, "text": "x", "retry_backoff_ms": 300, "retry_attempts": 5});
    let message_id = reply(&mock, SMS, body).await;
    for _ in 0..100 {
        let outbound = snapshot(&mock, SMS).await["outbound"].clone();
        if !outbound[0]["attempts"].as_array().unwrap().is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
        .await
        .unwrap();
    let receiver = Receiver::serve(listener, vec![Reaction::Echo]);
    let record = settled_reply(&mock, SMS, &message_id).await;

    assert_eq!(outcomes(&record)[0], "refused");
    assert_eq!(outcomes(&record).last().unwrap(), "200");
    assert_eq!(record["state"], "delivered");
    assert_eq!(receiver.seen().len(), 1);
}

#[tokio::test]
async fn an_answer_without_the_message_id_is_recorded_as_a_problem_but_delivered() {
    let mock = Harness::start().await;

    let body = json!({"to": CONSUMER, "text": "x"});
    let (_, _, record) = deliver(&mock, SMS, vec![Reaction::Status(200)], body).await;

    assert_eq!(record["state"], "delivered");
    assert_eq!(record["answeredMessageId"], Value::Null);
    assert_eq!(record["problems"].as_array().unwrap().len(), 1, "{record}");
}

// ---------------------------------------------------------------- control plane

#[tokio::test]
async fn the_control_plane_refuses_what_it_cannot_deliver() {
    let mock = Harness::start().await;
    let reply_to = json!({"to": CONSUMER, "text": "x"});
    for (case, path, body, status) in [
        (
            "a reply on a channel without webhook",
            format!("/messaging/channels/{SMS}/replies"),
            reply_to.clone(),
            400,
        ),
        (
            "a reply on an unknown channel",
            "/messaging/channels/nope/replies".to_owned(),
            reply_to,
            404,
        ),
        (
            "an event without a webhook URL",
            "/interactions/events".to_owned(),
            json!({"event": "FINISHED"}),
            400,
        ),
        (
            "an event of an undocumented subtype",
            "/interactions/events".to_owned(),
            json!({"event": "STARTED", "interactionSubtype": "Inbound", "url": "http://127.0.0.1:9/hook"}),
            400,
        ),
    ] {
        let answer = control(&mock, Method::POST, &path, Some(body)).await;

        assert_eq!(answer.status, status, "{case}: {}", answer.text);
    }
}

#[tokio::test]
async fn a_channel_created_by_the_control_plane_checks_its_own_ccid_and_secret() {
    let mock = Harness::start().await;
    let channel =
        json!({"id": "scenario-42", "type": "sms", "contact_center_id": "cc-42", "secret": "s-42"});
    let created = control(&mock, Method::POST, "/messaging/channels", Some(channel)).await;
    let body = json!({"messages": [text(CONSUMER, "scenario-42", "x")]})
        .to_string()
        .into_bytes();
    let path = "/nexus/v3/channels/scenario-42/messages";
    let post = |secret: &[u8]| {
        mock.call(Method::POST, path)
            .key()
            .header("x-ccid", "cc-42")
            .header("X-Hub-Signature", &sign(secret, &body))
            .raw(body.clone(), "application/json")
            .send()
    };

    let accepted = post(b"s-42").await;
    let seed_secret = post(SECRET.as_bytes()).await;

    assert_eq!(created.status, 200, "{}", created.text);
    assert_eq!(created.json["id"], "scenario-42");
    assert!(created.json.get("secret").is_none(), "{}", created.text);
    assert_eq!(accepted.status, 200, "{}", accepted.text);
    assert_eq!(seed_secret.status, 401);
}

#[tokio::test]
async fn reset_forgets_added_channels_and_messages() {
    let mock = Harness::start().await;
    let temp = json!({"id": "temp", "type": "email"});
    control(&mock, Method::POST, "/messaging/channels", Some(temp)).await;
    post_messages(&mock, &json!({"messages": [text(CONSUMER, SMS, "x")]})).await;

    let reset = control(&mock, Method::POST, "/reset", None).await;
    let temp = control(
        &mock,
        Method::GET,
        "/messaging/channels/temp/messages",
        None,
    )
    .await;

    assert_eq!(reset.status, 200);
    assert_eq!(temp.status, 404);
    assert_eq!(snapshot(&mock, SMS).await["inbound"], json!([]));
}

// ---------------------------------------------------------------- interactions webhook

#[tokio::test]
async fn an_events_id_names_its_entity_and_a_chats_self_uri_is_the_chat_session() {
    let mock = Harness::start().await;
    let receiver = Receiver::start(vec![Reaction::Status(200)]).await;
    let hook = json!({"url": receiver.url, "secret": "events-secret"});
    control(&mock, Method::PUT, "/interactions/webhook", Some(hook)).await;
    let id = "8e09e19f-b8ba-4db0-b6e7-dfc8a7776176";

    let event = json!({"event": "STARTED", "mediaType": "chat", "interactionSubtype": "InboundNew", "id": id});
    let sent = control(&mock, Method::POST, "/interactions/events", Some(event)).await;
    let delivery = settled(&mock, "/interactions/deliveries", |d| {
        d["deliveries"][0].clone()
    })
    .await;

    assert_eq!(sent.status, 200, "{}", sent.text);
    assert_eq!(delivery["state"], "delivered", "{delivery}");
    let payload: Value = serde_json::from_slice(&receiver.seen()[0]).unwrap();
    let entity = &payload["data"]["entities"][0]["entity"];
    assert_eq!(entity["id"], id);
    let self_uri = entity["selfUri"].as_str().unwrap();
    assert!(
        self_uri.ends_with(&format!("/nexus/v3/chat/sessions/{id}")),
        "{self_uri}"
    );
}

#[test]
fn a_seed_with_zero_retry_attempts_is_rejected() {
    let text = include_str!("../../../targets/mock.toml")
        .replace("retry_attempts = 5", "retry_attempts = 0");

    let message = MockConfig::from_toml_str(&text).unwrap_err().to_string();

    assert!(message.contains("retry_attempts"), "{message}");
}
