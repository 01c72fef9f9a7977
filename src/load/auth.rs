//! The auth path under load. Weights (per 13 iterations of a user): userinfo 10 (what
//! an integration does all day: call APIs with its token), password grant 1, refresh 1,
//! sign-out and sign-in again 1. A token about to expire is refreshed first, so a user
//! whose token runs out mid-run carries on without a failed request.

use super::call::Call;
use super::context::{with_ctx, LoadContext};
use super::registry::LoadPath;
use super::session::{api_headers, refresh_owned, sign_in, sign_in_owned};
use goose::goose::{GooseUser, Scenario, TransactionResult};
use std::sync::Arc;

/// `cxgate load auth`.
pub const PATH: LoadPath = LoadPath {
    name: "auth",
    scenarios,
    prepare: None,
    account: None,
};

async fn userinfo(user: &mut GooseUser, ctx: Arc<LoadContext>) -> TransactionResult {
    let headers = api_headers(user, &ctx).await?;
    Call::get("/auth/v3/userinfo")
        .named("userinfo")
        .headers(headers)
        .expect(200, Some("auth/CloudUserDetails"))
        .send(user, &ctx)
        .await?;
    Ok(())
}

async fn sign_out_and_in(user: &mut GooseUser, ctx: Arc<LoadContext>) -> TransactionResult {
    let headers = api_headers(user, &ctx).await?;
    Call::post("/auth/v3/sign-out")
        .named("sign-out")
        .headers(headers)
        .expect(200, Some("common/ApiResponse"))
        .send(user, &ctx)
        .await?;
    sign_in(user, &ctx).await
}

/// The auth scenario.
fn scenarios(ctx: &Arc<LoadContext>) -> Result<Vec<Scenario>, goose::GooseError> {
    let auth = Scenario::new("auth")
        .register_transaction(
            with_ctx!(ctx, sign_in_owned)
                .set_name("sign in")
                .set_on_start(),
        )
        .register_transaction(
            with_ctx!(ctx, userinfo)
                .set_name("userinfo")
                .set_weight(10)?,
        )
        .register_transaction(
            with_ctx!(ctx, sign_in_owned)
                .set_name("password grant")
                .set_weight(1)?,
        )
        .register_transaction(
            with_ctx!(ctx, refresh_owned)
                .set_name("refresh")
                .set_weight(1)?,
        )
        .register_transaction(
            with_ctx!(ctx, sign_out_and_in)
                .set_name("sign-out")
                .set_weight(1)?,
        )
        .set_weight(1)?;
    Ok(vec![auth])
}
