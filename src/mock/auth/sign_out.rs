//! `GET` and `POST /sign-out?global=..`: revoke the current token or all of the user's.

use std::sync::Arc;

use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;

use super::super::kernel::caller::authenticate;
use super::super::kernel::envelope::{api_ok, found, status_error};
use super::super::kernel::form::Form;
use super::super::kernel::identity::MockState;

const PATH: &str = "/auth/v3/sign-out";

/// `global`: absent or empty means false; `true`/`false` in any case (as
/// Spring's boolean conversion reads them); anything else is a 400.
fn parse_global(form: &Form) -> Result<bool, Response> {
    match form.get("global") {
        None => Ok(false),
        Some(v) if v.eq_ignore_ascii_case("true") => Ok(true),
        Some(v) if v.eq_ignore_ascii_case("false") => Ok(false),
        Some(v) => Err(status_error(
            StatusCode::BAD_REQUEST,
            format!("Invalid value for global: {v}"),
        )),
    }
}

/// Checks the bearer token, then the query; nothing is revoked unless every
/// check passed. `redirect_allowed` is false for POST, which has no
/// `redirectUri` (reference 764 vs 808) and so ignores it.
fn sign_out(
    state: &MockState,
    headers: &HeaderMap,
    query: Option<String>,
    redirect_allowed: bool,
) -> Result<Response, Response> {
    let session = authenticate(state, headers)?;
    let form = Form::parse(query.unwrap_or_default().as_bytes())
        .map_err(|why| status_error(StatusCode::BAD_REQUEST, why))?;
    let global = parse_global(&form)?;
    let redirect = match form.get("redirectUri").filter(|_| redirect_allowed) {
        None => None,
        Some(uri) => {
            // The reference (line 764) does not say which URIs are allowed;
            // only the token's client's registered redirect URIs are, exactly,
            // so sign-out cannot be used as an open redirect.
            let registered = state
                .seed()
                .client(&session.client_id)
                .is_some_and(|c| c.redirect_uris.iter().any(|r| r == uri));
            if !registered {
                return Err(status_error(
                    StatusCode::BAD_REQUEST,
                    "redirectUri is not registered for this client",
                ));
            }
            Some(uri.to_owned())
        }
    };
    state.sign_out(&session, global);
    Ok(match redirect {
        Some(uri) => found(&uri),
        None => Json(api_ok(PATH)).into_response(),
    })
}

/// `GET /sign-out`.
pub async fn sign_out_get(
    State(state): State<Arc<MockState>>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Result<Response, Response> {
    sign_out(&state, &headers, query, true)
}

/// `POST /sign-out`.
pub async fn sign_out_post(
    State(state): State<Arc<MockState>>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Result<Response, Response> {
    sign_out(&state, &headers, query, false)
}
