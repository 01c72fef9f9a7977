//! The `x-api-key` gate in front of every `/auth/v3` request.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::Response;

use super::super::fallback::is_auth_path;
use super::super::responses::forbidden;
use super::super::state::MockState;
use super::SIGN_IN_PATH;

/// Middleware: every `/auth/v3` request without a valid `x-api-key` header gets
/// 403 `{"message":"Forbidden"}` before anything else (reference 322, 400-405),
/// unknown paths and wrong methods included. The one exception is the mock's
/// sign-in form post, which a browser sends without the key.
pub async fn require_api_key(
    State(state): State<Arc<MockState>>,
    request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path();
    let exempt = request.method() == Method::POST && path == SIGN_IN_PATH;
    if !is_auth_path(path) || exempt {
        return next.run(request).await;
    }
    require_key(State(state), request, next).await
}

/// Middleware for a whole API (`/statistics/v3`, `/nexus/v3`): a request without a
/// valid `x-api-key` gets the gateway's 403 `{"message":"Forbidden"}` before
/// anything else (reference 400-405), unknown paths included.
pub async fn require_key(
    State(state): State<Arc<MockState>>,
    request: Request,
    next: Next,
) -> Response {
    // HeaderMap lookups are case-insensitive, so `X-API-Key` matches too.
    let valid = request
        .headers()
        .get("x-api-key")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|key| state.api_key_valid(key));
    if valid {
        next.run(request).await
    } else {
        forbidden()
    }
}
