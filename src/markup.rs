//! Escaping text for markup: the HTML of the mock's sign-in form and the XML of the
//! JUnit report.

/// `text` with `&`, `<`, `>` and `"` as entities, `'` as `apostrophe`, and every other
/// character as `other` maps it.
pub fn escape(text: &str, apostrophe: &str, other: impl Fn(char) -> char) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str(apostrophe),
            c => out.push(other(c)),
        }
    }
    out
}
