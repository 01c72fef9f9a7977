//! The Authentication family's control routes: forced expiry of an access token or an
//! authorization code (`POST /__cxgate/tokens/expire`, `/__cxgate/codes/expire`).

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use serde_json::{json, Value};

use super::super::kernel::body::json_object;
use super::super::kernel::envelope::Envelope;
use super::super::kernel::identity::MockState;

/// The routes, relative to `/__cxgate`.
pub fn router(state: Arc<MockState>) -> Router {
    Router::new()
        .route("/tokens/expire", post(expire_token))
        .route("/codes/expire", post(expire_code))
        .with_state(state)
}

/// The non-empty string field `name` of a JSON object body, or the plain 400.
fn string_field(body: &[u8], name: &str) -> Result<String, Response> {
    let map = json_object(body, Envelope::Plain).map_err(IntoResponse::into_response)?;
    match map.get(name) {
        Some(Value::String(s)) if !s.is_empty() => Ok(s.clone()),
        _ => Err(Envelope::Plain.error(
            StatusCode::BAD_REQUEST,
            "",
            format!("body must be {{\"{name}\": \"<non-empty string>\"}}"),
            None,
        )),
    }
}

fn unknown(what: &str) -> Response {
    Envelope::Plain.error(StatusCode::NOT_FOUND, "", format!("unknown {what}"), None)
}

async fn expire_token(State(state): State<Arc<MockState>>, body: Bytes) -> Response {
    match string_field(&body, "access_token") {
        Ok(token) if state.expire_token(&token) => {
            Json(json!({ "expired": "access_token" })).into_response()
        }
        Ok(_) => unknown("token"),
        Err(response) => response,
    }
}

async fn expire_code(State(state): State<Arc<MockState>>, body: Bytes) -> Response {
    match string_field(&body, "code") {
        Ok(code) if state.expire_code(&code) => Json(json!({ "expired": "code" })).into_response(),
        Ok(_) => unknown("code"),
        Err(response) => response,
    }
}
