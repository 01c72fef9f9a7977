//! Strict `application/x-www-form-urlencoded` parsing, for bodies and query strings.
//!
//! Stricter than `url::form_urlencoded::parse`, which never fails: a broken
//! percent escape, bytes that are not UTF-8 after decoding, or a parameter sent
//! twice (RFC 6749 section 3.1: "MUST NOT be included more than once") are
//! errors, so the handlers can answer the documented 400 instead of guessing.

use std::borrow::Cow;
use std::collections::HashMap;

use percent_encoding::percent_decode;

/// A parsed form: each name at most once.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Form {
    fields: HashMap<String, String, foldhash::fast::RandomState>,
}

impl Form {
    /// Parses `input` (a body or a query string without the `?`).
    ///
    /// The error is a sentence fit for an `error_description`.
    pub fn parse(input: &[u8]) -> Result<Form, String> {
        let mut fields = HashMap::default();
        for pair in input.split(|b| *b == b'&') {
            if pair.is_empty() {
                continue;
            }
            let (name, value) = match pair.iter().position(|b| *b == b'=') {
                Some(i) => (&pair[..i], &pair[i + 1..]),
                None => (pair, &pair[pair.len()..]),
            };
            let name = decode(name)?;
            let value = decode(value)?;
            if name.is_empty() {
                return Err("form has a parameter with an empty name".to_owned());
            }
            if fields.contains_key(&name) {
                return Err(format!("parameter `{name}` is given more than once"));
            }
            fields.insert(name, value);
        }
        Ok(Form { fields })
    }

    /// The value of `name`; an empty value counts as absent (RFC 6749 section
    /// 3.1: "Parameters sent without a value MUST be treated as if they were
    /// omitted").
    pub fn get(&self, name: &str) -> Option<&str> {
        self.fields
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }
}

fn decode(raw: &[u8]) -> Result<String, String> {
    let mut bytes = raw.iter();
    while let Some(b) = bytes.next() {
        if *b == b'%' {
            let hex = (bytes.next(), bytes.next());
            let ok =
                matches!(hex, (Some(h), Some(l)) if h.is_ascii_hexdigit() && l.is_ascii_hexdigit());
            if !ok {
                return Err("form has a broken percent escape".to_owned());
            }
        }
    }
    let plus_as_space: Cow<[u8]> = if raw.contains(&b'+') {
        raw.iter()
            .map(|b| if *b == b'+' { b' ' } else { *b })
            .collect()
    } else {
        Cow::Borrowed(raw)
    };
    percent_decode(&plus_as_space)
        .decode_utf8()
        .map(|s| s.into_owned())
        .map_err(|_| "form is not valid UTF-8 after percent-decoding".to_owned())
}

/// Percent-encodes `value` for a query string or fragment component.
pub fn encode(value: &str) -> String {
    url::form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // tests may panic
mod tests {
    use super::*;

    #[test]
    fn form_decodes_plus_and_percent_escapes() {
        let form = Form::parse(b"username=tenant1%5Cagent1&state=a+b&empty=").unwrap();
        assert_eq!(form.get("username"), Some("tenant1\\agent1"));
        assert_eq!(form.get("state"), Some("a b"));
        assert_eq!(form.get("empty"), None);
    }

    #[test]
    fn form_rejects_a_broken_escape_invalid_utf8_and_duplicates() {
        assert!(Form::parse(b"a=%zz").is_err());
        assert!(Form::parse(b"a=%2").is_err());
        assert!(Form::parse(b"a=%ff").is_err());
        assert!(Form::parse(b"a=1&a=2").is_err());
    }
}
