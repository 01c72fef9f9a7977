//! The Third-Party Messaging API's answer shapes: `ResponseError`
//! `{"status":{"code":<http>,"message":..}}` for every error (model tables
//! 4139-4169, 4206-4252, 4400-4446), the 200 bodies, and JSON 404/405.

use axum::extract::{OriginalUri, Request};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use super::super::responses::status_error;

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

/// Fallback under `/nexus/v3`: a 404 `ResponseError`.
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

/// Middleware: axum's empty 405 becomes a `ResponseError`, keeping `Allow`.
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
