//! `POST /sign-in`: the mock's handler for its own sign-in form (not a catalog endpoint).

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;

use super::super::kernel::envelope::oauth_error;
use super::super::kernel::form::Form;
use super::super::kernel::identity::MockState;
use super::authorize::{complete, validate};
use super::content_type::is_form;
use super::sign_in_form::SignInForm;

/// Re-validates the OAuth request exactly like `/oauth/authorize`, then signs
/// the user in. The username is `tenant\username` when a tenant is given and
/// the username has no backslash. Bad credentials re-show the form (200).
pub async fn sign_in(
    State(state): State<Arc<MockState>>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, Response> {
    let invalid = |why: String| oauth_error(StatusCode::BAD_REQUEST, "invalid_request", why);
    let body =
        body.map_err(|rejection| invalid(format!("cannot read request body: {rejection}")))?;
    if !is_form(&headers) {
        return Err(invalid(
            "Content-Type must be application/x-www-form-urlencoded".to_owned(),
        ));
    }
    let form = Form::parse(&body).map_err(invalid)?;
    let request = validate(&state, &form)?;
    let username = match (form.get("tenant"), form.get("username")) {
        (Some(tenant), Some(name)) if !name.contains('\\') => format!("{tenant}\\{name}"),
        (_, Some(name)) => name.to_owned(),
        (_, None) => return Ok(SignInForm::failed(&form).render()),
    };
    Ok(match form.get("password") {
        Some(password) if state.user_valid(&username, password) => {
            complete(&state, &request, &username)
        }
        _ => SignInForm::failed(&form).render(),
    })
}
