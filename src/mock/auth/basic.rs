//! HTTP Basic credentials from the `Authorization` header.

use axum::http::{header, HeaderMap};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;

/// What the `Authorization` header says about Basic credentials.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Basic {
    /// No `Authorization` header, or one with another scheme.
    Absent,
    /// `Basic` scheme, but not base64 of UTF-8 `name:secret`.
    Malformed,
    /// `Basic base64(name:secret)`, split at the first colon.
    Credentials {
        /// The user name or client ID.
        name: String,
        /// The password or client secret.
        secret: String,
    },
}

/// Reads Basic credentials. The scheme is matched case-insensitively; the
/// decoded parts are used as they are (no form-decoding of the parts, as
/// Spring Security's `BasicAuthenticationFilter` does not do it either).
pub fn basic_credentials(headers: &HeaderMap) -> Basic {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Basic::Absent;
    };
    let Ok(value) = value.to_str() else {
        return Basic::Malformed;
    };
    let Some((scheme, rest)) = value.trim().split_once(' ') else {
        return if value.trim().eq_ignore_ascii_case("basic") {
            Basic::Malformed
        } else {
            Basic::Absent
        };
    };
    if !scheme.eq_ignore_ascii_case("basic") {
        return Basic::Absent;
    }
    let decoded = STANDARD
        .decode(rest.trim())
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok());
    match decoded.as_deref().and_then(|s| s.split_once(':')) {
        Some((name, secret)) => Basic::Credentials {
            name: name.to_owned(),
            secret: secret.to_owned(),
        },
        None => Basic::Malformed,
    }
}
