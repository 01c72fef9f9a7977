//! The messaging path under load. Weights: signed inbound text 5 (consumers write more
//! than anything else), agent reply 2 (through the mock's control plane, delivered to
//! the run's webhook receiver, which verifies every signature), receipt 1 (for a reply
//! already sent), media upload 1 (a 1 KB image).

use super::auth::with_ctx;
use super::check::call;
use super::context::LoadContext;
use crate::signing::sign;
use goose::goose::{GooseMethod, GooseUser, Scenario, Transaction, TransactionResult};
use serde_json::{json, Value};
use std::sync::Arc;

fn signed_headers(ctx: &LoadContext, body: &[u8]) -> Vec<(&'static str, String)> {
    vec![
        ("x-api-key", ctx.target.api_key.clone()),
        ("x-ccid", ctx.target.contact_center_id.clone()),
        (
            "x-hub-signature",
            sign(ctx.target.channel_secret.as_bytes(), body),
        ),
    ]
}

/// Posts a signed `{"messages":[...]}` body to the run's channel as the request `name`.
async fn post_messages(
    user: &mut GooseUser,
    ctx: &LoadContext,
    name: &str,
    body: serde_json::Value,
) -> TransactionResult {
    let body = body.to_string().into_bytes();
    let headers = signed_headers(ctx, &body);
    let path = format!("/nexus/v3/channels/{}/messages", ctx.channel);
    call(
        user,
        ctx,
        GooseMethod::Post,
        &path,
        name,
        &headers,
        Some((body, "application/json")),
        Some("messaging/InboundMessageResponse"),
    )
    .await?;
    Ok(())
}

async fn inbound(user: &mut GooseUser, ctx: Arc<LoadContext>) -> TransactionResult {
    let body = json!({"messages": [{"channel": {"from": {"id": "16504661149"}, "to": {"id": ctx.channel}},
        "type": "Text", "text": "Consumer message text"}]});
    post_messages(user, &ctx, "inbound message", body).await
}

async fn receipt(user: &mut GooseUser, ctx: Arc<LoadContext>) -> TransactionResult {
    // The latest reply: the mock keeps a bounded history per channel, so an old id
    // may be gone by the time a receipt names it.
    let message_id = ctx
        .last_reply
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .clone();
    let Some(message_id) = message_id else {
        return Ok(());
    };
    let body = json!({"messages": [{"channel": {"from": {"id": ctx.channel}, "to": {"id": "16504661149"}, "messageId": message_id},
        "type": "Receipt", "status": "Delivered"}]});
    post_messages(user, &ctx, "receipt", body).await
}

async fn media(user: &mut GooseUser, ctx: Arc<LoadContext>) -> TransactionResult {
    let boundary = "cxgate-load-boundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"load.png\"\r\nContent-Type: image/png\r\n\r\n"
    )
    .into_bytes();
    body.extend(std::iter::repeat_n(b'x', 1024));
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let headers = signed_headers(&ctx, &body);
    let path = format!("/nexus/v3/channels/{}/media", ctx.channel);
    let content_type = format!("multipart/form-data; boundary={boundary}");
    call(
        user,
        &ctx,
        GooseMethod::Post,
        &path,
        "media upload",
        &headers,
        Some((body, content_type.as_str())),
        Some("messaging/UploadResponse"),
    )
    .await?;
    Ok(())
}

async fn agent_reply(user: &mut GooseUser, ctx: Arc<LoadContext>) -> TransactionResult {
    if !ctx.control_plane || ctx.receiver_url.is_none() {
        return Ok(());
    }
    let body = json!({"to": "16504661149", "text": "Agent message text"})
        .to_string()
        .into_bytes();
    let path = format!("/__cxgate/messaging/channels/{}/replies", ctx.channel);
    let answer = call(
        user,
        &ctx,
        GooseMethod::Post,
        &path,
        "agent reply (mock control)",
        &[],
        Some((body, "application/json")),
        None,
    )
    .await?;
    if let Some(id) = answer
        .as_ref()
        .and_then(|a| a.get("messageId"))
        .and_then(Value::as_str)
    {
        ctx.reply_sent(id.to_string());
    }
    Ok(())
}

/// The messaging scenario.
pub fn scenario(ctx: &Arc<LoadContext>) -> Result<Scenario, goose::GooseError> {
    Scenario::new("messaging")
        .register_transaction(
            with_ctx!(ctx, inbound)
                .set_name("inbound message")
                .set_weight(5)?,
        )
        .register_transaction(
            with_ctx!(ctx, agent_reply)
                .set_name("agent reply")
                .set_weight(2)?,
        )
        .register_transaction(with_ctx!(ctx, receipt).set_name("receipt").set_weight(1)?)
        .register_transaction(
            with_ctx!(ctx, media)
                .set_name("media upload")
                .set_weight(1)?,
        )
        .set_weight(1)
}
