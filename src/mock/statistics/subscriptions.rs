//! `POST /subscriptions`, `GET /subscriptions/{id}/statistic-values` and
//! `DELETE /subscriptions/{id}`.

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Extension;

use super::super::kernel::form::Form;
use super::envelope::{error, ok, ok_without_data};
use super::gate::{admit, bad_request, cookie, ticking_caller, Answer, Hub, Identity};
use super::hub::Verbose;
use super::request::subscribe_request;

/// Cookie that names the caller's CometD session (set by the handshake).
pub const SESSION_COOKIE: &str = "STATISTICS_SESSIONID";

fn verbose(query: &Form) -> Result<Verbose, Response> {
    Verbose::parse(query.get("verbose")).map_err(bad_request)
}

/// `POST /subscriptions?verbose=`: opens the statistics and answers their
/// current values (`StatisticDataResponse`, reference 2595-2680).
pub async fn create(
    State(state): Identity,
    Extension(hub): Hub,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
    body: Bytes,
) -> Answer {
    let (who, query) = admit(&state, &hub, &headers, query)?;
    let verbose = verbose(&query)?;
    let request = subscribe_request(&body).map_err(bad_request)?;
    let session = cookie(&headers, SESSION_COOKIE);
    Ok(match hub.subscribe(&who.owner, session, request, verbose) {
        Ok(data) => ok(data),
        Err((status, message)) => error(status, message),
    })
}

/// `GET /subscriptions/{id}/statistic-values?statisticIds=a,b&verbose=`.
/// Another user's or an unknown subscription is a 404 (the reference documents
/// no 404 here; CATALOG ambiguity 57). Ids not in the subscription are absent.
pub async fn values(
    State(state): Identity,
    Extension(hub): Hub,
    headers: HeaderMap,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> Answer {
    let (who, query) = admit(&state, &hub, &headers, query)?;
    let verbose = verbose(&query)?;
    let filter: Option<Vec<String>> = query.get("statisticIds").map(|ids| {
        ids.split(',')
            .map(str::trim)
            .filter(|id| !id.is_empty())
            .map(str::to_owned)
            .collect()
    });
    let data = hub
        .subscription_values(&who.owner, &id, filter.as_deref(), verbose)
        .ok_or_else(|| {
            error(
                StatusCode::NOT_FOUND,
                format!("subscription {id} not found"),
            )
        })?;
    Ok(ok(data))
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
    State(state): Identity,
    Extension(hub): Hub,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Answer {
    let who = ticking_caller(&state, &hub, &headers)?;
    hub.unsubscribe(&who.owner, &id);
    Ok(ok_without_data())
}
