//! `[messaging]`, `[[messaging.channels]]` and `[interactions]` of the seed: limits of the
//! Third-Party Messaging API, its channels, and where the webhooks go.

use std::collections::HashSet;

use serde::Deserialize;

/// `[messaging]`: limits of the Third-Party Messaging API (`/nexus/v3/channels`)
/// and the delivery policy of its outgoing webhook.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MessagingConfig {
    /// Largest accepted media file in bytes; one more is a 400 (the reference
    /// documents no 413 for `POST /channels/{channelId}/media`, lines 4099-4161).
    pub max_media_bytes: u64,
    /// Accepted media content types; any other is the documented 415.
    pub media_types: Vec<String>,
    /// How long one webhook attempt may take (reference line 3802: "within 10 seconds").
    pub webhook_timeout_ms: u64,
    /// Total delivery attempts per webhook, the first one included.
    pub retry_attempts: u32,
    /// Wait before the first retry; doubles for every further retry.
    pub retry_backoff_ms: u64,
    /// `[[messaging.channels]]`: the channels that exist at start and after a reset.
    #[serde(default)]
    pub channels: Vec<ChannelConfig>,
}

/// The kind of a Third-Party Messaging channel; it decides the webhook payload
/// (`OutgoingSmsMessage` or `OutgoingEmailMessage`, reference line 4468).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ChannelType {
    /// SMS: text replies to one consumer (reference 3878-3892).
    Sms,
    /// Email: replies with subject and text/html parts (reference 3966-4009).
    Email,
}

impl ChannelType {
    /// `sms` or `email`, as in the webhook's `channel.type`.
    pub fn as_str(self) -> &'static str {
        match self {
            ChannelType::Sms => "sms",
            ChannelType::Email => "email",
        }
    }

    /// The type named exactly `sms` or `email`.
    pub fn parse(name: &str) -> Option<ChannelType> {
        match name {
            "sms" => Some(ChannelType::Sms),
            "email" => Some(ChannelType::Email),
            _ => None,
        }
    }
}

/// `[[messaging.channels]]`: one channel, e.g. the SMS number `0123456789`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChannelConfig {
    /// The `{channelId}` path segment.
    pub id: String,
    /// `sms` or `email`.
    #[serde(rename = "type")]
    pub channel_type: ChannelType,
    /// The `x-ccid` every request on this channel must carry.
    pub contact_center_id: String,
    /// HMAC-SHA1 key of `X-Hub-Signature`, both directions.
    pub secret: String,
    /// Where agent replies are posted; empty means none configured.
    #[serde(default)]
    pub webhook_url: String,
}

/// `[interactions]`: the Interactions Webhook (reference 1885-2010).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InteractionsConfig {
    /// HMAC-SHA1 key of its `X-Hub-Signature` (reference line 1907).
    pub secret: String,
    /// Where events are posted; empty means none configured.
    #[serde(default)]
    pub webhook_url: String,
}

impl Default for MessagingConfig {
    /// The built-in `[messaging]` seed; equal to the one in `targets/mock.toml`.
    fn default() -> MessagingConfig {
        let channel = |id: &str, channel_type: ChannelType| ChannelConfig {
            id: id.to_owned(),
            channel_type,
            contact_center_id: "0ff723ff-6c6f-44e0-9ce3-ce579337eadd".to_owned(),
            secret: "cxgate-channel-secret".to_owned(),
            webhook_url: String::new(),
        };
        MessagingConfig {
            max_media_bytes: 5_242_880,
            media_types: [
                "image/jpeg",
                "image/png",
                "image/gif",
                "application/pdf",
                "text/plain",
                "video/mp4",
                "audio/mpeg",
            ]
            .iter()
            .map(|s| (*s).to_owned())
            .collect(),
            webhook_timeout_ms: 10_000,
            retry_attempts: 5,
            retry_backoff_ms: 200,
            channels: vec![
                channel("0123456789", ChannelType::Sms),
                channel("company.com", ChannelType::Email),
            ],
        }
    }
}

impl Default for InteractionsConfig {
    /// The built-in `[interactions]` seed; equal to the one in `targets/mock.toml`.
    fn default() -> InteractionsConfig {
        InteractionsConfig {
            secret: "cxgate-channel-secret".to_owned(),
            webhook_url: String::new(),
        }
    }
}

/// An empty string, or an absolute `http`/`https` URL.
pub(crate) fn check_webhook_url(url: &str) -> Result<(), String> {
    if url.is_empty() {
        return Ok(());
    }
    match url::Url::parse(url) {
        Ok(parsed) if matches!(parsed.scheme(), "http" | "https") => Ok(()),
        Ok(parsed) => Err(format!(
            "webhook URL `{url}` has scheme `{}`; use http or https",
            parsed.scheme()
        )),
        Err(e) => Err(format!("webhook URL `{url}` is not an absolute URL: {e}")),
    }
}

impl MessagingConfig {
    /// The channel with ID exactly `id`.
    pub fn channel(&self, id: &str) -> Option<&ChannelConfig> {
        self.channels.iter().find(|c| c.id == id)
    }

    pub(crate) fn validate(&self) -> Result<(), String> {
        if self.max_media_bytes == 0 {
            return Err("[messaging] max_media_bytes must be at least 1".to_owned());
        }
        if self.webhook_timeout_ms == 0 {
            return Err("[messaging] webhook_timeout_ms must be at least 1".to_owned());
        }
        if self.retry_attempts == 0 {
            return Err(
                "[messaging] retry_attempts counts every attempt and must be at least 1".to_owned(),
            );
        }
        if let Some(bad) = self.media_types.iter().find(|t| !t.contains('/')) {
            return Err(format!(
                "[messaging] media_types entry `{bad}` is not a `type/subtype` content type"
            ));
        }
        let mut ids = HashSet::new();
        for (i, channel) in self.channels.iter().enumerate() {
            if channel.id.is_empty() || channel.id.contains('/') {
                return Err(format!(
                    "[[messaging.channels]] entry {i} needs a non-empty id without `/`"
                ));
            }
            if !ids.insert(channel.id.as_str()) {
                return Err(format!(
                    "[[messaging.channels]] `{}` is declared twice",
                    channel.id
                ));
            }
            if channel.contact_center_id.is_empty() || channel.secret.is_empty() {
                return Err(format!(
                    "[[messaging.channels]] `{}` needs a non-empty contact_center_id and secret",
                    channel.id
                ));
            }
            check_webhook_url(&channel.webhook_url)
                .map_err(|why| format!("[[messaging.channels]] `{}` {why}", channel.id))?;
        }
        Ok(())
    }
}

impl InteractionsConfig {
    pub(crate) fn validate(&self) -> Result<(), String> {
        if self.secret.is_empty() {
            return Err("[interactions] secret must not be empty".to_owned());
        }
        check_webhook_url(&self.webhook_url).map_err(|why| format!("[interactions] {why}"))
    }
}
