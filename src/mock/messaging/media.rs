//! Media of a channel (reference 4097-4360): upload (`POST .../media`, multipart
//! `file`), download (`GET .../media/{mediaId}`), delete (`DELETE`, answering the
//! deleted media's `UploadResponse`, 4288).
//!
//! The raw multipart bytes are read and verified before they are parsed (notes
//! section 7). Choices: no `file` part is a 400 (4111 does not mark it
//! required, CATALOG 10 item 76, but there is nothing to store); a file over
//! `max_media_bytes` is a 400 (no 413 is documented); a part content type not in
//! `media_types` (parameters ignored, missing = `application/octet-stream`) is
//! the documented 415; a missing file name is stored as the media id. The
//! download answers the bytes with the stored content type (4204 documents
//! none, CATALOG 10 item 74).

use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::rejection::PathRejection;
use axum::extract::Path;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;

use super::super::kernel::multipart::{self, FilePart, PartError};
use super::envelope::{bad_request, error, upload_response};
use super::gate::{admit, admit_channel, ChannelPath};
use super::hub::{Media, MessagingHub};

type Hub = Extension<Arc<MessagingHub>>;
/// `{channelId}` and `{mediaId}`.
type MediaPath = Result<Path<(String, String)>, PathRejection>;
/// A handler's answer: the success or the refusal, each a whole response.
type Answer = Result<Response, Response>;

/// Room for the multipart framing around a file of `max_media_bytes`.
const MULTIPART_SLACK: usize = 64 * 1024;
/// GET and DELETE carry no body; anything bigger than this is refused.
const MAX_EMPTY_BODY: usize = 64 * 1024;

fn media_not_found(media_id: &str, channel_id: &str) -> Response {
    error(
        StatusCode::NOT_FOUND,
        format!("Media {media_id} not found in channel {channel_id}"),
    )
}

/// `POST /channels/{channelId}/media`.
pub async fn upload(
    Extension(hub): Hub,
    path: ChannelPath,
    headers: HeaderMap,
    body: Body,
) -> Answer {
    let max = usize::try_from(hub.seed().max_media_bytes).unwrap_or(usize::MAX);
    let limit = max.saturating_add(MULTIPART_SLACK);
    let (channel_id, admitted) = admit_channel(&hub, path, &headers, body, limit).await?;
    let file = file_part(&headers, admitted).await?;
    let mimetype = file
        .content_type
        .unwrap_or_else(|| "application/octet-stream".to_owned());
    if file.bytes.len() > max {
        return Err(bad_request(format!(
            "file is {} bytes; the largest accepted is {max} bytes",
            file.bytes.len()
        )));
    }
    if !hub
        .seed()
        .media_types
        .iter()
        .any(|t| t.eq_ignore_ascii_case(&mimetype))
    {
        return Err(error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            format!(
                "media type `{mimetype}` is not supported; send one of: {}",
                hub.seed().media_types.join(", ")
            ),
        ));
    }
    let media_id = crate::ids::uuid_v4().to_string();
    let media = Media {
        filename: file.filename.unwrap_or_else(|| media_id.clone()),
        media_id,
        mimetype,
        bytes: file.bytes,
    };
    let data = media.upload_data();
    if !hub.store_media(&channel_id, media) {
        return Err(super::envelope::channel_not_found(&channel_id));
    }
    Ok(upload_response(data))
}

/// The first part named `file` of a multipart body.
async fn file_part(headers: &HeaderMap, body: Bytes) -> Result<FilePart, Response> {
    multipart::file_part(headers, body)
        .await
        .map_err(|e| match e {
            PartError::NoBoundary => bad_request(
                "Content-Type must be multipart/form-data with a boundary, carrying a `file` part",
            ),
            PartError::Malformed(e) => bad_request(format!("multipart body is malformed: {e}")),
            PartError::NoFilePart => bad_request("multipart body has no `file` part"),
            PartError::FileMalformed(e) => {
                bad_request(format!("multipart `file` part is malformed: {e}"))
            }
        })
}

/// What download and delete share: the channel and media ids of the path (a 400 when
/// it is not UTF-8), the checks of [`admit`] over the (empty) body, then the media that
/// `take` finds (404 when none).
async fn admitted_media(
    hub: &MessagingHub,
    path: MediaPath,
    headers: &HeaderMap,
    body: Body,
    take: fn(&MessagingHub, &str, &str) -> Option<Media>,
) -> Result<Media, Response> {
    let Ok(Path((channel_id, media_id))) = path else {
        return Err(bad_request("the path is not valid UTF-8"));
    };
    admit(hub, &channel_id, headers, body, MAX_EMPTY_BODY).await?;
    take(hub, &channel_id, &media_id).ok_or_else(|| media_not_found(&media_id, &channel_id))
}

/// `GET /channels/{channelId}/media/{mediaId}`: the bytes, with the stored content type.
pub async fn download(
    Extension(hub): Hub,
    path: MediaPath,
    headers: HeaderMap,
    body: Body,
) -> Answer {
    let media = admitted_media(&hub, path, &headers, body, MessagingHub::media).await?;
    let content_type = HeaderValue::from_str(&media.mimetype)
        .unwrap_or_else(|_| HeaderValue::from_static("application/octet-stream"));
    let mut response = (StatusCode::OK, media.bytes).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, content_type);
    Ok(response)
}

/// `DELETE /channels/{channelId}/media/{mediaId}`: the deleted media's
/// `UploadResponse` (reference 4288); unknown or already deleted is a 404.
pub async fn delete(
    Extension(hub): Hub,
    path: MediaPath,
    headers: HeaderMap,
    body: Body,
) -> Answer {
    let media = admitted_media(&hub, path, &headers, body, MessagingHub::delete_media).await?;
    Ok(upload_response(media.upload_data()))
}
