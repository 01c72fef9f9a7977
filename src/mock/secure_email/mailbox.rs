//! `GET /securemail` (list, reference 2029-2100) and `GET /securemail/count`
//! (2177-2250): the emails of one mailbox, by `address` and `securebox`,
//! filtered by `status`; the list pages with `index` and `count`.
//!
//! Choices: an empty or unknown mailbox is a 200 with no emails, not the 404 the
//! list documents ("Entity with specified ID not found." on an endpoint without
//! an ID, 2068, CATALOG 10 item 43); emails marked deleted are not listed or
//! counted (2320); the list is oldest first.

use std::sync::Arc;

use axum::extract::RawQuery;
use axum::response::Response;
use axum::Extension;
use serde_json::{json, Value};

use super::super::kernel::form::Form;
use super::envelope::success;
use super::query::{self, StatusFilter};
use super::store::SecureMailStore;

type Store = Extension<Arc<SecureMailStore>>;

/// What list and count read first: the query string, its `address` and `status`.
fn mailbox(raw: Option<String>) -> Result<(Form, String, StatusFilter), Response> {
    let form = query::parse(raw.as_deref())?;
    let address = query::address(&form)?;
    let status = query::status(&form)?;
    Ok((form, address, status))
}

/// `GET /securemail?address=&status=&index=&count=&securebox=`: 200
/// `listSecureMailResponse` with `data` the page of `SecureMail`s.
pub async fn list(Extension(store): Store, RawQuery(raw): RawQuery) -> Result<Response, Response> {
    let (form, address, status) = mailbox(raw)?;
    let index = query::non_negative(&form, "index", 0)?;
    let count = query::non_negative(&form, "count", 10)?;
    let securebox = query::securebox(&form)?;
    let page: Vec<Value> = store
        .list(&address, securebox.as_deref(), status, index, count)
        .iter()
        .map(|m| m.to_json())
        .collect();
    Ok(success(None, json!({ "data": page })))
}

/// `GET /securemail/count?address=&status=&securebox=`: 200
/// `countSecureMailResponse` with `data.count`.
pub async fn count(Extension(store): Store, RawQuery(raw): RawQuery) -> Result<Response, Response> {
    let (form, address, status) = mailbox(raw)?;
    let securebox = query::securebox(&form)?;
    let count = store.count(&address, securebox.as_deref(), status);
    Ok(success(None, json!({ "data": { "count": count } })))
}
