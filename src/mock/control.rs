//! The control plane under `/__cxgate`, without an API key: health, the one clock, and
//! reset (every family back to its seed). Each family adds its own routes here through
//! [`super::api::Api::control`].

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Json, Router};
use serde_json::{json, Value};

use super::api::Api;
use super::kernel::body::json_object;
use super::kernel::envelope::Envelope;
use super::kernel::identity::MockState;

/// Where the control plane is mounted.
pub const CONTROL_PREFIX: &str = "/__cxgate";

/// Every family of the app, for reset.
pub type Apis = Arc<[Arc<dyn Api>]>;

/// The core control routes, relative to [`CONTROL_PREFIX`].
pub fn router(state: Arc<MockState>) -> Router {
    Router::new()
        .route("/health", get(health))
        .route("/clock/advance", post(advance_clock))
        .route("/reset", post(reset))
        .with_state(state)
}

async fn health() -> Json<Value> {
    Json(json!({ "service": "cxgate-mock", "status": "ok", "version": env!("CARGO_PKG_VERSION") }))
}

/// Moves the one mock clock: tokens, codes, statistics, messages, interactions and
/// mails all see the same time.
async fn advance_clock(State(state): State<Arc<MockState>>, body: Bytes) -> Response {
    let map = match json_object(&body, Envelope::Plain) {
        Ok(map) => map,
        Err(refusal) => return refusal.into_response(),
    };
    match map.get("seconds").and_then(Value::as_u64) {
        Some(seconds) => {
            Json(json!({ "offset_secs": state.clock().advance(seconds) })).into_response()
        }
        None => Envelope::Plain.error(
            StatusCode::BAD_REQUEST,
            "",
            "body must be {\"seconds\": N} with N a non-negative integer",
            None,
        ),
    }
}

async fn reset(
    State(state): State<Arc<MockState>>,
    Extension(apis): Extension<Apis>,
) -> Json<Value> {
    state.reset();
    for api in apis.iter() {
        api.reset();
    }
    Json(json!({ "status": "reset" }))
}
