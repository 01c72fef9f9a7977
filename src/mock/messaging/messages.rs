//! `POST /nexus/v3/channels/{channelId}/messages` (reference 4364-4446): consumer
//! texts (`type: "Text"`, example 3837-3852) and delivery receipts
//! (`type: "Receipt"`, examples 3910-3926 and 4029-4051, tables 4066-4089).
//!
//! Choices where the reference is silent: a request holds 1 to 100 messages; it
//! is validated as a whole before anything is stored (all-or-nothing), shape
//! errors (400) before unknown receipt targets (404 "message ... not found";
//! 404 is documented only as "Channel not found", 4430); a receipt may name any
//! message of the channel's history, an agent reply or a consumer message (3804);
//! a Text's `channel.to.id` must be the path's channel; a receipt's `from`/`to`
//! are required but not compared with the reply's parties; `reasons` only with
//! `Failed`. The 200 for texts uses the model form `data.ids: [{"id"}]`
//! (4386-4393), not the example's bare strings (3864-3866, CATALOG 10 item 66);
//! a request of receipts only answers `{"status":{"code":0}}` (3942-3946).

use axum::body::Body;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Extension;
use serde_json::{json, Map, Value};
use std::sync::Arc;

use super::envelope::{bad_request, channel_not_found, error, ok};
use super::gate::{admit_channel, ChannelPath};
use super::hub::{AcceptError, InboundItem, MessagingHub, Receipt};

/// Largest messages body read (no 413 is documented: larger is a 400).
const MAX_BODY_BYTES: usize = 4 * 1024 * 1024;
/// Most messages in one request.
const MAX_MESSAGES: usize = 100;
/// Receipt statuses (reference 4072-4075).
const STATUSES: [&str; 3] = ["Delivered", "Removed", "Failed"];
/// Failure reason codes (reference 4082-4089).
const REASON_CODES: [i64; 8] = [305, 310, 350, 510, 512, 520, 530, 500];

/// The handler.
pub async fn post(
    Extension(hub): Extension<Arc<MessagingHub>>,
    path: ChannelPath,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, Response> {
    let (channel_id, admitted) = admit_channel(&hub, path, &headers, body, MAX_BODY_BYTES).await?;
    let items = parse(&admitted, &channel_id).map_err(bad_request)?;
    let has_text = items.iter().any(|i| matches!(i, InboundItem::Text { .. }));
    Ok(match hub.accept(&channel_id, items) {
        Ok(ids) if has_text => {
            let ids: Vec<Value> = ids.into_iter().map(|id| json!({ "id": id })).collect();
            ok(json!({ "status": { "code": 0, "message": "OK" }, "data": { "ids": ids } }))
        }
        Ok(_) => ok(json!({ "status": { "code": 0 } })),
        Err(AcceptError::NoChannel) => channel_not_found(&channel_id),
        Err(AcceptError::NoMessage(id)) => error(
            StatusCode::NOT_FOUND,
            format!("message {id} not found: a receipt must name an outgoing message of channel {channel_id}"),
        ),
    })
}

/// The validated items of a messages body, or what is wrong with it.
pub fn parse(body: &[u8], channel_id: &str) -> Result<Vec<InboundItem>, String> {
    let value: Value =
        serde_json::from_slice(body).map_err(|e| format!("body is not valid JSON: {e}"))?;
    let messages = value
        .get("messages")
        .and_then(Value::as_array)
        .ok_or("body must be {\"messages\": [ ... ]}")?;
    if messages.is_empty() || messages.len() > MAX_MESSAGES {
        return Err(format!(
            "messages must hold 1 to {MAX_MESSAGES} items, not {}",
            messages.len()
        ));
    }
    messages
        .iter()
        .enumerate()
        .map(|(i, m)| item(m, channel_id).map_err(|why| format!("messages[{i}]{why}")))
        .collect()
}

fn item(message: &Value, channel_id: &str) -> Result<InboundItem, String> {
    let message = message.as_object().ok_or(" must be an object")?;
    let channel = message
        .get("channel")
        .and_then(Value::as_object)
        .ok_or(".channel must be an object with from and to")?;
    let from = party(channel, "from")?;
    let to = party(channel, "to")?;
    let message_id = match channel.get("messageId") {
        None => None,
        Some(Value::String(id)) if !id.is_empty() => Some(id.clone()),
        Some(_) => return Err(".channel.messageId must be a non-empty string".to_owned()),
    };
    match message.get("type").and_then(Value::as_str) {
        Some("Text") => {
            if to != channel_id {
                return Err(format!(
                    ".channel.to.id `{to}` must be the channel {channel_id}"
                ));
            }
            let text = message
                .get("text")
                .and_then(Value::as_str)
                .ok_or(".text must be a string")?;
            Ok(InboundItem::Text {
                from,
                text: text.to_owned(),
                external_id: message_id,
            })
        }
        Some("Receipt") => {
            let message_id = message_id.ok_or(
                ".channel.messageId is required: it names the outgoing message the receipt is about",
            )?;
            let status = message
                .get("status")
                .and_then(Value::as_str)
                .filter(|s| STATUSES.contains(s))
                .ok_or(".status must be Delivered, Removed or Failed")?;
            let reasons = match message.get("reasons") {
                None => Vec::new(),
                Some(_) if status != "Failed" => {
                    return Err(format!(
                        ".reasons is allowed only with status Failed, not {status} (reference 4077)"
                    ))
                }
                Some(Value::Array(reasons)) if !reasons.is_empty() => reasons
                    .iter()
                    .enumerate()
                    .map(|(j, r)| reason(r).map_err(|why| format!(".reasons[{j}]{why}")))
                    .collect::<Result<Vec<_>, _>>()?,
                Some(_) => return Err(".reasons must be a non-empty array".to_owned()),
            };
            Ok(InboundItem::Receipt(Receipt {
                message_id,
                status: status.to_owned(),
                reasons,
            }))
        }
        Some(other) => Err(format!(
            ".type `{other}` is not supported: send Text or Receipt"
        )),
        None => Err(".type must be Text or Receipt".to_owned()),
    }
}

fn party(channel: &Map<String, Value>, name: &str) -> Result<String, String> {
    channel
        .get(name)
        .and_then(|p| p.get("id"))
        .and_then(Value::as_str)
        .filter(|id| !id.is_empty())
        .map(str::to_owned)
        .ok_or_else(|| format!(".channel.{name}.id must be a non-empty string"))
}

fn reason(reason: &Value) -> Result<Value, String> {
    let code = reason
        .get("code")
        .and_then(Value::as_i64)
        .ok_or(".code must be an integer")?;
    if !REASON_CODES.contains(&code) {
        return Err(format!(
            ".code {code} is not a documented reason code (305, 310, 350, 510, 512, 520, 530, 500; reference 4082-4089)"
        ));
    }
    match reason.get("message") {
        None | Some(Value::String(_)) => Ok(reason.clone()),
        Some(_) => Err(".message must be a string".to_owned()),
    }
}
