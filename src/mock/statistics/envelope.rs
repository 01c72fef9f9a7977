//! The Statistics API's answer shapes: `ApiResponse` with `status.code` 0, 2 or
//! the HTTP status (reference 236-267; CATALOG section 2), and JSON 404/405.

use axum::extract::{OriginalUri, Request};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use super::super::responses::status_error;

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

/// Fallback under `/statistics/v3`: a 404 in the API's envelope.
pub async fn not_found(request: Request) -> Response {
    error(
        StatusCode::NOT_FOUND,
        format!("Not found: {}", full_path(&request)),
    )
}

/// The path as the client sent it (a nested router sees it without its prefix).
fn full_path(request: &Request) -> String {
    request.extensions().get::<OriginalUri>().map_or_else(
        || request.uri().path().to_owned(),
        |o| o.0.path().to_owned(),
    )
}

/// Middleware: axum's empty 405 becomes the API's envelope, keeping `Allow`.
pub async fn method_not_allowed(request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let path = full_path(&request);
    let response = next.run(request).await;
    if response.status() != StatusCode::METHOD_NOT_ALLOWED
        || response.headers().contains_key(header::CONTENT_TYPE)
    {
        return response;
    }
    let mut rewritten = error(
        StatusCode::METHOD_NOT_ALLOWED,
        format!("Method not allowed: {method} {path}"),
    );
    if let Some(allow) = response.headers().get(header::ALLOW) {
        rewritten.headers_mut().insert(header::ALLOW, allow.clone());
    }
    rewritten
}
