//! The Openmedia API (the TOC's "Task Routing API", reference 3440-3770):
//! open media interactions (workitems) created, read, updated and stopped in a
//! named open media service under `/nexus/v3/openmedia`, served from the
//! `[openmedia]` seed.
//!
//! Every request passes the gateway's `x-api-key` first (403
//! `{"message":"Forbidden"}`, as on every API of the mock; every usage sample
//! sends it, 3513 and on). Every other answer is the nexus genericResponse
//! envelope ([`envelope`]); unknown paths and methods get it too, with
//! `INVALID_ENDPOINT`.

use std::sync::Arc;

use axum::routing::{get, post};
use axum::Router;

use super::api::Family;
use super::kernel::envelope::Envelope;
use super::kernel::identity::MockState;
use super::kernel::Kernel;

mod envelope;
mod hub;
mod interactions;
mod request;
pub mod seed;
mod timestamp;

pub use hub::OpenmediaHub;

/// Where the Openmedia API is mounted: base path `/nexus/v3` (3477) plus `/openmedia`.
pub const OPENMEDIA_PREFIX: &str = "/nexus/v3/openmedia";

/// The Openmedia routes, relative to [`OPENMEDIA_PREFIX`], behind the
/// `x-api-key` gate. `{interaction}` is an interaction id or `ext_{externalId}`.
/// Handlers take the [`OpenmediaHub`] from an `Extension` the caller adds
/// around the whole app.
fn routes() -> Router<Arc<MockState>> {
    Router::new()
        .route("/{service}/interactions", post(interactions::create))
        .route(
            "/{service}/interactions/{interaction}",
            get(interactions::get),
        )
        .route(
            "/{service}/interactions/{interaction}/update",
            post(interactions::update),
        )
        .route(
            "/{service}/interactions/{interaction}/stop",
            post(interactions::stop),
        )
}

/// The nexus genericResponse envelope, without the path in its `detail`.
const ENVELOPE: Envelope = Envelope::Nexus {
    path_in_detail: false,
};

/// The Openmedia family: `/nexus/v3/openmedia` with the nexus envelope.
pub type Openmedia = Family<OpenmediaHub>;

impl Openmedia {
    /// The family on `kernel`, with its hub built from the `[openmedia]` seed.
    pub fn new(kernel: &Kernel, seed: &seed::OpenmediaConfig) -> Openmedia {
        let hub = OpenmediaHub::new(seed, kernel.clock().clone());
        Family::of("openmedia", kernel, hub, OpenmediaHub::reset).mount(
            OPENMEDIA_PREFIX,
            routes(),
            ENVELOPE,
        )
    }
}
