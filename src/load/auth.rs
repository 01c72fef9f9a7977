//! The auth path under load. Weights (per 13 iterations of a user): userinfo 10 (what
//! an integration does all day: call APIs with its token), password grant 1, refresh 1,
//! sign-out and sign-in again 1. A token about to expire is refreshed first, so a user
//! whose token runs out mid-run carries on without a failed request.

use super::call::Call;
use super::context::{with_ctx, LoadContext};
use super::registry::LoadPath;
use super::session::{refresh_owned, send_signed_in, sign_in, sign_in_owned, signed_in_scenario};
use goose::goose::{GooseUser, Scenario, TransactionResult};
use std::sync::Arc;

/// `cxgate load auth`.
pub const PATH: LoadPath = LoadPath {
    name: "auth",
    scenarios,
    prepare: None,
    account: None,
    writes: None,
};

async fn userinfo(user: &mut GooseUser, ctx: Arc<LoadContext>) -> TransactionResult {
    let call = Call::get("/auth/v3/userinfo")
        .named("userinfo")
        .expect(200, Some("auth/CloudUserDetails"));
    send_signed_in(call, user, &ctx).await?;
    Ok(())
}

async fn sign_out_and_in(user: &mut GooseUser, ctx: Arc<LoadContext>) -> TransactionResult {
    let call = Call::post("/auth/v3/sign-out")
        .named("sign-out")
        .expect(200, Some("common/ApiResponse"));
    send_signed_in(call, user, &ctx).await?;
    sign_in(user, &ctx).await
}

/// The auth scenario.
fn scenarios(ctx: &Arc<LoadContext>) -> Result<Vec<Scenario>, goose::GooseError> {
    let auth = signed_in_scenario("auth", ctx)
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
