//! The Statistics API's caller: the bearer token (401 as on `/auth/v3`, from the
//! kernel) and the CometD session cookies; and what every handler checks first.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::Response;
use axum::Extension;

pub use super::super::kernel::caller::{caller, Caller};
use super::super::kernel::form::Form;
use super::super::kernel::identity::MockState;
use super::envelope::{error, unavailable};
use super::hub::StatisticsHub;

/// The identity store every handler takes as its state.
pub type Identity = State<Arc<MockState>>;
/// The family's hub, an `Extension` around the whole app.
pub type Hub = Extension<Arc<StatisticsHub>>;
/// A handler's answer: the success or the refusal, each a whole response.
pub type Answer = Result<Response, Response>;

/// The caller (401 without a good bearer token), with the value ticker running.
pub fn ticking_caller(
    state: &MockState,
    hub: &Arc<StatisticsHub>,
    headers: &HeaderMap,
) -> Result<Caller, Response> {
    let who = caller(state, headers)?;
    hub.ensure_ticker();
    Ok(who)
}

/// [`ticking_caller`], while the service is available (503 when it is not).
pub fn available_caller(
    state: &MockState,
    hub: &Arc<StatisticsHub>,
    headers: &HeaderMap,
) -> Result<Caller, Response> {
    let who = ticking_caller(state, hub, headers)?;
    if !hub.is_available() {
        return Err(unavailable());
    }
    Ok(who)
}

/// Credentials, availability and the query string (400 when it does not parse):
/// what every handler with a query checks first.
pub fn admit(
    state: &MockState,
    hub: &Arc<StatisticsHub>,
    headers: &HeaderMap,
    query: Option<String>,
) -> Result<(Caller, Form), Response> {
    let who = available_caller(state, hub, headers)?;
    let query = Form::parse(query.unwrap_or_default().as_bytes()).map_err(bad_request)?;
    Ok((who, query))
}

/// 400 in the status envelope.
pub fn bad_request(why: impl Into<String>) -> Response {
    error(StatusCode::BAD_REQUEST, why)
}

/// The value of cookie `name` in the request's `Cookie` headers (clients join
/// pairs with `;` with or without a space, notes section 7).
pub fn cookie<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| k.trim() == name)
        .map(|(_, v)| v.trim())
}
