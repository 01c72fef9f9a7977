//! The Bayeux message handlers: handshake, connect (held), subscribe, unsubscribe,
//! disconnect, publish refusal, and delivery of server events to session queues.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use rand::Rng;
use serde_json::{json, Map, Value};
use tokio::time::Instant;

use super::message::{channel_of, client_id_of, failed, reply_to, succeeded};
use super::session::{Ending, Session, Signal};

const HANDSHAKE: &str = "/meta/handshake";
const CONNECT: &str = "/meta/connect";
const SUBSCRIBE: &str = "/meta/subscribe";
const UNSUBSCRIBE: &str = "/meta/unsubscribe";
const DISCONNECT: &str = "/meta/disconnect";
/// The only transport offered (aiocometd switches to websocket if it is listed; notes section 4).
const LONG_POLLING: &str = "long-polling";
/// Error of every message naming a session that does not exist (the string the
/// real Genesys server sends; notes section 2).
const UNKNOWN_CLIENT: &str = "402::Unknown client";
/// Length and alphabet of a `clientId` (like `nv8g1psdzxpb9yol3z1l6zvk2p`, notes section 2).
const CLIENT_ID_LEN: usize = 26;
const CLIENT_ID_ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";

/// Timings and channels of one Bayeux server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BayeuxConfig {
    /// How long a connect is held at most; sent as `advice.timeout`.
    pub timeout_ms: u64,
    /// A session with no connect outstanding for this long is dropped.
    pub max_interval_ms: u64,
    /// Channels a client may subscribe to, compared exactly (no wildcards).
    pub channels: Vec<String>,
    /// Events kept per session; older ones are dropped first.
    pub max_queue: usize,
}

/// Which sessions an event goes to (always only those subscribed to its channel).
#[derive(Debug, Clone, Copy)]
pub enum Audience<'a> {
    /// Every session.
    All,
    /// Every session of this principal.
    Owner(&'a str),
    /// One session.
    Session(&'a str),
    /// `session` if it is live and owned by `owner`; once it is gone (reaped after
    /// `maxInterval`), the sessions of `owner` from the same `browser`, i.e. the
    /// client after its new handshake. Never every session of the owner: one user's
    /// abandoned sessions must not multiply another session's traffic.
    SessionOrBrowser {
        /// The preferred session.
        session: &'a str,
        /// Its owner.
        owner: &'a str,
        /// The `BAYEUX_BROWSER` id it handshook with.
        browser: &'a str,
    },
}

/// Told when a session has subscribed to a channel (after the reply is decided,
/// outside every lock), so it can queue what a new subscriber should see first.
pub trait SubscribeHook: Send + Sync {
    /// `session` (owned by `owner`) now subscribes to `channel`.
    fn subscribed(&self, session: &str, owner: &str, channel: &str);
}

/// What one long-polling request produced.
#[derive(Debug, Default)]
pub struct Exchange {
    /// Queued events first, then one reply per request message, in request order.
    pub messages: Vec<Value>,
    /// The `clientId` created by a successful handshake in this request.
    pub handshake: Option<String>,
}

#[derive(Debug, Default)]
struct Sessions {
    live: HashMap<String, Session>,
    dropped_events: u64,
}

/// A Bayeux server: every session behind one `std::sync::Mutex`, never held
/// across an `.await`; held connects wait on their session's `Notify`.
#[derive(Debug)]
pub struct BayeuxServer {
    config: BayeuxConfig,
    sessions: Mutex<Sessions>,
}

/// A connect being held: which session, which ticket, until when.
struct Hold {
    client_id: String,
    ticket: u64,
    signal: Arc<Signal>,
    deadline: Instant,
    reply: Map<String, Value>,
}

/// Clears the session's outstanding connect if the waiting request goes away
/// (answered, or the HTTP client hung up), so the reaper measures from there.
struct HoldGuard<'a> {
    server: &'a BayeuxServer,
    client_id: String,
    ticket: u64,
}

impl Drop for HoldGuard<'_> {
    fn drop(&mut self) {
        let mut sessions = self.server.lock();
        if let Some(session) = sessions.live.get_mut(&self.client_id) {
            if session.held == Some(self.ticket) {
                session.held = None;
                session.idle_since = Instant::now();
            }
        }
    }
}

enum ConnectStep {
    Done(Value, Vec<Value>),
    Hold(Hold),
}

fn new_client_id() -> String {
    let mut rng = rand::rng();
    (0..CLIENT_ID_LEN)
        .map(|_| char::from(CLIENT_ID_ALPHABET[rng.random_range(0..CLIENT_ID_ALPHABET.len())]))
        .collect()
}

/// A random `BAYEUX_BROWSER` cookie value (its content is not specified anywhere).
pub fn new_browser_id() -> String {
    new_client_id()
}

fn unknown_client(reply: Map<String, Value>) -> Value {
    let mut reply = failed(reply, UNKNOWN_CLIENT);
    reply.insert(
        "advice".into(),
        json!({ "interval": 0, "reconnect": "handshake" }),
    );
    Value::Object(reply)
}

impl BayeuxServer {
    /// A server with no session.
    pub fn new(config: BayeuxConfig) -> BayeuxServer {
        BayeuxServer {
            config,
            sessions: Mutex::new(Sessions::default()),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Sessions> {
        self.sessions
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn connect_advice(&self) -> Value {
        json!({ "interval": 0, "timeout": self.config.timeout_ms, "reconnect": "retry" })
    }

    /// Is `client_id` a live session owned by `owner`?
    pub fn is_live(&self, client_id: &str, owner: &str) -> bool {
        self.lock()
            .live
            .get(client_id)
            .is_some_and(|s| s.owner == owner)
    }

    /// Number of live sessions.
    pub fn session_count(&self) -> usize {
        self.lock().live.len()
    }

    /// Events dropped so far because a session's queue was full.
    pub fn dropped_events(&self) -> u64 {
        self.lock().dropped_events
    }

    /// Queues `{"channel": channel, "data": data}` for every session of
    /// `audience` subscribed to `channel`, waking their held connects.
    /// Returns how many sessions got it.
    pub fn deliver(&self, channel: &str, data: &Value, audience: Audience<'_>) -> usize {
        let event = json!({ "channel": channel, "data": data });
        let max = self.config.max_queue;
        let mut sessions = self.lock();
        let audience = match audience {
            Audience::SessionOrBrowser { session, owner, .. }
                if sessions.live.get(session).is_some_and(|s| s.owner == owner) =>
            {
                Audience::Session(session)
            }
            other => other,
        };
        let mut reached = 0;
        let mut dropped = 0;
        for (id, session) in &mut sessions.live {
            let included = match audience {
                Audience::All => true,
                Audience::Owner(owner) => session.owner == owner,
                Audience::Session(wanted) => id == wanted,
                Audience::SessionOrBrowser { owner, browser, .. } => {
                    session.owner == owner && session.browser == browser
                }
            };
            if included && session.channels.contains(channel) {
                if session.enqueue(event.clone(), max) {
                    dropped += 1;
                }
                reached += 1;
            }
        }
        sessions.dropped_events += dropped;
        reached
    }

    /// Drops sessions that had no connect outstanding for longer than the max
    /// interval (Bayeux: "act as if a disconnect message has been received").
    pub fn reap(&self) {
        let max = Duration::from_millis(self.config.max_interval_ms);
        let now = Instant::now();
        let mut sessions = self.lock();
        sessions.live.retain(|_, session| {
            let stale = session.held.is_none() && now.duration_since(session.idle_since) > max;
            if stale {
                session.signal.end(Ending::Dropped);
            }
            !stale
        });
    }

    /// The `BAYEUX_BROWSER` id of a live session.
    pub fn browser_of(&self, session: &str) -> Option<String> {
        self.lock().live.get(session).map(|s| s.browser.clone())
    }

    /// Drops every session (control-plane reset); held connects answer 402.
    pub fn drop_all(&self) {
        let mut sessions = self.lock();
        for session in sessions.live.values() {
            session.signal.end(Ending::Dropped);
        }
        sessions.live.clear();
        sessions.dropped_events = 0;
    }

    /// Answers one long-polling request of `owner` (the bearer token's
    /// principal). Replies to everything but a held connect at once; a held
    /// connect waits for an event, a newer connect, a disconnect or its timeout.
    pub async fn handle(
        &self,
        owner: &str,
        browser: &str,
        messages: Vec<Value>,
        hook: &dyn SubscribeHook,
    ) -> Exchange {
        // "A server MUST ignore any other message sent in the same request as a
        // handshake message" (Bayeux 1.0; notes section 3).
        if let Some(handshake) = messages.iter().find(|m| channel_of(m) == Some(HANDSHAKE)) {
            let (reply, client_id) = self.handshake(owner, browser, handshake);
            return Exchange {
                messages: vec![reply],
                handshake: client_id,
            };
        }

        let mut replies: Vec<Value> = Vec::with_capacity(messages.len());
        let mut events: Vec<Value> = Vec::new();
        let mut holds: Vec<(usize, Hold)> = Vec::new();
        let mut subscribed: Vec<(String, String)> = Vec::new();
        for message in &messages {
            let Some(request) = message.as_object() else {
                replies.push(json!({
                    "successful": false,
                    "error": "400::Malformed message: not a JSON object",
                }));
                continue;
            };
            let Some(channel) = channel_of(message) else {
                let mut reply = Map::new();
                if let Some(id) = request.get("id") {
                    reply.insert("id".into(), id.clone());
                }
                replies.push(Value::Object(failed(
                    reply,
                    "400::Malformed message: no channel",
                )));
                continue;
            };
            match channel {
                CONNECT => match self.begin_connect(owner, request) {
                    ConnectStep::Done(reply, queued) => {
                        events.extend(queued);
                        replies.push(reply);
                    }
                    ConnectStep::Hold(hold) => {
                        holds.push((replies.len(), hold));
                        replies.push(Value::Null);
                    }
                },
                SUBSCRIBE | UNSUBSCRIBE => {
                    let (reply, added) = self.subscription(owner, request, channel == SUBSCRIBE);
                    replies.push(reply);
                    subscribed.extend(added);
                }
                DISCONNECT => replies.push(self.disconnect(owner, request)),
                meta if meta == "/meta" || meta.starts_with("/meta/") => replies.push(
                    Value::Object(failed(reply_to(request, meta), "400::Unknown meta channel")),
                ),
                other => replies.push(Value::Object(failed(
                    reply_to(request, other),
                    "403::Publish not allowed",
                ))),
            }
        }

        for (session, channel) in &subscribed {
            hook.subscribed(session, owner, channel);
        }
        for (index, hold) in holds {
            let (reply, queued) = self.wait_connect(hold).await;
            events.extend(queued);
            if let Some(slot) = replies.get_mut(index) {
                *slot = reply;
            }
        }
        events.extend(replies);
        Exchange {
            messages: events,
            handshake: None,
        }
    }

    fn handshake(&self, owner: &str, browser: &str, message: &Value) -> (Value, Option<String>) {
        let empty = Map::new();
        let request = message.as_object().unwrap_or(&empty);
        let reply = reply_to(request, HANDSHAKE);
        let refuse = |error: &str, offer: bool| {
            let mut reply = failed(reply.clone(), error);
            if offer {
                reply.insert("supportedConnectionTypes".into(), json!([LONG_POLLING]));
            }
            reply.insert(
                "advice".into(),
                json!({ "reconnect": "none", "interval": 0 }),
            );
            (Value::Object(reply), None)
        };
        if !request.get("version").is_some_and(Value::is_string) {
            return refuse("400::Malformed handshake: version is required", false);
        }
        let Some(types) = request
            .get("supportedConnectionTypes")
            .and_then(Value::as_array)
        else {
            return refuse(
                "400::Malformed handshake: supportedConnectionTypes must be an array",
                false,
            );
        };
        if !types.iter().any(|t| t.as_str() == Some(LONG_POLLING)) {
            return refuse("403::No common transport", true);
        }

        let client_id = new_client_id();
        self.lock()
            .live
            .insert(client_id.clone(), Session::new(owner, browser));
        let mut reply = succeeded(reply);
        reply.insert("version".into(), json!("1.0"));
        reply.insert("minimumVersion".into(), json!("1.0"));
        reply.insert("supportedConnectionTypes".into(), json!([LONG_POLLING]));
        reply.insert("clientId".into(), json!(client_id));
        reply.insert("advice".into(), self.connect_advice());
        (Value::Object(reply), Some(client_id))
    }

    fn begin_connect(&self, owner: &str, request: &Map<String, Value>) -> ConnectStep {
        let reply = reply_to(request, CONNECT);
        if request.get("connectionType").and_then(Value::as_str) != Some(LONG_POLLING) {
            return ConnectStep::Done(
                Value::Object(failed(
                    reply,
                    "400::Malformed message: connectionType must be long-polling",
                )),
                Vec::new(),
            );
        }
        let Some(client_id) = client_id_of(request) else {
            return ConnectStep::Done(unknown_client(reply), Vec::new());
        };
        // The client's own advice.timeout caps the hold; 0 means "answer at once"
        // (the vendor JS client's first connect; notes sections 3 and 7).
        let asked = request
            .get("advice")
            .and_then(|a| a.get("timeout"))
            .and_then(Value::as_u64);
        let mut sessions = self.lock();
        let Some(session) = sessions.live.get_mut(client_id) else {
            return ConnectStep::Done(unknown_client(reply), Vec::new());
        };
        if session.owner != owner {
            return ConnectStep::Done(Value::Object(failed(reply, "403::Forbidden")), Vec::new());
        }
        session.connects += 1;
        let first = session.connects == 1;
        // "A transport MUST maintain one and only one outstanding connect":
        // a newer connect releases the held one (it sees it lost its ticket).
        if session.held.take().is_some() {
            session.signal.wake();
        }
        let mut reply = succeeded(reply);
        reply.insert("advice".into(), self.connect_advice());
        if first || asked == Some(0) || !session.queue.is_empty() {
            session.idle_since = Instant::now();
            let queued: Vec<Value> = session.queue.drain(..).collect();
            return ConnectStep::Done(Value::Object(reply), queued);
        }
        let hold_ms = asked.map_or(self.config.timeout_ms, |t| t.min(self.config.timeout_ms));
        let ticket = session.next_ticket;
        session.next_ticket += 1;
        session.held = Some(ticket);
        ConnectStep::Hold(Hold {
            client_id: client_id.to_owned(),
            ticket,
            signal: session.signal.clone(),
            deadline: Instant::now() + Duration::from_millis(hold_ms),
            reply,
        })
    }

    /// Waits until the held connect has something to say; returns its reply
    /// and the events to send before it.
    async fn wait_connect(&self, hold: Hold) -> (Value, Vec<Value>) {
        let _guard = HoldGuard {
            server: self,
            client_id: hold.client_id.clone(),
            ticket: hold.ticket,
        };
        loop {
            let notified = hold.signal.notify().notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            if let Some(answer) = self.poll_connect(&hold, false) {
                return answer;
            }
            tokio::select! {
                () = &mut notified => {}
                () = tokio::time::sleep_until(hold.deadline) => {
                    if let Some(answer) = self.poll_connect(&hold, true) {
                        return answer;
                    }
                }
            }
        }
    }

    /// The held connect's answer if it is due (`expired`: its timeout passed).
    fn poll_connect(&self, hold: &Hold, expired: bool) -> Option<(Value, Vec<Value>)> {
        let mut sessions = self.lock();
        let Some(session) = sessions.live.get_mut(&hold.client_id) else {
            return Some(match hold.signal.ending() {
                // Disconnected by its own client: the held connect ends quietly.
                Ending::Disconnected | Ending::Live => {
                    let mut reply = hold.reply.clone();
                    reply.insert(
                        "advice".into(),
                        json!({ "interval": 0, "reconnect": "none" }),
                    );
                    (Value::Object(reply), Vec::new())
                }
                Ending::Dropped => {
                    let reply = reply_to(&Map::new(), CONNECT);
                    let mut reply = match unknown_client(reply) {
                        Value::Object(map) => map,
                        _ => Map::new(),
                    };
                    if let Some(id) = hold.reply.get("id") {
                        reply.insert("id".into(), id.clone());
                    }
                    (Value::Object(reply), Vec::new())
                }
            });
        };
        if session.held != Some(hold.ticket) {
            // Superseded by a newer connect, which gets the events.
            return Some((Value::Object(hold.reply.clone()), Vec::new()));
        }
        if session.queue.is_empty() && !expired {
            return None;
        }
        session.held = None;
        session.idle_since = Instant::now();
        let queued = session.queue.drain(..).collect();
        Some((Value::Object(hold.reply.clone()), queued))
    }

    /// Subscribe (`adding`) or unsubscribe; returns the reply and, for a
    /// successful subscribe, the (session, channel) pairs to tell the hook about.
    fn subscription(
        &self,
        owner: &str,
        request: &Map<String, Value>,
        adding: bool,
    ) -> (Value, Vec<(String, String)>) {
        let meta = if adding { SUBSCRIBE } else { UNSUBSCRIBE };
        let mut reply = reply_to(request, meta);
        if let Some(subscription) = request.get("subscription") {
            reply.insert("subscription".into(), subscription.clone());
        }
        let Some(client_id) = client_id_of(request) else {
            return (unknown_client(reply), Vec::new());
        };
        let channels: Option<Vec<&str>> = match request.get("subscription") {
            Some(Value::String(one)) => Some(vec![one.as_str()]),
            Some(Value::Array(many)) if !many.is_empty() => {
                many.iter().map(Value::as_str).collect()
            }
            _ => None,
        };
        let Some(channels) = channels else {
            return (
                Value::Object(failed(
                    reply,
                    "400::Malformed message: subscription must be a channel name or a non-empty array of them",
                )),
                Vec::new(),
            );
        };
        let mut sessions = self.lock();
        let Some(session) = sessions.live.get_mut(client_id) else {
            return (unknown_client(reply), Vec::new());
        };
        if session.owner != owner {
            return (Value::Object(failed(reply, "403::Forbidden")), Vec::new());
        }
        if let Some(unknown) = channels
            .iter()
            .find(|c| !self.config.channels.iter().any(|known| known == *c))
        {
            return (
                Value::Object(failed(reply, format!("403:{unknown}:Unknown channel"))),
                Vec::new(),
            );
        }
        let mut added = Vec::new();
        for channel in channels {
            if adding {
                session.channels.insert(channel.to_owned());
                added.push((client_id.to_owned(), channel.to_owned()));
            } else {
                session.channels.remove(channel);
            }
        }
        (Value::Object(succeeded(reply)), added)
    }

    fn disconnect(&self, owner: &str, request: &Map<String, Value>) -> Value {
        let reply = reply_to(request, DISCONNECT);
        let Some(client_id) = client_id_of(request) else {
            return Value::Object(failed(reply, UNKNOWN_CLIENT));
        };
        let mut sessions = self.lock();
        match sessions.live.get(client_id) {
            None => Value::Object(failed(reply, UNKNOWN_CLIENT)),
            Some(session) if session.owner != owner => {
                Value::Object(failed(reply, "403::Forbidden"))
            }
            Some(_) => {
                if let Some(session) = sessions.live.remove(client_id) {
                    session.signal.end(Ending::Disconnected);
                }
                Value::Object(succeeded(reply))
            }
        }
    }
}
