//! The one 404 fallback and the one 405 rewrite, each answering in the envelope of the
//! mount it serves, and the one guard against malformed requests (a broken `%` escape in
//! the path, a body over the limit): `with_fallback(router, envelope)` gives a nested
//! API all three.

use axum::body::Body;
use axum::extract::{OriginalUri, Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::Router;

use super::envelope::Envelope;

/// True when `path` is `prefix` or below it.
pub fn is_under(path: &str, prefix: &str) -> bool {
    path == prefix
        || path
            .strip_prefix(prefix)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// The path as the client sent it (a nested router sees it without its prefix).
pub fn full_path(request: &Request) -> String {
    request.extensions().get::<OriginalUri>().map_or_else(
        || request.uri().path().to_owned(),
        |o| o.0.path().to_owned(),
    )
}

/// Fallback: a 404 in `envelope` naming the path.
pub async fn not_found(State(envelope): State<Envelope>, request: Request) -> Response {
    envelope.not_found(&full_path(&request))
}

/// Middleware: axum's empty 405 becomes `envelope`'s 405, keeping the `Allow` header.
pub async fn method_not_allowed(
    State(envelope): State<Envelope>,
    request: Request,
    next: Next,
) -> Response {
    let method = request.method().clone();
    // The URI is kept (a reference-counted copy) and only made a path on a 405.
    let uri = request
        .extensions()
        .get::<OriginalUri>()
        .map_or_else(|| request.uri().clone(), |o| o.0.clone());
    let response = next.run(request).await;
    rewrite_405(envelope, &method, &uri, response)
}

/// Middleware of a mount: [`method_not_allowed`], and the guard against malformed
/// requests: a broken `%` escape in the path is a 400 in `envelope` (the README's
/// "Malformed requests" rule, on every API), a body over [`LARGE_BODY`] is read whole
/// first, and the 413 of the reader that refuses it becomes `envelope`'s 400.
pub async fn guarded(State(envelope): State<Envelope>, request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let uri = request
        .extensions()
        .get::<OriginalUri>()
        .map_or_else(|| request.uri().clone(), |o| o.0.clone());
    if broken_escape(uri.path()) {
        return envelope.error(
            StatusCode::BAD_REQUEST,
            "INVALID_PARAMETER",
            format!("the path {} holds a broken %-escape", uri.path()),
            Some("path"),
        );
    }
    let (request, large) = match drained(envelope, request).await {
        Ok(drained) => drained,
        Err(refusal) => return refusal,
    };
    let response = next.run(request).await;
    if large && response.status() == StatusCode::PAYLOAD_TOO_LARGE {
        return too_large(envelope);
    }
    rewrite_405(envelope, &method, &uri, response)
}

/// `response`, or `envelope`'s 405 when it is axum's empty one.
fn rewrite_405(
    envelope: Envelope,
    method: &axum::http::Method,
    uri: &axum::http::Uri,
    response: Response,
) -> Response {
    if response.status() != StatusCode::METHOD_NOT_ALLOWED
        || response.headers().contains_key(header::CONTENT_TYPE)
    {
        return response;
    }
    let mut rewritten = envelope.method_not_allowed(method.as_str(), uri.path());
    if let Some(allow) = response.headers().get(header::ALLOW) {
        rewritten.headers_mut().insert(header::ALLOW, allow.clone());
    }
    rewritten
}

/// Bodies above this size are read whole before any handler sees them, so the answer
/// (a 400, as no API documents a 413) never races an unread body into a reset
/// connection; the 2 MiB every JSON reader of the mock takes.
pub const LARGE_BODY: u64 = 2 * 1024 * 1024;

/// The most a large body is read; a longer one is refused unread.
pub const MAX_DRAINED: usize = 64 * 1024 * 1024;

/// True when `path` holds a `%` not followed by two hex digits.
pub fn broken_escape(path: &str) -> bool {
    let bytes = path.as_bytes();
    bytes.iter().enumerate().any(|(i, b)| {
        *b == b'%'
            && !(bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit))
    })
}

/// The 400 in `envelope` for a body over [`LARGE_BODY`] that a reader refused.
fn too_large(envelope: Envelope) -> Response {
    envelope.error(
        StatusCode::BAD_REQUEST,
        "INVALID_PARAMETER",
        format!("the request body is larger than {LARGE_BODY} bytes"),
        Some("body"),
    )
}

/// `request` with its body read whole when it is over [`LARGE_BODY`] (and whether it
/// was), or the refusal of one over [`MAX_DRAINED`].
async fn drained(envelope: Envelope, request: Request) -> Result<(Request, bool), Response> {
    let length = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if length.is_none_or(|n| n <= LARGE_BODY) {
        return Ok((request, false));
    }
    let (parts, body) = request.into_parts();
    let bytes = axum::body::to_bytes(body, MAX_DRAINED)
        .await
        .map_err(|_| too_large(envelope))?;
    Ok((Request::from_parts(parts, Body::from(bytes)), true))
}

/// `router` with the 404 fallback, the 405 rewrite and the malformed-request guard of
/// `envelope`.
pub fn with_fallback<S: Clone + Send + Sync + 'static>(
    router: Router<S>,
    envelope: Envelope,
) -> Router<S> {
    router
        .fallback(move |request: Request| not_found(State(envelope), request))
        .layer(middleware::from_fn_with_state(envelope, guarded))
}

#[cfg(test)]
mod tests {
    use super::broken_escape;

    #[test]
    fn only_a_percent_without_two_hex_digits_is_broken() {
        assert!(broken_escape("/udm/v10/cipher/%zz"));
        assert!(broken_escape("/x/%4"));
        assert!(broken_escape("/x/%"));
        assert!(!broken_escape("/x/%4a/%2D"));
        assert!(!broken_escape("/x/plain"));
    }
}
