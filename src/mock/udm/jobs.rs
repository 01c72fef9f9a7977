//! `/export/jobs...` (v10 4957-5461, v4 1447-1884 and 5860-6250): create, list, get,
//! update, delete (one or a list), cancel, suspend and resume export jobs.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::{Path, RawQuery};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};

use super::definition::{parse_job, BodyRules};
use super::fault::{successful, Fault};
use super::query::{self, JOB_INFO_FIELDS};
use super::store::{JobFilter, UdmStore};
use super::Row;

type Answer = Result<Response, Fault>;

/// The path's `{id}`, a job id.
pub fn id_of(path: Result<Path<String>, PathRejection>, reason: &str) -> Result<u64, Fault> {
    let Path(text) = path.map_err(|_| Fault::bad("id", "the path is not valid UTF-8"))?;
    query::path_id(&text, reason)
}

/// The request body, or a 400.
pub fn bytes(body: Result<Bytes, BytesRejection>) -> Result<Bytes, Fault> {
    body.map_err(|e| Fault::bad("body", format!("the body could not be read: {e}")))
}

/// `POST /export/jobs`: 202 + JobInfo (1520, 5045).
pub async fn create(
    Extension(store): Extension<Arc<UdmStore>>,
    Extension(row): Extension<Row>,
    body: Result<Bytes, BytesRejection>,
) -> Answer {
    let rules = BodyRules {
        v10: row.v10,
        needs_type: row.v10,
    };
    let def = parse_job(&bytes(body)?, rules, store.seed(), store.now())?;
    let info = store.create(def, row.variant());
    Ok((StatusCode::ACCEPTED, Json(info)).into_response())
}

/// `GET /export/jobs`: the paged JobInfo list, 204 when the page is empty.
pub async fn list(
    Extension(store): Extension<Arc<UdmStore>>,
    Extension(row): Extension<Row>,
    RawQuery(raw): RawQuery,
) -> Answer {
    let form = query::parse(raw.as_deref())?;
    let page = query::page(&form, row.info_fields())?;
    let schedule_type = query::text(&form, "scheduleType");
    if let Some(kind) = &schedule_type {
        if !["immediately", "cron", "startDate"].contains(&kind.as_str()) {
            return Err(Fault::bad(
                "scheduleType",
                format!("scheduleType `{kind}` is none of immediately, cron, startDate"),
            ));
        }
    }
    let filter = JobFilter {
        title: query::text(&form, "title"),
        kind: query::text(&form, "type"),
        source: if row.v10 {
            query::text(&form, "source")
        } else {
            None
        },
        suspend: query::boolean(&form, "suspend")?,
        schedule_type,
    };
    Ok(query::answer(
        store.jobs(&filter, row.variant()),
        &page,
        true,
    ))
}

/// `GET /export/jobs/{id}`: JobInfo, or the Job shape on UDM v4 (6113-6116).
pub async fn get(
    Extension(store): Extension<Arc<UdmStore>>,
    Extension(row): Extension<Row>,
    path: Result<Path<String>, PathRejection>,
) -> Answer {
    let id = id_of(path, "ManualJob Not Found")?;
    Ok(Json(store.job(id, row.variant(), row.get_job_as_definition)?).into_response())
}

/// `PUT /export/jobs/{id}`: replaces a job that has not started; 200 + JobInfo.
pub async fn update(
    Extension(store): Extension<Arc<UdmStore>>,
    Extension(row): Extension<Row>,
    path: Result<Path<String>, PathRejection>,
    body: Result<Bytes, BytesRejection>,
) -> Answer {
    let id = id_of(path, "Job Not Found")?;
    let rules = BodyRules {
        v10: row.v10,
        needs_type: row.put_needs_type,
    };
    let def = parse_job(&bytes(body)?, rules, store.seed(), store.now())?;
    Ok(Json(store.update(id, def, row.variant())?).into_response())
}

/// `DELETE /export/jobs/{id}`: 204; a job in progress is a 400 (1862).
pub async fn delete(
    Extension(store): Extension<Arc<UdmStore>>,
    path: Result<Path<String>, PathRejection>,
) -> Answer {
    let id = id_of(path, "Job Not Found")?;
    store.delete_job(id)?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// 204 when every item went, else 500 with the JSON array of those that did not
/// (1582, 1323, 1188).
pub fn partial(not_deleted: Vec<String>) -> Response {
    if not_deleted.is_empty() {
        StatusCode::NO_CONTENT.into_response()
    } else {
        (StatusCode::INTERNAL_SERVER_ERROR, Json(not_deleted)).into_response()
    }
}

/// `DELETE /export/jobs?jobIDs=1,2`.
pub async fn delete_many(
    Extension(store): Extension<Arc<UdmStore>>,
    RawQuery(raw): RawQuery,
) -> Answer {
    let form = query::parse(raw.as_deref())?;
    let ids = query::ids(&form, "jobIDs")?;
    Ok(partial(store.delete_jobs(&ids)))
}

/// `POST /export/jobs/cancel/{id}`: 200 without a body (1617).
pub async fn cancel(
    Extension(store): Extension<Arc<UdmStore>>,
    path: Result<Path<String>, PathRejection>,
) -> Answer {
    let id = id_of(path, "Not Found")?;
    store.cancel(id)?;
    Ok(StatusCode::OK.into_response())
}

/// `POST /export/jobs/suspend/{id}`.
pub async fn suspend(
    Extension(store): Extension<Arc<UdmStore>>,
    Extension(row): Extension<Row>,
    path: Result<Path<String>, PathRejection>,
) -> Answer {
    let id = id_of(path, "Job Not Found")?;
    let info = store.suspend(id, row.variant())?;
    Ok(action_answer(row, info))
}

/// `POST /export/jobs/resume/{id}`.
pub async fn resume(
    Extension(store): Extension<Arc<UdmStore>>,
    Extension(row): Extension<Row>,
    path: Result<Path<String>, PathRejection>,
) -> Answer {
    let id = id_of(path, "Job Not Found")?;
    let info = store.resume(id, row.variant())?;
    Ok(action_answer(row, info))
}

/// JobInfo (v10 5179/5230, CDDS v4 1646/1690) or the status envelope (UDM v4 6059/6087).
fn action_answer(row: Row, info: serde_json::Value) -> Response {
    if row.action_answers_status {
        successful()
    } else {
        Json(info).into_response()
    }
}

/// `orderField` values of JobInfo lists on `row`.
pub fn info_fields(v10: bool) -> &'static [&'static str] {
    if v10 {
        &JOB_INFO_FIELDS
    } else {
        &JOB_INFO_FIELDS[..15]
    }
}
