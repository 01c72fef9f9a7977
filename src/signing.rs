//! `X-Hub-Signature` (HMAC-SHA1) signing and constant-time verification of request bodies.
//!
//! Genesys signs every webhook it sends (Interactions Webhook and Third-Party Messaging
//! Webhook), and the third party signs every Third-Party Messaging API request, with the
//! header `X-Hub-Signature: sha1=<hex>`: the HMAC-SHA1 of the exact body bytes, keyed with
//! the channel (app) secret (reference lines 1907 and 3807; parameter tables at 1938, 4107,
//! 4192, 4275, 4373 and 4475).
//!
//! Choices made here, where the reference is silent or contradictory:
//! - The message is the body **as sent on the wire**. Re-serialising the JSON (other
//!   whitespace or key order) changes the signature; callers must sign and verify the raw
//!   bytes, never a parsed-and-printed value.
//! - GET and DELETE on `/channels/{channelId}/media/{mediaId}` require the header although
//!   they carry no body (reference 4192, 4275): they are signed over the empty body.
//! - [`sign`] always emits lower-case hex, as every example in the reference does;
//!   [`verify`] accepts the hex digits in either case (RFC 4648 hex is case-insensitive),
//!   but the `sha1=` prefix must be lower case and exact.
//!
//! This module imports nothing else of the crate.

use hmac::{Hmac, Mac};
use sha1::Sha1;

type HmacSha1 = Hmac<Sha1>;

/// The prefix of every `X-Hub-Signature` value.
pub const PREFIX: &str = "sha1=";

/// Length in hex characters of an HMAC-SHA1 digest (20 bytes).
pub const HEX_LEN: usize = 40;

/// Why an `X-Hub-Signature` header was rejected by [`verify`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    /// The request carried no `X-Hub-Signature` header at all.
    #[error(
        "X-Hub-Signature header is missing: sign the exact body bytes with HMAC-SHA1 keyed \
         with the channel secret and send `X-Hub-Signature: sha1=<40 hex digits>`"
    )]
    Missing,
    /// The header is present but is not `sha1=` followed by exactly 40 hex digits.
    #[error(
        "X-Hub-Signature header `{header}` is malformed: expected `sha1=` followed by exactly \
         40 hex digits (HMAC-SHA1); check the algorithm prefix and that the value is not truncated"
    )]
    BadFormat {
        /// The header value as received (a signature is not a secret: it is safe to show).
        header: String,
    },
    /// The header is well formed but does not match the HMAC of this body with this secret.
    #[error(
        "X-Hub-Signature does not match the body: sign the exact bytes sent (not re-serialised \
         JSON) with the secret configured for this channel"
    )]
    Mismatch,
}

/// Signs `body` with `secret` and returns the `X-Hub-Signature` header value:
/// `sha1=` followed by the 40 lower-case hex digits of HMAC-SHA1(key = secret, message = body).
///
/// # Example
///
/// ```
/// use cxgate::signing::{sign, verify};
///
/// let body = br#"{"messageId":"1613474523265-0"}"#;
/// let header = sign(b"channel-secret", body);
/// assert!(header.starts_with("sha1="));
/// assert_eq!(header.len(), 45);
/// assert!(verify(b"channel-secret", body, Some(&header)).is_ok());
/// ```
pub fn sign(secret: &[u8], body: &[u8]) -> String {
    let digest = mac(secret, body).finalize().into_bytes();
    let mut out = String::with_capacity(PREFIX.len() + HEX_LEN);
    out.push_str(PREFIX);
    for byte in digest {
        out.push(hex_digit(byte >> 4));
        out.push(hex_digit(byte & 0x0f));
    }
    out
}

/// Checks an `X-Hub-Signature` header (`None` when the request had none) against the
/// HMAC-SHA1 of `body` keyed with `secret`. The digest comparison runs in constant time
/// ([`hmac::Mac::verify_slice`]). Hex digits are accepted in upper or lower case.
///
/// # Errors
///
/// [`SignatureError::Missing`] without a header, [`SignatureError::BadFormat`] when it is
/// not `sha1=` + 40 hex digits, [`SignatureError::Mismatch`] when the digest differs.
///
/// # Example
///
/// ```
/// use cxgate::signing::{sign, verify, SignatureError};
///
/// let header = sign(b"channel-secret", b"");
/// assert_eq!(verify(b"channel-secret", b"", Some(&header)), Ok(()));
/// assert_eq!(verify(b"other-secret", b"", Some(&header)), Err(SignatureError::Mismatch));
/// assert_eq!(verify(b"channel-secret", b"", None), Err(SignatureError::Missing));
/// ```
pub fn verify(secret: &[u8], body: &[u8], header: Option<&str>) -> Result<(), SignatureError> {
    let header = header.ok_or(SignatureError::Missing)?;
    let expected = parse(header).ok_or_else(|| SignatureError::BadFormat {
        header: header.to_owned(),
    })?;
    mac(secret, body)
        .verify_slice(&expected)
        .map_err(|_| SignatureError::Mismatch)
}

/// The keyed MAC over `body`. HMAC accepts keys of any length, so this cannot fail.
fn mac(secret: &[u8], body: &[u8]) -> HmacSha1 {
    // `new_from_slice` only errs for fixed-length keys; HMAC hashes or pads any key, so
    // the error arm cannot run (hmac 0.12 always returns Ok here).
    let mut mac = HmacSha1::new_from_slice(secret)
        .unwrap_or_else(|_| unreachable!("HMAC accepts keys of any length"));
    mac.update(body);
    mac
}

/// `sha1=` + 40 hex digits (either case) -> the 20 digest bytes; anything else -> `None`.
fn parse(header: &str) -> Option<[u8; 20]> {
    let hex = header.strip_prefix(PREFIX)?.as_bytes();
    if hex.len() != HEX_LEN {
        return None;
    }
    let mut out = [0u8; 20];
    for (byte, pair) in out.iter_mut().zip(hex.chunks_exact(2)) {
        *byte = (hex_value(pair[0])? << 4) | hex_value(pair[1])?;
    }
    Some(out)
}

fn hex_digit(nibble: u8) -> char {
    char::from(b"0123456789abcdef"[usize::from(nibble & 0x0f)])
}

fn hex_value(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &[u8] = b"0123456789-channel-secret";
    const BODY: &[u8] = br#"{"channel":{"id":"0123456789","type":"sms","from":{"id":"0123456789"},"to":{"id":"16504661149"},"messageId":"1613474523265-0"},"type":"Text","text":"Agent message text"}"#;

    /// Hex digest without the `sha1=` prefix.
    fn digest_hex(key: &[u8], data: &[u8]) -> String {
        sign(key, data)
            .strip_prefix(PREFIX)
            .map(str::to_owned)
            .unwrap()
    }

    #[test]
    fn rfc_2202_hmac_sha1_test_vectors_all_match() {
        // RFC 2202 section 3, test cases 1-7: (key, data, digest).
        let cases: [(Vec<u8>, Vec<u8>, &str); 7] = [
            (
                vec![0x0b; 20],
                b"Hi There".to_vec(),
                "b617318655057264e28bc0b6fb378c8ef146be00",
            ),
            (
                b"Jefe".to_vec(),
                b"what do ya want for nothing?".to_vec(),
                "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79",
            ),
            (
                vec![0xaa; 20],
                vec![0xdd; 50],
                "125d7342b9ac11cd91a39af48aa17b4f63f175d3",
            ),
            (
                (0x01..=0x19).collect(),
                vec![0xcd; 50],
                "4c9007f4026250c6bc8414f9bf50c86c2d7235da",
            ),
            (
                vec![0x0c; 20],
                b"Test With Truncation".to_vec(),
                "4c1a03424b55e07fe7f27be1d58bb9324a9a5a04",
            ),
            (
                vec![0xaa; 80],
                b"Test Using Larger Than Block-Size Key - Hash Key First".to_vec(),
                "aa4ae5e15272d00e95705637ce8a3b55ed402112",
            ),
            (
                vec![0xaa; 80],
                b"Test Using Larger Than Block-Size Key and Larger Than One Block-Size Data"
                    .to_vec(),
                "e8e99d0f45237d786d6bbaa7965c7808bbff1a91",
            ),
        ];
        for (i, (key, data, want)) in cases.iter().enumerate() {
            assert_eq!(digest_hex(key, data), *want, "RFC 2202 test case {}", i + 1);
            assert_eq!(
                verify(key, data, Some(&format!("sha1={want}"))),
                Ok(()),
                "RFC 2202 test case {} verifies",
                i + 1
            );
        }
    }

    #[test]
    fn sign_produces_sha1_prefix_and_40_lower_case_hex_digits() {
        let header = sign(SECRET, BODY);

        let hex = header.strip_prefix("sha1=").unwrap();
        assert_eq!(hex.len(), 40);
        assert!(hex.bytes().all(|c| matches!(c, b'0'..=b'9' | b'a'..=b'f')));
    }

    #[test]
    fn signed_body_verifies_with_the_same_secret() {
        let header = sign(SECRET, BODY);

        assert_eq!(verify(SECRET, BODY, Some(&header)), Ok(()));
    }

    #[test]
    fn upper_case_hex_digits_are_accepted() {
        let header = format!("sha1={}", digest_hex(SECRET, BODY).to_uppercase());

        assert_eq!(verify(SECRET, BODY, Some(&header)), Ok(()));
    }

    #[test]
    fn wrong_secret_is_rejected_as_mismatch() {
        let header = sign(b"another-channel-secret", BODY);

        assert_eq!(
            verify(SECRET, BODY, Some(&header)),
            Err(SignatureError::Mismatch)
        );
    }

    #[test]
    fn body_changed_by_one_byte_is_rejected_as_mismatch() {
        let header = sign(SECRET, BODY);
        let mut tampered = BODY.to_vec();
        let last = tampered.len() - 3;
        tampered[last] ^= 0x01;

        assert_eq!(
            verify(SECRET, &tampered, Some(&header)),
            Err(SignatureError::Mismatch)
        );
    }

    #[test]
    fn same_json_re_serialised_with_other_whitespace_or_key_order_is_rejected() {
        let compact = br#"{"messageId":"1613474523265-0","status":"Delivered"}"#;
        let pretty = b"{\n  \"messageId\": \"1613474523265-0\",\n  \"status\": \"Delivered\"\n}";
        let reordered = br#"{"status":"Delivered","messageId":"1613474523265-0"}"#;
        let header = sign(SECRET, compact);

        assert_eq!(
            verify(SECRET, pretty, Some(&header)),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            verify(SECRET, reordered, Some(&header)),
            Err(SignatureError::Mismatch)
        );
    }

    #[test]
    fn missing_header_is_rejected_as_missing() {
        assert_eq!(verify(SECRET, BODY, None), Err(SignatureError::Missing));
    }

    #[test]
    fn header_without_sha1_prefix_is_rejected_as_bad_format() {
        let bare = digest_hex(SECRET, BODY);

        assert!(matches!(
            verify(SECRET, BODY, Some(&bare)),
            Err(SignatureError::BadFormat { .. })
        ));
    }

    #[test]
    fn upper_case_prefix_is_rejected_as_bad_format() {
        let header = format!("SHA1={}", digest_hex(SECRET, BODY));

        assert!(matches!(
            verify(SECRET, BODY, Some(&header)),
            Err(SignatureError::BadFormat { .. })
        ));
    }

    #[test]
    fn sha256_signature_is_rejected_as_bad_format() {
        let header = "sha256=3b1f5b8e4c2a9d7e6f0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60";

        assert!(matches!(
            verify(SECRET, BODY, Some(header)),
            Err(SignatureError::BadFormat { .. })
        ));
    }

    #[test]
    fn truncated_hex_is_rejected_as_bad_format() {
        let header = sign(SECRET, BODY);
        let truncated = &header[..header.len() - 1];

        assert_eq!(
            verify(SECRET, BODY, Some(truncated)),
            Err(SignatureError::BadFormat {
                header: truncated.to_owned()
            })
        );
    }

    #[test]
    fn non_hex_characters_are_rejected_as_bad_format() {
        let header = format!("sha1={}", "g".repeat(40));

        assert!(matches!(
            verify(SECRET, BODY, Some(&header)),
            Err(SignatureError::BadFormat { .. })
        ));
    }

    #[test]
    fn empty_body_signs_and_verifies_for_get_and_delete_on_media() {
        let header = sign(SECRET, b"");

        assert_eq!(verify(SECRET, b"", Some(&header)), Ok(()));
        assert_eq!(
            verify(SECRET, b"{}", Some(&header)),
            Err(SignatureError::Mismatch)
        );
    }

    #[test]
    fn error_messages_say_what_was_wrong_and_what_to_do() {
        let missing = SignatureError::Missing.to_string();
        let bad = SignatureError::BadFormat {
            header: "sha256=00".into(),
        }
        .to_string();
        let mismatch = SignatureError::Mismatch.to_string();

        assert!(missing.contains("missing") && missing.contains("sha1="));
        assert!(bad.contains("sha256=00") && bad.contains("40 hex digits"));
        assert!(mismatch.contains("does not match") && mismatch.contains("secret"));
    }
}
