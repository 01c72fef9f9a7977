//! What only `/export/jobs...` answers (v10 4957-5461, v4 1447-1884 and 5860-6250):
//! create, update, cancel, suspend and resume export jobs; listing, reading and
//! deleting them are [`super::records`].

use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::{Extension, Json};
use serde_json::Value;

use super::definition::{parse_job, BodyRules};
use super::fault::{successful, Fault};
use super::http::{bytes, id_of, Answer, Body, On, Segment, Store};
use super::query::JOB_INFO_FIELDS;
use super::store::Variant;
use super::Row;

/// `POST /export/jobs`: 202 + JobInfo (1520, 5045).
pub async fn create(Extension(store): Store, Extension(row): On, body: Body) -> Answer {
    let rules = BodyRules {
        v10: row.v10,
        needs_type: row.v10,
    };
    let def = parse_job(&bytes(body)?, rules, store.seed(), store.now())?;
    let info = store.create(def, row.variant());
    Ok((StatusCode::ACCEPTED, Json(info)).into_response())
}

/// `PUT /export/jobs/{id}`: replaces a job that has not started; 200 + JobInfo.
pub async fn update(
    Extension(store): Store,
    Extension(row): On,
    path: Segment,
    body: Body,
) -> Answer {
    let id = id_of(path, "Job Not Found")?;
    let rules = BodyRules {
        v10: row.v10,
        needs_type: row.put_needs_type,
    };
    let def = parse_job(&bytes(body)?, rules, store.seed(), store.now())?;
    Ok(Json(store.update(id, def, row.variant())?).into_response())
}

/// `POST /export/jobs/cancel/{id}`: 200 without a body (1617).
pub async fn cancel(Extension(store): Store, path: Segment) -> Answer {
    let id = id_of(path, "Not Found")?;
    store.cancel(id)?;
    Ok(StatusCode::OK.into_response())
}

/// `POST /export/jobs/suspend/{id}`.
pub async fn suspend(Extension(store): Store, Extension(row): On, path: Segment) -> Answer {
    act(row, path, |id, variant| store.suspend(id, variant))
}

/// `POST /export/jobs/resume/{id}`.
pub async fn resume(Extension(store): Store, Extension(row): On, path: Segment) -> Answer {
    act(row, path, |id, variant| store.resume(id, variant))
}

/// Suspend or resume: `action` on the path's job, answered with JobInfo (v10 5179/5230,
/// CDDS v4 1646/1690) or the status envelope (UDM v4 6059/6087).
fn act(
    row: Row,
    path: Segment,
    action: impl FnOnce(u64, Variant) -> Result<Value, Fault>,
) -> Answer {
    let info = action(id_of(path, "Job Not Found")?, row.variant())?;
    Ok(if row.action_answers_status {
        successful()
    } else {
        Json(info).into_response()
    })
}

/// `orderField` values of JobInfo lists on `row`.
pub fn info_fields(v10: bool) -> &'static [&'static str] {
    if v10 {
        &JOB_INFO_FIELDS
    } else {
        &JOB_INFO_FIELDS[..15]
    }
}
