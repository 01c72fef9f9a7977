//! The Secure Email API (`/nexus/v3/securemail`, reference 1995-2480): send,
//! list, count, read, mark read / delete / purge, and userdata of secure emails,
//! kept per mailbox (consumer address and optional securebox) in a
//! [`SecureMailStore`].
//!
//! Every request passes the gateway's `x-api-key` first (403
//! `{"message":"Forbidden"}`, reference 400-405; the key is required on every
//! endpoint, 2043, 2111); every other answer is a `genericResponse`
//! `{referenceId, operationId, status{code, message, detail}}` (2052-2067), unknown
//! paths and wrong methods included ([`envelope`]).

use std::sync::Arc;

use axum::routing::get;
use axum::Router;

use super::api::Family;
use super::kernel::envelope::Envelope;
use super::kernel::identity::MockState;
use super::kernel::Kernel;
use super::messaging::InteractionEvents;

mod envelope;
mod mail;
mod mailbox;
mod query;
mod send;
mod store;

pub use store::SecureMailStore;

/// Where the Secure Email API is mounted: its base path `/nexus/v3` (reference
/// 2027) plus `/securemail`. Mounted on its own prefix so that it sits beside
/// the Third-Party Messaging router, which shares `/nexus/v3`.
pub const SECURE_EMAIL_PREFIX: &str = "/nexus/v3/securemail";

/// The six routes, relative to [`SECURE_EMAIL_PREFIX`], behind the `x-api-key`
/// gate, with `store` as their state (an `Extension`). The caller also puts
/// `store` around the control plane, whose reset empties it.
fn routes() -> Router<Arc<MockState>> {
    Router::new()
        .route("/", get(mailbox::list).post(send::send))
        .route("/count", get(mailbox::count))
        .route(
            "/{secure_mail_id}",
            get(mail::retrieve).delete(mail::remove),
        )
        .route("/{secure_mail_id}/userdata", get(mail::userdata))
}

/// The nexus genericResponse envelope, with the path in its `detail`.
const ENVELOPE: Envelope = Envelope::Nexus {
    path_in_detail: true,
};

/// The Secure Email family: `/nexus/v3/securemail` with the nexus envelope.
pub type SecureEmail = Family<SecureMailStore>;

impl SecureEmail {
    /// The family on `kernel`, with an empty store; each email sent is reported to the
    /// Interactions Webhook through `events`.
    pub fn new(kernel: &Kernel, events: InteractionEvents) -> SecureEmail {
        let store = SecureMailStore::new(kernel.clock().clone(), events);
        Family::of("secure-email", kernel, store, SecureMailStore::reset).mount(
            SECURE_EMAIL_PREFIX,
            routes(),
            ENVELOPE,
        )
    }
}
