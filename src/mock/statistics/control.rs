//! Control-plane handlers for the Statistics service (mounted by `mock::control`
//! under `/__cxgate/statistics`).

use std::sync::Arc;

use axum::body::Bytes;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use serde_json::{json, Value};

use super::hub::StatisticsHub;

fn control_error(status: StatusCode, message: &str) -> Response {
    (status, Json(json!({ "error": message }))).into_response()
}

/// `POST /__cxgate/statistics/service {"state":"UNAVAILABLE"|"AVAILABLE"}`:
/// sets the state and broadcasts `ServiceStateChange` (reference 2777-2805),
/// even when the state does not change, so a test can always provoke one.
pub async fn service_state(Extension(hub): Extension<Arc<StatisticsHub>>, body: Bytes) -> Response {
    let wanted = serde_json::from_slice::<Value>(&body)
        .ok()
        .and_then(|v| v.get("state").and_then(Value::as_str).map(str::to_owned));
    let available = match wanted.as_deref() {
        Some("AVAILABLE") => true,
        Some("UNAVAILABLE") => false,
        _ => {
            return control_error(
                StatusCode::BAD_REQUEST,
                "body must be {\"state\": \"AVAILABLE\"} or {\"state\": \"UNAVAILABLE\"}",
            )
        }
    };
    hub.set_available(available);
    Json(hub.snapshot()).into_response()
}

/// `GET /__cxgate/statistics`: service state, live subscriptions and sessions,
/// events dropped from full queues.
pub async fn snapshot(Extension(hub): Extension<Arc<StatisticsHub>>) -> Json<Value> {
    Json(hub.snapshot())
}
