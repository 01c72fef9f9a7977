//! The Secure Email query rules (reference 2035-2042, 2183-2188, 2261,
//! 2320-2328; CATALOG section 8), each a 400 INVALID_PARAMETER naming the
//! parameter in `status.detail` when broken.
//!
//! The query string is parsed strictly ([`Form`]): a broken `%` escape or a
//! parameter given twice is a 400 too. An empty value counts as absent, so
//! `status=` means the default `all` and `remove=` the default `read`.
//! Unknown parameters are ignored.

use axum::response::Response;

use super::super::kernel::form::Form;
use super::envelope::invalid_parameter;

/// The parsed query string of a request (absent = empty).
pub fn parse(raw: Option<&str>) -> Result<Form, Response> {
    Form::parse(raw.unwrap_or("").as_bytes())
        .map_err(|why| invalid_parameter("query", format!("query string: {why}")))
}

/// True when `value` looks like an email address: `local@domain`, both parts
/// non-empty, one `@`, no whitespace or control characters.
pub fn is_address(value: &str) -> bool {
    let mut parts = value.split('@');
    let (Some(local), Some(domain), None) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    !local.is_empty()
        && !domain.is_empty()
        && !value.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// `address`: required on list and count (2035, 2183), an email address.
pub fn address(form: &Form) -> Result<String, Response> {
    let address = form.get("address").ok_or_else(|| {
        invalid_parameter(
            "address",
            "query parameter `address` is required: the email address of the consumer",
        )
    })?;
    if !is_address(address) {
        return Err(invalid_parameter(
            "address",
            format!("query parameter `address` is not an email address: `{address}`"),
        ));
    }
    Ok(address.to_owned())
}

/// Which emails a list or count takes (`status`, 2036, 2184).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusFilter {
    /// Only unread emails.
    Unread,
    /// Only read emails.
    Read,
    /// Both (the default).
    All,
}

impl StatusFilter {
    /// Whether an email whose read flag is `read` passes the filter.
    pub fn admits(self, read: bool) -> bool {
        match self {
            StatusFilter::Unread => !read,
            StatusFilter::Read => read,
            StatusFilter::All => true,
        }
    }
}

/// `status`: `unread`, `read` or `all`, default `all`.
pub fn status(form: &Form) -> Result<StatusFilter, Response> {
    match form.get("status") {
        None | Some("all") => Ok(StatusFilter::All),
        Some("unread") => Ok(StatusFilter::Unread),
        Some("read") => Ok(StatusFilter::Read),
        Some(other) => Err(invalid_parameter(
            "status",
            format!("query parameter `status` must be unread, read or all, not `{other}`"),
        )),
    }
}

/// A non-negative integer parameter (`index` default 0, `count` default 10;
/// 2037-2038): ASCII digits only, no sign.
pub fn non_negative(form: &Form, name: &str, default: usize) -> Result<usize, Response> {
    let Some(value) = form.get(name) else {
        return Ok(default);
    };
    let parsed = if value.bytes().all(|b| b.is_ascii_digit()) {
        value.parse::<usize>().ok()
    } else {
        None
    };
    parsed.ok_or_else(|| {
        invalid_parameter(
            name,
            format!("query parameter `{name}` must be a non-negative integer, not `{value}`"),
        )
    })
}

/// `securebox`: optional; 3 to 16 of A-Z, a-z, 0-9 (2039-2042, 2110, 2185-2188).
pub fn securebox(form: &Form) -> Result<Option<String>, Response> {
    let Some(value) = form.get("securebox") else {
        return Ok(None);
    };
    let valid = (3..=16).contains(&value.len()) && value.bytes().all(|b| b.is_ascii_alphanumeric());
    if valid {
        Ok(Some(value.to_owned()))
    } else {
        Err(invalid_parameter(
            "securebox",
            format!(
                "query parameter `securebox` must be 3 to 16 characters of A-Z, a-z and 0-9, not `{value}`"
            ),
        ))
    }
}

/// `read` on GET /securemail/{id} (2261): a boolean, default false.
pub fn read_flag(form: &Form) -> Result<bool, Response> {
    match form.get("read") {
        None | Some("false") => Ok(false),
        Some("true") => Ok(true),
        Some(other) => Err(invalid_parameter(
            "read",
            format!("query parameter `read` must be true or false, not `{other}`"),
        )),
    }
}

/// What DELETE /securemail/{id} does (`remove`, 2320-2328).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Removal {
    /// Mark read: `read` (the default, also when absent), or the deprecated
    /// `true` and `\` (printed so at 2325; CATALOG 10 item 51).
    Read,
    /// Mark deleted: hidden from list and count, still retrievable by id.
    Delete,
    /// Delete for good: unknown afterwards.
    Purge,
}

/// `remove`: read (default) | true | `\` | delete | purge.
pub fn removal(form: &Form) -> Result<Removal, Response> {
    match form.get("remove") {
        None | Some("read" | "true" | "\\") => Ok(Removal::Read),
        Some("delete") => Ok(Removal::Delete),
        Some("purge") => Ok(Removal::Purge),
        Some(other) => Err(invalid_parameter(
            "remove",
            format!("query parameter `remove` must be read, delete or purge (or the deprecated true or \\), not `{other}`"),
        )),
    }
}
