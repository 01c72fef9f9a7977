//! The Third-Party Messaging Webhook payloads (reference 4466-4500): an agent
//! reply as `OutgoingSmsMessage` (example 3878-3892) or `OutgoingEmailMessage`
//! (example 3966-4009, repaired: `to` and `messageId` inside `channel` as in the
//! SMS example, CATALOG 10 item 69). The models are named but never defined
//! (CATALOG 10 item 78); every field of the examples is sent.

use serde_json::{json, Map, Value};

/// An email address with an optional display name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Address {
    /// The address.
    pub id: String,
    /// Display name.
    pub name: Option<String>,
}

impl Address {
    fn to_json(&self) -> Value {
        let mut map = Map::new();
        map.insert("id".to_owned(), json!(self.id));
        if let Some(name) = &self.name {
            map.insert("name".to_owned(), json!(name));
        }
        Value::Object(map)
    }
}

/// `{"channel":{"id","type":"sms","from":{"id":<channel>},"to":{"id"},"messageId"},"type":"Text","text"}`.
pub fn sms(channel_id: &str, message_id: &str, to: &str, text: &str) -> Value {
    json!({
        "channel": {
            "id": channel_id,
            "type": "sms",
            "from": { "id": channel_id },
            "to": { "id": to },
            "messageId": message_id,
        },
        "type": "Text",
        "text": text,
    })
}

/// An email reply's content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email {
    /// Sender (`no-reply@<channel>` unless given).
    pub from: Address,
    /// Recipients, at least one.
    pub to: Vec<Address>,
    /// `context.replyTo`.
    pub reply_to: Option<Address>,
    /// Subject line.
    pub subject: Option<String>,
    /// Plain-text part.
    pub text: Option<String>,
    /// HTML part.
    pub html: Option<String>,
}

/// `{"channel":{"id","type":"email","from","to":[..],"messageId"},"context"?:{"replyTo"},"type":"Email","subject"?,"content":[..]}`.
pub fn email(channel_id: &str, message_id: &str, email: &Email) -> Value {
    let mut content = Vec::new();
    if let Some(text) = &email.text {
        content.push(json!({ "type": "text", "text": text }));
    }
    if let Some(html) = &email.html {
        content.push(json!({ "type": "html", "text": html }));
    }
    let mut body = Map::new();
    body.insert(
        "channel".to_owned(),
        json!({
            "id": channel_id,
            "type": "email",
            "from": email.from.to_json(),
            "to": email.to.iter().map(Address::to_json).collect::<Vec<_>>(),
            "messageId": message_id,
        }),
    );
    if let Some(reply_to) = &email.reply_to {
        body.insert(
            "context".to_owned(),
            json!({ "replyTo": reply_to.to_json() }),
        );
    }
    body.insert("type".to_owned(), json!("Email"));
    if let Some(subject) = &email.subject {
        body.insert("subject".to_owned(), json!(subject));
    }
    body.insert("content".to_owned(), Value::Array(content));
    Value::Object(body)
}
