//! The Statistics API (`/statistics/v3`): peeks, subscriptions, the value ticker
//! and the CometD notifications endpoint, served from the `[statistics]` seed.

use std::sync::Arc;

use axum::routing::{get, post};
use axum::Router;

use super::api::Family;
use super::kernel::envelope::Envelope;
use super::kernel::identity::MockState;
use super::kernel::Kernel;

pub mod control;
mod engine;
mod envelope;
mod gate;
mod hub;
mod notifications;
mod peek;
mod request;
pub mod seed;
mod subscriptions;

pub use hub::StatisticsHub;

/// Base path of the Statistics API (reference "Base path: /statistics/v3").
pub const STATISTICS_PREFIX: &str = "/statistics/v3";

/// The `/statistics/v3` routes, relative to [`STATISTICS_PREFIX`], behind the
/// `x-api-key` gate. Handlers take the [`StatisticsHub`] from an `Extension`
/// the caller adds around the whole app.
fn routes() -> Router<Arc<MockState>> {
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
}

/// The Statistics family: `/statistics/v3` (CometD included) with the status
/// envelope, and its control routes (`/__cxgate/statistics`, `/__cxgate/statistics/service`).
pub type Statistics = Family<StatisticsHub>;

impl Statistics {
    /// The family on `kernel`; starts the value ticker when inside a tokio runtime.
    pub fn new(kernel: &Kernel, seed: &seed::StatisticsConfig) -> Statistics {
        let hub = StatisticsHub::new(kernel.state.clone(), seed.clone());
        hub.ensure_ticker();
        let control = Router::new()
            .route("/statistics", get(control::snapshot))
            .route("/statistics/service", post(control::service_state));
        Family::of("statistics", kernel, hub, StatisticsHub::reset)
            .mount(STATISTICS_PREFIX, routes(), Envelope::Status)
            .control(control)
    }
}
