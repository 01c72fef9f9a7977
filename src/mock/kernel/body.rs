//! Request bodies read the same way by every API: a JSON object, or a [`Refusal`] in the
//! API's own envelope saying what is wrong with it.

use axum::body::{Body, Bytes};
use futures::StreamExt as _;
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

/// How far past its limit a body is still read (and dropped): a client that is still
/// sending then reads the refusal instead of a broken connection.
const DRAIN_CAP: usize = 64 * 1024 * 1024;

/// A body that could not be taken whole.
#[derive(Debug, PartialEq, Eq)]
pub enum BodyError {
    /// Longer than the limit (the rest was drained, up to [`DRAIN_CAP`]).
    TooLarge,
    /// The connection broke while it was read.
    Broken,
}

/// The body, when it is at most `limit` bytes. A longer one is read on and dropped (up to
/// [`DRAIN_CAP`] more), so the answer reaches a client that is still uploading.
pub async fn read_capped(body: Body, limit: usize) -> Result<Bytes, BodyError> {
    let mut stream = body.into_data_stream();
    let mut kept = Vec::new();
    let mut seen = 0usize;
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|_| BodyError::Broken)?;
        seen = seen.saturating_add(chunk.len());
        if seen <= limit {
            kept.extend_from_slice(&chunk);
        } else if seen > limit.saturating_add(DRAIN_CAP) {
            break;
        }
    }
    match seen > limit {
        true => Err(BodyError::TooLarge),
        false => Ok(Bytes::from(kept)),
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

    #[tokio::test]
    async fn a_body_over_the_limit_is_drained_and_refused() {
        let body = Body::from(vec![b'x'; 100]);
        assert_eq!(read_capped(body, 99).await, Err(BodyError::TooLarge));
        let body = Body::from(vec![b'x'; 100]);
        assert_eq!(read_capped(body, 100).await.unwrap().len(), 100);
    }
}
