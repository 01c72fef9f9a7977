//! The Authentication API (`/auth/v3`): OAuth 2.0 endpoints, user info, sign-out, passwords.

use std::sync::Arc;

use axum::routing::{get, post};
use axum::Router;

use super::state::MockState;

pub mod api_key;
mod authorize;
mod basic;
mod bearer;
mod change_password;
mod content_type;
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

/// The `/auth/v3` routes, relative to [`AUTH_PREFIX`]. The `x-api-key` gate
/// ([`api_key::require_api_key`]) is applied by the caller around the whole app.
pub fn router() -> Router<Arc<MockState>> {
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
