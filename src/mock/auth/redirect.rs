//! Building the `Location` of an OAuth redirect.

use super::super::kernel::form::encode;

fn join(pairs: &[(&str, Option<&str>)]) -> String {
    pairs
        .iter()
        .filter_map(|(name, value)| value.map(|v| format!("{name}={}", encode(v))))
        .collect::<Vec<_>>()
        .join("&")
}

/// `redirect_uri?name=value&...`, or `&` when the URI already has a query.
/// Pairs whose value is `None` are left out.
///
/// The reference's example `oauthcallback&code=` (line 349) is a typo: real
/// clients need `?` (CATALOG section 10 item 3).
pub fn with_query(redirect_uri: &str, pairs: &[(&str, Option<&str>)]) -> String {
    let separator = if redirect_uri.contains('?') { '&' } else { '?' };
    format!("{redirect_uri}{separator}{}", join(pairs))
}

/// `redirect_uri#name=value&...`, for the implicit grant (RFC 6749 section 4.2.2).
/// Registered redirect URIs carry no fragment (reference line 328).
pub fn with_fragment(redirect_uri: &str, pairs: &[(&str, Option<&str>)]) -> String {
    format!("{redirect_uri}#{}", join(pairs))
}
