//! The seven Openmedia endpoints as four handlers: create, get, update and stop,
//! each by `{interactionId}` or `ext_{externalId}` (reference 3479-3770).
//!
//! Checks run in this order after the gateway's `x-api-key`: the open media
//! service (404), the `ext_` segment (400), the interaction (404), the body
//! (400), then the interaction's rules (400 when stopped; 409 for a taken
//! externalId on create).

use std::sync::Arc;

use axum::body::{to_bytes, Body, Bytes};
use axum::extract::rejection::PathRejection;
use axum::extract::Path;
use axum::response::Response;
use axum::Extension;

use super::envelope::{bad_request, interaction, refusal};
use super::hub::OpenmediaHub;
use super::request;

/// Largest accepted request body; more is a 400 (no 413 is documented).
const MAX_BODY_BYTES: usize = 1024 * 1024;

type Hub = Extension<Arc<OpenmediaHub>>;

/// The path values, or a 400 when they are not valid percent-encoded UTF-8.
fn path<T>(path: Result<Path<T>, PathRejection>) -> Result<T, Response> {
    path.map(|Path(values)| values)
        .map_err(|e| bad_request(format!("the path is not valid: {e}")))
}

/// The body bytes, or a 400 when it is too large or cannot be read.
async fn read(body: Body) -> Result<Bytes, Response> {
    to_bytes(body, MAX_BODY_BYTES).await.map_err(|_| {
        bad_request(format!(
            "the body is larger than {MAX_BODY_BYTES} bytes or could not be read"
        ))
    })
}

/// `POST /openmedia/{openMediaService}/interactions`.
pub async fn create(
    Extension(hub): Hub,
    service: Result<Path<String>, PathRejection>,
    body: Body,
) -> Response {
    let service = match path(service) {
        Ok(service) => service,
        Err(response) => return response,
    };
    if let Err(refused) = hub.check_service(&service) {
        return refusal(refused);
    }
    let body = match read(body).await {
        Ok(body) => body,
        Err(response) => return response,
    };
    let request = match request::create(&body) {
        Ok(request) => request,
        Err(message) => return bad_request(message),
    };
    match hub.create(&service, request) {
        Ok(created) => interaction(&created),
        Err(refused) => refusal(refused),
    }
}

/// `GET .../interactions/{interactionId}` and `.../ext_{externalId}`.
pub async fn get(
    Extension(hub): Hub,
    segments: Result<Path<(String, String)>, PathRejection>,
) -> Response {
    let (service, segment) = match path(segments) {
        Ok(values) => values,
        Err(response) => return response,
    };
    match hub.get(&service, &segment) {
        Ok(found) => interaction(&found),
        Err(refused) => refusal(refused),
    }
}

/// What update and stop share: the path, an interaction that exists, the body read.
async fn existing_with_body(
    hub: &OpenmediaHub,
    segments: Result<Path<(String, String)>, PathRejection>,
    body: Body,
) -> Result<(String, String, Bytes), Response> {
    let (service, segment) = path(segments)?;
    hub.get(&service, &segment).map_err(refusal)?;
    let body = read(body).await?;
    Ok((service, segment, body))
}

/// `POST .../{interactionId}/update` and `.../ext_{externalId}/update`.
pub async fn update(
    Extension(hub): Hub,
    segments: Result<Path<(String, String)>, PathRejection>,
    body: Body,
) -> Response {
    let (service, segment, body) = match existing_with_body(&hub, segments, body).await {
        Ok(parts) => parts,
        Err(response) => return response,
    };
    let change = match request::change(&body) {
        Ok(change) => change,
        Err(message) => return bad_request(message),
    };
    match hub.update(&service, &segment, change) {
        Ok(updated) => interaction(&updated),
        Err(refused) => refusal(refused),
    }
}

/// `POST .../{interactionId}/stop` and `.../ext_{externalId}/stop`.
pub async fn stop(
    Extension(hub): Hub,
    segments: Result<Path<(String, String)>, PathRejection>,
    body: Body,
) -> Response {
    let (service, segment, body) = match existing_with_body(&hub, segments, body).await {
        Ok(parts) => parts,
        Err(response) => return response,
    };
    let reason = match request::stop(&body) {
        Ok(reason) => reason,
        Err(message) => return bad_request(message),
    };
    match hub.stop(&service, &segment, reason) {
        Ok(stopped) => interaction(&stopped),
        Err(refused) => refusal(refused),
    }
}
