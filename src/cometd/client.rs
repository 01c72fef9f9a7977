//! A Bayeux long-polling client: one HTTP POST per message batch, a connect loop that
//! honours the server's advice, and recovery from `402::Unknown client` by handshaking
//! again and re-subscribing every channel.

use super::message::{Advice, Message};
use serde_json::Value;
use std::collections::BTreeSet;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::Notify;

/// What went wrong talking Bayeux.
#[derive(Debug, Clone, thiserror::Error)]
pub enum CometdError {
    /// The HTTP request failed (connection refused, timeout, broken body).
    #[error("POST {url}: {reason}")]
    Transport { url: String, reason: String },
    /// The server answered with a status other than 200.
    #[error(
        "POST {url}: HTTP {status} (a Bayeux server answers 200 with a JSON array); body: {body}"
    )]
    Http {
        url: String,
        status: u16,
        body: String,
    },
    /// The answer is not a JSON array of Bayeux messages, or lacks the reply.
    #[error("POST {url}: {reason}")]
    Protocol { url: String, reason: String },
    /// The server refused the message (`successful: false`).
    #[error("{channel} failed: {error} (advice {advice:?})")]
    Failed {
        channel: String,
        error: String,
        advice: Option<Advice>,
    },
    /// The server forgot the client (`402`) or advised a new handshake.
    #[error("{channel}: the server asks for a new handshake: {error}")]
    Rehandshake { channel: String, error: String },
    /// An operation that needs a client id came before the handshake.
    #[error("no clientId yet: handshake first")]
    NotHandshaken,
}

#[derive(Debug, Default)]
struct State {
    client_id: Option<String>,
    channels: BTreeSet<String>,
    advice: Advice,
    connects: u64,
}

/// A Bayeux client bound to one URL (for example `.../statistics/v3/notifications`).
#[derive(Debug)]
pub struct BayeuxClient {
    http: reqwest::Client,
    url: String,
    headers: Vec<(String, String)>,
    append_type: bool,
    next_id: AtomicU64,
    state: Mutex<State>,
    /// Extra time allowed over the server's hold time before a connect counts as lost.
    slack: Duration,
}

impl BayeuxClient {
    /// A client posting to `url` with `headers` on every request (`x-api-key`,
    /// `Authorization`). The `http` client's cookie store is shared with its clones, so
    /// REST calls made with it carry the session cookies.
    pub fn new(
        http: reqwest::Client,
        url: impl Into<String>,
        headers: Vec<(String, String)>,
    ) -> BayeuxClient {
        BayeuxClient {
            http,
            url: url.into().trim_end_matches('/').to_string(),
            headers,
            append_type: true,
            next_id: AtomicU64::new(1),
            state: Mutex::new(State::default()),
            slack: Duration::from_secs(10),
        }
    }

    /// Whether a lone meta message goes to `url/handshake`, `url/connect`, ... as the
    /// vendor's Java client does (default) or to the bare URL, as generic clients do.
    pub fn append_message_type(mut self, yes: bool) -> BayeuxClient {
        self.append_type = yes;
        self
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The client id of the current handshake.
    pub fn client_id(&self) -> Option<String> {
        self.state().client_id.clone()
    }

    /// Channels subscribed (and re-subscribed after a new handshake).
    pub fn channels(&self) -> Vec<String> {
        self.state().channels.iter().cloned().collect()
    }

    /// The last advice the server gave.
    pub fn advice(&self) -> Advice {
        self.state().advice.clone()
    }

    fn new_id(&self) -> Value {
        Value::String(self.next_id.fetch_add(1, Ordering::Relaxed).to_string())
    }

    /// Posts a batch and returns every message of the reply array.
    pub async fn post(
        &self,
        messages: &[Message],
        hold: Duration,
    ) -> Result<Vec<Message>, CometdError> {
        let mut url = self.url.clone();
        if self.append_type && messages.len() == 1 {
            if let Some(suffix) = messages[0].url_suffix() {
                url = format!("{url}/{suffix}");
            }
        }
        let mut request = self
            .http
            .post(&url)
            .json(messages)
            .timeout(hold + self.slack);
        for (name, value) in &self.headers {
            request = request.header(name.as_str(), value.as_str());
        }
        let transport = |e: reqwest::Error| CometdError::Transport {
            url: url.clone(),
            reason: e.to_string(),
        };
        let response = request.send().await.map_err(transport)?;
        let status = response.status().as_u16();
        let body = response.bytes().await.map_err(transport)?;
        if status != 200 {
            return Err(CometdError::Http {
                url,
                status,
                body: String::from_utf8_lossy(&body[..body.len().min(300)]).into_owned(),
            });
        }
        let value: Value = serde_json::from_slice(&body).map_err(|e| CometdError::Protocol {
            url: url.clone(),
            reason: format!("reply is not JSON: {e}"),
        })?;
        if !value.is_array() {
            return Err(CometdError::Protocol {
                url,
                reason: format!(
                    "reply is not a JSON array of messages: {}",
                    truncate(&value.to_string())
                ),
            });
        }
        serde_json::from_value(value).map_err(|e| CometdError::Protocol {
            url,
            reason: format!("reply holds a message that is not Bayeux: {e}"),
        })
    }

    /// Sends one meta message and splits the reply into (the reply to it, events).
    async fn exchange(
        &self,
        message: Message,
        hold: Duration,
    ) -> Result<(Message, Vec<Message>), CometdError> {
        let id = message.id.clone();
        let channel = message.channel.clone();
        let replies = self.post(std::slice::from_ref(&message), hold).await?;
        let mut reply = None;
        let mut events = Vec::new();
        for m in replies {
            if m.channel == channel && reply.is_none() {
                reply = Some(m);
            } else if !m.is_meta() {
                events.push(m);
            }
        }
        let reply = reply.ok_or_else(|| CometdError::Protocol {
            url: self.url.clone(),
            reason: format!("no {channel} reply in the answer"),
        })?;
        if reply.id != id {
            return Err(CometdError::Protocol {
                url: self.url.clone(),
                reason: format!("{channel} reply id {:?} does not echo the request id {id:?} (same value, same JSON type)", reply.id),
            });
        }
        if reply.successful.is_none() {
            return Err(CometdError::Protocol {
                url: self.url.clone(),
                reason: format!("{channel} reply has no `successful` field"),
            });
        }
        Ok((reply, events))
    }

    fn refusal(reply: Message) -> CometdError {
        let wants_handshake = reply.error_code() == Some(402)
            || reply.advice.as_ref().and_then(|a| a.reconnect.as_deref()) == Some("handshake");
        let error = reply
            .error
            .clone()
            .unwrap_or_else(|| "(no error string)".into());
        if wants_handshake {
            CometdError::Rehandshake {
                channel: reply.channel,
                error,
            }
        } else {
            CometdError::Failed {
                channel: reply.channel,
                error,
                advice: reply.advice,
            }
        }
    }

    /// `/meta/handshake`; on success remembers the client id and the advice.
    pub async fn handshake(&self) -> Result<Message, CometdError> {
        let mut message = Message::on("/meta/handshake");
        message.id = Some(self.new_id());
        message.version = Some("1.0".into());
        message.minimum_version = Some("1.0".into());
        message.supported_connection_types = Some(vec!["long-polling".into()]);
        let (reply, _) = self.exchange(message, Duration::ZERO).await?;
        if reply.successful != Some(true) {
            return Err(Self::refusal(reply));
        }
        let client_id = reply
            .client_id
            .clone()
            .filter(|c| !c.is_empty())
            .ok_or_else(|| CometdError::Protocol {
                url: self.url.clone(),
                reason: "successful handshake reply without clientId".into(),
            })?;
        let mut state = self.state();
        state.client_id = Some(client_id);
        state.advice = reply.advice.clone().unwrap_or_default();
        state.connects = 0;
        Ok(reply)
    }

    /// One `/meta/connect`; returns the events delivered with its reply. The first
    /// connect of a handshake asks to be answered at once (`advice.timeout: 0`).
    pub async fn connect(&self) -> Result<Vec<Message>, CometdError> {
        let (client_id, first, hold) = {
            let state = self.state();
            let client_id = state.client_id.clone().ok_or(CometdError::NotHandshaken)?;
            (
                client_id,
                state.connects == 0,
                Duration::from_millis(state.advice.timeout.unwrap_or(30_000)),
            )
        };
        let mut message = Message::on("/meta/connect");
        message.id = Some(self.new_id());
        message.client_id = Some(client_id);
        message.connection_type = Some("long-polling".into());
        if first {
            message.advice = Some(Advice {
                timeout: Some(0),
                ..Advice::default()
            });
        }
        let (reply, events) = self.exchange(message, hold).await?;
        if reply.successful != Some(true) {
            return Err(Self::refusal(reply));
        }
        let mut state = self.state();
        state.connects += 1;
        if let Some(advice) = reply.advice {
            state.advice = Advice {
                reconnect: advice.reconnect.or(state.advice.reconnect.take()),
                interval: advice.interval.or(state.advice.interval),
                timeout: advice.timeout.or(state.advice.timeout),
            };
        }
        Ok(events)
    }

    async fn meta_with_subscription(
        &self,
        channel: &str,
        subscription: &str,
    ) -> Result<Vec<Message>, CometdError> {
        let client_id = self.client_id().ok_or(CometdError::NotHandshaken)?;
        let mut message = Message::on(channel);
        message.id = Some(self.new_id());
        message.client_id = Some(client_id);
        message.subscription = Some(Value::String(subscription.to_string()));
        let (reply, events) = self.exchange(message, Duration::ZERO).await?;
        if reply.successful != Some(true) {
            return Err(Self::refusal(reply));
        }
        Ok(events)
    }

    /// `/meta/subscribe`; the channel is re-subscribed after any new handshake.
    pub async fn subscribe(&self, subscription: &str) -> Result<Vec<Message>, CometdError> {
        let events = self
            .meta_with_subscription("/meta/subscribe", subscription)
            .await?;
        self.state().channels.insert(subscription.to_string());
        Ok(events)
    }

    /// `/meta/unsubscribe`.
    pub async fn unsubscribe(&self, subscription: &str) -> Result<Vec<Message>, CometdError> {
        let events = self
            .meta_with_subscription("/meta/unsubscribe", subscription)
            .await?;
        self.state().channels.remove(subscription);
        Ok(events)
    }

    /// `/meta/disconnect`; forgets the client id.
    pub async fn disconnect(&self) -> Result<(), CometdError> {
        let client_id = self.client_id().ok_or(CometdError::NotHandshaken)?;
        let mut message = Message::on("/meta/disconnect");
        message.id = Some(self.new_id());
        message.client_id = Some(client_id);
        let (reply, _) = self.exchange(message, Duration::ZERO).await?;
        self.state().client_id = None;
        if reply.successful != Some(true) {
            return Err(Self::refusal(reply));
        }
        Ok(())
    }

    /// Handshakes again and re-subscribes every channel; returns events delivered.
    pub async fn rehandshake(&self) -> Result<Vec<Message>, CometdError> {
        self.handshake().await?;
        let mut events = Vec::new();
        for channel in self.channels() {
            events.extend(
                self.meta_with_subscription("/meta/subscribe", &channel)
                    .await?,
            );
        }
        Ok(events)
    }

    /// Starts the connect loop on the current runtime; events land in the returned
    /// client's [`EventLog`]. Dropping the [`RunningClient`] stops the loop.
    pub fn start(self: Arc<Self>) -> RunningClient {
        let events = EventLog::default();
        let stop = Arc::new(AtomicBool::new(false));
        let stats = Arc::new(LoopStats::default());
        let task = tokio::spawn(connect_loop(
            self.clone(),
            events.clone(),
            stop.clone(),
            stats.clone(),
        ));
        RunningClient {
            client: self,
            events,
            stop,
            stats,
            task,
        }
    }
}

fn truncate(text: &str) -> String {
    text.chars().take(200).collect()
}

/// Counters of a running connect loop.
#[derive(Debug, Default)]
pub struct LoopStats {
    pub connects: AtomicU64,
    pub rehandshakes: AtomicU64,
    pub errors: Mutex<Vec<String>>,
}

async fn connect_loop(
    client: Arc<BayeuxClient>,
    events: EventLog,
    stop: Arc<AtomicBool>,
    stats: Arc<LoopStats>,
) {
    let mut failures: u32 = 0;
    while !stop.load(Ordering::Relaxed) {
        let interval = client.advice().interval.unwrap_or(0);
        if interval > 0 {
            tokio::time::sleep(Duration::from_millis(interval)).await;
        }
        let outcome = client.connect().await;
        stats.connects.fetch_add(1, Ordering::Relaxed);
        match outcome {
            Ok(batch) => {
                failures = 0;
                events.extend(batch);
            }
            Err(CometdError::Rehandshake { .. }) | Err(CometdError::NotHandshaken) => {
                stats.rehandshakes.fetch_add(1, Ordering::Relaxed);
                match client.rehandshake().await {
                    Ok(batch) => events.extend(batch),
                    Err(e) => {
                        record(&stats, &e);
                        failures += 1;
                        backoff(failures).await;
                    }
                }
            }
            Err(CometdError::Failed { ref advice, .. })
                if advice.as_ref().and_then(|a| a.reconnect.as_deref()) == Some("none") =>
            {
                if let Err(e) = outcome {
                    record(&stats, &e);
                }
                break;
            }
            Err(e) => {
                record(&stats, &e);
                failures += 1;
                backoff(failures).await;
            }
        }
    }
}

fn record(stats: &LoopStats, error: &CometdError) {
    let mut errors = stats.errors.lock().unwrap_or_else(|p| p.into_inner());
    if errors.len() >= 100 {
        errors.remove(0);
    }
    errors.push(error.to_string());
}

async fn backoff(failures: u32) {
    let ms = 100u64.saturating_mul(1 << failures.min(6)).min(5_000);
    tokio::time::sleep(Duration::from_millis(ms)).await;
}

/// An event and when it arrived.
#[derive(Debug, Clone)]
pub struct ReceivedEvent {
    pub at: Instant,
    pub message: Message,
}

/// Every event a running client received, in arrival order; waiters are woken on arrival.
#[derive(Debug, Clone, Default)]
pub struct EventLog {
    inner: Arc<(Mutex<Vec<ReceivedEvent>>, Notify)>,
}

impl EventLog {
    /// Appends events (all stamped now) and wakes waiters.
    pub fn extend(&self, batch: Vec<Message>) {
        if batch.is_empty() {
            return;
        }
        let now = Instant::now();
        {
            let mut log = self.inner.0.lock().unwrap_or_else(|p| p.into_inner());
            log.extend(
                batch
                    .into_iter()
                    .map(|message| ReceivedEvent { at: now, message }),
            );
        }
        self.inner.1.notify_waiters();
    }

    /// A copy of every event so far.
    pub fn snapshot(&self) -> Vec<ReceivedEvent> {
        self.inner
            .0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Waits until an event after `since` satisfies `matches`, or `deadline` passes.
    pub async fn wait_for(
        &self,
        since: Instant,
        deadline: Instant,
        matches: impl Fn(&Message) -> bool,
    ) -> Option<ReceivedEvent> {
        loop {
            let notified = self.inner.1.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            if let Some(found) = self
                .snapshot()
                .into_iter()
                .find(|e| e.at >= since && matches(&e.message))
            {
                return Some(found);
            }
            if tokio::time::timeout_at(deadline.into(), notified)
                .await
                .is_err()
            {
                return None;
            }
        }
    }
}

/// A client whose connect loop runs in the background.
#[derive(Debug)]
pub struct RunningClient {
    pub client: Arc<BayeuxClient>,
    pub events: EventLog,
    pub stats: Arc<LoopStats>,
    stop: Arc<AtomicBool>,
    task: tokio::task::JoinHandle<()>,
}

impl RunningClient {
    /// Stops the loop and sends `/meta/disconnect`.
    pub async fn stop(self) -> Result<(), CometdError> {
        self.stop.store(true, Ordering::Relaxed);
        self.task.abort();
        self.client.disconnect().await
    }

    /// Errors the loop met (transport failures, refusals), most recent last.
    pub fn errors(&self) -> Vec<String> {
        self.stats
            .errors
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }
}

impl Drop for RunningClient {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        self.task.abort();
    }
}
