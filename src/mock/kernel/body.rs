//! Request bodies read the same way by every API: a JSON object, or a [`Refusal`] in the
//! API's own envelope saying what is wrong with it.

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
        assert_eq!(map.get("a"), Some(&Value::String("x".into())));
    }
}
