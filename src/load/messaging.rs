//! The messaging path under load. Weights: signed inbound text 5 (consumers write more
//! than anything else), agent reply 2 (through the mock's control plane, delivered to
//! the run's webhook receiver, which verifies every signature), receipt 1 (for a reply
//! already sent), media upload 1 (a 1 KB image). Before the run it creates a channel of
//! its own whose webhook is the receiver; after it, it counts the replies delivered.

use super::call::Call;
use super::context::{with_ctx, LoadContext};
use super::error::LoadError;
use super::registry::LoadPath;
use super::shard::consumer_number;
use super::summary::REPLY_DELIVERY;
use crate::client::{HttpClient, RequestSpec, TargetConfig, WebhookReceiver};
use crate::harness::StartError;
use crate::report::load::LoadSummary;
use crate::signing::sign;
use futures::future::BoxFuture;
use goose::goose::{GooseUser, Scenario, TransactionResult};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// `cxgate load messaging`.
pub const PATH: LoadPath = LoadPath {
    name: "messaging",
    scenarios,
    prepare: Some(prepare),
    account: Some(account),
    writes: Some("posts inbound messages and agent replies on a channel of its own"),
};

/// The run's channel, its webhook receiver and the agent replies sent.
#[derive(Debug)]
struct Messaging {
    /// The channel the users post to: the run's own, or the target's SMS channel when
    /// the target has no control plane.
    channel: String,
    /// The webhook receiver, when agent replies are part of the run.
    receiver: Option<WebhookReceiver>,
    /// Agent replies sent, by messageId, with when they were sent.
    replies: Mutex<HashMap<String, Instant>>,
    /// The most recent agent reply, the one receipts report on, and its consumer.
    last_reply: Mutex<Option<(String, String)>>,
}

impl Messaging {
    /// Remembers an agent reply that was sent.
    fn reply_sent(&self, message_id: String, consumer: String) {
        *self.last_reply.lock().unwrap_or_else(|p| p.into_inner()) =
            Some((message_id.clone(), consumer));
        self.replies
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(message_id, Instant::now());
    }
}

fn prepare(ctx: &mut LoadContext) -> BoxFuture<'_, Result<(), LoadError>> {
    Box::pin(async move {
        let mut channel = ctx.target.sms_channel.clone();
        let mut receiver = None;
        if ctx.control_plane {
            let r = WebhookReceiver::start(
                std::net::SocketAddr::from(([127, 0, 0, 1], 0)),
                ctx.target.channel_secret.as_bytes(),
            )
            .await
            .map_err(|e| StartError::new("the webhook receiver", e))?;
            channel = create_channel(&ctx.target, &ctx.ids.next("channel"), &r).await?;
            receiver = Some(r);
        }
        ctx.insert(Messaging {
            channel,
            receiver,
            replies: Mutex::new(HashMap::new()),
            last_reply: Mutex::new(None),
        });
        Ok(())
    })
}

/// Creates the run's own messaging channel with the receiver as its webhook.
async fn create_channel(
    target: &TargetConfig,
    id: &str,
    receiver: &WebhookReceiver,
) -> Result<String, StartError> {
    let client = HttpClient::new(&target.base_url, Duration::from_secs(5))
        .map_err(|e| StartError::new("the control plane client", e))?;
    let body = json!({"id": id, "type": "sms", "contact_center_id": target.contact_center_id,
        "secret": target.channel_secret, "webhook_url": receiver.url()});
    let spec = RequestSpec {
        method: "POST".into(),
        path: "/__cxgate/messaging/channels".into(),
        headers: vec![("Content-Type".into(), "application/json".into())],
        query: vec![],
        body: Some(body.to_string().into_bytes()),
    };
    match client.send(&spec).await {
        Ok(ex) if ex.status == 200 => Ok(id.to_string()),
        Ok(ex) => Err(StartError::new("the load channel", ex.describe())),
        Err(e) => Err(StartError::new("the load channel", e)),
    }
}

fn account<'a>(ctx: &'a LoadContext, summary: &'a mut LoadSummary) -> BoxFuture<'a, ()> {
    Box::pin(async move {
        if let Some(run) = ctx.part::<Messaging>() {
            if let Some(receiver) = &run.receiver {
                deliveries(ctx, summary, run, receiver).await;
            }
        }
    })
}

/// Waits up to 15 s for every agent reply to reach the receiver, then counts; each
/// delivery's latency goes to the run's histograms as [`REPLY_DELIVERY`].
async fn deliveries(
    ctx: &LoadContext,
    summary: &mut LoadSummary,
    run: &Messaging,
    receiver: &WebhookReceiver,
) {
    let sent: Vec<(String, Instant)> = run
        .replies
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .iter()
        .map(|(k, v)| (k.clone(), *v))
        .collect();
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let accepted = receiver
            .deliveries()
            .iter()
            .filter(|d| d.accepted())
            .count();
        if accepted >= sent.len() || Instant::now() > deadline {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let delivered = receiver.deliveries();
    // The first accepted delivery of each messageId (bodies parsed once each).
    let mut first_accepted: HashMap<String, Instant> = HashMap::new();
    for d in delivered.iter().filter(|d| d.accepted()) {
        if let Some(id) = d.message_id() {
            first_accepted.entry(id).or_insert(d.at);
        }
    }
    let mut found = 0u64;
    for (id, at) in &sent {
        if let Some(arrived) = first_accepted.get(id) {
            found += 1;
            let latency = arrived.saturating_duration_since(*at);
            ctx.recorder.record(REPLY_DELIVERY, latency, None);
        }
    }
    summary.replies_sent = sent.len() as u64;
    summary.replies_delivered = found;
    summary.replies_lost = sent.len() as u64 - found;
    summary.unsigned_deliveries = delivered.iter().filter(|d| d.signature.is_err()).count() as u64;
}

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
    run: &Messaging,
    name: &str,
    body: Value,
) -> TransactionResult {
    let body = body.to_string().into_bytes();
    Call::post(format!("/nexus/v3/channels/{}/messages", run.channel))
        .named(name)
        .headers(signed_headers(ctx, &body))
        .body(body, "application/json")
        .expect(200, Some("messaging/InboundMessageResponse"))
        .send(user, ctx)
        .await?;
    Ok(())
}

async fn inbound(user: &mut GooseUser, ctx: Arc<LoadContext>) -> TransactionResult {
    let Some(run) = ctx.part::<Messaging>() else {
        return Ok(());
    };
    // Each user of each shard writes from a number of its own.
    let consumer = consumer_number(ctx.global_user(user.weighted_users_index));
    let body = json!({"messages": [{"channel": {"from": {"id": consumer}, "to": {"id": run.channel}},
        "type": "Text", "text": "Consumer message text"}]});
    post_messages(user, &ctx, run, "inbound message", body).await
}

async fn receipt(user: &mut GooseUser, ctx: Arc<LoadContext>) -> TransactionResult {
    let Some(run) = ctx.part::<Messaging>() else {
        return Ok(());
    };
    // The latest reply: the mock keeps a bounded history per channel, so an old id
    // may be gone by the time a receipt names it.
    let message_id = run
        .last_reply
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .clone();
    let Some((message_id, consumer)) = message_id else {
        return Ok(());
    };
    let body = json!({"messages": [{"channel": {"from": {"id": run.channel}, "to": {"id": consumer}, "messageId": message_id},
        "type": "Receipt", "status": "Delivered"}]});
    post_messages(user, &ctx, run, "receipt", body).await
}

async fn media(user: &mut GooseUser, ctx: Arc<LoadContext>) -> TransactionResult {
    let Some(run) = ctx.part::<Messaging>() else {
        return Ok(());
    };
    let boundary = "cxgate-load-boundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"load.png\"\r\nContent-Type: image/png\r\n\r\n"
    )
    .into_bytes();
    body.extend(std::iter::repeat_n(b'x', 1024));
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    Call::post(format!("/nexus/v3/channels/{}/media", run.channel))
        .named("media upload")
        .headers(signed_headers(&ctx, &body))
        .body(body, format!("multipart/form-data; boundary={boundary}"))
        .expect(200, Some("messaging/UploadResponse"))
        .send(user, &ctx)
        .await?;
    Ok(())
}

async fn agent_reply(user: &mut GooseUser, ctx: Arc<LoadContext>) -> TransactionResult {
    let Some(run) = ctx.part::<Messaging>() else {
        return Ok(());
    };
    if !ctx.control_plane || run.receiver.is_none() {
        return Ok(());
    }
    let consumer = consumer_number(ctx.global_user(user.weighted_users_index));
    let answer = Call::post(format!(
        "/__cxgate/messaging/channels/{}/replies",
        run.channel
    ))
    .named("agent reply (mock control)")
    .json(&json!({"to": consumer, "text": "Agent message text"}))
    .send(user, &ctx)
    .await?;
    if let Some(id) = answer
        .as_ref()
        .and_then(|a| a.get("messageId"))
        .and_then(Value::as_str)
    {
        run.reply_sent(id.to_string(), consumer);
    }
    Ok(())
}

/// The messaging scenario.
fn scenarios(ctx: &Arc<LoadContext>) -> Result<Vec<Scenario>, goose::GooseError> {
    let messaging = Scenario::new("messaging")
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
        .set_weight(1)?;
    Ok(vec![messaging])
}
