//! The Statistics API's caller: the bearer token (401 as on `/auth/v3`, from the
//! kernel) and the CometD session cookies.

use axum::http::{header, HeaderMap};

pub use super::super::kernel::caller::{caller, Caller};

/// The value of cookie `name` in the request's `Cookie` headers (clients join
/// pairs with `;` with or without a space, notes section 7).
pub fn cookie<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| k.trim() == name)
        .map(|(_, v)| v.trim())
}
