//! Request bodies of the Statistics API, parsed by hand so every shape error is
//! a 400 with a sentence instead of a framework rejection.

use std::collections::{BTreeMap, HashSet};

use serde_json::{Map, Value};

use super::seed::NotificationMode;

/// One `{name, objectType, objectId}` of `get-statistic-ex`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeekItem {
    /// Pre-configured statistic name.
    pub name: String,
    /// `objectType`.
    pub object_type: String,
    /// `objectId`.
    pub object_id: String,
}

/// A statistic given by definition in a subscription (reference 2614-2625).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Definition {
    /// `notificationMode`.
    pub mode: NotificationMode,
    /// `notificationFrequency` in seconds (required for `Periodical`).
    pub frequency_secs: Option<u64>,
    /// `insensitivity` (0 when absent).
    pub insensitivity: u64,
    /// Every other field, sorted, as `name=json;...`: what makes two definitions
    /// the same statistic.
    pub canonical: String,
}

/// One statistic of `POST /subscriptions`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubscribeItem {
    /// `statisticId`, unique inside the subscription.
    pub statistic_id: String,
    /// `objectType`.
    pub object_type: String,
    /// `objectId`.
    pub object_id: String,
    /// `name` of a pre-configured statistic, or `None` when defined.
    pub name: Option<String>,
    /// The definition, or `None` when named.
    pub definition: Option<Definition>,
}

/// The body of `POST /subscriptions`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubscribeRequest {
    /// `operationId`, when given (non-empty).
    pub operation_id: Option<String>,
    /// The statistics to open, at least one.
    pub items: Vec<SubscribeItem>,
}

fn object(body: &[u8]) -> Result<Map<String, Value>, String> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err("body must be a JSON object".to_owned()),
        Err(e) => Err(format!("body is not valid JSON: {e}")),
    }
}

/// `data.statistics` (what Genesys's clients and the samples send, reference
/// 2508-2523) or a top-level `statistics` (the parameter table's name, reference
/// line 2823 and 3052; CATALOG ambiguities 53 and 54). Must be a non-empty array.
fn statistics_list(body: &Map<String, Value>) -> Result<&Vec<Value>, String> {
    let list = match body.get("data") {
        Some(Value::Object(data)) => data.get("statistics"),
        Some(_) => return Err("`data` must be an object holding `statistics`".to_owned()),
        None => body.get("statistics"),
    };
    match list {
        Some(Value::Array(items)) if !items.is_empty() => Ok(items),
        Some(Value::Array(_)) => Err("`data.statistics` must not be empty".to_owned()),
        Some(_) => Err("`data.statistics` must be an array".to_owned()),
        None => Err("`data.statistics` is required".to_owned()),
    }
}

fn text(item: &Map<String, Value>, field: &str, at: usize) -> Result<String, String> {
    match item.get(field) {
        Some(Value::String(s)) if !s.is_empty() => Ok(s.clone()),
        Some(_) => Err(format!(
            "statistics[{at}].{field} must be a non-empty string"
        )),
        None => Err(format!("statistics[{at}].{field} is required")),
    }
}

fn item_object(item: &Value, at: usize) -> Result<&Map<String, Value>, String> {
    item.as_object()
        .ok_or_else(|| format!("statistics[{at}] must be an object"))
}

/// Parses a `get-statistic-ex` body.
pub fn peek_items(body: &[u8]) -> Result<Vec<PeekItem>, String> {
    let body = object(body)?;
    statistics_list(&body)?
        .iter()
        .enumerate()
        .map(|(at, item)| {
            let item = item_object(item, at)?;
            Ok(PeekItem {
                name: text(item, "name", at)?,
                object_type: text(item, "objectType", at)?,
                object_id: text(item, "objectId", at)?,
            })
        })
        .collect()
}

fn positive(
    definition: &Map<String, Value>,
    field: &str,
    at: usize,
) -> Result<Option<u64>, String> {
    match definition.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => match v.as_u64() {
            Some(n) if n > 0 => Ok(Some(n)),
            _ => Err(format!(
                "statistics[{at}].definition.{field} must be a positive integer (seconds)"
            )),
        },
    }
}

fn definition(value: &Value, at: usize) -> Result<Definition, String> {
    let Some(definition) = value.as_object() else {
        return Err(format!("statistics[{at}].definition must be an object"));
    };
    // The reference's samples always give a mode (2615, notes section 2) but do
    // not say it is required; the mock defaults to Immediate when absent.
    let mode = match definition.get("notificationMode") {
        None => NotificationMode::Immediate,
        Some(Value::String(name)) => NotificationMode::parse(name).ok_or_else(|| {
            format!(
                "statistics[{at}].definition.notificationMode `{name}` must be one of Immediate, Periodical, Reset, NoNotification"
            )
        })?,
        Some(_) => {
            return Err(format!(
                "statistics[{at}].definition.notificationMode must be a string"
            ))
        }
    };
    let frequency_secs = positive(definition, "notificationFrequency", at)?;
    if mode == NotificationMode::Periodical && frequency_secs.is_none() {
        return Err(format!(
            "statistics[{at}].definition.notificationFrequency is required for Periodical"
        ));
    }
    let insensitivity = match definition.get("insensitivity") {
        None | Some(Value::Null) => 0,
        Some(v) => v.as_u64().ok_or_else(|| {
            format!("statistics[{at}].definition.insensitivity must be a non-negative integer")
        })?,
    };
    for required in ["category", "subject"] {
        match definition.get(required) {
            Some(Value::String(s)) if !s.is_empty() => {}
            Some(_) => {
                return Err(format!(
                    "statistics[{at}].definition.{required} must be a non-empty string"
                ))
            }
            None => {
                return Err(format!(
                    "statistics[{at}].definition.{required} is required"
                ))
            }
        }
    }
    let identity: BTreeMap<&str, String> = definition
        .iter()
        .filter(|(k, _)| {
            !matches!(
                k.as_str(),
                "notificationMode" | "notificationFrequency" | "insensitivity"
            )
        })
        .map(|(k, v)| (k.as_str(), v.to_string()))
        .collect();
    let canonical = identity
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(";");
    Ok(Definition {
        mode,
        frequency_secs,
        insensitivity,
        canonical,
    })
}

/// Parses a `POST /subscriptions` body (reference 2595-2630): shape only; the
/// caller checks names and objects against the seed.
pub fn subscribe_request(body: &[u8]) -> Result<SubscribeRequest, String> {
    let body = object(body)?;
    let operation_id = match body.get("operationId") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if s.is_empty() => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => return Err("operationId must be a string".to_owned()),
    };
    let mut seen = HashSet::new();
    let mut items = Vec::new();
    for (at, item) in statistics_list(&body)?.iter().enumerate() {
        let item = item_object(item, at)?;
        let statistic_id = text(item, "statisticId", at)?;
        if !seen.insert(statistic_id.clone()) {
            return Err(format!(
                "statistics[{at}].statisticId `{statistic_id}` is used twice in this subscription"
            ));
        }
        let object_type = text(item, "objectType", at)?;
        let object_id = text(item, "objectId", at)?;
        let (name, definition) = match (item.get("name"), item.get("definition")) {
            (Some(_), Some(_)) => {
                return Err(format!(
                    "statistics[{at}] must have exactly one of `name` and `definition`, not both"
                ))
            }
            (None, None) => {
                return Err(format!(
                    "statistics[{at}] must have exactly one of `name` and `definition`"
                ))
            }
            (Some(_), None) => (Some(text(item, "name", at)?), None),
            (None, Some(d)) => (None, Some(definition(d, at)?)),
        };
        items.push(SubscribeItem {
            statistic_id,
            object_type,
            object_id,
            name,
            definition,
        });
    }
    Ok(SubscribeRequest {
        operation_id,
        items,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // tests may panic
mod tests {
    use super::*;

    #[test]
    fn both_body_shapes_of_get_statistic_ex_parse_and_a_missing_field_is_named() {
        let wrapped =
            br#"{"data":{"statistics":[{"name":"A","objectType":"Agent","objectId":"x"}]}}"#;
        let bare = br#"{"statistics":[{"name":"A","objectType":"Agent","objectId":"x"}]}"#;
        assert_eq!(peek_items(wrapped).unwrap(), peek_items(bare).unwrap());
        let missing = br#"{"statistics":[{"name":"A","objectType":"Agent"}]}"#;
        assert_eq!(
            peek_items(missing).unwrap_err(),
            "statistics[0].objectId is required"
        );
    }

    #[test]
    fn definitions_differing_only_in_notification_settings_are_the_same_statistic() {
        let a = definition(
            &serde_json::json!({"notificationMode":"Immediate","category":"C","subject":"S","mainMask":"*"}),
            0,
        )
        .unwrap();
        let b = definition(
            &serde_json::json!({"mainMask":"*","subject":"S","category":"C","notificationMode":"Periodical","notificationFrequency":3}),
            0,
        )
        .unwrap();
        assert_eq!(a.canonical, b.canonical);
        assert!(definition(
            &serde_json::json!({"notificationMode":"Periodical","category":"C","subject":"S"}),
            0
        )
        .is_err());
        assert!(definition(&serde_json::json!({"category":"C"}), 0).is_err());
    }
}
