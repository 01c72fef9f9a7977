//! The Openmedia answer shapes: the nexus genericResponse envelope
//! `{referenceId, operationId, status{code, message?, detail?}}` (CATALOG 2,
//! reference 2052-2067) around every answer except the gateway's 403, with
//! `data.interaction` on success; and the envelope's 404/405 for paths and
//! methods that are not endpoints.
//!
//! Choices (every response is documented only as `{object}`, 3502-3511 and
//! on): `status.code` is the string enum of genericResponse; `SUCCESS` on 200,
//! `INVALID_PARAMETER` on 400 and on a 404 for a path value that names nothing
//! (no "not found" code exists), `FAILURE` on 409 and 500, `INVALID_ENDPOINT`
//! on 404/405 for a path or method that is not an endpoint. `referenceId` and
//! `operationId` are fresh UUID strings on every answer (the samples show `{}`).

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use super::hub::{Interaction, Refusal};

/// `status.code` on 200.
pub const SUCCESS: &str = "SUCCESS";
/// `status.code` on 409 and 500.
pub const FAILURE: &str = "FAILURE";
/// `status.code` on 400, and on 404 for a service or interaction that does not exist.
pub const INVALID_PARAMETER: &str = "INVALID_PARAMETER";

fn envelope(status: Value) -> Value {
    json!({
        "referenceId": crate::ids::uuid_v4().to_string(),
        "operationId": crate::ids::uuid_v4().to_string(),
        "status": status,
    })
}

/// 200 InteractionResponse: the envelope with `data.interaction`.
pub fn interaction(interaction: &Interaction) -> Response {
    let mut body = envelope(json!({ "code": SUCCESS }));
    body["data"] = json!({ "interaction": interaction.to_json() });
    Json(body).into_response()
}

/// An error: the envelope with `code` and `message`.
pub fn error(status: StatusCode, code: &str, message: impl Into<String>) -> Response {
    let body = envelope(json!({ "code": code, "message": message.into() }));
    (status, Json(body)).into_response()
}

/// 400 `INVALID_PARAMETER`.
pub fn bad_request(message: impl Into<String>) -> Response {
    error(StatusCode::BAD_REQUEST, INVALID_PARAMETER, message)
}

/// The answer to a refused operation.
pub fn refusal(refusal: Refusal) -> Response {
    match refusal {
        Refusal::BadRequest(message) => bad_request(message),
        Refusal::NotFound(message) => error(StatusCode::NOT_FOUND, INVALID_PARAMETER, message),
        Refusal::Conflict(message) => error(StatusCode::CONFLICT, FAILURE, message),
    }
}
