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

use serde_json::{json, Map, Value};

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
        .map_or_else(|| uuid::Uuid::new_v4().to_string(), str::to_owned);
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
