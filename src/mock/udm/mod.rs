//! User Data Management (UDM v10, v4, v3; reference 4520-6600) and the Cloud Data
//! Download Service (CDDS v4, v3; 897-1884): one implementation of 28 operation shapes
//! on five base paths, 80 endpoints in all, with one store ([`store::UdmStore`]) that
//! every base path shares (a legacy client mixes `/v4/export` with `/v3/files`, map
//! section 0). What differs between the base paths is the table [`SURFACES`].
//!
//! Every request passes the gateway's `x-api-key` first (403 `{"message":"Forbidden"}`,
//! 322 and 400-405); v10 wants a bearer token on 26 of its 28 shapes (not `/version`,
//! 5659, nor `/resources/labels`, which has no parameter table, 5631-5649), else the
//! OAuth 401 (394). The family's own 4xx are the intro's status envelope with a
//! `detail` object ([`fault`]); unknown paths and methods get the kernel's status
//! envelope 404/405.
//!
//! Export runs progress on the one mock clock, evaluated when the store is read; the
//! control plane (`/__cxgate/udm/...`) completes or fails a run now and serves the
//! pre-signed download URLs.

use std::sync::Arc;

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Json, Router};

use super::api::{Family, Surface};
use super::kernel::caller;
use super::kernel::envelope::Envelope;
use super::kernel::identity::MockState;
use super::kernel::Kernel;

mod data;
mod definition;
mod fault;
mod files;
mod filter;
mod http;
mod jobs;
mod query;
mod records;
mod schedule;
pub mod seed;
mod store;

use store::{ControlRefusal, Record, UdmStore, Variant};
#[cfg(test)]
pub(super) use store::{CATCH_UP_CAP, MAX_RUNS_PER_JOB};

/// Where the pre-signed download URLs live (under the control plane, no API key).
pub const DOWNLOADS: &str = "/__cxgate/udm/downloads";

/// What differs between the base paths.
#[derive(Debug)]
pub struct Differs {
    /// The 14 `/export/...` shapes.
    pub export: bool,
    /// The 12 others: `/cipher`, `/data/...`, `/file-metadatas`, `/files...`, `/version`.
    pub rest: bool,
    /// v10: `/data/attributes` and `/resources/labels`; a bearer on 26 shapes;
    /// `suspended` a boolean and a top-level `type` on POST; `exportAttachments`; the
    /// `source`, `jobId` and `historyId` filters.
    pub v10: bool,
    /// PUT requires the top-level `type` (v10 5361, UDM v4 6159; not CDDS v4).
    pub put_needs_type: bool,
    /// GET job answers the Job shape with a string `id` (UDM v4 6113-6116), not JobInfo.
    pub get_job_as_definition: bool,
    /// Suspend and resume answer the status envelope (UDM v4 6059, 6087), not JobInfo.
    pub action_answers_status: bool,
}

/// A base path's row, as handlers get it (an `Extension`).
pub type Row = &'static Differs;

impl Differs {
    /// A legacy base path with no operation group: each row of [`SURFACES`] names what
    /// it has on top.
    const LEGACY: Differs = Differs {
        export: false,
        rest: false,
        v10: false,
        put_needs_type: false,
        get_job_as_definition: false,
        action_answers_status: false,
    };

    /// The JobInfo variant of this base path.
    pub fn variant(&self) -> Variant {
        if self.v10 {
            Variant::V10
        } else {
            Variant::V4
        }
    }

    /// The `orderField` values of JobInfo lists.
    pub fn info_fields(&self) -> &'static [&'static str] {
        jobs::info_fields(self.v10)
    }
}

/// The five base paths and what differs there.
pub static SURFACES: [Surface<Differs>; 5] = [
    Surface {
        prefix: "/udm/v10",
        differs: Differs {
            export: true,
            rest: true,
            v10: true,
            put_needs_type: true,
            ..Differs::LEGACY
        },
    },
    Surface {
        prefix: "/udm/v4",
        differs: Differs {
            export: true,
            put_needs_type: true,
            get_job_as_definition: true,
            action_answers_status: true,
            ..Differs::LEGACY
        },
    },
    Surface {
        prefix: "/udm/v3",
        differs: Differs {
            rest: true,
            ..Differs::LEGACY
        },
    },
    Surface {
        prefix: "/data-download/v4",
        differs: Differs {
            export: true,
            ..Differs::LEGACY
        },
    },
    Surface {
        prefix: "/data-download/v3",
        differs: Differs {
            rest: true,
            ..Differs::LEGACY
        },
    },
];

/// The bearer check of v10: the kernel's caller or its OAuth 401.
async fn require_bearer(
    State(state): State<Arc<MockState>>,
    request: Request,
    next: Next,
) -> Response {
    match caller::caller(&state, request.headers()) {
        Ok(_) => next.run(request).await,
        Err(unauthorized) => unauthorized,
    }
}

/// The routes of one base path, relative to its prefix.
fn routes(row: Row, state: &Arc<MockState>) -> Router<Arc<MockState>> {
    let mut guarded = Router::new();
    let mut open = Router::new();
    if row.export {
        let jobs = Router::new()
            .route(
                "/export/jobs",
                get(records::list)
                    .post(jobs::create)
                    .delete(records::delete_many),
            )
            .route(
                "/export/jobs/{id}",
                get(records::get).put(jobs::update).delete(records::delete),
            )
            .route("/export/jobs/cancel/{id}", post(jobs::cancel))
            .route("/export/jobs/suspend/{id}", post(jobs::suspend))
            .route("/export/jobs/resume/{id}", post(jobs::resume))
            .layer(Extension(Record::Job));
        let history = Router::new()
            .route(
                "/export/history",
                get(records::list).delete(records::delete_many),
            )
            .route(
                "/export/history/{id}",
                get(records::get).delete(records::delete),
            )
            .route("/export/history/{id}/progress", get(records::progress))
            .layer(Extension(Record::Run));
        guarded = guarded.merge(jobs).merge(history);
    }
    if row.rest {
        guarded = guarded
            .route("/cipher", get(data::certificate))
            .route("/cipher/{certificatefilename}", post(data::upload))
            .route("/data/job-statuses", get(data::job_statuses))
            .route("/data/sources", get(data::sources))
            .route("/data/types", get(data::types))
            .route("/data/sub-types", get(data::sub_types))
            .route("/file-metadatas", get(files::metadatas))
            .route("/files", get(files::presign).delete(files::delete_many))
            .route(
                "/files/{filename}",
                get(files::redirect).delete(files::delete),
            );
        open = open.route("/version", get(data::version));
    }
    if row.v10 {
        guarded = guarded
            .route("/data/attributes", get(data::attributes))
            .route_layer(middleware::from_fn_with_state(
                state.clone(),
                require_bearer,
            ));
        open = open.route("/resources/labels", get(data::labels));
    }
    guarded.merge(open).layer(Extension(row))
}

/// The UDM and CDDS family: its five base paths with the status envelope, and its
/// control routes.
pub type Udm = Family<UdmStore>;

impl Udm {
    /// The family on `kernel`, serving `seed`, with an empty store.
    pub fn new(kernel: &Kernel, seed: seed::UdmSeed) -> Udm {
        let store = UdmStore::new(seed, kernel.clock().clone());
        let control = Router::new()
            .route("/udm/runs/{id}/{action}", post(end_run))
            .route("/udm/downloads/{token}", get(files::download));
        Family::of("udm", kernel, store, UdmStore::reset)
            .mount_each(&SURFACES, Envelope::Status, |row| {
                routes(row, &kernel.state)
            })
            .control(control)
    }
}

/// `POST /__cxgate/udm/runs/{id}/complete` and `/fail`: the run ends now.
async fn end_run(
    Extension(store): Extension<Arc<UdmStore>>,
    path: Result<Path<(String, String)>, PathRejection>,
) -> Response {
    let plain =
        |status: StatusCode, message: String| Envelope::Plain.error(status, "", message, None);
    let Ok(Path((id, action))) = path else {
        return plain(
            StatusCode::BAD_REQUEST,
            "the path is not valid UTF-8".into(),
        );
    };
    let complete = match action.as_str() {
        "complete" => true,
        "fail" => false,
        _ => {
            return plain(
                StatusCode::NOT_FOUND,
                format!("no run action `{action}`: complete or fail"),
            )
        }
    };
    let Ok(number) = id.parse::<u64>() else {
        return plain(StatusCode::NOT_FOUND, format!("no history record {id}"));
    };
    match store.end_run(number, complete) {
        Ok(info) => Json(info).into_response(),
        Err(ControlRefusal::Unknown) => {
            plain(StatusCode::NOT_FOUND, format!("no history record {id}"))
        }
        Err(ControlRefusal::NotRunning(status)) => plain(
            StatusCode::CONFLICT,
            format!("history record {id} is {status}, not in progress"),
        ),
    }
}
