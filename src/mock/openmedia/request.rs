//! The three Openmedia request bodies, read strictly into typed values:
//! createInteractionRequest, changePropertiesRequest and stopInteractionRequest
//! (reference 3489-3497, 3615-3620 and 3737-3742, 3574-3579 and 3694-3701). Every refusal is a message for
//! a 400 `INVALID_PARAMETER`; nothing here knows the stored interactions.

use std::collections::HashSet;

use serde_json::{Map, Value};

use super::timestamp::is_rfc3339;

/// The fields of createInteractionRequest (reference 3491-3495).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CreateInteraction {
    /// `externalId`: unique within the open media service.
    pub external_id: Option<String>,
    /// `parentInteractionId`: an interaction that must exist.
    pub parent_interaction_id: Option<String>,
    /// `receivedAt`: RFC 3339, kept as sent; the creation time when absent.
    pub received_at: Option<String>,
    /// `userData`: the interaction's key-value pairs.
    pub user_data: Map<String, Value>,
}

/// The `data` of changePropertiesRequest (reference 3616-3620).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ChangeProperties {
    /// `changedProperties`: new values for keys that exist.
    pub changed: Map<String, Value>,
    /// `addedProperties`: keys that do not exist yet.
    pub added: Map<String, Value>,
    /// `deletedProperties`: keys that exist.
    pub deleted: Vec<String>,
}

/// The `data` of stopInteractionRequest (reference 3575-3579).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StopInteraction {
    /// `reasonSystemName`.
    pub reason_system_name: Option<String>,
    /// `reasonDescription`.
    pub reason_description: Option<String>,
}

/// The createInteractionRequest fields; they may also come wrapped in `data`.
const CREATE_FIELDS: [&str; 4] = [
    "externalId",
    "parentInteractionId",
    "receivedAt",
    "userData",
];

/// The stopInteractionRequest fields; at the top level or inside `data` (3575-3579).
const STOP_FIELDS: [&str; 2] = ["reasonSystemName", "reasonDescription"];

/// The body as a JSON object; an empty body is `None`.
fn object(body: &[u8]) -> Result<Option<Map<String, Value>>, String> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(Some(map)),
        Ok(other) => Err(format!(
            "the body must be a JSON object, not {}",
            kind(&other)
        )),
        Err(e) => Err(format!("the body is not valid JSON: {e}")),
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Field `name` of `map` as a string; `Ok(None)` when absent.
fn string(map: &Map<String, Value>, name: &str, at: &str) -> Result<Option<String>, String> {
    match map.get(name) {
        None => Ok(None),
        Some(Value::String(s)) if !s.is_empty() => Ok(Some(s.clone())),
        Some(Value::String(_)) => Err(format!("{at}{name} must not be empty")),
        Some(other) => Err(format!("{at}{name} must be a string, not {}", kind(other))),
    }
}

/// Field `name` of `map` as a JSON object; empty when absent.
fn sub_object(
    map: &Map<String, Value>,
    name: &str,
    at: &str,
) -> Result<Map<String, Value>, String> {
    match map.get(name) {
        None => Ok(Map::new()),
        Some(Value::Object(inner)) => Ok(inner.clone()),
        Some(other) => Err(format!("{at}{name} must be an object, not {}", kind(other))),
    }
}

/// The `data` object of a body, if present.
fn data(map: &Map<String, Value>) -> Result<Option<&Map<String, Value>>, String> {
    match map.get("data") {
        None => Ok(None),
        Some(Value::Object(inner)) => Ok(Some(inner)),
        Some(other) => Err(format!("data must be an object, not {}", kind(other))),
    }
}

/// Where the fields `names` of a create or stop body stand, with the prefix that names
/// them in errors: at the top level (`""`), or inside `data` (`"data."`), but not in
/// both (`what` they are is said in that error).
fn fields_of<'a>(
    map: &'a Map<String, Value>,
    names: &[&str],
    what: &str,
) -> Result<(&'a Map<String, Value>, &'static str), String> {
    match data(map)? {
        None => Ok((map, "")),
        Some(inner) => match names.iter().find(|f| map.contains_key(**f)) {
            Some(both) => Err(format!(
                "{both} is given both at the top level and inside data; send {what} in one place"
            )),
            None => Ok((inner, "data.")),
        },
    }
}

/// `POST .../interactions`. The body is optional (3489). Its fields stand at
/// the top level (notes section 5), or inside `data` (3496-3497: the body parameter
/// is named `data`, the GWS `{"data":{..}}` wrapper of update and stop); one
/// body may not use both.
pub fn create(body: &[u8]) -> Result<CreateInteraction, String> {
    let Some(map) = object(body)? else {
        return Ok(CreateInteraction::default());
    };
    let (fields, at) = fields_of(&map, &CREATE_FIELDS, "the fields")?;
    let received_at = string(fields, "receivedAt", at)?;
    if let Some(text) = &received_at {
        if !is_rfc3339(text) {
            return Err(format!(
                "{at}receivedAt `{text}` is not an RFC 3339 date-time such as 2026-01-01T09:30:00Z"
            ));
        }
    }
    Ok(CreateInteraction {
        external_id: string(fields, "externalId", at)?,
        parent_interaction_id: string(fields, "parentInteractionId", at)?,
        received_at,
        user_data: sub_object(fields, "userData", at)?,
    })
}

/// `POST .../update`. The body and its `data` are required (3615, 3737); data
/// names at least one change, and a key appears in one list at most.
pub fn change(body: &[u8]) -> Result<ChangeProperties, String> {
    let map = object(body)?.ok_or("the body is required: {\"data\":{\"changedProperties\":{..},\"addedProperties\":{..},\"deletedProperties\":[..]}}")?;
    let data = data(&map)?.ok_or("data is required: {\"data\":{\"changedProperties\":{..},\"addedProperties\":{..},\"deletedProperties\":[..]}}")?;
    let changed = sub_object(data, "changedProperties", "data.")?;
    let added = sub_object(data, "addedProperties", "data.")?;
    let deleted = match data.get("deletedProperties") {
        None => Vec::new(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| match item {
                Value::String(s) if !s.is_empty() => Ok(s.clone()),
                other => Err(format!(
                    "data.deletedProperties must hold non-empty strings, not {}",
                    kind(other)
                )),
            })
            .collect::<Result<Vec<_>, _>>()?,
        Some(other) => {
            return Err(format!(
                "data.deletedProperties must be an array of strings, not {}",
                kind(other)
            ))
        }
    };
    if changed.is_empty() && added.is_empty() && deleted.is_empty() {
        return Err(
            "data names no change: give changedProperties, addedProperties or deletedProperties"
                .to_owned(),
        );
    }
    let mut seen = HashSet::new();
    let keys = changed.keys().chain(added.keys()).chain(deleted.iter());
    for key in keys {
        if !seen.insert(key.as_str()) {
            return Err(format!(
                "key `{key}` is named more than once in changedProperties, addedProperties and deletedProperties"
            ));
        }
    }
    Ok(ChangeProperties {
        changed,
        added,
        deleted,
    })
}

/// `POST .../stop`. The body and its `data` are optional (3574, 3579). The
/// stopInteractionRequest table lists reasonSystemName and reasonDescription at
/// the top level and again as `data (stopInteractionRequest)` (3575-3579,
/// 3697-3701), the same structure as createInteractionRequest (3491-3497), so
/// the reason is read the way create reads its fields: at the top level or
/// inside `data`, but not both.
pub fn stop(body: &[u8]) -> Result<StopInteraction, String> {
    let Some(map) = object(body)? else {
        return Ok(StopInteraction::default());
    };
    let (fields, at) = fields_of(&map, &STOP_FIELDS, "the reason")?;
    Ok(StopInteraction {
        reason_system_name: string(fields, "reasonSystemName", at)?,
        reason_description: string(fields, "reasonDescription", at)?,
    })
}
