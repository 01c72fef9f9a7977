//! Steps that drive the mock's control plane (`/__cxgate/`); used only by `@mock` scenarios.

use super::placeholders::expand;
use super::world::CxWorld;
use crate::client::RequestSpec;
use cucumber::given;
use serde_json::json;

async fn control(world: &mut CxWorld, path: &str, body: serde_json::Value) -> Result<(), String> {
    if !world.ctx()?.control_plane {
        return Err(
            "this step needs the cxgate mock's control plane; tag the scenario @mock".into(),
        );
    }
    let spec = RequestSpec {
        method: "POST".into(),
        path: path.into(),
        headers: vec![("Content-Type".into(), "application/json".into())],
        query: vec![],
        body: Some(body.to_string().into_bytes()),
    };
    let exchange = world
        .client()?
        .send(&spec)
        .await
        .map_err(|e| e.to_string())?;
    if exchange.status == 200 {
        Ok(())
    } else {
        Err(format!(
            "control plane {}: expected 200; body: {}",
            exchange.describe(),
            String::from_utf8_lossy(&exchange.body)
        ))
    }
}

#[given(expr = "the access token of the {word} has expired")]
async fn token_expired(world: &mut CxWorld, alias: String) -> Result<(), String> {
    let token = expand(world, &format!("{{token:{alias}}}"))?;
    control(
        world,
        "/__cxgate/tokens/expire",
        json!({ "access_token": token }),
    )
    .await
}

#[given(expr = "the authorization code {string} has expired")]
async fn code_expired(world: &mut CxWorld, code: String) -> Result<(), String> {
    let code = expand(world, &code)?;
    control(world, "/__cxgate/codes/expire", json!({ "code": code })).await
}

#[given(expr = "the mock clock moves forward by {int} seconds")]
async fn clock_advance(world: &mut CxWorld, seconds: u64) -> Result<(), String> {
    control(
        world,
        "/__cxgate/clock/advance",
        json!({ "seconds": seconds }),
    )
    .await
}
