//! HS256 JSON Web Tokens for the `X-GWS-User` header.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use serde_json::Value;
use sha2::Sha256;

/// The fixed JOSE header, serialised in this key order.
const HEADER: &str = r#"{"alg":"HS256","typ":"JWT"}"#;

/// `base64url(header).base64url(payload).base64url(HMAC-SHA256(secret, signing input))`,
/// all without padding (RFC 7519, RFC 7515 appendix A.1).
pub fn sign_hs256(payload: &Value, secret: &[u8]) -> String {
    let signing_input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(HEADER),
        URL_SAFE_NO_PAD.encode(payload.to_string())
    );
    // HMAC accepts keys of any length, so this never falls back in practice.
    let signature = match Hmac::<Sha256>::new_from_slice(secret) {
        Ok(mut mac) => {
            mac.update(signing_input.as_bytes());
            mac.finalize().into_bytes().to_vec()
        }
        Err(_) => Vec::new(),
    };
    format!("{signing_input}.{}", URL_SAFE_NO_PAD.encode(signature))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // tests may panic
mod tests {
    use super::*;

    #[test]
    fn hs256_matches_the_rfc_7515_style_construction() {
        let token = sign_hs256(&serde_json::json!({"a":1}), b"k");
        let parts: Vec<&str> = token.split('.').collect();
        assert_eq!(parts.len(), 3);
        assert_eq!(URL_SAFE_NO_PAD.decode(parts[0]).unwrap(), HEADER.as_bytes());
        let mut mac = Hmac::<Sha256>::new_from_slice(b"k").unwrap();
        mac.update(format!("{}.{}", parts[0], parts[1]).as_bytes());
        mac.verify_slice(&URL_SAFE_NO_PAD.decode(parts[2]).unwrap())
            .unwrap();
    }
}
