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

use super::super::kernel::form::Form;
use super::envelope::{invalid_parameter, mail_not_found, success};
use super::query;
use super::store::{SecureMail, SecureMailStore};

type Store = Extension<Arc<SecureMailStore>>;
type MailPath = Result<Path<String>, PathRejection>;

fn mail_id(path: MailPath) -> Result<String, Response> {
    path.map(|Path(id)| id).map_err(|_| {
        invalid_parameter(
            "secureMailId",
            "the secure email ID in the path is not valid UTF-8",
        )
    })
}

/// What retrieve and remove share: the id in the path, then the query parameter that
/// `rule` reads; `apply` gives the email as it is now (200 `retrieveSecureMailResponse`)
/// or `None` for an unknown id (404).
fn by_id<T>(
    path: MailPath,
    raw: Option<String>,
    rule: impl FnOnce(&Form) -> Result<T, Response>,
    apply: impl FnOnce(&str, T) -> Option<SecureMail>,
) -> Result<Response, Response> {
    let id = mail_id(path)?;
    let value = rule(&query::parse(raw.as_deref())?)?;
    Ok(match apply(&id, value) {
        Some(mail) => success(None, json!({ "secureMail": mail.to_json() })),
        None => mail_not_found(&id),
    })
}

/// `GET /securemail/{id}?read=`: 200 `retrieveSecureMailResponse`; `read=true`
/// marks the email read first (2261).
pub async fn retrieve(
    Extension(store): Store,
    path: MailPath,
    RawQuery(raw): RawQuery,
) -> Result<Response, Response> {
    by_id(path, raw, query::read_flag, |id, read| store.get(id, read))
}

/// `DELETE /securemail/{id}?remove=`: mark read, mark deleted or purge.
pub async fn remove(
    Extension(store): Store,
    path: MailPath,
    RawQuery(raw): RawQuery,
) -> Result<Response, Response> {
    by_id(path, raw, query::removal, |id, removal| {
        store.remove(id, removal)
    })
}

/// `GET /securemail/{id}/userdata`: 200 `retrieveSecureMailUserdataResponse`
/// whose `data` is the `data.userData` the email was sent with (`{}` if none).
pub async fn userdata(Extension(store): Store, path: MailPath) -> Result<Response, Response> {
    let id = mail_id(path)?;
    Ok(match store.user_data(&id) {
        Some(data) => success(None, json!({ "data": data })),
        None => mail_not_found(&id),
    })
}
