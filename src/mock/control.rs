//! The control plane under `/__cxgate`: health, forced expiry, clock, reset,
//! statistics service state. No API key.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Json, Router};
use serde_json::{json, Value};

use super::messaging::{self, MessagingHub};
use super::state::MockState;
use super::statistics::{self, StatisticsHub};

/// Where the control plane is mounted.
pub const CONTROL_PREFIX: &str = "/__cxgate";

/// The control-plane routes, relative to [`CONTROL_PREFIX`].
pub fn router() -> Router<Arc<MockState>> {
    Router::new()
        .route("/health", get(health))
        .route("/tokens/expire", post(expire_token))
        .route("/codes/expire", post(expire_code))
        .route("/clock/advance", post(advance_clock))
        .route("/reset", post(reset))
        .route("/statistics", get(statistics::control::snapshot))
        .route(
            "/statistics/service",
            post(statistics::control::service_state),
        )
        .merge(messaging::control::router())
}

fn control_error(status: StatusCode, message: impl Into<String>) -> Response {
    (status, Json(json!({ "error": message.into() }))).into_response()
}

/// The JSON object in `body`, or a 400 naming what is wrong.
fn json_object(body: &[u8]) -> Result<serde_json::Map<String, Value>, Response> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(control_error(
            StatusCode::BAD_REQUEST,
            "body must be a JSON object",
        )),
        Err(e) => Err(control_error(
            StatusCode::BAD_REQUEST,
            format!("body is not valid JSON: {e}"),
        )),
    }
}

/// The non-empty string field `name` of a JSON object body.
fn string_field(body: &[u8], name: &str) -> Result<String, Response> {
    let map = json_object(body)?;
    match map.get(name) {
        Some(Value::String(s)) if !s.is_empty() => Ok(s.clone()),
        _ => Err(control_error(
            StatusCode::BAD_REQUEST,
            format!("body must be {{\"{name}\": \"<non-empty string>\"}}"),
        )),
    }
}

async fn health() -> Json<Value> {
    Json(json!({ "service": "cxgate-mock", "status": "ok", "version": env!("CARGO_PKG_VERSION") }))
}

async fn expire_token(State(state): State<Arc<MockState>>, body: Bytes) -> Response {
    let token = match string_field(&body, "access_token") {
        Ok(token) => token,
        Err(response) => return response,
    };
    if state.expire_token(&token) {
        Json(json!({ "expired": "access_token" })).into_response()
    } else {
        control_error(StatusCode::NOT_FOUND, "unknown token")
    }
}

async fn expire_code(State(state): State<Arc<MockState>>, body: Bytes) -> Response {
    let code = match string_field(&body, "code") {
        Ok(code) => code,
        Err(response) => return response,
    };
    if state.expire_code(&code) {
        Json(json!({ "expired": "code" })).into_response()
    } else {
        control_error(StatusCode::NOT_FOUND, "unknown code")
    }
}

async fn advance_clock(State(state): State<Arc<MockState>>, body: Bytes) -> Response {
    let map = match json_object(&body) {
        Ok(map) => map,
        Err(response) => return response,
    };
    match map.get("seconds").and_then(Value::as_u64) {
        Some(seconds) => {
            Json(json!({ "offset_secs": state.advance_clock(seconds) })).into_response()
        }
        None => control_error(
            StatusCode::BAD_REQUEST,
            "body must be {\"seconds\": N} with N a non-negative integer",
        ),
    }
}

async fn reset(
    State(state): State<Arc<MockState>>,
    Extension(statistics): Extension<Arc<StatisticsHub>>,
    Extension(messaging): Extension<Arc<MessagingHub>>,
    Extension(openmedia): Extension<Arc<super::openmedia::OpenmediaHub>>,
    Extension(secure_mail): Extension<Arc<super::secure_email::SecureMailStore>>,
) -> Json<Value> {
    state.reset();
    statistics.reset();
    messaging.reset();
    openmedia.reset();
    secure_mail.reset();
    Json(json!({ "status": "reset" }))
}
