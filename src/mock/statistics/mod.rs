//! The Statistics API (`/statistics/v3`): peeks, subscriptions, the value ticker
//! and the CometD notifications endpoint, served from the `[statistics]` seed.

use std::sync::Arc;

use axum::middleware;
use axum::routing::{get, post};
use axum::Router;

use super::state::MockState;

pub mod control;
mod engine;
mod envelope;
mod gate;
mod hub;
mod notifications;
mod peek;
mod request;
mod subscriptions;

pub use hub::StatisticsHub;

/// Base path of the Statistics API (reference "Base path: /statistics/v3").
pub const STATISTICS_PREFIX: &str = "/statistics/v3";

/// The `/statistics/v3` routes, relative to [`STATISTICS_PREFIX`], behind the
/// `x-api-key` gate. Handlers take the [`StatisticsHub`] from an `Extension`
/// the caller adds around the whole app.
pub fn router(state: Arc<MockState>) -> Router<Arc<MockState>> {
    let notifications = post(notifications::notifications);
    Router::new()
        .route("/operations/get-statistic-ex", post(peek::get_statistic_ex))
        .route(
            "/statistic-values/{statistic_name}",
            get(peek::statistic_value),
        )
        .route("/subscriptions", post(subscriptions::create))
        .route(
            "/subscriptions/{id}",
            axum::routing::delete(subscriptions::delete),
        )
        .route(
            "/subscriptions/{id}/statistic-values",
            get(subscriptions::values),
        )
        .route("/notifications", notifications.clone())
        .route("/notifications/", notifications.clone())
        .route("/notifications/handshake", notifications.clone())
        .route("/notifications/connect", notifications.clone())
        .route("/notifications/subscribe", notifications.clone())
        .route("/notifications/unsubscribe", notifications.clone())
        .route("/notifications/disconnect", notifications)
        .fallback(super::fallback::status_not_found)
        .layer(middleware::from_fn(
            super::fallback::status_method_not_allowed,
        ))
        .layer(middleware::from_fn_with_state(
            state,
            super::auth::api_key::require_key,
        ))
}
