//! What `/export/jobs...` (v10 4957-5461, v4 1447-1884 and 5860-6250) and
//! `/export/history...` (v10 4772-4955, v4 1281-1445 and 5696-5858) answer alike, for
//! the [`Record`] their routes carry (an `Extension`): the paged JobInfo list (204 when
//! the page is empty), one record, and deleting one or a list (`jobIDs`); and a run's
//! progress. Every `{id}` under `/export/history` is a history record id (map item 27),
//! and so are the `jobIDs` of its bulk delete (map item 26).

use axum::extract::RawQuery;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::{Extension, Json};

use super::filter::Filter;
use super::http::{id_of, partial, Answer, On, Segment, Store};
use super::query;
use super::store::Record;

/// `GET /export/jobs` and `GET /export/history`: the paged JobInfo list, 204 when the
/// page is empty.
pub async fn list(
    Extension(store): Store,
    Extension(row): On,
    Extension(record): Extension<Record>,
    RawQuery(raw): RawQuery,
) -> Answer {
    query::listing(raw, row.info_fields(), true, |form| {
        Ok(store.list(&Filter::read(record, form, row.v10)?, row.variant()))
    })
}

/// `GET /export/jobs/{id}` (JobInfo, or the Job shape on UDM v4, 6113-6116) and
/// `GET /export/history/{id}`.
pub async fn get(
    Extension(store): Store,
    Extension(row): On,
    Extension(record): Extension<Record>,
    path: Segment,
) -> Answer {
    let id = id_of(path, "ManualJob Not Found")?;
    let definition = row.get_job_as_definition;
    Ok(Json(store.get(record, id, row.variant(), definition)?).into_response())
}

/// `DELETE /export/jobs/{id}` and `DELETE /export/history/{id}`: 204; one in progress
/// is a 400 (1862, 1393).
pub async fn delete(
    Extension(store): Store,
    Extension(record): Extension<Record>,
    path: Segment,
) -> Answer {
    let id = id_of(path, record.unknown_on_delete())?;
    store.delete(record, id)?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `DELETE /export/jobs?jobIDs=1,2` and `DELETE /export/history?jobIDs=`.
pub async fn delete_many(
    Extension(store): Store,
    Extension(record): Extension<Record>,
    RawQuery(raw): RawQuery,
) -> Answer {
    let form = query::parse(raw.as_deref())?;
    let ids = query::ids(&form, "jobIDs")?;
    Ok(partial(store.delete_many(record, &ids)))
}

/// `GET /export/history/{id}/progress`: `{progress, status}`.
pub async fn progress(Extension(store): Store, path: Segment) -> Answer {
    let id = id_of(path, "Not Found")?;
    Ok(Json(store.progress(id)?).into_response())
}
