//! What the family's handlers take and give: the store and the base path's row (both
//! `Extension`s), a path segment, the body, and the answer (a [`Fault`] is its `Err`);
//! the 204-or-500 answer of a bulk delete.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};

use super::fault::Fault;
use super::query;
use super::store::UdmStore;
use super::Row;

/// A handler's answer.
pub type Answer = Result<Response, Fault>;
/// The store, as handlers take it.
pub type Store = Extension<Arc<UdmStore>>;
/// The base path's row, as handlers take it.
pub type On = Extension<Row>;
/// The one path segment of a route (`{id}`, `{filename}`, ...).
pub type Segment = Result<Path<String>, PathRejection>;
/// The request body.
pub type Body = Result<Bytes, BytesRejection>;

/// The path segment named `field`, or a 400 when it is not UTF-8.
pub fn segment(path: Segment, field: &str) -> Result<String, Fault> {
    path.map(|Path(text)| text)
        .map_err(|_| Fault::bad(field, "the path is not valid UTF-8"))
}

/// The path's `{id}`, a job or history record id: a 404 with `reason` when it is no
/// whole number.
pub fn id_of(path: Segment, reason: &str) -> Result<u64, Fault> {
    query::path_id(&segment(path, "id")?, reason)
}

/// The request body, or a 400.
pub fn bytes(body: Body) -> Result<Bytes, Fault> {
    body.map_err(|e| Fault::bad("body", format!("the body could not be read: {e}")))
}

/// 204 when every item went, else 500 with the JSON array of those that did not
/// (1582, 1323, 1188).
pub fn partial(not_deleted: Vec<String>) -> Response {
    if not_deleted.is_empty() {
        StatusCode::NO_CONTENT.into_response()
    } else {
        (StatusCode::INTERNAL_SERVER_ERROR, Json(not_deleted)).into_response()
    }
}
