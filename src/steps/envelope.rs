//! Envelope steps: the `status.code` every Genesys API returns (reference 236-267):
//! 0 synchronous success, 1 asynchronous request accepted, 2 partial success of a bulk
//! operation; anything else is an error with a message.

use super::http::{body_excerpt, json_at};
use super::world::CxWorld;
use cucumber::then;
use serde_json::Value;

fn meaning(code: i64) -> &'static str {
    match code {
        0 => "synchronous success",
        1 => "asynchronous request accepted",
        2 => "partial success",
        _ => "an error",
    }
}

#[then(expr = "the envelope status code is {int}")]
fn envelope_code(world: &mut CxWorld, expected: i64) -> Result<(), String> {
    let last = world.last()?;
    match json_at(last, "/status/code")? {
        Some(Value::Number(n)) if n.as_i64() == Some(expected) => Ok(()),
        Some(actual) => Err(format!(
            "{}: at /status/code: expected integer <{expected}> ({}), actual <{actual}>; body: {}",
            last.describe(),
            meaning(expected),
            body_excerpt(last)
        )),
        None => Err(format!(
            "{}: expected an envelope with /status/code <{expected}> ({}), there is none; body: {}",
            last.describe(),
            meaning(expected),
            body_excerpt(last)
        )),
    }
}

#[then("the envelope has an error message")]
fn envelope_message(world: &mut CxWorld) -> Result<(), String> {
    let last = world.last()?;
    match json_at(last, "/status/message")? {
        Some(Value::String(s)) if !s.is_empty() => Ok(()),
        other => Err(format!(
            "{}: expected a non-empty /status/message explaining the error, actual {other:?}",
            last.describe()
        )),
    }
}
