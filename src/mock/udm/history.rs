//! `/export/history...` (v10 4772-4955, v4 1281-1445 and 5696-5858): the runs of jobs
//! ("history records"), listed, read, deleted (one or a list) and their progress.
//! Every `{id}` here is a history record id (map item 27), and so are the `jobIDs`
//! of the bulk delete (map item 26).

use std::sync::Arc;

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};

use super::fault::Fault;
use super::jobs::{id_of, partial};
use super::query;
use super::store::{RunFilter, UdmStore};
use super::Row;

type Answer = Result<Response, Fault>;

/// `GET /export/history`: the paged JobInfo list of runs, 204 when the page is empty.
pub async fn list(
    Extension(store): Extension<Arc<UdmStore>>,
    Extension(row): Extension<Row>,
    RawQuery(raw): RawQuery,
) -> Answer {
    let form = query::parse(raw.as_deref())?;
    let page = query::page(&form, row.info_fields())?;
    let filter = RunFilter {
        title: query::text(&form, "title"),
        file_name: query::text(&form, "fileName"),
        kind: query::text(&form, "type"),
        status: query::text(&form, "status"),
        job_id: if row.v10 {
            query::number(&form, "jobId")?
        } else {
            None
        },
        source: if row.v10 {
            query::text(&form, "source")
        } else {
            None
        },
    };
    Ok(query::answer(
        store.runs(&filter, row.variant()),
        &page,
        true,
    ))
}

/// `GET /export/history/{id}`.
pub async fn get(
    Extension(store): Extension<Arc<UdmStore>>,
    Extension(row): Extension<Row>,
    path: Result<Path<String>, PathRejection>,
) -> Answer {
    let id = id_of(path, "ManualJob Not Found")?;
    Ok(Json(store.run(id, row.variant())?).into_response())
}

/// `GET /export/history/{id}/progress`: `{progress, status}`.
pub async fn progress(
    Extension(store): Extension<Arc<UdmStore>>,
    path: Result<Path<String>, PathRejection>,
) -> Answer {
    let id = id_of(path, "Not Found")?;
    Ok(Json(store.progress(id)?).into_response())
}

/// `DELETE /export/history/{id}`: 204; a run in progress is a 400 (1393).
pub async fn delete(
    Extension(store): Extension<Arc<UdmStore>>,
    path: Result<Path<String>, PathRejection>,
) -> Answer {
    let id = id_of(path, "Not Found")?;
    store.delete_run(id)?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `DELETE /export/history?jobIDs=`.
pub async fn delete_many(
    Extension(store): Extension<Arc<UdmStore>>,
    RawQuery(raw): RawQuery,
) -> Answer {
    let form = query::parse(raw.as_deref())?;
    let ids = query::ids(&form, "jobIDs")?;
    Ok(partial(store.delete_runs(&ids)))
}
