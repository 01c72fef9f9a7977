//! Redaction of secrets (API key, client secret, passwords, tokens, codes) from report text.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};

/// Text that must never appear in a report; shared by the run, grows as tokens are issued.
#[derive(Debug, Clone, Default)]
pub struct Redactor {
    secrets: Arc<Mutex<BTreeSet<String>>>,
}

const MASK: &str = "[REDACTED]";

impl Redactor {
    /// A redactor that knows no secret yet.
    pub fn new() -> Redactor {
        Redactor::default()
    }

    /// Adds a secret; strings shorter than 4 characters are ignored (they would mask
    /// ordinary words).
    pub fn add(&self, secret: &str) {
        if secret.len() >= 4 {
            let mut set = self.secrets.lock().unwrap_or_else(|p| p.into_inner());
            set.insert(secret.to_string());
            // A form body or a query carries it percent-encoded. Basic credentials travel
            // base64-encoded; those forms are added by callers.
            let encoded: String = url::form_urlencoded::byte_serialize(secret.as_bytes()).collect();
            if encoded != secret {
                set.insert(encoded);
            }
        }
    }

    /// Replaces every known secret, and every value after `Bearer `/`Basic `, by a mask.
    pub fn redact(&self, text: &str) -> String {
        let out = self.redact_known(text);
        mask_after_scheme(&out, "Bearer ")
            .pipe(|s| mask_after_scheme(&s, "bearer "))
            .pipe(|s| mask_after_scheme(&s, "Basic "))
    }

    /// Replaces every known secret by a mask, and nothing else: for text written by hand,
    /// such as a scenario's name, where `bearer token` is prose, not a credential.
    pub fn redact_known(&self, text: &str) -> String {
        let mut out = text.to_string();
        let set = self.secrets.lock().unwrap_or_else(|p| p.into_inner());
        // Longest first, so a secret that contains another is masked whole.
        let mut secrets: Vec<&String> = set.iter().collect();
        secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
        for secret in secrets {
            if out.contains(secret.as_str()) {
                out = out.replace(secret.as_str(), MASK);
            }
        }
        out
    }
}

trait Pipe: Sized {
    fn pipe<T>(self, f: impl FnOnce(Self) -> T) -> T {
        f(self)
    }
}
impl Pipe for String {}

fn mask_after_scheme(text: &str, scheme: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find(scheme) {
        let (head, tail) = rest.split_at(i + scheme.len());
        out.push_str(head);
        let end = tail
            .find(|c: char| c.is_whitespace() || c == '"' || c == '\'' || c == ',')
            .unwrap_or(tail.len());
        if end > 0 && !tail[..end].starts_with('[') {
            out.push_str(MASK);
        } else {
            out.push_str(&tail[..end]);
        }
        rest = &tail[end..];
    }
    out.push_str(rest);
    out
}

/// JSON keys whose string values a target issues as credentials.
const TOKEN_KEYS: &[&str] = &[
    "access_token",
    "accesstoken",
    "refresh_token",
    "refreshtoken",
    "id_token",
    "idtoken",
    "token",
];

/// Query or fragment parameters of a redirect that carry a credential.
const REDIRECT_KEYS: &[&str] = &["code", "access_token", "refresh_token", "id_token", "token"];

/// The values a target issued in one answer that act as credentials, so that a report
/// quoting the answer never shows them: tokens anywhere in a JSON body, a code or token
/// in the `Location` query or fragment, and every cookie value.
pub fn issued_secrets(headers: &[(String, String)], body: &[u8]) -> Vec<String> {
    let mut found = Vec::new();
    if let Ok(json) = serde_json::from_slice::<serde_json::Value>(body) {
        tokens_in(&json, &mut found);
    }
    for (name, value) in headers {
        if name.eq_ignore_ascii_case("location") {
            let parts = value.split(['?', '#']).skip(1);
            for part in parts {
                for (key, value) in url::form_urlencoded::parse(part.as_bytes()) {
                    if REDIRECT_KEYS.contains(&key.as_ref()) {
                        found.push(value.into_owned());
                    }
                }
            }
        } else if name.eq_ignore_ascii_case("set-cookie") {
            let pair = value.split(';').next().unwrap_or_default();
            if let Some((_, cookie)) = pair.split_once('=') {
                found.push(cookie.trim().to_owned());
            }
        }
    }
    found
}

fn tokens_in(value: &serde_json::Value, found: &mut Vec<String>) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, value) in map {
                match value {
                    serde_json::Value::String(text)
                        if TOKEN_KEYS.contains(&key.to_ascii_lowercase().as_str()) =>
                    {
                        found.push(text.clone())
                    }
                    other => tokens_in(other, found),
                }
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|item| tokens_in(item, found)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_secrets_are_masked_longest_first() {
        let r = Redactor::new();
        r.add("agent1-password");
        r.add("password");
        assert_eq!(r.redact("pw=agent1-password"), "pw=[REDACTED]");
    }

    #[test]
    fn values_after_bearer_and_basic_are_masked() {
        let r = Redactor::new();
        assert_eq!(
            r.redact("Authorization: Bearer abc.def and Basic Zm9vOmJhcg== done"),
            "Authorization: Bearer [REDACTED] and Basic [REDACTED] done"
        );
    }

    #[test]
    fn hand_written_text_keeps_its_words_after_bearer_but_not_its_secrets() {
        let r = Redactor::new();
        r.add("agent1-password");
        assert_eq!(
            r.redact_known("a bearer token for agent1-password"),
            "a bearer token for [REDACTED]"
        );
    }

    #[test]
    fn a_secret_is_masked_percent_encoded_too() {
        let r = Redactor::new();
        r.add("p@ss word&1");
        assert_eq!(
            r.redact("password=p%40ss+word%261&scope=*"),
            "password=[REDACTED]&scope=*"
        );
    }

    #[test]
    fn short_strings_are_not_treated_as_secrets() {
        let r = Redactor::new();
        r.add("ab");
        assert_eq!(r.redact("abc"), "abc");
    }

    #[test]
    fn tokens_codes_and_cookies_a_target_issued_are_found() {
        let headers = vec![
            (
                "Location".to_string(),
                "https://app/cb?code=c0de-1234&state=s#access_token=frag-tok".to_string(),
            ),
            (
                "set-cookie".to_string(),
                "SESSION=cookie-val; Path=/".to_string(),
            ),
            ("Content-Type".to_string(), "application/json".to_string()),
        ];
        let body = br#"{"access_token":"at-1","data":{"refreshToken":"rt-2"},"expires_in":"60","status":{"code":"INVALID"}}"#;
        let mut found = issued_secrets(&headers, body);
        found.sort();
        assert_eq!(
            found,
            ["at-1", "c0de-1234", "cookie-val", "frag-tok", "rt-2"]
        );
    }
}
