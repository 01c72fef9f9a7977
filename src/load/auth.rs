//! The auth path under load. Weights (per 13 iterations of a user): userinfo 10 (what
//! an integration does all day: call APIs with its token), password grant 1, refresh 1,
//! sign-out and sign-in again 1. A token about to expire is refreshed first, so a user
//! whose token runs out mid-run carries on without a failed request.

use super::check::call;
use super::context::LoadContext;
use super::http::form;
use base64::Engine as _;
use goose::goose::{
    GooseMethod, GooseUser, Scenario, Transaction, TransactionError, TransactionResult,
};
use serde_json::Value;
use std::sync::Arc;
use std::time::{Duration, Instant};

const TOKEN: &str = "/auth/v3/oauth/token";

/// A user's tokens.
#[derive(Debug, Clone)]
pub struct Tokens {
    pub access: String,
    pub refresh: Option<String>,
    pub expires_at: Instant,
}

fn client_basic(ctx: &LoadContext) -> String {
    let t = &ctx.target;
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD
            .encode(format!("{}:{}", t.client_id, t.client_secret))
    )
}

fn tokens_from(body: &Value) -> Option<Tokens> {
    let access = body.get("access_token")?.as_str()?.to_string();
    let expires_in = body.get("expires_in")?.as_u64()?;
    Some(Tokens {
        access,
        refresh: body
            .get("refresh_token")
            .and_then(Value::as_str)
            .map(str::to_string),
        expires_at: Instant::now() + Duration::from_secs(expires_in),
    })
}

async fn grant(
    user: &mut GooseUser,
    ctx: &LoadContext,
    name: &str,
    pairs: &[(&str, &str)],
) -> Result<Option<Tokens>, Box<TransactionError>> {
    let headers = [
        ("x-api-key", ctx.target.api_key.clone()),
        ("authorization", client_basic(ctx)),
    ];
    let body = call(
        user,
        ctx,
        GooseMethod::Post,
        TOKEN,
        name,
        &headers,
        Some((form(pairs), "application/x-www-form-urlencoded")),
        Some("auth/DefaultOAuth2AccessToken"),
    )
    .await?;
    Ok(body.as_ref().and_then(tokens_from))
}

/// Signs the user in with the password grant and keeps the tokens in its session.
pub async fn sign_in(user: &mut GooseUser, ctx: &LoadContext) -> TransactionResult {
    let (username, password) = (
        ctx.target.agent.username.clone(),
        ctx.target.agent.password.clone(),
    );
    let pairs = [
        ("grant_type", "password"),
        ("username", username.as_str()),
        ("password", password.as_str()),
        ("scope", "*"),
    ];
    if let Some(tokens) = grant(user, ctx, "token: password grant", &pairs).await? {
        user.set_session_data(tokens);
    }
    Ok(())
}

async fn refresh(user: &mut GooseUser, ctx: &LoadContext) -> TransactionResult {
    let Some(refresh_token) = user
        .get_session_data::<Tokens>()
        .and_then(|t| t.refresh.clone())
    else {
        return sign_in(user, ctx).await;
    };
    let pairs = [
        ("grant_type", "refresh_token"),
        ("refresh_token", refresh_token.as_str()),
    ];
    if let Some(tokens) = grant(user, ctx, "token: refresh grant", &pairs).await? {
        user.set_session_data(tokens);
    }
    Ok(())
}

/// The user's access token, refreshed first when it expires within two seconds.
pub async fn bearer(
    user: &mut GooseUser,
    ctx: &LoadContext,
) -> Result<String, Box<TransactionError>> {
    let fresh = user
        .get_session_data::<Tokens>()
        .filter(|t| t.expires_at > Instant::now() + Duration::from_secs(2))
        .map(|t| t.access.clone());
    if let Some(token) = fresh {
        return Ok(token);
    }
    refresh(user, ctx).await?;
    Ok(user
        .get_session_data::<Tokens>()
        .map(|t| t.access.clone())
        .unwrap_or_default())
}

/// The headers of an authenticated API call.
pub async fn api_headers(
    user: &mut GooseUser,
    ctx: &LoadContext,
) -> Result<Vec<(&'static str, String)>, Box<TransactionError>> {
    let token = bearer(user, ctx).await?;
    Ok(vec![
        ("x-api-key", ctx.target.api_key.clone()),
        ("authorization", format!("Bearer {token}")),
    ])
}

async fn userinfo(user: &mut GooseUser, ctx: Arc<LoadContext>) -> TransactionResult {
    let headers = api_headers(user, &ctx).await?;
    call(
        user,
        &ctx,
        GooseMethod::Get,
        "/auth/v3/userinfo",
        "userinfo",
        &headers,
        None,
        Some("auth/CloudUserDetails"),
    )
    .await?;
    Ok(())
}

async fn sign_out_and_in(user: &mut GooseUser, ctx: Arc<LoadContext>) -> TransactionResult {
    let headers = api_headers(user, &ctx).await?;
    call(
        user,
        &ctx,
        GooseMethod::Post,
        "/auth/v3/sign-out",
        "sign-out",
        &headers,
        None,
        Some("common/ApiResponse"),
    )
    .await?;
    sign_in(user, &ctx).await
}

/// Wraps an async transaction that takes the shared context.
macro_rules! with_ctx {
    ($ctx:expr, $f:path) => {{
        let ctx = $ctx.clone();
        Transaction::new(Arc::new(move |user| Box::pin($f(user, ctx.clone()))))
    }};
}
pub(crate) use with_ctx;

/// [`sign_in`] as a transaction.
pub(crate) async fn sign_in_owned(
    user: &mut GooseUser,
    ctx: Arc<LoadContext>,
) -> TransactionResult {
    sign_in(user, &ctx).await
}

async fn refresh_owned(user: &mut GooseUser, ctx: Arc<LoadContext>) -> TransactionResult {
    refresh(user, &ctx).await
}

/// The auth scenario.
pub fn scenario(ctx: &Arc<LoadContext>) -> Result<Scenario, goose::GooseError> {
    Scenario::new("auth")
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
        .set_weight(1)
}
