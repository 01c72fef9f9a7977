//! The live messaging state: channels (seeded and added by the control plane),
//! their conversations, inbound texts, outbound agent replies with their
//! delivery logs and receipts, stored media, and Interactions Webhook deliveries.

use std::collections::{HashMap, VecDeque};
use std::future::Future;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use serde_json::{json, Value};
use tokio::task::AbortHandle;

use super::super::kernel::clock::MockClock;
use super::delivery::{DeliveryLog, Target};
use super::seed::{ChannelConfig, InteractionsConfig, MessagingConfig};

/// Inbound texts and outbound replies kept per channel; the oldest go first, so
/// a long load run keeps the mock's memory bounded (the count dropped is shown).
const MAX_KEPT: usize = 10_000;
/// Media bytes kept per channel; the oldest uploads are evicted beyond this.
const MAX_MEDIA_BYTES_PER_CHANNEL: usize = 64 * 1024 * 1024;
/// Interactions Webhook deliveries kept.
const MAX_DELIVERIES: usize = 10_000;

/// Milliseconds since the Unix epoch (wall time, for message ids).
pub fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

/// Ids of the form `<unix ms>-<seq>` (reference example `1613473893265-0`,
/// line 3865): `seq` counts ids issued within the same millisecond, and the
/// millisecond never goes backwards, so ids are unique and ordered.
#[derive(Debug, Default)]
struct IdGenerator {
    last_ms: u64,
    seq: u64,
}

impl IdGenerator {
    fn next(&mut self) -> String {
        let now = now_ms().max(self.last_ms);
        if now == self.last_ms {
            self.seq += 1;
        } else {
            self.last_ms = now;
            self.seq = 0;
        }
        format!("{}-{}", self.last_ms, self.seq)
    }
}

/// A consumer text accepted by `POST /channels/{channelId}/messages`.
#[derive(Debug, Clone)]
pub struct InboundText {
    /// The id the mock answered with.
    pub id: String,
    /// `channel.from.id`: the consumer.
    pub from: String,
    /// The text.
    pub text: String,
    /// `channel.messageId` the third party gave, if any.
    pub external_id: Option<String>,
    /// The status of the latest receipt that named this message, if any.
    pub status: Option<String>,
}

/// A delivery receipt to apply to an outbound message.
#[derive(Debug, Clone)]
pub struct Receipt {
    /// `channel.messageId`: the outbound message it is about.
    pub message_id: String,
    /// `Delivered`, `Removed` or `Failed`.
    pub status: String,
    /// `reasons`, as sent (only with `Failed`).
    pub reasons: Vec<Value>,
}

/// One validated item of a messages request.
#[derive(Debug, Clone)]
pub enum InboundItem {
    /// `type: "Text"`.
    Text {
        /// Consumer id.
        from: String,
        /// The text.
        text: String,
        /// The third party's own `channel.messageId`.
        external_id: Option<String>,
    },
    /// `type: "Receipt"`.
    Receipt(Receipt),
}

/// An agent reply sent through the webhook.
#[derive(Debug)]
struct Outbound {
    message_id: String,
    log: DeliveryLog,
    status: Option<String>,
    reasons: Vec<Value>,
    receipts: Vec<Value>,
}

/// An uploaded media file.
#[derive(Debug, Clone)]
pub struct Media {
    /// The id in the URL and in `genesys://nexus/<id>`.
    pub media_id: String,
    /// The part's file name.
    pub filename: String,
    /// The part's content type (without parameters).
    pub mimetype: String,
    /// The bytes.
    pub bytes: Bytes,
}

impl Media {
    /// The `data` of an `UploadResponse` (reference 4119-4131).
    pub fn upload_data(&self) -> Value {
        json!({
            "mediaId": self.media_id,
            "url": format!("genesys://nexus/{}", self.media_id),
            "filename": self.filename,
            "mimetype": self.mimetype,
            "length": self.bytes.len(),
        })
    }
}

#[derive(Debug)]
struct Channel {
    config: ChannelConfig,
    /// Consumer id -> conversation id (one conversation per (channel, consumer)).
    conversations: HashMap<String, String>,
    inbound: VecDeque<(InboundText, String)>,
    inbound_dropped: u64,
    outbound: HashMap<String, Outbound>,
    outbound_order: VecDeque<String>,
    outbound_dropped: u64,
    media: HashMap<String, Media>,
    media_order: VecDeque<String>,
    media_bytes: usize,
}

impl Channel {
    fn new(config: ChannelConfig) -> Channel {
        Channel {
            config,
            conversations: HashMap::new(),
            inbound: VecDeque::new(),
            inbound_dropped: 0,
            outbound: HashMap::new(),
            outbound_order: VecDeque::new(),
            outbound_dropped: 0,
            media: HashMap::new(),
            media_order: VecDeque::new(),
            media_bytes: 0,
        }
    }
}

#[derive(Debug)]
struct Inner {
    /// Bumped by every reset; a delivery task of an older generation records nothing.
    generation: u64,
    channels: HashMap<String, Channel>,
    interactions: InteractionsConfig,
    deliveries: HashMap<String, DeliveryLog>,
    delivery_order: VecDeque<String>,
    ids: IdGenerator,
}

impl Inner {
    fn seeded(seed: &MessagingConfig, interactions: &InteractionsConfig, generation: u64) -> Inner {
        Inner {
            generation,
            channels: seed
                .channels
                .iter()
                .map(|c| (c.id.clone(), Channel::new(c.clone())))
                .collect(),
            interactions: interactions.clone(),
            deliveries: HashMap::new(),
            delivery_order: VecDeque::new(),
            ids: IdGenerator::default(),
        }
    }
}

/// What the control plane gets back when it starts a delivery.
#[derive(Debug, Clone)]
pub struct Started {
    /// The generation the delivery task must carry.
    pub generation: u64,
}

/// The messaging service shared by every handler (`Extension<Arc<MessagingHub>>`).
///
/// One `std::sync::Mutex` guards the state; it is never held across an
/// `.await`, and a poisoned lock is recovered rather than panicking.
#[derive(Debug)]
pub struct MessagingHub {
    seed: MessagingConfig,
    interactions_seed: InteractionsConfig,
    inner: Mutex<Inner>,
    client: Option<reqwest::Client>,
    tasks: Mutex<Vec<AbortHandle>>,
    /// The one mock clock: receipt and delivery-attempt times follow it (message ids
    /// stay on wall time, so they never repeat).
    clock: MockClock,
}

impl MessagingHub {
    /// Mock time in milliseconds.
    pub fn clock_ms(&self) -> u64 {
        self.clock.now_ms()
    }

    /// A hub seeded from `config`. The webhook HTTP client is built here; if it
    /// cannot be built, every delivery attempt is recorded as an `error`.
    pub fn new(
        seed: &MessagingConfig,
        interactions: &InteractionsConfig,
        clock: MockClock,
    ) -> Arc<MessagingHub> {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let client = reqwest::Client::builder()
            .no_proxy()
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("cxgate-mock/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| tracing::warn!(error = %e, "webhook HTTP client unavailable"))
            .ok();
        Arc::new(MessagingHub {
            seed: seed.clone(),
            interactions_seed: interactions.clone(),
            inner: Mutex::new(Inner::seeded(seed, interactions, 0)),
            client,
            tasks: Mutex::new(Vec::new()),
            clock,
        })
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The `[messaging]` seed (limits and the default delivery policy).
    pub fn seed(&self) -> &MessagingConfig {
        &self.seed
    }

    /// The HTTP client webhooks are sent with.
    pub fn client(&self) -> Option<&reqwest::Client> {
        self.client.as_ref()
    }

    /// Runs `task` on the current runtime; [`MessagingHub::reset`] aborts it.
    pub fn spawn(&self, task: impl Future<Output = ()> + Send + 'static) {
        let handle = tokio::spawn(task).abort_handle();
        let mut tasks = self
            .tasks
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        tasks.retain(|t| !t.is_finished());
        tasks.push(handle);
    }

    /// Back to the seed: seeded channels only, no messages, media or deliveries;
    /// running deliveries are aborted and can record nothing more.
    pub fn reset(&self) {
        let tasks = std::mem::take(
            &mut *self
                .tasks
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner()),
        );
        for task in tasks {
            task.abort();
        }
        let mut inner = self.lock();
        let generation = inner.generation.wrapping_add(1);
        *inner = Inner::seeded(&self.seed, &self.interactions_seed, generation);
    }

    /// The channel's current configuration.
    pub fn channel(&self, id: &str) -> Option<ChannelConfig> {
        self.lock().channels.get(id).map(|c| c.config.clone())
    }

    /// Control plane: creates or replaces a channel (a replaced one starts empty).
    pub fn upsert_channel(&self, config: ChannelConfig) {
        let mut inner = self.lock();
        inner
            .channels
            .insert(config.id.clone(), Channel::new(config));
    }

    /// Control plane: sets a channel's webhook URL; false if the channel is unknown.
    pub fn set_webhook(&self, id: &str, url: &str) -> bool {
        let mut inner = self.lock();
        match inner.channels.get_mut(id) {
            Some(channel) => {
                url.clone_into(&mut channel.config.webhook_url);
                true
            }
            None => false,
        }
    }

    /// Control plane: every channel, without secrets.
    pub fn channels_snapshot(&self) -> Value {
        let inner = self.lock();
        let mut channels: Vec<&Channel> = inner.channels.values().collect();
        channels.sort_by(|a, b| a.config.id.cmp(&b.config.id));
        let list: Vec<Value> = channels
            .iter()
            .map(|c| {
                json!({
                    "id": c.config.id,
                    "type": c.config.channel_type.as_str(),
                    "contact_center_id": c.config.contact_center_id,
                    "webhook_url": c.config.webhook_url,
                })
            })
            .collect();
        json!({ "channels": list })
    }

    /// Applies a validated messages request as a whole: every receipt must name
    /// an outbound message of the channel (else `Err(message id)` and nothing is
    /// stored); then texts get ids and join their conversation, and receipts set
    /// their message's status. Returns the texts' ids in request order.
    pub fn accept(
        &self,
        channel_id: &str,
        items: Vec<InboundItem>,
    ) -> Result<Vec<String>, AcceptError> {
        let mut guard = self.lock();
        let inner = &mut *guard;
        let channel = inner
            .channels
            .get_mut(channel_id)
            .ok_or(AcceptError::NoChannel)?;
        // A receipt names a message of the channel's history: Digital Channels uses the
        // id "to find the message in the history and possibly update its status"
        // (reference 3804). The history holds the agent replies and the consumer
        // messages; the 404 for an id in neither is the mock's choice (404 is documented
        // only as "Channel not found", reference 4430).
        for item in &items {
            if let InboundItem::Receipt(receipt) = item {
                let known = channel.outbound.contains_key(&receipt.message_id)
                    || channel
                        .inbound
                        .iter()
                        .any(|(m, _)| m.id == receipt.message_id);
                if !known {
                    return Err(AcceptError::NoMessage(receipt.message_id.clone()));
                }
            }
        }
        let mut ids = Vec::new();
        for item in items {
            match item {
                InboundItem::Text {
                    from,
                    text,
                    external_id,
                } => {
                    let id = inner.ids.next();
                    let conversation = channel
                        .conversations
                        .entry(from.clone())
                        .or_insert_with(|| crate::ids::uuid_v4().to_string())
                        .clone();
                    channel.inbound.push_back((
                        InboundText {
                            id: id.clone(),
                            from,
                            text,
                            external_id,
                            status: None,
                        },
                        conversation,
                    ));
                    if channel.inbound.len() > MAX_KEPT {
                        channel.inbound.pop_front();
                        channel.inbound_dropped += 1;
                    }
                    ids.push(id);
                }
                InboundItem::Receipt(receipt) => {
                    if let Some(outbound) = channel.outbound.get_mut(&receipt.message_id) {
                        outbound.receipts.push(json!({
                            "status": receipt.status,
                            "reasons": receipt.reasons,
                            "atMs": self.clock.now_ms(),
                        }));
                        outbound.status = Some(receipt.status);
                        outbound.reasons = receipt.reasons;
                    } else if let Some((inbound, _)) = channel
                        .inbound
                        .iter_mut()
                        .find(|(m, _)| m.id == receipt.message_id)
                    {
                        inbound.status = Some(receipt.status);
                    }
                }
            }
        }
        Ok(ids)
    }

    /// A new `<ms>-<seq>` message id.
    pub fn next_message_id(&self) -> String {
        self.lock().ids.next()
    }

    /// Records a new outbound message (state pending) and returns the generation
    /// its delivery task must carry; `None` if the channel is unknown.
    pub fn add_outbound(
        &self,
        channel_id: &str,
        message_id: &str,
        log: DeliveryLog,
    ) -> Option<Started> {
        let mut inner = self.lock();
        let generation = inner.generation;
        let channel = inner.channels.get_mut(channel_id)?;
        channel.outbound.insert(
            message_id.to_owned(),
            Outbound {
                message_id: message_id.to_owned(),
                log,
                status: None,
                reasons: Vec::new(),
                receipts: Vec::new(),
            },
        );
        channel.outbound_order.push_back(message_id.to_owned());
        if channel.outbound_order.len() > MAX_KEPT {
            if let Some(oldest) = channel.outbound_order.pop_front() {
                channel.outbound.remove(&oldest);
                channel.outbound_dropped += 1;
            }
        }
        Some(Started { generation })
    }

    /// Control plane: what the channel received and sent.
    pub fn messages_snapshot(&self, channel_id: &str) -> Option<Value> {
        let inner = self.lock();
        let channel = inner.channels.get(channel_id)?;
        let inbound: Vec<Value> = channel
            .inbound
            .iter()
            .map(|(m, conversation)| {
                let mut item = json!({
                    "id": m.id,
                    "type": "Text",
                    "from": m.from,
                    "text": m.text,
                    "conversationId": conversation,
                });
                if let (Some(external), Some(map)) = (&m.external_id, item.as_object_mut()) {
                    map.insert("externalMessageId".to_owned(), json!(external));
                }
                if let (Some(status), Some(map)) = (&m.status, item.as_object_mut()) {
                    map.insert("status".to_owned(), json!(status));
                }
                item
            })
            .collect();
        let outbound: Vec<Value> = channel
            .outbound_order
            .iter()
            .filter_map(|id| channel.outbound.get(id))
            .map(|o| {
                let mut item = o.log.to_json();
                if let Some(map) = item.as_object_mut() {
                    map.insert("messageId".to_owned(), json!(o.message_id));
                    map.insert("status".to_owned(), json!(o.status));
                    map.insert("reasons".to_owned(), json!(o.reasons));
                    map.insert("receipts".to_owned(), json!(o.receipts));
                }
                item
            })
            .collect();
        Some(json!({
            "channel": channel.config.id,
            "type": channel.config.channel_type.as_str(),
            "inbound": inbound,
            "outbound": outbound,
            "inboundDropped": channel.inbound_dropped,
            "outboundDropped": channel.outbound_dropped,
        }))
    }

    /// Stores an upload, evicting the channel's oldest media beyond its budget.
    /// False if the channel is unknown.
    pub fn store_media(&self, channel_id: &str, media: Media) -> bool {
        let mut inner = self.lock();
        let Some(channel) = inner.channels.get_mut(channel_id) else {
            return false;
        };
        channel.media_bytes += media.bytes.len();
        channel.media_order.push_back(media.media_id.clone());
        channel.media.insert(media.media_id.clone(), media);
        while channel.media_bytes > MAX_MEDIA_BYTES_PER_CHANNEL && channel.media_order.len() > 1 {
            if let Some(oldest) = channel.media_order.pop_front() {
                if let Some(gone) = channel.media.remove(&oldest) {
                    channel.media_bytes -= gone.bytes.len();
                }
            }
        }
        true
    }

    /// An uploaded media file of the channel.
    pub fn media(&self, channel_id: &str, media_id: &str) -> Option<Media> {
        self.lock()
            .channels
            .get(channel_id)?
            .media
            .get(media_id)
            .cloned()
    }

    /// Removes and returns an uploaded media file of the channel.
    pub fn delete_media(&self, channel_id: &str, media_id: &str) -> Option<Media> {
        let mut inner = self.lock();
        let channel = inner.channels.get_mut(channel_id)?;
        let media = channel.media.remove(media_id)?;
        channel.media_order.retain(|id| id != media_id);
        channel.media_bytes -= media.bytes.len();
        Some(media)
    }

    /// The Interactions Webhook's current URL and secret.
    pub fn interactions(&self) -> InteractionsConfig {
        self.lock().interactions.clone()
    }

    /// Control plane: sets the Interactions Webhook URL (and secret when given).
    pub fn set_interactions(&self, url: &str, secret: Option<&str>) {
        let mut inner = self.lock();
        url.clone_into(&mut inner.interactions.webhook_url);
        if let Some(secret) = secret {
            secret.clone_into(&mut inner.interactions.secret);
        }
    }

    /// Records a new Interactions Webhook delivery (state pending); `None` if
    /// a delivery with this `operationId` is already recorded.
    pub fn add_delivery(&self, operation_id: &str, log: DeliveryLog) -> Option<Started> {
        let mut inner = self.lock();
        let generation = inner.generation;
        if inner.deliveries.contains_key(operation_id) {
            return None;
        }
        inner.deliveries.insert(operation_id.to_owned(), log);
        inner.delivery_order.push_back(operation_id.to_owned());
        if inner.delivery_order.len() > MAX_DELIVERIES {
            if let Some(oldest) = inner.delivery_order.pop_front() {
                inner.deliveries.remove(&oldest);
            }
        }
        Some(Started { generation })
    }

    /// Control plane: every Interactions Webhook delivery, oldest first.
    pub fn deliveries_snapshot(&self) -> Value {
        let inner = self.lock();
        let list: Vec<Value> = inner
            .delivery_order
            .iter()
            .filter_map(|id| inner.deliveries.get(id).map(|log| (id, log)))
            .map(|(id, log)| {
                let mut item = log.to_json();
                if let Some(map) = item.as_object_mut() {
                    map.insert("operationId".to_owned(), json!(id));
                }
                item
            })
            .collect();
        json!({ "deliveries": list })
    }

    /// Applies `update` to the delivery log of `target` if it still exists in
    /// `generation`; false means the task should stop (reset or replaced channel).
    pub fn record(
        &self,
        target: &Target,
        generation: u64,
        update: impl FnOnce(&mut DeliveryLog),
    ) -> bool {
        let mut inner = self.lock();
        if inner.generation != generation {
            return false;
        }
        let log = match target {
            Target::Outbound {
                channel_id,
                message_id,
            } => inner
                .channels
                .get_mut(channel_id)
                .and_then(|c| c.outbound.get_mut(message_id))
                .map(|o| &mut o.log),
            Target::Interaction { operation_id } => inner.deliveries.get_mut(operation_id),
        };
        match log {
            Some(log) => {
                update(log);
                true
            }
            None => false,
        }
    }
}

/// Why [`MessagingHub::accept`] stored nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AcceptError {
    /// The channel disappeared (replaced or reset) since the request was checked.
    NoChannel,
    /// A receipt names this message id, which is no outbound message of the channel.
    NoMessage(String),
}
