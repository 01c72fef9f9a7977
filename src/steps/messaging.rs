//! Messaging steps: X-Hub-Signature on inbound requests (and ways to break it), multipart
//! media, webhook receivers, agent replies and interaction events driven through the
//! mock, and checks that every delivery is signed, well-formed and counted exactly once.

use super::control::{control, post};
use super::http::{client_error, table_of};
use super::placeholders::expand;
use super::world::{CxWorld, Tamper};
use crate::client::{Delivery, Reply, WebhookReceiver};
use base64::Engine as _;
use cucumber::gherkin::Step;
use cucumber::{given, then, when};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::time::Duration;

type StepResult = Result<(), String>;

#[given("the request is signed with the channel secret")]
fn signed_with_channel_secret(world: &mut CxWorld) -> StepResult {
    world.pending.sign_with = Some(world.ctx()?.target.channel_secret.clone());
    Ok(())
}

#[given(expr = "the request is signed with the secret {string}")]
fn signed_with_secret(world: &mut CxWorld, secret: String) -> StepResult {
    world.pending.sign_with = Some(expand(world, &secret)?);
    Ok(())
}

#[given("the body is changed by one byte after signing")]
fn one_byte_changed(world: &mut CxWorld) {
    world.pending.tamper = Tamper::OneByte;
}

#[given("the body is re-serialised after signing")]
fn reserialised(world: &mut CxWorld) {
    world.pending.tamper = Tamper::Reserialise;
}

/// Key in `saved` of the file bytes the last multipart step generated (base64).
const UPLOAD_BYTES: &str = "upload.bytes";
/// Key in `saved` of the media type the last multipart step declared.
const UPLOAD_TYPE: &str = "upload.type";

/// `size` bytes that are different in every run and cover all byte values, so a
/// server that echoes a stored pattern or re-encodes text cannot match them by luck.
fn file_bytes(size: usize) -> Vec<u8> {
    let mut state = crate::ids::uuid_v4().as_u128() as u64 | 1;
    (0..size)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 24) as u8
        })
        .collect()
}

/// A multipart body with one `file` part; the bytes are remembered for the download check.
#[given(expr = "the multipart body has a file {string} of type {string} with {int} bytes")]
fn multipart_file(
    world: &mut CxWorld,
    filename: String,
    content_type: String,
    size: usize,
) -> StepResult {
    let filename = expand(world, &filename)?;
    let content_type = expand(world, &content_type)?;
    let boundary = format!("cxgate-{}", crate::ids::uuid_v4().simple());
    let file = file_bytes(size);
    let mut body = Vec::with_capacity(size + 256);
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\nContent-Type: {content_type}\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(&file);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    world.pending.body = Some((body, format!("multipart/form-data; boundary={boundary}")));
    world.saved.insert(
        UPLOAD_BYTES.into(),
        base64::engine::general_purpose::STANDARD.encode(&file),
    );
    world.saved.insert(UPLOAD_TYPE.into(), content_type);
    Ok(())
}

/// A multipart body whose only part is not named `file` (reference 4111 names the part).
#[given("the multipart body has no file part")]
fn multipart_without_file(world: &mut CxWorld) {
    let boundary = format!("cxgate-{}", crate::ids::uuid_v4().simple());
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nno file here\r\n--{boundary}--\r\n"
    );
    world.pending.body = Some((
        body.into_bytes(),
        format!("multipart/form-data; boundary={boundary}"),
    ));
}

/// The last response body must be, byte for byte, the file of the last multipart step.
#[then("the response body is the uploaded file")]
fn body_is_uploaded_file(world: &mut CxWorld) -> StepResult {
    let encoded = world
        .saved
        .get(UPLOAD_BYTES)
        .ok_or("no file was uploaded in this scenario (use the multipart step first)")?;
    let expected = base64::engine::general_purpose::STANDARD
        .decode(encoded)
        .map_err(|e| format!("internal: the remembered upload is not base64: {e}"))?;
    let last = world.last()?;
    let actual = &last.body;
    if actual.len() != expected.len() {
        return Err(format!(
            "{}: the body is {} bytes, the uploaded file was {} bytes",
            last.describe(),
            actual.len(),
            expected.len()
        ));
    }
    match actual.iter().zip(&expected).position(|(a, e)| a != e) {
        None => Ok(()),
        Some(at) => Err(format!(
            "{}: the body differs from the uploaded file at byte {at} of {}: expected 0x{:02x}, actual 0x{:02x}",
            last.describe(),
            expected.len(),
            expected[at],
            actual[at]
        )),
    }
}

/// Drops a header set earlier (for instance by a Background), so the request goes without it.
#[given(expr = "the request header {string} is not sent")]
fn header_not_sent(world: &mut CxWorld, name: String) {
    world
        .pending
        .headers
        .retain(|(n, _)| !n.eq_ignore_ascii_case(&name));
}

/// Any 4xx: used where the reference documents that a request fails but not the code.
#[then("the response status is a client error")]
fn status_client_error(world: &mut CxWorld) -> StepResult {
    client_error(world, |last| {
        String::from_utf8_lossy(&last.body[..last.body.len().min(300)]).into_owned()
    })
}

/// The channel id of a `/nexus/v3/channels/{channelId}/...` request path.
fn channel_of(path: &str) -> Option<String> {
    let rest = path.split("/channels/").nth(1)?;
    let id = rest.split('/').next()?;
    (!id.is_empty()).then(|| id.to_string())
}

/// Saves `/data/mediaId` of an upload's answer and registers its deletion, which runs
/// after the scenario whether it passed or failed. A 404 then means the scenario deleted
/// it itself.
#[then(expr = "I save the uploaded media id as {string}, deleted after the scenario")]
fn keep_media(world: &mut CxWorld, name: String) -> StepResult {
    let last = world.last()?;
    let media_id = last
        .json()?
        .pointer("/data/mediaId")
        .and_then(Value::as_str)
        .map(str::to_string)
        .ok_or_else(|| format!("{}: no /data/mediaId string to save", last.describe()))?;
    let channel = channel_of(&last.path)
        .ok_or_else(|| format!("{}: the path names no channel", last.describe()))?;
    world.saved.insert(name, media_id.clone());
    world.on_cleanup(
        format!("delete media {media_id} of channel {channel}"),
        Box::new(move |w: &mut CxWorld| {
            Box::pin(async move {
                let ctx = w.ctx()?.clone();
                w.pending
                    .headers
                    .push(("x-ccid".into(), ctx.target.contact_center_id.clone()));
                w.pending.sign_with = Some(ctx.target.channel_secret.clone());
                let path = format!("/nexus/v3/channels/{channel}/media/{media_id}");
                let answer = w.send("DELETE", &path).await?;
                match answer.status {
                    200 | 404 => Ok(()),
                    _ => Err(format!(
                        "{}: {}",
                        answer.describe(),
                        String::from_utf8_lossy(&answer.body)
                    )),
                }
            })
        }),
    );
    Ok(())
}

fn receiver<'a>(world: &'a CxWorld, name: &str) -> Result<&'a WebhookReceiver, String> {
    world
        .receivers
        .get(name)
        .ok_or_else(|| format!("no webhook receiver \"{name}\" in this scenario"))
}

async fn start_receiver(world: &mut CxWorld, name: &str) -> Result<String, String> {
    let secret = world.ctx()?.target.channel_secret.clone();
    let listen = std::net::SocketAddr::from(([127, 0, 0, 1], 0));
    let r = WebhookReceiver::start(listen, secret.as_bytes()).await?;
    let url = r.url();
    world.receivers.insert(name.to_string(), r);
    Ok(url)
}

#[given(regex = r#"^a webhook receiver "([^"]*)" for a new (sms|email) channel "([^"]*)"$"#)]
async fn receiver_for_new_channel(
    world: &mut CxWorld,
    name: String,
    kind: String,
    channel: String,
) -> StepResult {
    let url = start_receiver(world, &name).await?;
    let suffix = crate::ids::uuid_v4().simple().to_string();
    let id = if kind == "sms" {
        format!(
            "1{}",
            &suffix[..10]
                .bytes()
                .map(|b| char::from(b'0' + b % 10))
                .collect::<String>()
        )
    } else {
        format!("cx{}.example.com", &suffix[..8])
    };
    let t = world.ctx()?.target.clone();
    post(
        world,
        "/__cxgate/messaging/channels",
        json!({"id": id, "type": kind, "contact_center_id": t.contact_center_id, "secret": t.channel_secret, "webhook_url": url}),
    )
    .await?;
    world.saved.insert(channel, id);
    Ok(())
}

/// On the cxgate mock, a loopback receiver that the mock's Interactions Webhook is set to
/// for the scenario. On a deployment, the receiver listens on `--webhook-listen`, where
/// the deployment's configured webhook URL (`--webhook-public-url`) leads; it checks
/// signatures with the profile's channel secret, "the app secret" of reference 1907.
#[given(expr = "a webhook receiver {string} for the interactions webhook")]
async fn receiver_for_interactions(world: &mut CxWorld, name: String) -> StepResult {
    let ctx = world.ctx()?.clone();
    if !ctx.control_plane {
        let endpoint = ctx.webhook.as_ref().ok_or_else(|| {
            format!(
                "{} cannot reach a webhook receiver of this run: pass --webhook-listen and \
                 --webhook-public-url",
                ctx.target.base_url
            )
        })?;
        let secret = ctx.target.channel_secret.as_bytes();
        let r = WebhookReceiver::start(endpoint.listen, secret).await?;
        world.receivers.insert(name, r);
        return Ok(());
    }
    let url = start_receiver(world, &name).await?;
    let secret = ctx.target.channel_secret.clone();
    control(
        world,
        "PUT",
        "/__cxgate/interactions/webhook",
        Some(json!({"url": url, "secret": secret})),
    )
    .await?;
    // One Interactions Webhook per deployment: the next scenario must not post to this
    // receiver after it is gone.
    world.on_cleanup(
        "clear the mock's Interactions Webhook URL",
        Box::new(|w: &mut CxWorld| {
            Box::pin(async move {
                control(
                    w,
                    "PUT",
                    "/__cxgate/interactions/webhook",
                    Some(json!({"url": ""})),
                )
                .await
                .map(drop)
            })
        }),
    );
    Ok(())
}

#[given(expr = "the receiver {string} answers the next {int} deliveries with status {int}")]
fn plan_status(world: &mut CxWorld, name: String, count: usize, status: u16) -> StepResult {
    receiver(world, &name)?.plan(std::iter::repeat_n(Reply::Status(status), count));
    Ok(())
}

#[given(expr = "the receiver {string} stalls the next {int} deliveries for {int} seconds")]
fn plan_stall(world: &mut CxWorld, name: String, count: usize, seconds: u64) -> StepResult {
    receiver(world, &name)?.plan(std::iter::repeat_n(
        Reply::Stall(Duration::from_secs(seconds)),
        count,
    ));
    Ok(())
}

/// Table rows `| retry_attempts | 3 |`, `| retry_backoff_ms | 50 |`, `| timeout_ms | 500 |`.
#[given("the delivery policy is:")]
fn delivery_policy(world: &mut CxWorld, step: &Step) -> StepResult {
    let table = table_of(step)?;
    let mut policy = serde_json::Map::new();
    for row in &table.rows {
        let [name, value] = row.as_slice() else {
            return Err(format!("policy rows need two cells, got {row:?}"));
        };
        let number: u64 = value
            .parse()
            .map_err(|_| format!("policy {name}: {value:?} is not a whole number"))?;
        policy.insert(name.clone(), json!(number));
    }
    world
        .saved
        .insert("delivery_policy".into(), Value::Object(policy).to_string());
    Ok(())
}

async fn reply(world: &mut CxWorld, channel: &str, body: Value) -> StepResult {
    let channel = expand(world, &format!("{{{channel}}}"))?;
    let body = with_policy(world, body);
    let answer = control(
        world,
        "POST",
        &format!("/__cxgate/messaging/channels/{channel}/replies"),
        Some(body),
    )
    .await?;
    let message_id = answer
        .get("messageId")
        .and_then(Value::as_str)
        .ok_or_else(|| format!("control plane reply has no messageId: {answer}"))?
        .to_string();
    let replies = world.saved.entry("replies".into()).or_default();
    if !replies.is_empty() {
        replies.push(',');
    }
    replies.push_str(&message_id);
    world.saved.insert("messageId".into(), message_id);
    Ok(())
}

#[when(expr = "the agent replies on channel {string} to {string} with the text {string}")]
async fn agent_replies_sms(
    world: &mut CxWorld,
    channel: String,
    to: String,
    text: String,
) -> StepResult {
    let to = expand(world, &to)?;
    reply(world, &channel, json!({"to": to, "text": text})).await
}

#[when(
    expr = "the agent replies on channel {string} with an email to {string} with the subject {string}"
)]
async fn agent_replies_email(
    world: &mut CxWorld,
    channel: String,
    to: String,
    subject: String,
) -> StepResult {
    let to = expand(world, &to)?;
    reply(
        world,
        &channel,
        json!({"to": [{"id": to, "name": "Consumer"}], "subject": subject, "text": "Agent answer", "html": "<p>Agent answer</p>",
               "from_name": "Company", "reply_to": {"id": "support@company.com", "name": "Support"}}),
    )
    .await
}

/// The delivery policy saved by "the delivery policy is:", merged into a control-plane body.
fn with_policy(world: &CxWorld, mut body: Value) -> Value {
    if let Some(policy) = world
        .saved
        .get("delivery_policy")
        .and_then(|p| serde_json::from_str::<Value>(p).ok())
    {
        if let (Value::Object(b), Value::Object(p)) = (&mut body, policy) {
            b.extend(p);
        }
    }
    body
}

#[when(
    regex = r#"^the mock emits a (STARTED|FINISHED) (chat|email) interaction event((?: of subtype "[^"]*")?)$"#
)]
async fn emit_event(
    world: &mut CxWorld,
    event: String,
    media: String,
    subtype: String,
) -> StepResult {
    let subtype = subtype
        .strip_prefix(" of subtype \"")
        .and_then(|s| s.strip_suffix('"'))
        .map(str::to_string)
        .unwrap_or_else(|| {
            if media == "chat" {
                "InboundNew"
            } else {
                "Outbound"
            }
            .to_string()
        });
    let body = with_policy(
        world,
        json!({"event": event, "mediaType": media, "interactionSubtype": subtype}),
    );
    let answer = control(world, "POST", "/__cxgate/interactions/events", Some(body)).await?;
    let operation_id = answer
        .get("operationId")
        .and_then(Value::as_str)
        .ok_or_else(|| format!("control plane answer has no operationId: {answer}"))?;
    world
        .saved
        .insert("operationId".into(), operation_id.to_string());
    world.saved.insert("interaction.event".into(), event);
    world.saved.insert("interaction.mediaType".into(), media);
    world
        .saved
        .insert("interaction.interactionSubtype".into(), subtype);
    Ok(())
}

fn check_deliveries(world: &CxWorld, deliveries: &[Delivery], schema: &str) -> StepResult {
    let violations_of = super::http::schema(world, schema)?;
    for (i, d) in deliveries.iter().enumerate() {
        if let Err(why) = &d.signature {
            return Err(format!(
                "delivery {} to {}: X-Hub-Signature does not verify with the channel secret: {why}",
                i + 1,
                d.path
            ));
        }
        let body = d.json().ok_or_else(|| {
            format!(
                "delivery {}: body is not JSON: {}",
                i + 1,
                String::from_utf8_lossy(&d.body)
            )
        })?;
        let violations = violations_of(&body);
        if !violations.is_empty() {
            let list: Vec<String> = violations.iter().map(|v| format!("  - {v}")).collect();
            return Err(format!(
                "delivery {}: body does not match schema \"{schema}\":\n{}\nbody: {body}",
                i + 1,
                list.join("\n")
            ));
        }
    }
    Ok(())
}

#[then(
    regex = r#"^within (\d+) seconds the receiver "([^"]*)" gets (\d+) deliver(?:y|ies) of the (outgoing|interactions) webhook$"#
)]
async fn gets_deliveries(
    world: &mut CxWorld,
    seconds: u64,
    name: String,
    count: usize,
    webhook: String,
) -> StepResult {
    let deliveries = receiver(world, &name)?
        .wait_for(count, Duration::from_secs(seconds))
        .await;
    if deliveries.len() < count {
        return Err(format!(
            "receiver \"{name}\": {} delivery(ies) of the {webhook} webhook within {seconds} s, expected {count}",
            deliveries.len()
        ));
    }
    // A short grace period shows whether more than expected arrive.
    let settled = receiver(world, &name)?
        .wait_for(count + 1, Duration::from_millis(300))
        .await;
    if settled.len() > count {
        return Err(format!(
            "receiver \"{name}\": {} deliveries, expected exactly {count}",
            settled.len()
        ));
    }
    Ok(())
}

#[then(
    expr = "every delivery to {string} is signed with the channel secret and matches the schema {string}"
)]
fn deliveries_valid(world: &mut CxWorld, name: String, schema: String) -> StepResult {
    let deliveries = receiver(world, &name)?.deliveries();
    if deliveries.is_empty() {
        return Err(format!("receiver \"{name}\" got no delivery"));
    }
    check_deliveries(world, &deliveries, &schema)
}

/// Every delivery has the first one's body bytes and `X-B3-TraceId` (a redelivery).
fn same_trace_and_body(deliveries: &[Delivery], name: &str) -> Result<(), String> {
    let first = deliveries
        .first()
        .ok_or_else(|| format!("receiver \"{name}\" got no delivery"))?;
    let trace = first
        .header("x-b3-traceid")
        .ok_or("the first delivery has no X-B3-TraceId header")?;
    for (i, d) in deliveries.iter().enumerate().skip(1) {
        if d.body != first.body {
            return Err(format!("delivery {} has a different body from delivery 1 (a redelivery must resend the same bytes)", i + 1));
        }
        if d.header("x-b3-traceid") != Some(trace) {
            return Err(format!(
                "delivery {}: X-B3-TraceId {:?}, delivery 1 had {trace:?}",
                i + 1,
                d.header("x-b3-traceid")
            ));
        }
    }
    Ok(())
}

#[then(expr = "every delivery to {string} carries the same messageId, trace id and body")]
fn deliveries_identical(world: &mut CxWorld, name: String) -> StepResult {
    let deliveries = receiver(world, &name)?.deliveries();
    same_trace_and_body(&deliveries, &name)?;
    let expected = world.saved.get("messageId").cloned().unwrap_or_default();
    match deliveries.first().and_then(Delivery::message_id) {
        Some(id) if id == expected => Ok(()),
        other => Err(format!(
            "deliveries carry messageId {other:?}, the reply was {expected}"
        )),
    }
}

#[then(expr = "every delivery to {string} carries the same operationId, trace id and body")]
fn events_identical(world: &mut CxWorld, name: String) -> StepResult {
    let deliveries = receiver(world, &name)?.deliveries();
    same_trace_and_body(&deliveries, &name)?;
    let expected = world.saved.get("operationId").cloned().unwrap_or_default();
    let actual = deliveries.first().and_then(Delivery::json).and_then(|v| {
        v.get("operationId")
            .and_then(Value::as_str)
            .map(str::to_string)
    });
    match actual {
        Some(id) if id == expected => Ok(()),
        other => Err(format!(
            "deliveries carry operationId {other:?}, the event emitted was {expected}"
        )),
    }
}

#[then(
    regex = r#"^the mock reports the interaction event as (delivered|failed) after (\d+) attempts?$"#
)]
async fn event_state(world: &mut CxWorld, state: String, attempts: usize) -> StepResult {
    let operation_id = world
        .saved
        .get("operationId")
        .cloned()
        .ok_or("no interaction event was emitted in this scenario")?;
    let what = format!("interaction event {operation_id}");
    await_delivery(world, &what, &state, attempts, async |w: &mut CxWorld| {
        interaction_record(w, &operation_id).await
    })
    .await
}

/// The mock's record of the Interactions Webhook delivery `operation_id`.
async fn interaction_record(world: &mut CxWorld, operation_id: &str) -> Result<Value, String> {
    let listing = control(world, "GET", "/__cxgate/interactions/deliveries", None).await?;
    listing
        .get("deliveries")
        .and_then(Value::as_array)
        .and_then(|l| {
            l.iter()
                .find(|d| d.get("operationId").and_then(Value::as_str) == Some(operation_id))
                .cloned()
        })
        .ok_or_else(|| format!("the mock has no interaction delivery {operation_id}: {listing}"))
}

/// Polls the mock's delivery `record` every 100 ms until its state is `state` after
/// `attempts` attempts. Another state than pending, or 15 seconds, ends the wait with a
/// failure that starts with `what`.
async fn await_delivery(
    world: &mut CxWorld,
    what: &str,
    state: &str,
    attempts: usize,
    record: impl AsyncFn(&mut CxWorld) -> Result<Value, String>,
) -> StepResult {
    let deadline = std::time::Instant::now() + Duration::from_secs(15);
    loop {
        let record = record(world).await?;
        let actual_state = record
            .get("state")
            .and_then(Value::as_str)
            .unwrap_or("?")
            .to_string();
        let actual_attempts = record
            .get("attempts")
            .and_then(Value::as_array)
            .map_or(0, Vec::len);
        if actual_state == state && actual_attempts == attempts {
            return Ok(());
        }
        if actual_state != "pending" || std::time::Instant::now() > deadline {
            return Err(format!(
                "{what}: expected {state} after {attempts} attempt(s), actual {actual_state} after {actual_attempts}: {record}"
            ));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[then(expr = "every agent reply reached {string} exactly once")]
fn replies_exactly_once(world: &mut CxWorld, name: String) -> StepResult {
    let sent: Vec<String> = world
        .saved
        .get("replies")
        .map(|r| r.split(',').map(str::to_string).collect())
        .unwrap_or_default();
    let mut accepted: HashMap<String, usize> = HashMap::new();
    for d in receiver(world, &name)?
        .deliveries()
        .iter()
        .filter(|d| d.accepted())
    {
        *accepted
            .entry(d.message_id().unwrap_or_default())
            .or_default() += 1;
    }
    for id in &sent {
        match accepted.get(id) {
            Some(1) => {}
            Some(n) => {
                return Err(format!(
                    "reply {id} was accepted {n} times by \"{name}\"; expected once"
                ))
            }
            None => return Err(format!("reply {id} never reached \"{name}\" (lost)")),
        }
    }
    let unknown: Vec<&String> = accepted.keys().filter(|k| !sent.contains(k)).collect();
    if !unknown.is_empty() {
        return Err(format!("\"{name}\" got messages nobody sent: {unknown:?}"));
    }
    Ok(())
}

/// What the mock holds for `channel` (its id): the inbound and outbound messages.
async fn channel_messages(world: &mut CxWorld, channel: &str) -> Result<Value, String> {
    let path = format!("/__cxgate/messaging/channels/{channel}/messages");
    control(world, "GET", &path, None).await
}

async fn outbound_record(world: &mut CxWorld, channel: &str) -> Result<Value, String> {
    let channel = expand(world, &format!("{{{channel}}}"))?;
    let message_id = world
        .saved
        .get("messageId")
        .cloned()
        .ok_or("no agent reply in this scenario")?;
    let listing = channel_messages(world, &channel).await?;
    listing
        .get("outbound")
        .and_then(Value::as_array)
        .and_then(|list| {
            list.iter()
                .find(|m| m.get("messageId").and_then(Value::as_str) == Some(message_id.as_str()))
                .cloned()
        })
        .ok_or_else(|| {
            format!("the mock has no outbound message {message_id} on channel {channel}: {listing}")
        })
}

#[then(
    regex = r#"^the mock reports the reply on channel "([^"]*)" as (delivered|failed|pending) after (\d+) attempts?$"#
)]
async fn reply_state(
    world: &mut CxWorld,
    channel: String,
    state: String,
    attempts: usize,
) -> StepResult {
    let what = format!("reply on channel {channel}");
    await_delivery(world, &what, &state, attempts, async |w: &mut CxWorld| {
        outbound_record(w, &channel).await
    })
    .await
}

#[then(expr = "the mock reports the reply on channel {string} with the status {string}")]
async fn reply_status(world: &mut CxWorld, channel: String, status: String) -> StepResult {
    let record = outbound_record(world, &channel).await?;
    match record.get("status").and_then(Value::as_str) {
        Some(s) if s == status => Ok(()),
        other => Err(format!("reply on channel {channel}: expected receipt status {status}, actual {other:?}: {record}")),
    }
}

#[then(expr = "I keep the message ids of the response as {string}")]
fn keep_ids(world: &mut CxWorld, name: String) -> StepResult {
    let last = world.last()?;
    let body = last.json()?;
    let ids: Vec<String> = body
        .pointer("/data/ids")
        .and_then(Value::as_array)
        .ok_or_else(|| format!("{}: no /data/ids array", last.describe()))?
        .iter()
        .filter_map(|v| {
            v.as_str()
                .or_else(|| v.get("id").and_then(Value::as_str))
                .map(str::to_string)
        })
        .collect();
    let entry = world.saved.entry(name).or_default();
    for id in ids {
        if !entry.is_empty() {
            entry.push(',');
        }
        entry.push_str(&id);
    }
    Ok(())
}

#[then(expr = "the mock holds every message of {string} on channel {string} exactly once")]
async fn inbound_exactly_once(world: &mut CxWorld, name: String, channel: String) -> StepResult {
    let kept: Vec<String> = world
        .saved
        .get(&name)
        .map(|r| {
            r.split(',')
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    if kept.is_empty() {
        return Err(format!("no message ids kept as \"{name}\""));
    }
    let channel = expand(world, &format!("{{{channel}}}"))?;
    let listing = channel_messages(world, &channel).await?;
    let held: Vec<String> = listing
        .get("inbound")
        .and_then(Value::as_array)
        .map(|l| {
            l.iter()
                .filter_map(|m| m.get("id").and_then(Value::as_str).map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    for id in &kept {
        let n = held.iter().filter(|h| *h == id).count();
        if n != 1 {
            return Err(format!(
                "inbound message {id}: held {n} times by the mock, expected exactly once"
            ));
        }
    }
    Ok(())
}

#[then(
    regex = r#"^within (\d+|\{tenant\.webhook_wait_seconds\}) seconds the receiver "([^"]*)" gets an? (STARTED|FINISHED) event(?: for an? (chat|email) interaction)? of the interactions webhook$"#
)]
async fn gets_event(
    world: &mut CxWorld,
    seconds: String,
    name: String,
    event: String,
    media: String,
) -> StepResult {
    let seconds: u64 = expand(world, &seconds)?.parse().map_err(|_| {
        format!("{seconds}: [target.tenant] webhook_wait_seconds must be a whole number")
    })?;
    let operation_id = world.saved.get("operationId").cloned();
    let r = receiver(world, &name)?;
    let deadline = std::time::Instant::now() + Duration::from_secs(seconds);
    let found = loop {
        let deliveries = r.deliveries();
        // The delivery of the event this scenario emitted (its operationId), else any
        // delivery with an entity of the event type (and the media type, when named):
        // a deployment also reports interactions the run did not start.
        let found = deliveries.iter().find(|d| {
            d.json().is_some_and(|v| {
                let op = v.get("operationId").and_then(Value::as_str);
                let entities = v.pointer("/data/entities").and_then(Value::as_array);
                let matching = entities.is_some_and(|list| {
                    list.iter().any(|e| {
                        e.get("event").and_then(Value::as_str) == Some(event.as_str())
                            && (media.is_empty()
                                || e.pointer("/entity/mediaType").and_then(Value::as_str)
                                    == Some(media.as_str()))
                    })
                });
                matching && (operation_id.is_none() || op == operation_id.as_deref())
            })
        });
        if let Some(d) = found {
            break d.clone();
        }
        if std::time::Instant::now() > deadline {
            let what = if media.is_empty() {
                String::new()
            } else {
                format!(" for an {media} interaction")
            };
            return Err(format!("receiver \"{name}\": no {event} event{what} of the interactions webhook within {seconds} s ({} deliveries; bodies: {:?})",
                deliveries.len(),
                deliveries.iter().map(|d| String::from_utf8_lossy(&d.body).into_owned()).collect::<Vec<_>>()));
        }
        let _ = r
            .wait_for(deliveries.len() + 1, Duration::from_millis(200))
            .await;
    };
    check_deliveries(
        world,
        std::slice::from_ref(&found),
        "webhooks/EventsPayload",
    )?;
    let body = found.json().unwrap_or_default();
    for field in ["mediaType", "interactionSubtype"] {
        let Some(expected) = world.saved.get(&format!("interaction.{field}")) else {
            continue;
        };
        let actual = body
            .pointer(&format!("/data/entities/0/entity/{field}"))
            .and_then(Value::as_str);
        if actual != Some(expected.as_str()) {
            return Err(format!(
                "receiver \"{name}\": the {event} event has entity.{field} {actual:?}, the emitted event had {expected:?}; body: {body}"
            ));
        }
    }
    Ok(())
}
