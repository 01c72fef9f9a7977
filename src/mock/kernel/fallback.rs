//! The one 404 fallback and the one 405 rewrite, each answering in the envelope of the
//! mount it serves: `with_fallback(router, envelope)` gives a nested API both.

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

/// `router` with the 404 fallback and the 405 rewrite of `envelope`.
pub fn with_fallback<S: Clone + Send + Sync + 'static>(
    router: Router<S>,
    envelope: Envelope,
) -> Router<S> {
    router
        .fallback(move |request: Request| not_found(State(envelope), request))
        .layer(middleware::from_fn_with_state(envelope, method_not_allowed))
}
