//! Steps that drive the mock's control plane (`/__cxgate/`); used only by `@mock` scenarios.

use super::placeholders::expand;
use super::world::CxWorld;
use crate::client::RequestSpec;
use cucumber::given;
use serde_json::{json, Value};

/// Calls the mock's control plane and returns its JSON answer; anything but 200 fails.
pub(crate) async fn control(
    world: &mut CxWorld,
    method: &str,
    path: &str,
    body: Option<Value>,
) -> Result<Value, String> {
    if !world.ctx()?.control_plane {
        return Err(
            "this step needs the cxgate mock's control plane; tag the scenario @mock".into(),
        );
    }
    let spec = RequestSpec {
        method: method.into(),
        path: path.into(),
        headers: vec![("Content-Type".into(), "application/json".into())],
        query: vec![],
        body: body.map(|b| b.to_string().into_bytes()),
    };
    let exchange = world
        .client()?
        .send(&spec)
        .await
        .map_err(|e| e.to_string())?;
    if exchange.status != 200 {
        return Err(format!(
            "control plane {}: expected 200; body: {}",
            exchange.describe(),
            String::from_utf8_lossy(&exchange.body)
        ));
    }
    exchange.json()
}

/// POSTs `body` to the control plane path `path`; its answer is not needed.
pub(crate) async fn post(world: &mut CxWorld, path: &str, body: Value) -> Result<(), String> {
    control(world, "POST", path, Some(body)).await.map(|_| ())
}

#[given(expr = "the access token of the {word} has expired")]
async fn token_expired(world: &mut CxWorld, alias: String) -> Result<(), String> {
    let token = expand(world, &format!("{{token:{alias}}}"))?;
    expire(world, "tokens", "access_token", token).await
}

#[given(expr = "the authorization code {string} has expired")]
async fn code_expired(world: &mut CxWorld, code: String) -> Result<(), String> {
    let code = expand(world, &code)?;
    expire(world, "codes", "code", code).await
}

/// Expires a token or code on the mock: `POST /__cxgate/{kind}/expire {field: value}`.
async fn expire(world: &mut CxWorld, kind: &str, field: &str, value: String) -> Result<(), String> {
    post(
        world,
        &format!("/__cxgate/{kind}/expire"),
        json!({ field: value }),
    )
    .await
}

async fn advance_clock(world: &mut CxWorld, seconds: u64) -> Result<(), String> {
    post(
        world,
        "/__cxgate/clock/advance",
        json!({ "seconds": seconds }),
    )
    .await
}

#[given(expr = "the mock clock moves forward by {int} seconds")]
async fn clock_advance(world: &mut CxWorld, seconds: u64) -> Result<(), String> {
    advance_clock(world, seconds).await
}

/// Moves the mock clock relative to the expiry of a token obtained in this scenario:
/// `expires_in` of its token answer (saved as `expires_in:ALIAS`) plus or minus N
/// seconds. No scenario assumes a lifetime (reference 388-392).
#[given(
    regex = r"^the mock clock moves forward to (\d+) seconds? (before|after) the access token of the ([A-Za-z0-9_-]+) expires$"
)]
async fn clock_to_expiry(
    world: &mut CxWorld,
    margin: u64,
    side: String,
    alias: String,
) -> Result<(), String> {
    let expires_in: u64 = world
        .saved
        .get(&format!("expires_in:{alias}"))
        .ok_or_else(|| {
            format!("no expires_in was kept for \"{alias}\": sign in (or keep the tokens) first")
        })?
        .parse()
        .map_err(|e| format!("expires_in of \"{alias}\" is not a whole number of seconds: {e}"))?;
    let seconds = if side == "after" {
        expires_in + margin
    } else {
        expires_in.checked_sub(margin).filter(|s| *s > 0).ok_or_else(|| {
            format!("the token of \"{alias}\" lives {expires_in} s, less than the margin of {margin} s")
        })?
    };
    advance_clock(world, seconds).await
}
