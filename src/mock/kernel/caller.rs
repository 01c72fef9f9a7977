//! Who is calling: the bearer token read from `Authorization`, resolved against the
//! identity store, or the documented OAuth 401 (reference 394).

use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use serde_json::json;

use super::envelope::{json_body, no_store};
use super::identity::{MockState, Principal, Session, TokenRejection};

/// `error_description` when no bearer token was sent (Spring Security's wording).
pub const MISSING: &str = "Full authentication is required to access this resource";
/// `error_description` for an unknown or revoked token.
pub const INVALID: &str = "Invalid access token";
/// `error_description` for a token past its expiry.
pub const EXPIRED: &str = "Access token expired";

/// The token of `Authorization: Bearer <t>`; the scheme is case-insensitive
/// (the reference itself writes `bearer`, lines 449 and 385).
pub fn bearer_token(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?.trim();
    let (scheme, token) = value.split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

/// Resolves the bearer token of `headers`, or says why not (one of the
/// `error_description` constants above).
pub fn session(state: &MockState, headers: &HeaderMap) -> Result<Session, &'static str> {
    let token = bearer_token(headers).ok_or(MISSING)?;
    state.session(token).map_err(|rejection| match rejection {
        TokenRejection::Invalid => INVALID,
        TokenRejection::Expired => EXPIRED,
    })
}

/// Like [`session`], with the documented 401 as the error (reference line 394).
pub fn authenticate(state: &MockState, headers: &HeaderMap) -> Result<Session, Response> {
    session(state, headers).map_err(unauthorized)
}

/// 401 with `WWW-Authenticate: Bearer error="invalid_token"` and an OAuth body.
pub fn unauthorized(description: &str) -> Response {
    let body = json!({ "error": "invalid_token", "error_description": description });
    let mut response = no_store(json_body(StatusCode::UNAUTHORIZED, &body));
    response.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static("Bearer error=\"invalid_token\""),
    );
    response
}

/// The owner key of what a caller creates (subscriptions, CometD sessions, export jobs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    /// `tenant\user` for a user token; `client:<id>` for a client-only token.
    pub owner: String,
}

/// Resolves the bearer token of `headers` to its [`Caller`], or the documented 401.
pub fn caller(state: &MockState, headers: &HeaderMap) -> Result<Caller, Response> {
    let session = authenticate(state, headers)?;
    let owner = match session.principal {
        Principal::User(name) => name,
        Principal::Client => format!("client:{}", session.client_id),
    };
    Ok(Caller { owner })
}
