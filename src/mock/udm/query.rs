//! Query strings: the strict form reader of the kernel, paging (`from`, `size`,
//! `orderField`, `descAsc`; 1452-1460), the comma-separated id and file-name lists,
//! and the `PagedResponse` answer (1465-1472).

use std::cmp::Ordering;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use super::super::kernel::form::Form;
use super::definition::instant;
use super::fault::Fault;
use super::store::Ids;

/// `size` when none is sent (1460).
pub const DEFAULT_SIZE: usize = 999_999_999;
/// Names one `GET /files` may name (1152).
pub const MAX_FILES: usize = 100;

/// Field names of JobInfo (jobs and history may be ordered by any).
pub const JOB_INFO_FIELDS: [&str; 16] = [
    "id",
    "type",
    "source",
    "title",
    "fileSplitSize",
    "fileName",
    "fileSize",
    "status",
    "createdDate",
    "dateFrom",
    "dateTo",
    "description",
    "media",
    "progress",
    "parentId",
    "exportAttachments",
];

/// Field names of a file-metadata item.
pub const FILE_FIELDS: [&str; 8] = [
    "name",
    "type",
    "size",
    "uploadDate",
    "jobTitle",
    "jobId",
    "historyId",
    "source",
];

/// The query string as a form; a broken escape or a parameter given twice is a 400.
pub fn parse(raw: Option<&str>) -> Result<Form, Fault> {
    Form::parse(raw.unwrap_or("").as_bytes()).map_err(|why| Fault::bad("query", why))
}

/// An optional `true`/`false` parameter.
pub fn boolean(form: &Form, name: &str) -> Result<Option<bool>, Fault> {
    match form.get(name) {
        None => Ok(None),
        Some(v) if v.eq_ignore_ascii_case("true") => Ok(Some(true)),
        Some(v) if v.eq_ignore_ascii_case("false") => Ok(Some(false)),
        Some(v) => Err(Fault::bad(
            name,
            format!("{name} `{v}` is neither true nor false"),
        )),
    }
}

/// An optional whole-number parameter.
pub fn number(form: &Form, name: &str) -> Result<Option<u64>, Fault> {
    match form.get(name) {
        None => Ok(None),
        Some(v) => v
            .trim()
            .parse::<u64>()
            .map(Some)
            .map_err(|_| Fault::bad(name, format!("{name} `{v}` is not a whole number"))),
    }
}

/// An optional ISO-8601 date parameter, in ms.
pub fn date(form: &Form, name: &str) -> Result<Option<i64>, Fault> {
    form.get(name).map(|v| instant(name, v)).transpose()
}

/// An optional string parameter.
pub fn text(form: &Form, name: &str) -> Option<String> {
    form.get(name).map(str::to_owned)
}

/// The page asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    pub from: usize,
    pub size: usize,
    pub order: String,
    pub descending: bool,
}

/// `from` (≥ 0, default 0), `size` (≥ 1, default 999999999), `orderField` (one of
/// `fields`, default `id` or the first) and `descAsc` (`true` = descending, 1453).
pub fn page(form: &Form, fields: &[&str]) -> Result<Page, Fault> {
    let from = match form.get("from") {
        None => 0,
        Some(v) => v.trim().parse::<usize>().map_err(|_| {
            Fault::bad(
                "from",
                format!("from `{v}` is not a whole number of at least 0"),
            )
        })?,
    };
    let size = match form.get("size") {
        None => DEFAULT_SIZE,
        Some(v) => match v.trim().parse::<usize>() {
            Ok(n) if n >= 1 => n,
            _ => {
                return Err(Fault::bad(
                    "size",
                    format!("size `{v}` is not a whole number of at least 1"),
                ))
            }
        },
    };
    let default = if fields.contains(&"id") {
        "id"
    } else {
        fields.first().copied().unwrap_or("id")
    };
    let order = form.get("orderField").unwrap_or(default).to_owned();
    if !fields.contains(&order.as_str()) {
        return Err(Fault::bad(
            "orderField",
            format!("orderField `{order}` is none of {}", fields.join(", ")),
        ));
    }
    let descending = boolean(form, "descAsc")?.unwrap_or(false);
    Ok(Page {
        from,
        size,
        order,
        descending,
    })
}

fn compare(a: &Value, b: &Value) -> Ordering {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x
            .as_f64()
            .unwrap_or(0.0)
            .partial_cmp(&y.as_f64().unwrap_or(0.0))
            .unwrap_or(Ordering::Equal),
        (Value::String(x), Value::String(y)) => x.cmp(y),
        (Value::Bool(x), Value::Bool(y)) => x.cmp(y),
        _ => a.to_string().cmp(&b.to_string()),
    }
}

/// `items` (all matches, in id order) sorted and cut to `page`: `PagedResponse`
/// `{count: all matches, from, items, size: items on the page}`, or 204 without a body
/// when the page is empty and `empty_is_204`.
pub fn answer(mut items: Vec<Value>, page: &Page, empty_is_204: bool) -> Response {
    items.sort_by(|a, b| {
        let order = compare(&a[page.order.as_str()], &b[page.order.as_str()]);
        if page.descending {
            order.reverse()
        } else {
            order
        }
    });
    let count = items.len();
    let items: Vec<Value> = items.into_iter().skip(page.from).take(page.size).collect();
    if items.is_empty() && empty_is_204 {
        return StatusCode::NO_CONTENT.into_response();
    }
    Json(json!({ "count": count, "from": page.from, "items": items, "size": items.len() }))
        .into_response()
}

/// A list's answer: the query read, the page asked for (ordered by one of `fields`),
/// then what `items` finds for the query, as [`answer`] puts it.
pub fn listing(
    raw: Option<String>,
    fields: &[&str],
    empty_is_204: bool,
    items: impl FnOnce(&Form) -> Result<Vec<Value>, Fault>,
) -> Result<Response, Fault> {
    let form = parse(raw.as_deref())?;
    let page = page(&form, fields)?;
    Ok(answer(items(&form)?, &page, empty_is_204))
}

/// The comma-separated list of parameter `name` (required): each element trimmed, none
/// empty, duplicates dropped.
pub fn list(form: &Form, name: &str) -> Result<Vec<String>, Fault> {
    let raw = form
        .get(name)
        .ok_or_else(|| Fault::bad(name, format!("{name} is required: a comma-separated list")))?;
    let mut items: Vec<String> = Vec::new();
    for item in raw.split(',').map(str::trim) {
        if item.is_empty() {
            return Err(Fault::bad(name, format!("{name} has an empty element")));
        }
        if !items.iter().any(|i| i == item) {
            items.push(item.to_owned());
        }
    }
    Ok(items)
}

/// `jobIDs`: a list of whole numbers, kept as sent too.
pub fn ids(form: &Form, name: &str) -> Result<Ids, Fault> {
    list(form, name)?
        .into_iter()
        .map(|text| match text.parse::<u64>() {
            Ok(id) => Ok((text, id)),
            Err(_) => Err(Fault::bad(name, format!("{name}: `{text}` is not an id"))),
        })
        .collect()
}

/// A path id: a whole number, or 404 with `reason` (no such job can exist).
pub fn path_id(text: &str, reason: &str) -> Result<u64, Fault> {
    text.parse::<u64>()
        .map_err(|_| Fault::not_found(reason, "id", text))
}
