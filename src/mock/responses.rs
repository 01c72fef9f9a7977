//! The JSON answer shapes the reference documents, built in one place.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

/// Content type of the token response (reference line 369).
pub const JSON_UTF8: &str = "application/json; charset=utf-8";

/// `ApiResponse` success: `{"status":{"code":0,"message":"OK"},"path":..}`
/// (reference lines 725-736; CATALOG section 3, code 0 = synchronous success).
pub fn api_ok(path: &str) -> Value {
    json!({ "status": { "code": 0, "message": "OK" }, "path": path })
}

/// `ErrorResponse`: `{"status":{"code":N,"message":..}}` with HTTP status N.
pub fn status_error(status: StatusCode, message: impl Into<String>) -> Response {
    let body = json!({ "status": { "code": status.as_u16(), "message": message.into() } });
    (status, Json(body)).into_response()
}

/// The API gateway's answer to a missing or wrong `x-api-key` (reference 400-405).
pub fn forbidden() -> Response {
    (
        StatusCode::FORBIDDEN,
        Json(json!({ "message": "Forbidden" })),
    )
        .into_response()
}

/// An OAuth error body `{"error":..,"error_description":..}` (reference 407-419),
/// marked not cacheable like every token endpoint answer (RFC 6749 section 5.1).
pub fn oauth_error(status: StatusCode, error: &str, description: impl Into<String>) -> Response {
    let body = json!({ "error": error, "error_description": description.into() });
    no_store(json_response(status, &body))
}

/// `body` as JSON with the reference's `application/json; charset=utf-8`.
pub fn json_response(status: StatusCode, body: &Value) -> Response {
    let mut response = (status, body.to_string()).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(JSON_UTF8));
    response
}

/// Adds `Cache-Control: no-store` and `Pragma: no-cache` (reference 370-371).
pub fn no_store(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
    response
}

/// A 302 to `location`, not cacheable. A location that is not a valid header
/// value (it came from registered config, so this is unexpected) becomes a 500
/// status error rather than a panic.
pub fn found(location: &str) -> Response {
    match HeaderValue::from_str(location) {
        Ok(value) => {
            let mut response = StatusCode::FOUND.into_response();
            response.headers_mut().insert(header::LOCATION, value);
            no_store(response)
        }
        Err(_) => status_error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "redirect location is not a valid header value",
        ),
    }
}
