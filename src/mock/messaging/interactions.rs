//! The Interactions Webhook payload (reference 1927-1960): `EventsPayload`
//! `{"operationId","data":{"entities":[{"event","entity":{"id","mediaType",
//! "interactionSubtype","selfUri"}}]}}`, built from a control-plane request.
//!
//! Choices where the reference is silent: `event` is required; `mediaType` and
//! `interactionSubtype` are sent only when given (the tables mark them
//! optional); `id` defaults to a new UUID; `selfUri` defaults to
//! `<mock base>/nexus/v3/chat/sessions/<id>` for chat (the example at 1950,
//! whose two run-together UUIDs are CATALOG 10 item 40) and
//! `<mock base>/nexus/v3/securemail/<id>` for email (the Secure Email API path),
//! and is omitted without a media type.

use std::sync::Arc;

use axum::body::Bytes;
use serde_json::{json, Map, Value};

use super::delivery::{self, DeliveryLog, Expect, Job, Policy, Target};
use super::hub::MessagingHub;
use super::seed::check_webhook_url;
use crate::signing::sign;

/// Event types (reference 1952; meanings 1896-1897).
const EVENTS: [&str; 2] = ["STARTED", "FINISHED"];
/// Media types (reference 1945-1947).
const MEDIA_TYPES: [&str; 2] = ["chat", "email"];
/// Interaction subtypes (reference 1949).
const SUBTYPES: [&str; 8] = [
    "InboundNew",
    "Outbound",
    "SMS",
    "WhatsApp",
    "FacebookPublic",
    "FacebookPrivate",
    "TwitterPublic",
    "TwitterPrivate",
];

fn optional_string<'a>(
    map: &'a Map<String, Value>,
    name: &str,
    allowed: &[&str],
) -> Result<Option<&'a str>, String> {
    match map.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if allowed.is_empty() || allowed.contains(&s.as_str()) => {
            if s.is_empty() {
                Err(format!("{name} must not be empty"))
            } else {
                Ok(Some(s))
            }
        }
        Some(_) if allowed.is_empty() => Err(format!("{name} must be a non-empty string")),
        Some(_) => Err(format!("{name} must be one of {}", allowed.join(", "))),
    }
}

/// One `Event` of `data.entities` from `{"event","mediaType"?,"interactionSubtype"?,"id"?,"selfUri"?}`.
/// `base` is the mock's own `http://host:port`.
pub fn event(map: &Map<String, Value>, base: &str) -> Result<Value, String> {
    let event =
        optional_string(map, "event", &EVENTS)?.ok_or("event is required: STARTED or FINISHED")?;
    let media_type = optional_string(map, "mediaType", &MEDIA_TYPES)?;
    let subtype = optional_string(map, "interactionSubtype", &SUBTYPES)?;
    let id = optional_string(map, "id", &[])?
        .map_or_else(|| crate::ids::uuid_v4().to_string(), str::to_owned);
    let self_uri = match optional_string(map, "selfUri", &[])? {
        Some(uri) => Some(uri.to_owned()),
        None => media_type.map(|m| match m {
            "email" => format!("{base}/nexus/v3/securemail/{id}"),
            _ => format!("{base}/nexus/v3/chat/sessions/{id}"),
        }),
    };
    let mut entity = Map::new();
    entity.insert("id".to_owned(), json!(id));
    if let Some(media_type) = media_type {
        entity.insert("mediaType".to_owned(), json!(media_type));
    }
    if let Some(subtype) = subtype {
        entity.insert("interactionSubtype".to_owned(), json!(subtype));
    }
    if let Some(self_uri) = self_uri {
        entity.insert("selfUri".to_owned(), json!(self_uri));
    }
    Ok(json!({ "event": event, "entity": entity }))
}

/// `EventsPayload` (reference 1954-1958).
pub fn payload(operation_id: &str, events: Vec<Value>) -> Value {
    json!({ "operationId": operation_id, "data": { "entities": events } })
}

/// Why [`emit`] sent nothing.
#[derive(Debug)]
pub enum Emit {
    /// No URL given and no Interactions Webhook URL configured.
    NoUrl,
    /// The URL is not one the mock posts to.
    BadUrl(String),
    /// This operationId was delivered before.
    Delivered(String),
}

/// Sends `events` as one `EventsPayload` to `url` (default: the configured Interactions
/// Webhook URL), signed with the webhook's secret (reference 1907) and redelivered by
/// `policy` (1905), in the background. Gives the operationId and the trace id.
pub fn emit(
    hub: &Arc<MessagingHub>,
    events: Vec<Value>,
    operation_id: Option<String>,
    url: Option<String>,
    policy: Policy,
) -> Result<(String, String), Emit> {
    let target = hub.interactions();
    let url = url.unwrap_or(target.webhook_url);
    if url.is_empty() {
        return Err(Emit::NoUrl);
    }
    check_webhook_url(&url).map_err(Emit::BadUrl)?;
    let operation_id = operation_id.unwrap_or_else(|| crate::ids::uuid_v4().to_string());
    let trace_id = crate::ids::uuid_v4().to_string();
    let payload = payload(&operation_id, events);
    let body = Bytes::from(payload.to_string());
    let Some(started) = hub.add_delivery(
        &operation_id,
        DeliveryLog::new(&trace_id, &url, payload, policy),
    ) else {
        return Err(Emit::Delivered(operation_id));
    };
    let job = Job {
        target: Target::Interaction {
            operation_id: operation_id.clone(),
        },
        generation: started.generation,
        url,
        signature: sign(target.secret.as_bytes(), &body),
        body,
        trace_id: trace_id.clone(),
        policy,
        expect: Expect::EventsResponse,
    };
    hub.spawn(delivery::run(hub.clone(), job));
    Ok((operation_id, trace_id))
}

/// What other families tell the Interactions Webhook, on the messaging family's hub.
#[derive(Debug, Clone)]
pub struct InteractionEvents(Arc<MessagingHub>);

impl InteractionEvents {
    /// The events of `hub`.
    pub fn of(hub: &Arc<MessagingHub>) -> InteractionEvents {
        InteractionEvents(hub.clone())
    }

    /// A STARTED event (reference 1895) for the new interaction `id` of `media_type`
    /// with `subtype`, whose data `self_uri` gives, sent with the seed's delivery policy
    /// when an Interactions Webhook URL is configured (reference 1901: the webhook is
    /// configured per deployment; none, nothing is sent).
    pub fn started(&self, media_type: &str, subtype: &str, id: &str, self_uri: &str) {
        let hub = &self.0;
        if hub.interactions().webhook_url.is_empty() {
            return;
        }
        let policy = Policy::of_seed(hub.seed());
        let entity = json!({"event": "STARTED", "entity": {"id": id, "mediaType": media_type,
            "interactionSubtype": subtype, "selfUri": self_uri}});
        // A URL the mock cannot post to was refused when it was configured.
        let _ = emit(hub, vec![entity], None, None, policy);
    }
}
