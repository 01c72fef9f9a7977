//! `/file-metadatas` and `/files...` (v10 5463-5629, v3 1096-1255 and 6418-6577): the
//! files runs produced, their pre-signed URLs (one `{path}`, or an array for several
//! names), the 303 to one of them, and deleting them; and the pre-signed URL itself,
//! `/__cxgate/udm/downloads/{token}`, which needs no API key.

use axum::extract::RawQuery;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use serde_json::{json, Value};

use super::fault::Fault;
use super::filter::FileFilter;
use super::http::{partial, segment, Answer, On, Segment, Store};
use super::query::{self, FILE_FIELDS, MAX_FILES};
use super::store::Fetched;
use super::DOWNLOADS;

/// `GET /file-metadatas`: paged; 200 even when empty (no 204 is documented, 1116-1135).
pub async fn metadatas(
    Extension(store): Store,
    Extension(row): On,
    RawQuery(raw): RawQuery,
) -> Answer {
    query::listing(raw, &FILE_FIELDS, false, |form| {
        Ok(store.files(&FileFilter::read(form, row.v10)?))
    })
}

/// The absolute pre-signed URL of `token`, on the host the request was sent to.
fn url(headers: &HeaderMap, token: &str) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("127.0.0.1");
    format!("http://{host}{DOWNLOADS}/{token}")
}

/// `GET /files?filename=a,b`: one name, `{path}` (1165-1168); several, `[{path}, ..]`;
/// any unknown name, 404 with `[{path: <name>}, ..]` of the unknown ones (1170-1173).
pub async fn presign(
    Extension(store): Store,
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
pub async fn redirect(Extension(store): Store, path: Segment, headers: HeaderMap) -> Answer {
    let name = segment(path, "filename")?;
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
pub async fn delete(Extension(store): Store, path: Segment) -> Answer {
    let name = segment(path, "filename")?;
    if store.delete_file(&name) {
        Ok(StatusCode::NO_CONTENT.into_response())
    } else {
        Err(Fault::not_found("File Not Found", "filename", &name))
    }
}

/// `DELETE /files?filename=a,b`: 204, or 500 with the names not deleted (1188).
pub async fn delete_many(Extension(store): Store, RawQuery(raw): RawQuery) -> Answer {
    let form = query::parse(raw.as_deref())?;
    let names = query::list(&form, "filename")?;
    Ok(partial(store.delete_files(&names)))
}

/// `GET /__cxgate/udm/downloads/{token}`: the file's bytes while the URL is young,
/// then 403 `{"message":"Request has expired"}`; an unknown token is a 404.
pub async fn download(Extension(store): Store, path: Segment) -> Response {
    let token = segment(path, "token").unwrap_or_default();
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
