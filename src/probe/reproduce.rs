//! The one-line `curl` that sends a case again (the caller redacts it: the key, tokens
//! and Basic credentials never show).

use crate::client::RequestSpec;

/// The largest body written into the line; a longer one is named by its size.
const SHOWN_BODY: usize = 1024;

/// Quotes `text` for a shell on one line: `'...'`, or `$'...'` with `\r`, `\n` and
/// `\t` escaped when it holds a line break or a tab (bash, zsh, ksh).
fn quote(text: &str) -> String {
    if text.contains(['\n', '\r', '\t']) {
        let escaped = text
            .replace('\\', "\\\\")
            .replace('\'', "\\'")
            .replace('\r', "\\r")
            .replace('\n', "\\n")
            .replace('\t', "\\t");
        format!("$'{escaped}'")
    } else {
        format!("'{}'", text.replace('\'', "'\\''"))
    }
}

/// `curl -sS -i -X METHOD 'URL' -H '...' --data-binary '...'` for `spec` sent to `url`.
pub fn curl(url: &str, spec: &RequestSpec) -> String {
    let mut line = format!("curl -sS -i -X {} {}", spec.method, quote(url));
    for (name, value) in &spec.headers {
        line.push_str(" -H ");
        line.push_str(&quote(&format!("{name}: {value}")));
    }
    if let Some(body) = &spec.body {
        match std::str::from_utf8(body) {
            Ok(text) if body.len() <= SHOWN_BODY => {
                line.push_str(" --data-binary ");
                line.push_str(&quote(text));
            }
            _ => {
                let start =
                    String::from_utf8_lossy(&body[..body.len().min(60)]).replace('\n', "\\n");
                line.push_str(&format!(
                    " --data-binary @body.bin  # body.bin: the {} bytes of the body, starting {}",
                    body.len(),
                    quote(&start)
                ));
            }
        }
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_quotes_headers_and_body_for_a_shell() {
        let spec = RequestSpec {
            method: "POST".into(),
            path: "/x".into(),
            headers: vec![("content-type".into(), "application/json".into())],
            body: Some(br#"{"a":"it's"}"#.to_vec()),
            ..RequestSpec::default()
        };
        let line = curl("http://127.0.0.1:1/x?q=%zz", &spec);
        assert_eq!(
            line,
            r#"curl -sS -i -X POST 'http://127.0.0.1:1/x?q=%zz' -H 'content-type: application/json' --data-binary '{"a":"it'\''s"}'"#
        );
        let words = shlex::split(&line).unwrap();
        assert_eq!(words.last().unwrap(), r#"{"a":"it's"}"#);
    }

    #[test]
    fn a_large_body_is_named_by_its_size() {
        let spec = RequestSpec {
            method: "PUT".into(),
            body: Some(vec![b'x'; 5000]),
            ..RequestSpec::default()
        };
        assert!(curl("http://h/", &spec).contains("the 5000 bytes"));
    }
}
