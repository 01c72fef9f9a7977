//! Media-type check for form posts.

use axum::http::{header, HeaderMap};

/// True when the request's `Content-Type` is `application/x-www-form-urlencoded`
/// (parameters such as `charset` ignored, case-insensitive).
pub fn is_form(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|essence| {
            essence
                .trim()
                .eq_ignore_ascii_case("application/x-www-form-urlencoded")
        })
}
