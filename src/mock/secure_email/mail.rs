//! One secure email by id: `GET /securemail/{id}` (reference 2253-2303),
//! `DELETE /securemail/{id}` (2305-2365) and `GET /securemail/{id}/userdata`
//! (2367-2445).
//!
//! Choices: an unknown or purged id is a 404 `genericResponse` on all three,
//! although GET and userdata document only 200, 400 and 500 (CATALOG 10 item
//! 48). `read` takes `true` or `false`; any other value is a 400. DELETE answers
//! the email as it is after the change (a purged one as it was), with
//! `retrieveSecureMailResponse` (2331); an unknown `remove` value is a 400,
//! although DELETE documents only 200 and 404 (item 49). A deleted email is
//! still served by id, with `deleted: true`.

use std::sync::Arc;

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery};
use axum::response::Response;
use axum::Extension;
use serde_json::json;

use super::envelope::{invalid_parameter, mail_not_found, success};
use super::query;
use super::store::SecureMailStore;

type Store = Extension<Arc<SecureMailStore>>;

fn mail_id(path: Result<Path<String>, PathRejection>) -> Result<String, Response> {
    path.map(|Path(id)| id).map_err(|_| {
        invalid_parameter(
            "secureMailId",
            "the secure email ID in the path is not valid UTF-8",
        )
    })
}

/// `GET /securemail/{id}?read=`: 200 `retrieveSecureMailResponse`; `read=true`
/// marks the email read first (2261).
pub async fn retrieve(
    Extension(store): Store,
    path: Result<Path<String>, PathRejection>,
    RawQuery(raw): RawQuery,
) -> Response {
    let parsed = mail_id(path).and_then(|id| {
        let form = query::parse(raw.as_deref())?;
        Ok((id, query::read_flag(&form)?))
    });
    let (id, read) = match parsed {
        Ok(parsed) => parsed,
        Err(response) => return response,
    };
    match store.get(&id, read) {
        Some(mail) => success(None, json!({ "secureMail": mail.to_json() })),
        None => mail_not_found(&id),
    }
}

/// `DELETE /securemail/{id}?remove=`: mark read, mark deleted or purge.
pub async fn remove(
    Extension(store): Store,
    path: Result<Path<String>, PathRejection>,
    RawQuery(raw): RawQuery,
) -> Response {
    let parsed = mail_id(path).and_then(|id| {
        let form = query::parse(raw.as_deref())?;
        Ok((id, query::removal(&form)?))
    });
    let (id, removal) = match parsed {
        Ok(parsed) => parsed,
        Err(response) => return response,
    };
    match store.remove(&id, removal) {
        Some(mail) => success(None, json!({ "secureMail": mail.to_json() })),
        None => mail_not_found(&id),
    }
}

/// `GET /securemail/{id}/userdata`: 200 `retrieveSecureMailUserdataResponse`
/// whose `data` is the `data.userData` the email was sent with (`{}` if none).
pub async fn userdata(
    Extension(store): Store,
    path: Result<Path<String>, PathRejection>,
) -> Response {
    let id = match mail_id(path) {
        Ok(id) => id,
        Err(response) => return response,
    };
    match store.user_data(&id) {
        Some(data) => success(None, json!({ "data": data })),
        None => mail_not_found(&id),
    }
}
