//! JSON answers for unknown paths (404) and wrong methods (405).

use axum::extract::{OriginalUri, Request};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

use super::auth::AUTH_PREFIX;
use super::control::CONTROL_PREFIX;
use super::responses::status_error;

fn is_under(path: &str, prefix: &str) -> bool {
    path == prefix
        || path
            .strip_prefix(prefix)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// True when `path` belongs to the Authentication API.
pub fn is_auth_path(path: &str) -> bool {
    is_under(path, AUTH_PREFIX)
}

/// Router fallback: a 404 in the shape of the API the path falls under.
pub async fn not_found(request: Request) -> Response {
    let path = request.uri().path();
    if is_auth_path(path) {
        status_error(StatusCode::NOT_FOUND, format!("Not found: {path}"))
    } else {
        let scope = if is_under(path, CONTROL_PREFIX) {
            "control plane"
        } else {
            "mock"
        };
        let body = json!({ "error": format!("not found: {path}"), "detail": format!("no such {scope} endpoint") });
        (StatusCode::NOT_FOUND, Json(body)).into_response()
    }
}

/// Middleware: rewrites axum's empty 405 into JSON, keeping its `Allow` header.
pub async fn method_not_allowed_as_json(request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let response = next.run(request).await;
    if response.status() != StatusCode::METHOD_NOT_ALLOWED
        || response.headers().contains_key(header::CONTENT_TYPE)
    {
        return response;
    }
    let message = format!("Method not allowed: {method} {path}");
    let mut rewritten = if is_auth_path(&path) {
        status_error(StatusCode::METHOD_NOT_ALLOWED, message)
    } else {
        (
            StatusCode::METHOD_NOT_ALLOWED,
            Json(json!({ "error": message })),
        )
            .into_response()
    };
    if let Some(allow) = response.headers().get(header::ALLOW) {
        rewritten.headers_mut().insert(header::ALLOW, allow.clone());
    }
    rewritten
}

/// The path as the client sent it (a nested router sees it without its prefix).
fn full_path(request: &Request) -> String {
    request.extensions().get::<OriginalUri>().map_or_else(
        || request.uri().path().to_owned(),
        |o| o.0.path().to_owned(),
    )
}

/// Fallback of a nested API whose errors are `{"status":{"code","message"}}`
/// (`/statistics/v3`, `/nexus/v3`): a 404 in that envelope.
pub async fn status_not_found(request: Request) -> Response {
    status_error(
        StatusCode::NOT_FOUND,
        format!("Not found: {}", full_path(&request)),
    )
}

/// Middleware of such a nested API: axum's empty 405 becomes the envelope,
/// keeping `Allow`.
pub async fn status_method_not_allowed(request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let path = full_path(&request);
    let response = next.run(request).await;
    if response.status() != StatusCode::METHOD_NOT_ALLOWED
        || response.headers().contains_key(header::CONTENT_TYPE)
    {
        return response;
    }
    let mut rewritten = status_error(
        StatusCode::METHOD_NOT_ALLOWED,
        format!("Method not allowed: {method} {path}"),
    );
    if let Some(allow) = response.headers().get(header::ALLOW) {
        rewritten.headers_mut().insert(header::ALLOW, allow.clone());
    }
    rewritten
}
