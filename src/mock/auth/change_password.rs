//! `POST /change-password`: change the signed-in user's password.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{Map, Value};

use super::super::kernel::caller::authenticate;
use super::super::kernel::envelope::{api_ok, status_error};
use super::super::kernel::identity::{MockState, Principal};

const PATH: &str = "/auth/v3/change-password";

/// The documented refusal (reference line 489).
fn refused() -> Response {
    status_error(StatusCode::FORBIDDEN, "Unable to update password")
}

fn bad_request(message: impl Into<String>) -> Response {
    status_error(StatusCode::BAD_REQUEST, message)
}

/// A parsed `ApiRequestOfChangePasswordOperation` (reference 463-469).
struct ChangePassword {
    old_password: String,
    new_password: String,
    user_name: Option<String>,
    operation_id: Option<String>,
}

fn string_field(
    map: &Map<String, Value>,
    name: &str,
    prefix: &str,
) -> Result<Option<String>, Response> {
    match map.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(bad_request(format!("{prefix}{name} must be a string"))),
    }
}

/// Parses the body as JSON whatever its `Content-Type` (the reference's 200,
/// 403 and 503 leave no room for a 415).
fn parse(body: &[u8]) -> Result<ChangePassword, Response> {
    let root = match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => map,
        Ok(_) => return Err(bad_request("request body must be a JSON object")),
        Err(e) => return Err(bad_request(format!("request body is not valid JSON: {e}"))),
    };
    let operation_id = string_field(&root, "operationId", "")?;
    let data = match root.get("data") {
        Some(Value::Object(data)) => data,
        Some(_) => return Err(bad_request("data must be an object")),
        None => return Err(bad_request("data is required")),
    };
    let old_password = string_field(data, "oldPassword", "data.")?
        .ok_or_else(|| bad_request("data.oldPassword is required"))?;
    let new_password = string_field(data, "newPassword", "data.")?
        .ok_or_else(|| bad_request("data.newPassword is required"))?;
    if new_password.is_empty() {
        return Err(bad_request("data.newPassword must not be empty"));
    }
    Ok(ChangePassword {
        old_password,
        new_password,
        user_name: string_field(data, "userName", "data.")?,
        operation_id,
    })
}

/// Bearer first (401), then the body (400), then the checks that give 403:
/// a client-only token, a `userName` that is not the token's user (the full
/// `tenant\user` or the bare Configuration Server name both count as the
/// token's user), or a wrong `oldPassword`. Existing tokens stay valid.
pub async fn change_password(
    State(state): State<Arc<MockState>>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, Response> {
    let session = authenticate(&state, &headers)?;
    let body =
        body.map_err(|rejection| bad_request(format!("cannot read request body: {rejection}")))?;
    let request = parse(&body)?;
    let Principal::User(username) = &session.principal else {
        return Err(refused());
    };
    if let Some(given) = &request.user_name {
        let bare = username
            .split_once('\\')
            .map_or(username.as_str(), |(_, name)| name);
        if given != username && given != bare {
            return Err(refused());
        }
    }
    if !state.change_password(username, &request.old_password, &request.new_password) {
        return Err(refused());
    }
    let mut body = api_ok(PATH);
    if let (Some(id), Value::Object(map)) = (request.operation_id, &mut body) {
        map.insert("operationId".into(), Value::String(id));
    }
    Ok(Json(body).into_response())
}
