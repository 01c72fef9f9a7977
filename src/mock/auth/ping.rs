//! `GET /ping`: 200 when the bearer token is valid, otherwise 403 "Prohibited".

use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;

use super::super::kernel::caller as bearer;
use super::super::kernel::envelope::{api_ok, status_error};
use super::super::kernel::identity::MockState;

/// Unlike every other endpoint, a bad or missing token gets 403, not 401
/// (reference 719 and 739; CATALOG section 10 item 12).
pub async fn ping(State(state): State<Arc<MockState>>, headers: HeaderMap) -> Response {
    match bearer::session(&state, &headers) {
        Ok(_) => Json(api_ok("/auth/v3/ping")).into_response(),
        Err(_) => status_error(StatusCode::FORBIDDEN, "Prohibited"),
    }
}
