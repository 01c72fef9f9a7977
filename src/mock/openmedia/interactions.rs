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

use super::super::kernel::clock::MockClock;
use super::envelope::{bad_request, interaction, refusal};
use super::hub::{Interaction, OpenmediaHub, Refusal};
use super::request;

/// Largest accepted request body; more is a 400 (no 413 is documented).
const MAX_BODY_BYTES: usize = 1024 * 1024;

type Hub = Extension<Arc<OpenmediaHub>>;
/// A handler's answer: the success or the refusal, each a whole response.
type Answer = Result<Response, Response>;
/// `{openMediaService}` and `{interactionId}` (or `ext_{externalId}`).
type Segments = Result<Path<(String, String)>, PathRejection>;

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

/// The 200 InteractionResponse of a done operation, or the answer to a refused one.
fn answer(done: Result<Interaction, Refusal>) -> Answer {
    done.map(|i| interaction(&i)).map_err(refusal)
}

/// `POST /openmedia/{openMediaService}/interactions`.
pub async fn create(
    Extension(hub): Hub,
    service: Result<Path<String>, PathRejection>,
    body: Body,
) -> Answer {
    let service = path(service)?;
    hub.check_service(&service).map_err(refusal)?;
    let body = read(body).await?;
    let request = request::create(&body).map_err(bad_request)?;
    answer(hub.create(&service, request))
}

/// `GET .../interactions/{interactionId}` and `.../ext_{externalId}`.
pub async fn get(Extension(hub): Hub, segments: Segments) -> Answer {
    let (service, segment) = path(segments)?;
    answer(hub.get(&service, &segment))
}

/// What update and stop share: the path, an interaction that exists, the body read
/// and parsed by `parse`, then `apply` with what was parsed on the interaction, if it is
/// still active.
async fn change<T>(
    hub: &OpenmediaHub,
    segments: Segments,
    body: Body,
    parse: fn(&[u8]) -> Result<T, String>,
    apply: impl FnOnce(&mut Interaction, T, &MockClock) -> Result<(), Refusal>,
) -> Answer {
    let (service, segment) = path(segments)?;
    hub.get(&service, &segment).map_err(refusal)?;
    let body = read(body).await?;
    let parsed = parse(&body).map_err(bad_request)?;
    answer(hub.change(&service, &segment, |interaction, clock| {
        apply(interaction, parsed, clock)
    }))
}

/// `POST .../{interactionId}/update` and `.../ext_{externalId}/update`.
pub async fn update(Extension(hub): Hub, segments: Segments, body: Body) -> Answer {
    change(
        &hub,
        segments,
        body,
        request::change,
        |interaction, change, _| interaction.update(change),
    )
    .await
}

/// `POST .../{interactionId}/stop` and `.../ext_{externalId}/stop`.
pub async fn stop(Extension(hub): Hub, segments: Segments, body: Body) -> Answer {
    change(
        &hub,
        segments,
        body,
        request::stop,
        |interaction, reason, clock| {
            interaction.stop(reason, clock);
            Ok(())
        },
    )
    .await
}
