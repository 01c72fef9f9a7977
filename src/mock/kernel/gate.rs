//! The API gateway's `x-api-key` check in front of every API (reference 322, 400-405):
//! a request without a valid key gets 403 `{"message":"Forbidden"}` before anything else,
//! unknown paths and wrong methods included.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::Router;

use super::envelope::forbidden;
use super::identity::MockState;

/// Requests a mount lets through without a key: `(method, path below the prefix)`.
pub type Exempt = &'static [(&'static str, &'static str)];

#[derive(Clone)]
struct Gate {
    state: Arc<MockState>,
    exempt: Exempt,
}

async fn require_key(State(gate): State<Gate>, request: Request, next: Next) -> Response {
    let exempt = gate.exempt.iter().any(|(method, path)| {
        request.method().as_str() == *method && request.uri().path() == *path
    });
    // HeaderMap lookups are case-insensitive, so `X-API-Key` matches too.
    let valid = request
        .headers()
        .get("x-api-key")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|key| gate.state.api_key_valid(key));
    if exempt || valid {
        next.run(request).await
    } else {
        forbidden()
    }
}

/// `router` behind the gate; `exempt` requests pass without a key.
pub fn behind_gate<S: Clone + Send + Sync + 'static>(
    router: Router<S>,
    state: Arc<MockState>,
    exempt: Exempt,
) -> Router<S> {
    router.layer(middleware::from_fn_with_state(
        Gate { state, exempt },
        require_key,
    ))
}
