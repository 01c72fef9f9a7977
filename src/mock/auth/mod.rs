//! The Authentication API (`/auth/v3`): OAuth 2.0 endpoints, user info, sign-out, passwords.

use std::sync::Arc;

use axum::routing::{get, post};
use axum::Router;

use super::api::{Api, Mount};
use super::kernel::envelope::Envelope;
use super::kernel::identity::MockState;
use super::kernel::Kernel;

mod authorize;
mod basic;
mod change_password;
mod content_type;
mod control;
mod jwt;
mod ping;
mod redirect;
mod sign_in;
mod sign_in_form;
mod sign_out;
mod token;
mod userinfo;

/// Base path of the Authentication API (reference "Base path: /auth/v3").
pub const AUTH_PREFIX: &str = "/auth/v3";

/// Path of the mock's own sign-in form handler (not a catalog endpoint).
pub const SIGN_IN_PATH: &str = "/auth/v3/sign-in";

/// The `/auth/v3` routes, relative to [`AUTH_PREFIX`].
fn routes() -> Router<Arc<MockState>> {
    Router::new()
        .route("/oauth/token", post(token::token))
        .route("/oauth/authorize", get(authorize::authorize))
        .route("/sign-in", post(sign_in::sign_in))
        .route("/userinfo", get(userinfo::userinfo))
        .route("/openid/userinfo", get(userinfo::openid_userinfo))
        .route("/jwt-userinfo", get(userinfo::jwt_userinfo))
        .route("/ping", get(ping::ping))
        .route(
            "/sign-out",
            get(sign_out::sign_out_get).post(sign_out::sign_out_post),
        )
        .route("/change-password", post(change_password::change_password))
}

/// The Authentication family: `/auth/v3` behind the gate, the sign-in form post
/// excepted (a browser sends it without the key); 404/405 in the status envelope.
pub struct Auth {
    state: Arc<MockState>,
}

impl Auth {
    /// The family on `kernel`'s identity store.
    pub fn new(kernel: &Kernel) -> Auth {
        Auth {
            state: kernel.state.clone(),
        }
    }
}

impl Api for Auth {
    fn name(&self) -> &'static str {
        "auth"
    }

    fn mounts(&self) -> Vec<Mount> {
        vec![Mount {
            prefix: AUTH_PREFIX,
            routes: routes().with_state(self.state.clone()),
            envelope: Envelope::Status,
            exempt: &[("POST", "/sign-in")],
        }]
    }

    fn control(&self) -> Option<Router> {
        Some(control::router(self.state.clone()))
    }

    /// Passwords, tokens and codes belong to the kernel's identity store, which the
    /// control plane resets itself.
    fn reset(&self) {}
}
