//! `POST /oauth/token`: the password, client_credentials, refresh_token and
//! authorization_code grants.

use std::sync::Arc;

use axum::body::to_bytes;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use serde::Serialize;

use super::super::kernel::envelope::{json_body, no_store, oauth_error};
use super::super::kernel::form::Form;
use super::super::kernel::identity::{IssuedToken, MockState, Principal};
use super::basic::{basic_credentials, Basic};
use super::content_type::is_form;

/// The largest token request body read (axum's default body limit, as before).
const MAX_BODY_BYTES: usize = 2 * 1024 * 1024;

/// The only scope the reference allows ("supports only the * value", line 593).
pub const SCOPE: &str = "*";

fn invalid_request(description: impl Into<String>) -> Response {
    oauth_error(StatusCode::BAD_REQUEST, "invalid_request", description)
}

fn invalid_grant(description: &str) -> Response {
    oauth_error(StatusCode::BAD_REQUEST, "invalid_grant", description)
}

/// Bad client credentials (reference 407-412). The `WWW-Authenticate` header is
/// RFC 6749 section 5.2's requirement for a 401; the realm is Spring's default.
fn bad_client() -> Response {
    let mut response = oauth_error(StatusCode::UNAUTHORIZED, "Unauthorized", "Bad credentials");
    response.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static("Basic realm=\"oauth2/client\""),
    );
    response
}

/// The `DefaultOAuth2AccessToken` body (reference 365-377, 615-625), its members in
/// the order Spring writes them.
#[derive(Serialize)]
struct TokenBody<'a> {
    access_token: &'a str,
    expires_in: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    refresh_token: Option<&'a str>,
    scope: &'a str,
    token_type: &'a str,
}

/// The token answer for `issued`, not cacheable.
pub fn token_response(issued: &IssuedToken) -> Response {
    let body = TokenBody {
        access_token: &issued.access_token,
        expires_in: issued.expires_in,
        refresh_token: issued.refresh_token.as_deref(),
        scope: SCOPE,
        token_type: "bearer",
    };
    no_store(json_body(StatusCode::OK, &body))
}

/// Authenticates the client: HTTP Basic first (reference 352-356), else the
/// `client_id` and `client_secret` form fields. A form `client_id` that
/// disagrees with the Basic client is refused.
fn authenticate_client(
    state: &MockState,
    headers: &HeaderMap,
    form: &Form,
) -> Result<String, Response> {
    let (id, secret) = match basic_credentials(headers) {
        Basic::Credentials { name, secret } => {
            if form.get("client_id").is_some_and(|id| id != name) {
                return Err(bad_client());
            }
            (name, secret)
        }
        Basic::Malformed => return Err(bad_client()),
        Basic::Absent => match (form.get("client_id"), form.get("client_secret")) {
            (Some(id), Some(secret)) => (id.to_owned(), secret.to_owned()),
            _ => return Err(bad_client()),
        },
    };
    if state.client_valid(&id, &secret) {
        Ok(id)
    } else {
        Err(bad_client())
    }
}

/// The token endpoint. Only form bodies are accepted; the body is parsed by
/// hand so that nothing reaches the client as a plain-text axum rejection.
/// The request is taken whole, so that its headers are read in place rather than copied.
pub async fn token(
    State(state): State<Arc<MockState>>,
    request: Request,
) -> Result<Response, Response> {
    let (parts, body) = request.into_parts();
    let headers = &parts.headers;
    let body = to_bytes(body, MAX_BODY_BYTES)
        .await
        .map_err(|e| invalid_request(format!("cannot read request body: {e}")))?;
    if !is_form(headers) {
        return Err(invalid_request(
            "Content-Type must be application/x-www-form-urlencoded",
        ));
    }
    let form = Form::parse(&body).map_err(invalid_request)?;
    let client_id = authenticate_client(&state, headers, &form)?;
    let grant_type = form
        .get("grant_type")
        .ok_or_else(|| invalid_request("Missing grant type"))?;
    if !matches!(
        grant_type,
        "password" | "client_credentials" | "refresh_token" | "authorization_code"
    ) {
        return Err(oauth_error(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            format!("Unsupported grant type: {grant_type}"),
        ));
    }
    if let Some(scope) = form.get("scope") {
        if scope != SCOPE {
            return Err(oauth_error(
                StatusCode::BAD_REQUEST,
                "invalid_scope",
                format!("Invalid scope: {scope}"),
            ));
        }
    }
    let issued = match grant_type {
        "password" => password_grant(&state, &client_id, &form),
        "client_credentials" => Ok(state.issue_token(Principal::Client, &client_id, false)),
        "refresh_token" => match form.get("refresh_token") {
            None => Err(invalid_request("Missing refresh token")),
            Some(refresh) => state.refresh(&client_id, refresh).map_err(invalid_grant),
        },
        _ => match form.get("code") {
            None => Err(invalid_request("Missing authorization code")),
            Some(code) => state
                .redeem_code(&client_id, code, form.get("redirect_uri"))
                .map_err(invalid_grant),
        },
    };
    let issued = issued?;
    tracing::debug!(client_id, grant_type, "mock issued an access token");
    Ok(token_response(&issued))
}

/// Resource Owner Password Credentials: `username` is matched exactly
/// (`tenant\user`); wrong credentials are `invalid_grant` (reference 414-419).
fn password_grant(
    state: &MockState,
    client_id: &str,
    form: &Form,
) -> Result<IssuedToken, Response> {
    let (Some(username), Some(password)) = (form.get("username"), form.get("password")) else {
        return Err(invalid_request("Missing username or password"));
    };
    if !state.user_valid(username, password) {
        return Err(invalid_grant("Bad credentials"));
    }
    Ok(state.issue_token(Principal::User(username.to_owned()), client_id, true))
}
