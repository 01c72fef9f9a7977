//! The reference data (`/data/job-statuses`, `/data/sources`, `/data/types`,
//! `/data/sub-types`, v10 `/data/attributes` and `/resources/labels`), `/version`, and
//! the certificate (`GET /cipher`, `POST /cipher/{certificatefilename}`), all served
//! from the `[udm]` seed (v10 4561-4770, 5631-5688; v3 936-1094, 1257-1279).

use axum::body::Bytes;
use axum::extract::RawQuery;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use serde_json::{json, Map, Value};

use super::super::kernel::multipart::{file_part, PartError};
use super::fault::Fault;
use super::http::{bytes, segment, Answer, Body, Segment, Store};
use super::query;
use super::seed::KeyValue;

/// 200 with `items`, or 204 without a body when there are none.
fn array_or_204(items: Vec<Value>) -> Response {
    if items.is_empty() {
        StatusCode::NO_CONTENT.into_response()
    } else {
        Json(items).into_response()
    }
}

/// `GET /version`: `VersionInfo` (1263-1269).
pub async fn version(Extension(store): Store) -> Json<Value> {
    let v = &store.seed().version;
    Json(json!({
        "version": v.version,
        "buildNumber": v.build_number,
        "changeset": v.changeset,
        "name": v.name,
    }))
}

/// `[KeyValueItem]` (994-997).
fn key_values(items: &[KeyValue]) -> Vec<Value> {
    items
        .iter()
        .map(|kv| json!({ "label": kv.label, "value": kv.value }))
        .collect()
}

/// `GET /data/job-statuses`: `[KeyValueItem]` (993-997).
pub async fn job_statuses(Extension(store): Store) -> Json<Value> {
    Json(Value::Array(key_values(&store.seed().job_statuses)))
}

/// `GET /data/sources`: `[KeyValueItem]`, 204 when none (1015-1022).
pub async fn sources(Extension(store): Store) -> Response {
    array_or_204(key_values(&store.seed().sources))
}

/// `GET /data/types?source=`: `[DataType]` of that source, 204 when none (1079-1084).
pub async fn types(Extension(store): Store, RawQuery(raw): RawQuery) -> Answer {
    let form = query::parse(raw.as_deref())?;
    let source = form.get("source");
    Ok(array_or_204(
        store
            .seed()
            .types
            .iter()
            .filter(|t| source.is_none_or(|s| s == t.source))
            .map(|t| json!({ "name": t.name, "source": t.source }))
            .collect(),
    ))
}

/// `GET /data/sub-types?source=&dataType=`: `[SubType]` (1046-1053); an unknown source
/// or data type is a 400 (1055), no match a 204.
pub async fn sub_types(Extension(store): Store, RawQuery(raw): RawQuery) -> Answer {
    let form = query::parse(raw.as_deref())?;
    let seed = store.seed();
    let source = form.get("source");
    if let Some(source) = source {
        if !seed.has_source(source) {
            return Err(Fault::bad(
                "source",
                format!("source `{source}` is unknown"),
            ));
        }
    }
    let data_type = form.get("dataType");
    if let Some(data_type) = data_type {
        if !seed.types.iter().any(|t| t.name == data_type) {
            return Err(Fault::bad(
                "dataType",
                format!("dataType `{data_type}` is unknown"),
            ));
        }
    }
    Ok(array_or_204(
        seed.sub_types
            .iter()
            .filter(|s| source.is_none_or(|v| v == s.source))
            .filter(|s| data_type.is_none_or(|v| v == s.data_type))
            .map(|s| {
                json!({
                    "name": s.name,
                    "displayName": s.display_name,
                    "source": s.source,
                    "dataType": s.data_type,
                    "enabled": s.enabled,
                })
            })
            .collect(),
    ))
}

/// `GET /data/attributes?entities=a,b` (v10, 4627-4651): attribute names per entity,
/// only the entities named when `entities` is given.
pub async fn attributes(Extension(store): Store, RawQuery(raw): RawQuery) -> Answer {
    let form = query::parse(raw.as_deref())?;
    let wanted: Option<Vec<&str>> = form
        .get("entities")
        .map(|e| e.split(',').map(str::trim).collect());
    let map: Map<String, Value> = store
        .seed()
        .attributes
        .iter()
        .filter(|(entity, _)| wanted.as_ref().is_none_or(|w| w.contains(&entity.as_str())))
        .map(|(entity, names)| (entity.clone(), json!(names)))
        .collect();
    Ok(Json(Value::Object(map)).into_response())
}

/// `GET /resources/labels` (v10, 5631-5649): label key to text.
pub async fn labels(Extension(store): Store) -> Json<Value> {
    Json(json!(store.seed().labels))
}

/// `GET /cipher`: `CertificateInfo` (943-948); none uploaded yet is a 404.
pub async fn certificate(Extension(store): Store) -> Answer {
    store
        .certificate()
        .map(|info| Json(info).into_response())
        .ok_or_else(|| Fault::not_found("Certificate Not Found", "ccid", &store.seed().ccid))
}

/// `POST /cipher/{certificatefilename}`: multipart/form-data with a part `file` (4607);
/// 201 with a JSON string (973-974), 400 without it (975).
pub async fn upload(
    Extension(store): Store,
    path: Segment,
    headers: HeaderMap,
    body: Body,
) -> Answer {
    let name = segment(path, "certificatefilename")?;
    let size = file_part_size(&headers, bytes(body)?).await?;
    store.upload_certificate(&name, size);
    Ok((
        StatusCode::CREATED,
        Json(Value::String(format!("certificate {name} uploaded"))),
    )
        .into_response())
}

/// The size of the first part named `file` of a multipart body (4607).
async fn file_part_size(headers: &HeaderMap, body: Bytes) -> Result<usize, Fault> {
    let part = file_part(headers, body).await.map_err(|e| {
        let message = match e {
            PartError::NoBoundary => "Content-Type must be multipart/form-data with a boundary, carrying a `file` part (reference 4607)".to_owned(),
            PartError::Malformed(e) => format!("the multipart body is malformed: {e}"),
            PartError::NoFilePart => "the multipart body has no part named `file` (reference 4607)".to_owned(),
            PartError::FileMalformed(e) => format!("the `file` part is malformed: {e}"),
        };
        Fault::bad("file", message)
    })?;
    if part.bytes.is_empty() {
        return Err(Fault::bad("file", "the `file` part is empty"));
    }
    Ok(part.bytes.len())
}
