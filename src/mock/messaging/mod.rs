//! The Third-Party Messaging API (`/nexus/v3/channels`, reference 3760-4550), its
//! outgoing webhook (agent replies) and the Interactions Webhook (reference
//! 1885-2010), served from the `[messaging]` and `[interactions]` seed.
//!
//! Requests from the third party pass, in this order: the gateway's `x-api-key`
//! (403 `{"message":"Forbidden"}`), the channel (404), `x-ccid` (400 missing, 403
//! wrong contact center), `X-Hub-Signature` over the raw body bytes (401), then
//! the body (400). Webhooks leave through [`delivery`], a background task per
//! message with retries; the control plane (`/__cxgate/messaging`,
//! `/__cxgate/interactions`) triggers them and shows what happened.

use std::sync::Arc;

use axum::routing::{get, post};
use axum::Router;

use super::api::Family;
use super::kernel::envelope::Envelope;
use super::kernel::identity::MockState;
use super::kernel::Kernel;

pub mod control;
mod delivery;
mod envelope;
mod gate;
mod hub;
mod interactions;
mod media;
mod messages;
mod outgoing;
pub mod seed;

pub use hub::MessagingHub;
pub use interactions::InteractionEvents;

/// Base path of the Third-Party Messaging API (reference "Base path: /nexus/v3", line 4097).
pub const MESSAGING_PREFIX: &str = "/nexus/v3";

/// The `/nexus/v3` routes, relative to [`MESSAGING_PREFIX`], behind the
/// `x-api-key` gate. Handlers take the [`MessagingHub`] from an `Extension` the
/// caller adds around the whole app.
fn routes() -> Router<Arc<MockState>> {
    Router::new()
        .route("/channels/{channel_id}/messages", post(messages::post))
        .route("/channels/{channel_id}/media", post(media::upload))
        .route(
            "/channels/{channel_id}/media/{media_id}",
            get(media::download).delete(media::delete),
        )
}

/// The Third-Party Messaging family: `/nexus/v3` with the status envelope, and the
/// messaging and interactions control routes.
pub type Messaging = Family<MessagingHub>;

impl Messaging {
    /// The family on `kernel`, with its hub built from the `[messaging]` seed.
    pub fn new(
        kernel: &Kernel,
        seed: &seed::MessagingConfig,
        interactions: &seed::InteractionsConfig,
    ) -> Messaging {
        let hub = MessagingHub::new(seed, interactions, kernel.clock().clone());
        Family::of("messaging", kernel, hub, MessagingHub::reset)
            .mount(MESSAGING_PREFIX, routes(), Envelope::Status)
            .control(control::router())
    }
}
