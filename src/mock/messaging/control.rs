//! Control-plane routes for messaging (merged by `mock::control` under
//! `/__cxgate`): channels and their receivers, agent replies (outgoing
//! webhook), what each channel received and sent, and the Interactions
//! Webhook. No API key; JSON in, JSON out, every error a JSON 4xx `{"error"}`.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::PathRejection;
use axum::extract::Path;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Extension, Json, Router};
use serde_json::{json, Map, Value};

use super::super::kernel::identity::MockState;
use super::delivery::{self, DeliveryLog, Expect, Job, Policy, Target};
use super::hub::MessagingHub;
use super::interactions::{self, Emit};
use super::outgoing::{self, Address, Email};
use super::seed::{check_webhook_url, ChannelConfig, ChannelType};
use crate::signing::sign;

/// The messaging control routes, with their full paths below `/__cxgate`.
pub fn router() -> Router<Arc<MockState>> {
    Router::new()
        .route(
            "/messaging/channels",
            get(list_channels).post(create_channel),
        )
        .route("/messaging/channels/{id}/webhook", put(set_webhook))
        .route("/messaging/channels/{id}/replies", post(reply))
        .route("/messaging/channels/{id}/messages", get(messages))
        .route("/interactions/webhook", put(set_interactions_webhook))
        .route("/interactions/events", post(send_events))
        .route("/interactions/deliveries", get(deliveries))
}

type Hub = Extension<Arc<MessagingHub>>;
type ChannelPath = Result<Path<String>, PathRejection>;
/// A handler's answer: the success or the refusal, each a whole response.
type Answer = Result<Response, Response>;

fn control_error(status: StatusCode, message: impl Into<String>) -> Response {
    (status, Json(json!({ "error": message.into() }))).into_response()
}

fn bad(message: impl Into<String>) -> Response {
    control_error(StatusCode::BAD_REQUEST, message)
}

fn unknown_channel(id: &str) -> Response {
    control_error(StatusCode::NOT_FOUND, format!("unknown channel `{id}`"))
}

fn json_object(body: &[u8]) -> Result<Map<String, Value>, Response> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(bad("body must be a JSON object")),
        Err(e) => Err(bad(format!("body is not valid JSON: {e}"))),
    }
}

fn path_id(path: ChannelPath) -> Result<String, Response> {
    path.map(|Path(id)| id)
        .map_err(|_| bad("the channel ID in the path is not valid UTF-8"))
}

/// The channel id of the path and the JSON object of the body, checked in that order.
fn id_and_object(path: ChannelPath, body: &[u8]) -> Result<(String, Map<String, Value>), Response> {
    let id = path_id(path)?;
    Ok((id, json_object(body)?))
}

/// The `url` of a webhook body, checked; `shape` is the 400 message when there is none.
fn webhook_url<'a>(map: &'a Map<String, Value>, shape: &str) -> Result<&'a str, Response> {
    let url = map
        .get("url")
        .and_then(Value::as_str)
        .ok_or_else(|| bad(shape))?;
    check_webhook_url(url).map_err(bad)?;
    Ok(url)
}

/// The optional string field `name` (non-empty when present).
fn opt_string(map: &Map<String, Value>, name: &str) -> Result<Option<String>, Response> {
    match map.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if !s.is_empty() => Ok(Some(s.clone())),
        Some(_) => Err(bad(format!("{name} must be a non-empty string"))),
    }
}

/// `{"id","name"?}` as an [`Address`].
fn address(value: &Value, what: &str) -> Result<Address, Response> {
    let id = value
        .get("id")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .ok_or_else(|| {
            bad(format!(
                "{what} must be {{\"id\": \"<address>\", \"name\"?: \"...\"}}"
            ))
        })?;
    let name = match value.get("name") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => return Err(bad(format!("{what}.name must be a string"))),
    };
    Ok(Address {
        id: id.to_owned(),
        name,
    })
}

/// The seed policy with the request's `retry_attempts`, `retry_backoff_ms` and
/// `timeout_ms` overrides.
fn policy(hub: &MessagingHub, map: &Map<String, Value>) -> Result<Policy, Response> {
    let seed = Policy::of_seed(hub.seed());
    let number = |name: &str, min: u64| -> Result<Option<u64>, Response> {
        match map.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => v
                .as_u64()
                .filter(|n| *n >= min)
                .map(Some)
                .ok_or_else(|| bad(format!("{name} must be an integer of at least {min}"))),
        }
    };
    let attempts = match number("retry_attempts", 1)? {
        Some(n) => u32::try_from(n).map_err(|_| bad("retry_attempts is too large"))?,
        None => seed.attempts,
    };
    Ok(Policy {
        attempts,
        backoff_ms: number("retry_backoff_ms", 0)?.unwrap_or(seed.backoff_ms),
        timeout_ms: number("timeout_ms", 1)?.unwrap_or(seed.timeout_ms),
    })
}

/// `GET /__cxgate/messaging/channels`: every channel (secrets left out).
async fn list_channels(Extension(hub): Hub) -> Json<Value> {
    Json(hub.channels_snapshot())
}

/// `POST /__cxgate/messaging/channels {"id","type","contact_center_id"?,"secret"?,"webhook_url"?}`:
/// creates or replaces a channel (a replaced channel starts with no messages or
/// media); missing fields default to the seed's first channel.
async fn create_channel(Extension(hub): Hub, body: Bytes) -> Answer {
    let map = json_object(&body)?;
    let config = channel_from(&hub, &map)?;
    let answer = json!({
        "id": config.id,
        "type": config.channel_type.as_str(),
        "contact_center_id": config.contact_center_id,
        "webhook_url": config.webhook_url,
    });
    hub.upsert_channel(config);
    Ok(Json(answer).into_response())
}

fn channel_from(hub: &MessagingHub, map: &Map<String, Value>) -> Result<ChannelConfig, Response> {
    let id = opt_string(map, "id")?
        .filter(|id| !id.contains('/'))
        .ok_or_else(|| bad("id must be a non-empty string without `/`"))?;
    let channel_type = map
        .get("type")
        .and_then(Value::as_str)
        .and_then(ChannelType::parse)
        .ok_or_else(|| bad("type must be \"sms\" or \"email\""))?;
    let first = hub.seed().channels.first();
    let contact_center_id = opt_string(map, "contact_center_id")?
        .or_else(|| first.map(|c| c.contact_center_id.clone()))
        .ok_or_else(|| {
            bad("contact_center_id is required: the seed has no channel to default from")
        })?;
    let secret = opt_string(map, "secret")?
        .or_else(|| first.map(|c| c.secret.clone()))
        .ok_or_else(|| bad("secret is required: the seed has no channel to default from"))?;
    let webhook_url = match map.get("webhook_url") {
        None | Some(Value::Null) => first.map(|c| c.webhook_url.clone()).unwrap_or_default(),
        Some(Value::String(url)) => url.clone(),
        Some(_) => return Err(bad("webhook_url must be a string")),
    };
    check_webhook_url(&webhook_url).map_err(bad)?;
    Ok(ChannelConfig {
        id,
        channel_type,
        contact_center_id,
        secret,
        webhook_url,
    })
}

/// `PUT /__cxgate/messaging/channels/{id}/webhook {"url"}`: "" clears it.
async fn set_webhook(Extension(hub): Hub, path: ChannelPath, body: Bytes) -> Answer {
    let (id, map) = id_and_object(path, &body)?;
    let url = webhook_url(
        &map,
        "body must be {\"url\": \"http://...\"} (\"\" clears it)",
    )?;
    if !hub.set_webhook(&id, url) {
        return Err(unknown_channel(&id));
    }
    Ok(Json(json!({ "id": id, "webhook_url": url })).into_response())
}

/// `POST /__cxgate/messaging/channels/{id}/replies`: an agent reply, delivered
/// in the background. sms `{"to","text"}`; email `{"to":[{"id","name"?}],
/// "subject"?,"text"?,"html"?,"from"?,"from_name"?,"reply_to"?}`; both take
/// `retry_attempts`, `retry_backoff_ms`, `timeout_ms`. 200 `{"messageId","traceId"}`.
async fn reply(Extension(hub): Hub, path: ChannelPath, body: Bytes) -> Answer {
    let (id, map) = id_and_object(path, &body)?;
    let channel = hub.channel(&id).ok_or_else(|| unknown_channel(&id))?;
    let policy = policy(&hub, &map)?;
    let (message_id, payload) = match channel.channel_type {
        ChannelType::Sms => sms_reply(&hub, &channel, &map),
        ChannelType::Email => email_reply(&channel, &map),
    }?;
    if channel.webhook_url.is_empty() {
        return Err(bad(format!(
            "channel `{id}` has no webhook URL: PUT /__cxgate/messaging/channels/{id}/webhook first"
        )));
    }
    let trace_id = crate::ids::uuid_v4().to_string();
    let log = DeliveryLog::new(&trace_id, &channel.webhook_url, payload.clone(), policy);
    let started = hub
        .add_outbound(&id, &message_id, log)
        .ok_or_else(|| unknown_channel(&id))?;
    let body = Bytes::from(payload.to_string());
    let job = Job {
        target: Target::Outbound {
            channel_id: id,
            message_id: message_id.clone(),
        },
        generation: started.generation,
        url: channel.webhook_url,
        signature: sign(channel.secret.as_bytes(), &body),
        body,
        trace_id: trace_id.clone(),
        policy,
        expect: Expect::MessageId(message_id.clone()),
    };
    hub.spawn(delivery::run(hub.clone(), job));
    Ok(Json(json!({ "messageId": message_id, "traceId": trace_id })).into_response())
}

fn sms_reply(
    hub: &MessagingHub,
    channel: &ChannelConfig,
    map: &Map<String, Value>,
) -> Result<(String, Value), Response> {
    let to =
        opt_string(map, "to")?.ok_or_else(|| bad("an sms reply needs \"to\": the consumer id"))?;
    let text = map
        .get("text")
        .and_then(Value::as_str)
        .ok_or_else(|| bad("an sms reply needs \"text\": a string"))?;
    // SMS message ids look like the reference's `1613474523265-0` (line 3888).
    let message_id = hub.next_message_id();
    let payload = outgoing::sms(&channel.id, &message_id, &to, text);
    Ok((message_id, payload))
}

fn email_reply(
    channel: &ChannelConfig,
    map: &Map<String, Value>,
) -> Result<(String, Value), Response> {
    let to = map
        .get("to")
        .and_then(Value::as_array)
        .filter(|to| !to.is_empty())
        .ok_or_else(|| {
            bad("an email reply needs \"to\": [{\"id\": \"<address>\", \"name\"?: \"...\"}]")
        })?
        .iter()
        .enumerate()
        .map(|(i, a)| address(a, &format!("to[{i}]")))
        .collect::<Result<Vec<_>, _>>()?;
    let text_field = |name: &str| -> Result<Option<String>, Response> {
        match map.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(bad(format!("{name} must be a string"))),
        }
    };
    let text = text_field("text")?;
    let html = text_field("html")?;
    if text.is_none() && html.is_none() {
        return Err(bad("an email reply needs \"text\" or \"html\" (or both)"));
    }
    let reply_to = match map.get("reply_to") {
        None | Some(Value::Null) => None,
        Some(v) => Some(address(v, "reply_to")?),
    };
    // The sender defaults to `no-reply@<channel id>` (reference 3971: channel
    // `company.com` sends from `no-reply@company.com`).
    let from = Address {
        id: opt_string(map, "from")?.unwrap_or_else(|| format!("no-reply@{}", channel.id)),
        name: opt_string(map, "from_name")?,
    };
    let email = Email {
        from,
        to,
        reply_to,
        subject: text_field("subject")?,
        text,
        html,
    };
    // Email message ids are UUIDs, as in the reference (line 3990).
    let message_id = crate::ids::uuid_v4().to_string();
    let payload = outgoing::email(&channel.id, &message_id, &email);
    Ok((message_id, payload))
}

/// `GET /__cxgate/messaging/channels/{id}/messages`: inbound texts and outbound
/// replies with their delivery state, attempts and receipts.
async fn messages(Extension(hub): Hub, path: ChannelPath) -> Answer {
    let id = path_id(path)?;
    let snapshot = hub
        .messages_snapshot(&id)
        .ok_or_else(|| unknown_channel(&id))?;
    Ok(Json(snapshot).into_response())
}

/// `PUT /__cxgate/interactions/webhook {"url","secret"?}`: "" clears the URL.
async fn set_interactions_webhook(Extension(hub): Hub, body: Bytes) -> Answer {
    let map = json_object(&body)?;
    let url = webhook_url(
        &map,
        "body must be {\"url\": \"http://...\", \"secret\"?: \"...\"}",
    )?;
    let secret = opt_string(&map, "secret")?;
    hub.set_interactions(url, secret.as_deref());
    Ok(Json(json!({ "webhook_url": url })).into_response())
}

/// `POST /__cxgate/interactions/events`: one event `{"event","mediaType"?,
/// "interactionSubtype"?,"id"?,"selfUri"?}` or several `{"events":[...]}`, with
/// optional `operationId`, `url` (this delivery only), `retry_attempts`,
/// `retry_backoff_ms`, `timeout_ms`. 200 `{"operationId","traceId"}`.
async fn send_events(Extension(hub): Hub, headers: HeaderMap, body: Bytes) -> Answer {
    let map = json_object(&body)?;
    let policy = policy(&hub, &map)?;
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("127.0.0.1");
    let base = format!("http://{host}");
    let events = match map.get("events") {
        None => interactions::event(&map, &base).map(|e| vec![e]),
        Some(Value::Array(list)) if !list.is_empty() => list
            .iter()
            .enumerate()
            .map(|(i, e)| {
                e.as_object()
                    .ok_or_else(|| "must be an object".to_owned())
                    .and_then(|e| interactions::event(e, &base))
                    .map_err(|why| format!("events[{i}]: {why}"))
            })
            .collect(),
        Some(_) => Err("events must be a non-empty array of events".to_owned()),
    };
    let events = events.map_err(bad)?;
    let operation_id = opt_string(&map, "operationId")?;
    let url = opt_string(&map, "url")?;
    match interactions::emit(&hub, events, operation_id, url, policy) {
        Ok((operation_id, trace_id)) => {
            Ok(Json(json!({ "operationId": operation_id, "traceId": trace_id })).into_response())
        }
        Err(Emit::NoUrl) => Err(bad(
            "no Interactions Webhook URL: PUT /__cxgate/interactions/webhook first",
        )),
        Err(Emit::BadUrl(why)) => Err(bad(why)),
        Err(Emit::Delivered(operation_id)) => Err(control_error(
            StatusCode::CONFLICT,
            format!("operationId `{operation_id}` was already delivered; omit it to get a new one"),
        )),
    }
}

/// `GET /__cxgate/interactions/deliveries`: every Interactions Webhook delivery.
async fn deliveries(Extension(hub): Hub) -> Json<Value> {
    Json(hub.deliveries_snapshot())
}
