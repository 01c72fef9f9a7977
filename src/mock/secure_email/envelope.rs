//! The Secure Email API's one answer shape, `genericResponse` (reference
//! 2052-2067): `{"referenceId","operationId","status":{"code","message","detail"}}`
//! with `status.code` one of the string codes of 2061, plus the extra fields of
//! each 200 model; and its 404/405 for unknown paths and wrong methods.
//!
//! Choices: the samples print `referenceId` and `operationId` as `{}` (2069-2078
//! and every sample) and the model tables give them no type; the mock sends
//! strings: a fresh UUID as `referenceId` on every answer, and as `operationId`
//! the one the POST body carried (2116) or else a fresh UUID. `detail` is a
//! string (2063); the mock puts the name of the offending parameter there.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

/// `status.code` for success (2061).
pub const SUCCESS: &str = "SUCCESS";
/// `status.code` for a bad or unknown parameter, the unknown id included (2061).
pub const INVALID_PARAMETER: &str = "INVALID_PARAMETER";

use super::super::kernel::envelope::nexus_frame as generic;

/// 200 `genericResponse` with `status.code` SUCCESS and the model's own fields
/// (`fields` is a JSON object; anything else adds nothing).
pub fn success(operation_id: Option<&str>, fields: Value) -> Response {
    let mut body = generic(operation_id, json!({ "code": SUCCESS, "message": "OK" }));
    if let Value::Object(fields) = fields {
        body.extend(fields);
    }
    Json(Value::Object(body)).into_response()
}

/// An error `genericResponse` with HTTP `status`, `status.code` `code`, and
/// `detail` when given.
pub fn error(
    status: StatusCode,
    code: &str,
    message: impl Into<String>,
    detail: Option<&str>,
) -> Response {
    let mut inner = json!({ "code": code, "message": message.into() });
    if let Some(detail) = detail {
        inner["detail"] = Value::String(detail.to_owned());
    }
    (status, Json(Value::Object(generic(None, inner)))).into_response()
}

/// 400 INVALID_PARAMETER naming `parameter` in `detail` (2058: "Invalid request
/// parameters provided.").
pub fn invalid_parameter(parameter: &str, message: impl Into<String>) -> Response {
    error(
        StatusCode::BAD_REQUEST,
        INVALID_PARAMETER,
        message,
        Some(parameter),
    )
}

/// 404 for an id that names no secure email (2340: "Entity with specified ID
/// not found."): INVALID_PARAMETER with `detail` `secureMailId`. Also on GET and
/// userdata, which document no 404 (CATALOG 10 item 48).
pub fn mail_not_found(id: &str) -> Response {
    error(
        StatusCode::NOT_FOUND,
        INVALID_PARAMETER,
        format!("secure email {id} not found"),
        Some("secureMailId"),
    )
}
