//! The Third-Party Messaging API's answer shapes: `ResponseError`
//! `{"status":{"code":<http>,"message":..}}` for every error (model tables
//! 4139-4169, 4206-4252, 4400-4446), the 200 bodies, and JSON 404/405.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use super::super::kernel::envelope::status_error;

/// `ResponseError` with `status.code` equal to the HTTP status.
pub fn error(status: StatusCode, message: impl Into<String>) -> Response {
    status_error(status, message)
}

/// 400 `ResponseError`.
pub fn bad_request(message: impl Into<String>) -> Response {
    error(StatusCode::BAD_REQUEST, message)
}

/// 404 for an unknown channel: "Channel <id> not found" (reference 4235; 4333
/// reads "Channel not found", the id is added for the reader).
pub fn channel_not_found(channel_id: &str) -> Response {
    error(
        StatusCode::NOT_FOUND,
        format!("Channel {channel_id} not found"),
    )
}

/// 200 with a body of the given JSON.
pub fn ok(body: Value) -> Response {
    Json(body).into_response()
}

/// `UploadResponse` (reference 4119-4131): `{"status":{"code":0,"message":"OK"},"data":{..}}`.
pub fn upload_response(data: Value) -> Response {
    ok(json!({ "status": { "code": 0, "message": "OK" }, "data": data }))
}
