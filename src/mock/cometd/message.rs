//! Bayeux request bodies in, reply messages out: parsing, `id` and `channel` echo.

use serde_json::{json, Map, Value};

use super::super::kernel::form::Form;

/// Content type of every Bayeux answer (what the CometD Java server sends).
pub const CONTENT_TYPE: &str = "application/json;charset=UTF-8";

/// The messages of a long-polling request body.
///
/// Accepts a JSON array of messages, a single message object (Bayeux: a server
/// "MAY accept a single message"), and a form body whose `message` field holds
/// either (the spec's form transport). The error says what is wrong, for the
/// `400::Malformed message: <why>` answer.
pub fn parse_body(content_type: Option<&str>, body: &[u8]) -> Result<Vec<Value>, String> {
    let is_form = content_type.is_some_and(|ct| {
        ct.trim()
            .to_ascii_lowercase()
            .starts_with("application/x-www-form-urlencoded")
    }) || body.starts_with(b"message=");
    let parsed = if is_form {
        let form = Form::parse(body)?;
        let text = form
            .get("message")
            .ok_or_else(|| "form body has no `message` field".to_owned())?;
        serde_json::from_str::<Value>(text)
    } else {
        serde_json::from_slice::<Value>(body)
    };
    match parsed {
        Ok(Value::Array(messages)) if messages.is_empty() => {
            Err("the batch holds no message".to_owned())
        }
        Ok(Value::Array(messages)) => Ok(messages),
        Ok(object @ Value::Object(_)) => Ok(vec![object]),
        Ok(_) => Err("expected a JSON array of message objects".to_owned()),
        Err(e) if body.is_empty() => Err(format!("empty body ({e})")),
        Err(e) => Err(format!("not JSON: {e}")),
    }
}

/// The one-element answer to a body that holds no messages.
pub fn malformed_body_reply(why: &str) -> Value {
    json!([{ "successful": false, "error": format!("400::Malformed message: {why}") }])
}

/// A reply to `request` on `channel`: `channel` set, `id` echoed with its JSON
/// type unchanged (a string stays a string; notes section 7), absent stays absent.
pub fn reply_to(request: &Map<String, Value>, channel: &str) -> Map<String, Value> {
    let mut reply = Map::new();
    reply.insert("channel".into(), Value::String(channel.to_owned()));
    if let Some(id) = request.get("id") {
        reply.insert("id".into(), id.clone());
    }
    reply
}

/// `reply` marked `successful: false` with `error` (`code:args:message`).
pub fn failed(mut reply: Map<String, Value>, error: impl Into<String>) -> Map<String, Value> {
    reply.insert("successful".into(), Value::Bool(false));
    reply.insert("error".into(), Value::String(error.into()));
    reply
}

/// `reply` marked `successful: true`.
pub fn succeeded(mut reply: Map<String, Value>) -> Map<String, Value> {
    reply.insert("successful".into(), Value::Bool(true));
    reply
}

/// The `channel` of a message, when it is a string.
pub fn channel_of(message: &Value) -> Option<&str> {
    message.get("channel").and_then(Value::as_str)
}

/// The `clientId` of a message, when it is a string.
pub fn client_id_of(message: &Map<String, Value>) -> Option<&str> {
    message.get("clientId").and_then(Value::as_str)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // tests may panic
mod tests {
    use super::*;

    #[test]
    fn a_single_object_an_array_and_a_form_field_all_parse() {
        assert_eq!(parse_body(None, br#"{"channel":"/a"}"#).unwrap().len(), 1);
        assert_eq!(
            parse_body(None, br#"[{"channel":"/a"},{"channel":"/b"}]"#)
                .unwrap()
                .len(),
            2
        );
        let form = "message=%5B%7B%22channel%22%3A%22%2Fa%22%7D%5D";
        assert_eq!(
            parse_body(Some("application/x-www-form-urlencoded"), form.as_bytes())
                .unwrap()
                .len(),
            1
        );
    }

    #[test]
    fn not_json_an_empty_batch_and_a_scalar_are_refused() {
        assert!(parse_body(None, b"{").is_err());
        assert!(parse_body(None, b"[]").is_err());
        assert!(parse_body(None, b"42").is_err());
        assert!(parse_body(None, b"").is_err());
    }

    #[test]
    fn the_reply_echoes_the_id_with_its_json_type() {
        let string_id = json!({"id": "7"});
        let number_id = json!({"id": 7});
        let none = json!({});
        let id = |v: &Value| {
            reply_to(v.as_object().unwrap(), "/meta/connect")
                .get("id")
                .cloned()
        };
        assert_eq!(id(&string_id), Some(json!("7")));
        assert_eq!(id(&number_id), Some(json!(7)));
        assert_eq!(id(&none), None);
    }
}
