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
            // Basic credentials travel base64-encoded; encoded forms are added by callers.
        }
    }

    /// Replaces every known secret, and every value after `Bearer `/`Basic `, by a mask.
    pub fn redact(&self, text: &str) -> String {
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
        mask_after_scheme(&out, "Bearer ")
            .pipe(|s| mask_after_scheme(&s, "bearer "))
            .pipe(|s| mask_after_scheme(&s, "Basic "))
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
    fn short_strings_are_not_treated_as_secrets() {
        let r = Redactor::new();
        r.add("ab");
        assert_eq!(r.redact("abc"), "abc");
    }
}
