//! The Statistics API's credential checks: the gateway's `x-api-key` (403) and
//! the bearer token (401), the same rules and answers as `/auth/v3`.

use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use serde_json::json;

use super::super::responses::{json_response, no_store};
use super::super::state::{MockState, Principal, TokenRejection};

// The same three `error_description`s as `auth::bearer` (Spring Security's
// wording); that module is private to `auth`, so its answer is rebuilt here
// from the same token store (`MockState::session`).
const MISSING: &str = "Full authentication is required to access this resource";
const INVALID: &str = "Invalid access token";
const EXPIRED: &str = "Access token expired";

/// Who is calling: the key that owns subscriptions and CometD sessions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    /// `tenant\user` for a user token; `client:<id>` for a client-only token.
    pub owner: String,
}

fn unauthorized(description: &str) -> Response {
    let body = json!({ "error": "invalid_token", "error_description": description });
    let mut response = no_store(json_response(StatusCode::UNAUTHORIZED, &body));
    response.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static("Bearer error=\"invalid_token\""),
    );
    response
}

/// Resolves `Authorization: Bearer <token>` (scheme case-insensitive) or
/// answers 401 as `/auth/v3` does (reference line 394).
pub fn caller(state: &MockState, headers: &HeaderMap) -> Result<Caller, Response> {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .and_then(|v| v.split_once(' '))
        .filter(|(scheme, token)| scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty())
        .map(|(_, token)| token.trim())
        .ok_or_else(|| unauthorized(MISSING))?;
    let session = state.session(token).map_err(|rejection| match rejection {
        TokenRejection::Invalid => unauthorized(INVALID),
        TokenRejection::Expired => unauthorized(EXPIRED),
    })?;
    let owner = match session.principal {
        Principal::User(name) => name,
        Principal::Client => format!("client:{}", session.client_id),
    };
    Ok(Caller { owner })
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
