//! `/file-metadatas` and `/files...` (v10 5463-5629, v3 1096-1255 and 6418-6577): the
//! files runs produced, their pre-signed URLs (one `{path}`, or an array for several
//! names), the 303 to one of them, and deleting them; and the pre-signed URL itself,
//! `/__cxgate/udm/downloads/{token}`, which needs no API key.

use std::sync::Arc;

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use serde_json::{json, Value};

use super::fault::Fault;
use super::jobs::partial;
use super::query::{self, FILE_FIELDS, MAX_FILES};
use super::store::{Fetched, FileFilter, UdmStore};
use super::{Row, DOWNLOADS};

type Answer = Result<Response, Fault>;

/// `GET /file-metadatas`: paged; 200 even when empty (no 204 is documented, 1116-1135).
pub async fn metadatas(
    Extension(store): Extension<Arc<UdmStore>>,
    Extension(row): Extension<Row>,
    RawQuery(raw): RawQuery,
) -> Answer {
    let form = query::parse(raw.as_deref())?;
    let page = query::page(&form, &FILE_FIELDS)?;
    let from_ms = query::date(&form, "startDate")?;
    let to_ms = query::date(&form, "endDate")?;
    if let (Some(from), Some(to)) = (from_ms, to_ms) {
        if to < from {
            return Err(Fault::bad("endDate", "endDate is before startDate"));
        }
    }
    let filter = FileFilter {
        name: query::text(&form, "name"),
        job_title: query::text(&form, "jobTitle"),
        kind: query::text(&form, "type"),
        history_id: if row.v10 {
            query::number(&form, "historyId")?
        } else {
            None
        },
        source: if row.v10 {
            query::text(&form, "source")
        } else {
            None
        },
        from_ms,
        to_ms,
    };
    Ok(query::answer(store.files(&filter), &page, false))
}

/// The absolute pre-signed URL of `token`, on the host the request was sent to.
fn url(headers: &HeaderMap, token: &str) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("127.0.0.1");
    format!("http://{host}{DOWNLOADS}/{token}")
}

fn name_of(path: Result<Path<String>, PathRejection>) -> Result<String, Fault> {
    path.map(|Path(name)| name)
        .map_err(|_| Fault::bad("filename", "the path is not valid UTF-8"))
}

/// `GET /files?filename=a,b`: one name, `{path}` (1165-1168); several, `[{path}, ..]`;
/// any unknown name, 404 with `[{path: <name>}, ..]` of the unknown ones (1170-1173).
pub async fn presign(
    Extension(store): Extension<Arc<UdmStore>>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Answer {
    let form = query::parse(raw.as_deref())?;
    let names = query::list(&form, "filename")?;
    if names.len() > MAX_FILES {
        return Err(Fault::bad(
            "filename",
            format!(
                "filename names {} files; at most {MAX_FILES} (reference 1152)",
                names.len()
            ),
        ));
    }
    match store.presign(&names) {
        Ok(tokens) => {
            let mut paths: Vec<Value> = tokens
                .iter()
                .map(|token| json!({ "path": url(&headers, token) }))
                .collect();
            if paths.len() == 1 {
                Ok(Json(paths.remove(0)).into_response())
            } else {
                Ok(Json(paths).into_response())
            }
        }
        Err(unknown) => {
            let paths: Vec<Value> = unknown.iter().map(|n| json!({ "path": n })).collect();
            Ok((StatusCode::NOT_FOUND, Json(paths)).into_response())
        }
    }
}

/// `GET /files/{filename}`: 303 to the pre-signed URL (1221), no body.
pub async fn redirect(
    Extension(store): Extension<Arc<UdmStore>>,
    path: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
) -> Answer {
    let name = name_of(path)?;
    let tokens = store
        .presign(std::slice::from_ref(&name))
        .map_err(|_| Fault::not_found("File Not Found", "filename", &name))?;
    let token = tokens.first().cloned().unwrap_or_default();
    let location = HeaderValue::from_str(&url(&headers, &token))
        .map_err(|_| Fault::bad("Host", "the Host header cannot make a URL"))?;
    let mut response = StatusCode::SEE_OTHER.into_response();
    response.headers_mut().insert(header::LOCATION, location);
    Ok(response)
}

/// `DELETE /files/{filename}`: 204 (1245); an unknown name is a 404.
pub async fn delete(
    Extension(store): Extension<Arc<UdmStore>>,
    path: Result<Path<String>, PathRejection>,
) -> Answer {
    let name = name_of(path)?;
    if store.delete_file(&name) {
        Ok(StatusCode::NO_CONTENT.into_response())
    } else {
        Err(Fault::not_found("File Not Found", "filename", &name))
    }
}

/// `DELETE /files?filename=a,b`: 204, or 500 with the names not deleted (1188).
pub async fn delete_many(
    Extension(store): Extension<Arc<UdmStore>>,
    RawQuery(raw): RawQuery,
) -> Answer {
    let form = query::parse(raw.as_deref())?;
    let names = query::list(&form, "filename")?;
    Ok(partial(store.delete_files(&names)))
}

/// `GET /__cxgate/udm/downloads/{token}`: the file's bytes while the URL is young,
/// then 403 `{"message":"Request has expired"}`; an unknown token is a 404.
pub async fn download(
    Extension(store): Extension<Arc<UdmStore>>,
    path: Result<Path<String>, PathRejection>,
) -> Response {
    let token = path.map(|Path(t)| t).unwrap_or_default();
    match store.fetch(&token) {
        Fetched::File(name, content) => {
            let mut response = (StatusCode::OK, content).into_response();
            let headers = response.headers_mut();
            headers.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/csv; charset=utf-8"),
            );
            if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
                headers.insert(header::CONTENT_DISPOSITION, value);
            }
            response
        }
        Fetched::Expired => (
            StatusCode::FORBIDDEN,
            Json(json!({ "message": "Request has expired" })),
        )
            .into_response(),
        Fetched::Unknown => (
            StatusCode::NOT_FOUND,
            Json(json!({ "message": "Not Found" })),
        )
            .into_response(),
    }
}
