//! `GET /oauth/authorize`: validates the OAuth request, then either signs the user
//! in with HTTP Basic and redirects, or shows the sign-in form.

use std::sync::Arc;

use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;

use super::super::kernel::envelope::{found, oauth_error};
use super::super::kernel::form::Form;
use super::super::kernel::identity::{MockState, Principal};
use super::basic::{basic_credentials, Basic};
use super::redirect::{with_fragment, with_query};
use super::sign_in_form::SignInForm;
use super::token::SCOPE;

/// Which grant the browser is in (reference line 566: `code` or `token`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResponseType {
    /// Authorization Code Grant.
    Code,
    /// Implicit Grant.
    Token,
}

/// A request whose client and redirect URI have been checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorizeRequest {
    /// A registered client.
    pub client_id: String,
    /// Exactly one of that client's registered redirect URIs.
    pub redirect_uri: String,
    /// The grant.
    pub response_type: ResponseType,
    /// Opaque client state, echoed back when given.
    pub state: Option<String>,
}

/// Checks client and redirect URI first: until both are known good, every
/// error is answered directly and never by redirect (RFC 6749 section 4.1.2.1).
/// After that, errors go back to the client by redirect.
pub fn validate(state: &MockState, form: &Form) -> Result<AuthorizeRequest, Response> {
    let Some(client_id) = form.get("client_id") else {
        return Err(oauth_error(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "Missing client_id",
        ));
    };
    let Some(client) = state.seed().client(client_id) else {
        return Err(oauth_error(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            format!("No client with requested id: {client_id}"),
        ));
    };
    let Some(redirect_uri) = form.get("redirect_uri") else {
        return Err(oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "redirect_uri is required and is not registered for this client",
        ));
    };
    // Exact string comparison, no prefix or normalisation (reference line 328).
    if !client
        .redirect_uris
        .iter()
        .any(|registered| registered == redirect_uri)
    {
        return Err(oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            format!("redirect_uri {redirect_uri} is not registered for client {client_id}"),
        ));
    }
    let client_state = form.get("state");
    let response_type = match form.get("response_type") {
        Some("code") => ResponseType::Code,
        Some("token") => ResponseType::Token,
        Some(other) => {
            let description = format!("Unsupported response type: {other}");
            return Err(redirect_error(
                redirect_uri,
                ResponseType::Code,
                "unsupported_response_type",
                &description,
                client_state,
            ));
        }
        None => {
            return Err(redirect_error(
                redirect_uri,
                ResponseType::Code,
                "invalid_request",
                "Missing response_type",
                client_state,
            ));
        }
    };
    if let Some(scope) = form.get("scope") {
        if scope != SCOPE {
            let description = format!("Invalid scope: {scope}");
            return Err(redirect_error(
                redirect_uri,
                response_type,
                "invalid_scope",
                &description,
                client_state,
            ));
        }
    }
    Ok(AuthorizeRequest {
        client_id: client_id.to_owned(),
        redirect_uri: redirect_uri.to_owned(),
        response_type,
        state: client_state.map(str::to_owned),
    })
}

/// An error sent back by redirect: in the query for the code grant (RFC 6749
/// section 4.1.2.1), in the fragment for the implicit grant (section 4.2.2.1).
fn redirect_error(
    redirect_uri: &str,
    response_type: ResponseType,
    error: &str,
    description: &str,
    state: Option<&str>,
) -> Response {
    let pairs = [
        ("error", Some(error)),
        ("error_description", Some(description)),
        ("state", state),
    ];
    match response_type {
        ResponseType::Code => found(&with_query(redirect_uri, &pairs)),
        ResponseType::Token => found(&with_fragment(redirect_uri, &pairs)),
    }
}

/// The user is signed in: redirect with a code, or with a token in the fragment.
pub fn complete(state: &MockState, request: &AuthorizeRequest, username: &str) -> Response {
    let client_state = request.state.as_deref();
    match request.response_type {
        ResponseType::Code => {
            let code = state.issue_code(&request.client_id, username, &request.redirect_uri);
            found(&with_query(
                &request.redirect_uri,
                &[("code", Some(&code)), ("state", client_state)],
            ))
        }
        ResponseType::Token => {
            // Implicit grant: no refresh token (RFC 6749 section 4.2.2).
            let issued = state.issue_token(
                Principal::User(username.to_owned()),
                &request.client_id,
                false,
            );
            let expires_in = issued.expires_in.to_string();
            found(&with_fragment(
                &request.redirect_uri,
                &[
                    ("access_token", Some(&issued.access_token)),
                    ("token_type", Some("bearer")),
                    ("expires_in", Some(&expires_in)),
                    ("state", client_state),
                ],
            ))
        }
    }
}

/// `hideTenant` (reference line 564, default false): only `true`, in any case,
/// hides the field; any other value is read as false.
pub fn hide_tenant(form: &Form) -> bool {
    form.get("hideTenant")
        .is_some_and(|v| v.eq_ignore_ascii_case("true"))
}

/// The authorize endpoint.
pub async fn authorize(
    State(state): State<Arc<MockState>>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Result<Response, Response> {
    let form = Form::parse(query.unwrap_or_default().as_bytes())
        .map_err(|why| oauth_error(StatusCode::BAD_REQUEST, "invalid_request", why))?;
    let request = validate(&state, &form)?;
    Ok(match basic_credentials(&headers) {
        Basic::Credentials { name, secret } if state.user_valid(&name, &secret) => {
            complete(&state, &request, &name)
        }
        Basic::Credentials { .. } | Basic::Malformed => {
            oauth_error(StatusCode::UNAUTHORIZED, "Unauthorized", "Bad credentials")
        }
        Basic::Absent => SignInForm::from_request(&form).render(),
    })
}
