//! `POST /operations/get-statistic-ex` and `GET /statistic-values/{statisticName}`:
//! current values without a subscription.

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Extension;
use serde_json::json;

use super::envelope::{error, error_with_items, item_error, ok, partial};
use super::gate::{admit, available_caller, bad_request, Answer, Hub, Identity};
use super::request::{peek_items, PeekItem};

/// `POST /operations/get-statistic-ex`: all known → 200 code 0; some unknown →
/// 200 code 2 with `errors` (reference 245-249); none known → 400 with `errors`.
pub async fn get_statistic_ex(
    State(state): Identity,
    Extension(hub): Hub,
    headers: HeaderMap,
    body: Bytes,
) -> Answer {
    available_caller(&state, &hub, &headers)?;
    let items = peek_items(&body).map_err(bad_request)?;
    let now = hub.now_ms();
    let mut values = Vec::new();
    let mut errors = Vec::new();
    for item in &items {
        match hub.peek(item, now) {
            Ok(value) => values.push(value),
            Err(message) => errors.push(item_error(StatusCode::NOT_FOUND, message)),
        }
    }
    Ok(if errors.is_empty() {
        ok(json!({ "statistics": values }))
    } else if values.is_empty() {
        error_with_items(
            StatusCode::BAD_REQUEST,
            "none of the requested statistics is known",
            errors,
        )
    } else {
        partial(json!({ "statistics": values }), errors)
    })
}

/// `GET /statistic-values/{statisticName}?objectType=&objectId=` (both required,
/// reference 2929-2931). Unknown statistic or object → 404 (reference 2973).
pub async fn statistic_value(
    State(state): Identity,
    Extension(hub): Hub,
    headers: HeaderMap,
    Path(statistic_name): Path<String>,
    RawQuery(query): RawQuery,
) -> Answer {
    let (_, query) = admit(&state, &hub, &headers, query)?;
    let missing: Vec<&str> = ["objectType", "objectId"]
        .into_iter()
        .filter(|name| query.get(name).is_none())
        .collect();
    if !missing.is_empty() {
        return Err(bad_request(format!(
            "missing required query parameter {}",
            missing.join(" and ")
        )));
    }
    let item = PeekItem {
        name: statistic_name,
        object_type: query.get("objectType").unwrap_or_default().to_owned(),
        object_id: query.get("objectId").unwrap_or_default().to_owned(),
    };
    Ok(match hub.peek(&item, hub.now_ms()) {
        Ok(value) => ok(json!({ "statistic": value })),
        Err(message) => error(StatusCode::NOT_FOUND, message),
    })
}
