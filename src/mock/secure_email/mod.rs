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
use axum::{middleware, Extension, Router};

use super::state::MockState;

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
pub fn router(state: Arc<MockState>, store: Arc<SecureMailStore>) -> Router<Arc<MockState>> {
    Router::new()
        .route("/", get(mailbox::list).post(send::send))
        .route("/count", get(mailbox::count))
        .route(
            "/{secure_mail_id}",
            get(mail::retrieve).delete(mail::remove),
        )
        .route("/{secure_mail_id}/userdata", get(mail::userdata))
        .fallback(envelope::unknown_endpoint)
        .layer(middleware::from_fn(envelope::method_not_allowed))
        .layer(Extension(store))
        .layer(middleware::from_fn_with_state(
            state,
            super::auth::api_key::require_key,
        ))
}
