//! The Third-Party Messaging API's checks, in order: the gateway's `x-api-key`
//! (403 `{"message":"Forbidden"}`, as everywhere in the mock; every usage sample
//! sends it, reference 4176), the channel (404), `x-ccid` (400 missing, 403 not
//! the channel's contact center), then `X-Hub-Signature` over the raw body bytes
//! with the channel secret (401).
//!
//! Choice: 401 is documented for messages and for GET/DELETE media (lines 4410,
//! 4214, 4313); POST media documents no 401 (4099-4161, CATALOG 10
//! item 75), and the mock answers 401 there too, since the signature is required
//! (4107). GET and DELETE carry no body and are verified over the bytes received,
//! which is the empty body (reference 4192, 4275, CATALOG 10 item 70).

use axum::body::{Body, Bytes};
use axum::extract::rejection::PathRejection;
use axum::extract::Path;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;

use super::super::kernel::body::read_capped;
use super::envelope::{bad_request, channel_not_found, error};
use super::hub::MessagingHub;
use crate::signing::verify;

/// The `{channelId}` of a request path.
pub type ChannelPath = Result<Path<String>, PathRejection>;

/// The channel id of the path (a 400 when it is not UTF-8), then [`admit`]: the id and
/// the raw body.
pub async fn admit_channel(
    hub: &MessagingHub,
    path: ChannelPath,
    headers: &HeaderMap,
    body: Body,
    limit: usize,
) -> Result<(String, Bytes), Response> {
    let Ok(Path(channel_id)) = path else {
        return Err(bad_request("the channel ID in the path is not valid UTF-8"));
    };
    let admitted = admit(hub, &channel_id, headers, body, limit).await?;
    Ok((channel_id, admitted))
}

/// Reads at most `limit` body bytes and runs the channel, `x-ccid` and
/// signature checks in the documented order. A body over `limit` is a 400 once
/// the channel and contact center are known good (no 413 is documented).
/// Returns the raw body, exactly as signed.
pub async fn admit(
    hub: &MessagingHub,
    channel_id: &str,
    headers: &HeaderMap,
    body: Body,
    limit: usize,
) -> Result<Bytes, Response> {
    let body = read_capped(body, limit).await;
    let channel = hub
        .channel(channel_id)
        .ok_or_else(|| channel_not_found(channel_id))?;
    let ccid = headers
        .get("x-ccid")
        .ok_or_else(|| {
            bad_request("x-ccid header is missing: send the contact center ID of the channel")
        })?
        .to_str()
        .map_err(|_| bad_request("x-ccid header is not visible ASCII"))?;
    if ccid != channel.contact_center_id {
        return Err(error(
            StatusCode::FORBIDDEN,
            format!(
                "x-ccid `{ccid}` is not the contact center of channel {}",
                channel.id
            ),
        ));
    }
    let body = body.map_err(|_| {
        bad_request(format!(
            "request body is larger than {limit} bytes or could not be read"
        ))
    })?;
    let signature = match headers.get("x-hub-signature") {
        None => None,
        Some(value) => Some(value.to_str().map_err(|_| {
            error(
                StatusCode::UNAUTHORIZED,
                "X-Hub-Signature header is not visible ASCII: send `sha1=<40 hex digits>`",
            )
        })?),
    };
    verify(channel.secret.as_bytes(), &body, signature)
        .map_err(|e| error(StatusCode::UNAUTHORIZED, e.to_string()))?;
    Ok(body)
}
