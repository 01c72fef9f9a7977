//! Request bodies read the same way by every API: a JSON object, and its typed fields,
//! each failure a [`Refusal`] in the API's own envelope.

use serde_json::{Map, Value};

use super::envelope::Envelope;
use super::refusal::Refusal;

/// The JSON object in `body`, or a 400 saying what is wrong with it.
pub fn json_object(body: &[u8], envelope: Envelope) -> Result<Map<String, Value>, Refusal> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(Refusal::bad_request(envelope, "body must be a JSON object")),
        Err(e) => Err(Refusal::bad_request(
            envelope,
            format!("body is not valid JSON: {e}"),
        )),
    }
}

/// The non-empty string field `name` of `map`, or a 400 naming it.
pub fn string_field(
    map: &Map<String, Value>,
    name: &str,
    envelope: Envelope,
) -> Result<String, Refusal> {
    match map.get(name) {
        Some(Value::String(s)) if !s.is_empty() => Ok(s.clone()),
        _ => Err(Refusal::bad_request(
            envelope,
            format!("body must be {{\"{name}\": \"<non-empty string>\"}}"),
        )
        .with_detail(name)),
    }
}

/// The optional string field `name` of `map`: absent or null is `None`, another type
/// is a 400 naming it.
pub fn optional_string(
    map: &Map<String, Value>,
    name: &str,
    envelope: Envelope,
) -> Result<Option<String>, Refusal> {
    match map.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(
            Refusal::bad_request(envelope, format!("{name} must be a string")).with_detail(name),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_body_that_is_not_an_object_is_refused_with_the_reason() {
        let e = json_object(b"[1]", Envelope::Plain).unwrap_err();
        assert!(e.message.contains("JSON object"), "{e:?}");
        let e = json_object(b"{", Envelope::Plain).unwrap_err();
        assert!(e.message.contains("not valid JSON"), "{e:?}");
        let map = json_object(br#"{"a":"x","b":1}"#, Envelope::Plain).unwrap();
        assert_eq!(string_field(&map, "a", Envelope::Plain).unwrap(), "x");
        assert_eq!(
            string_field(&map, "b", Envelope::Plain)
                .unwrap_err()
                .detail
                .as_deref(),
            Some("b")
        );
        assert_eq!(optional_string(&map, "c", Envelope::Plain).unwrap(), None);
    }
}
