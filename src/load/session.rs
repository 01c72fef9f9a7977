//! A load-test user's session: signing in with the password grant, refreshing, and the
//! bearer token and headers of an authenticated call, shared by every path. The tokens
//! live in the goose user's session data.

use super::call::Call;
use super::check::Checked;
use super::context::{with_ctx, LoadContext};
use base64::Engine as _;
use goose::goose::{GooseUser, Scenario, TransactionError, TransactionResult};
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

/// Asks the token endpoint for a grant of `pairs` as the request `name`; keeps the
/// tokens it gives in the user's session.
async fn grant(
    user: &mut GooseUser,
    ctx: &LoadContext,
    name: &str,
    pairs: &[(&str, &str)],
) -> TransactionResult {
    let body = Call::post(TOKEN)
        .named(name)
        .header("x-api-key", ctx.target.api_key.clone())
        .header("authorization", client_basic(ctx))
        .form(pairs)
        .expect(200, Some("auth/DefaultOAuth2AccessToken"))
        .send(user, ctx)
        .await?;
    if let Some(tokens) = body.as_ref().and_then(tokens_from) {
        user.set_session_data(tokens);
    }
    Ok(())
}

/// Signs the user in with the password grant and keeps the tokens in its session.
pub async fn sign_in(user: &mut GooseUser, ctx: &LoadContext) -> TransactionResult {
    let agent = &ctx.target.agent;
    let pairs = [
        ("grant_type", "password"),
        ("username", agent.username.as_str()),
        ("password", agent.password.as_str()),
        ("scope", "*"),
    ];
    grant(user, ctx, "token: password grant", &pairs).await
}

/// Refreshes the user's tokens, or signs in again when it has no refresh token.
pub async fn refresh(user: &mut GooseUser, ctx: &LoadContext) -> TransactionResult {
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
    grant(user, ctx, "token: refresh grant", &pairs).await
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

/// Sends `call` as the user: with the API key and its access token ([`api_headers`]).
pub async fn send_signed_in(call: Call<'_>, user: &mut GooseUser, ctx: &LoadContext) -> Checked {
    let headers = api_headers(user, ctx).await?;
    call.headers(headers).send(user, ctx).await
}

/// A scenario named `name` whose users sign in when they start.
pub fn signed_in_scenario(name: &str, ctx: &Arc<LoadContext>) -> Scenario {
    Scenario::new(name).register_transaction(
        with_ctx!(ctx, sign_in_owned)
            .set_name("sign in")
            .set_on_start(),
    )
}

/// [`sign_in`] as a transaction (`with_ctx!(ctx, sign_in_owned)`).
pub(crate) async fn sign_in_owned(
    user: &mut GooseUser,
    ctx: Arc<LoadContext>,
) -> TransactionResult {
    sign_in(user, &ctx).await
}

/// [`refresh`] as a transaction.
pub(crate) async fn refresh_owned(
    user: &mut GooseUser,
    ctx: Arc<LoadContext>,
) -> TransactionResult {
    refresh(user, &ctx).await
}
