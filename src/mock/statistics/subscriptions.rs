//! `POST /subscriptions`, `GET /subscriptions/{id}/statistic-values` and
//! `DELETE /subscriptions/{id}`.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Extension;

use super::super::kernel::form::Form;
use super::super::kernel::identity::MockState;
use super::envelope::{error, ok, ok_without_data, unavailable};
use super::gate::{caller, cookie, Caller};
use super::hub::{StatisticsHub, Verbose};
use super::request::subscribe_request;

/// Cookie that names the caller's CometD session (set by the handshake).
pub const SESSION_COOKIE: &str = "STATISTICS_SESSIONID";

/// Credentials, availability and the query string shared by every handler.
fn admit(
    state: &MockState,
    hub: &Arc<StatisticsHub>,
    headers: &HeaderMap,
    query: Option<String>,
) -> Result<(Caller, Form), Response> {
    let who = caller(state, headers)?;
    hub.ensure_ticker();
    if !hub.is_available() {
        return Err(unavailable());
    }
    let query = Form::parse(query.unwrap_or_default().as_bytes())
        .map_err(|why| error(StatusCode::BAD_REQUEST, why))?;
    Ok((who, query))
}

fn verbose(query: &Form) -> Result<Verbose, Response> {
    Verbose::parse(query.get("verbose")).map_err(|why| error(StatusCode::BAD_REQUEST, why))
}

/// `POST /subscriptions?verbose=`: opens the statistics and answers their
/// current values (`StatisticDataResponse`, reference 2595-2680).
pub async fn create(
    State(state): State<Arc<MockState>>,
    Extension(hub): Extension<Arc<StatisticsHub>>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
    body: Bytes,
) -> Response {
    let (who, query) = match admit(&state, &hub, &headers, query) {
        Ok(admitted) => admitted,
        Err(response) => return response,
    };
    let verbose = match verbose(&query) {
        Ok(v) => v,
        Err(response) => return response,
    };
    let request = match subscribe_request(&body) {
        Ok(request) => request,
        Err(why) => return error(StatusCode::BAD_REQUEST, why),
    };
    let session = cookie(&headers, SESSION_COOKIE);
    match hub.subscribe(&who.owner, session, request, verbose) {
        Ok(data) => ok(data),
        Err((status, message)) => error(status, message),
    }
}

/// `GET /subscriptions/{id}/statistic-values?statisticIds=a,b&verbose=`.
/// Another user's or an unknown subscription is a 404 (the reference documents
/// no 404 here; CATALOG ambiguity 57). Ids not in the subscription are absent.
pub async fn values(
    State(state): State<Arc<MockState>>,
    Extension(hub): Extension<Arc<StatisticsHub>>,
    headers: HeaderMap,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    let (who, query) = match admit(&state, &hub, &headers, query) {
        Ok(admitted) => admitted,
        Err(response) => return response,
    };
    let verbose = match verbose(&query) {
        Ok(v) => v,
        Err(response) => return response,
    };
    let filter: Option<Vec<String>> = query.get("statisticIds").map(|ids| {
        ids.split(',')
            .map(str::trim)
            .filter(|id| !id.is_empty())
            .map(str::to_owned)
            .collect()
    });
    match hub.subscription_values(&who.owner, &id, filter.as_deref(), verbose) {
        Some(data) => ok(data),
        None => error(
            StatusCode::NOT_FOUND,
            format!("subscription {id} not found"),
        ),
    }
}

/// `DELETE /subscriptions/{id}`: fire-and-forget, always 200 code 0 (reference
/// lines 2736 and 3172; only 200 is documented, 3182), even for an unknown id; only
/// the owner's is closed. It answers 200 while the service is UNAVAILABLE too: the
/// service has dropped every subscription then (reference 2777), so the deletion has
/// nothing left to do, and "always returns a success response" admits no 503.
/// The credential checks stay: the API key is the gateway's, in front of every API
/// (reference 400-405), and without a bearer token there is no owner to delete for;
/// the Statistics API requires authentication before any request (reference 2490-2493).
pub async fn delete(
    State(state): State<Arc<MockState>>,
    Extension(hub): Extension<Arc<StatisticsHub>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let who = match caller(&state, &headers) {
        Ok(who) => who,
        Err(response) => return response,
    };
    hub.ensure_ticker();
    hub.unsubscribe(&who.owner, &id);
    ok_without_data()
}
