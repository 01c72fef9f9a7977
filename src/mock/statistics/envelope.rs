//! The Statistics API's answer shapes: `ApiResponse` with `status.code` 0, 2 or
//! the HTTP status (reference 236-267; CATALOG section 2), and JSON 404/405.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use super::super::kernel::envelope::status_error;

/// 200 `{"status":{"code":0},"data":data}`.
pub fn ok(data: Value) -> Response {
    Json(json!({ "status": { "code": 0 }, "data": data })).into_response()
}

/// 200 `{"status":{"code":0}}` (the fire-and-forget DELETE).
pub fn ok_without_data() -> Response {
    Json(json!({ "status": { "code": 0 } })).into_response()
}

/// 200 with `status.code` 2: some items of a bulk operation failed; `data` holds
/// the rest, `errors` one `ErrorResponse` per failure (reference 245-249).
pub fn partial(data: Value, errors: Vec<Value>) -> Response {
    Json(json!({ "status": { "code": 2 }, "data": data, "errors": errors })).into_response()
}

/// `{"status":{"code":<status>,"message":..}}` with that HTTP status.
pub fn error(status: StatusCode, message: impl Into<String>) -> Response {
    status_error(status, message)
}

/// An error answer that also lists the failed items in `errors`.
pub fn error_with_items(status: StatusCode, message: &str, errors: Vec<Value>) -> Response {
    let body = json!({
        "status": { "code": status.as_u16(), "message": message },
        "errors": errors,
    });
    (status, Json(body)).into_response()
}

/// One `ErrorResponse` item: `{"status":{"code","message"}}`.
pub fn item_error(status: StatusCode, message: String) -> Value {
    json!({ "status": { "code": status.as_u16(), "message": message } })
}

/// 503 while the service is UNAVAILABLE.
pub fn unavailable() -> Response {
    error(StatusCode::SERVICE_UNAVAILABLE, "Service unavailable")
}
