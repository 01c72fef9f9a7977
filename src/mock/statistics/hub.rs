//! The live Statistics service: open subscriptions, who they reach, the ticker
//! that pushes updates, the service state, and the CometD server they go out on.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, Weak};
use std::time::Duration;

use axum::http::StatusCode;
use serde_json::{json, Map, Value};

use super::super::cometd::{Audience, BayeuxConfig, BayeuxServer, SubscribeHook};
use super::super::kernel::identity::MockState;
use super::engine::{Engine, Sample, StatKey};
use super::request::{PeekItem, SubscribeRequest};
use super::seed::{NotificationMode, StatisticsConfig};

/// Channel of statistic value updates (reference line 2744).
pub const UPDATES: &str = "/statistics/v3/updates";
/// Channel of service state changes (reference line 2779).
pub const SERVICE: &str = "/statistics/v3/service";
/// How often the ticker looks for updates to push and sessions to reap. Subscriptions
/// made within one tick fall due in the same tick, and their updates leave together:
/// at 100 ms, 1,000 one-second subscriptions left in bursts whose last update waited
/// p99 62 ms; at 10 ms, p99 6 ms (`benches/cometd_fanout.rs`), for about 1% of a core
/// when the mock is idle.
const TICK: Duration = Duration::from_millis(10);
/// Events a session may have waiting. A polling client collects them at least every
/// advice timeout (20 s), so 1,000 covers 50 updates a second; a session that stopped
/// polling loses its oldest events (counted) until the reaper drops it. Measured with
/// `benches/cometd_fanout.rs`: at 10,000 per session, 1,000 abandoned sessions of one
/// user grew the mock to 3.5 GiB before the reaper ran.
const MAX_QUEUE: usize = 1_000;

/// `verbose` of the subscription endpoints (reference lines 3054, 3224).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verbose {
    /// The default: every field.
    Info,
    /// Only `statisticId`, `value` and `timestamp`.
    Off,
}

impl Verbose {
    /// `INFO` or `OFF` (case-insensitive; the reference lists the upper-case
    /// spellings); absent means INFO.
    pub fn parse(value: Option<&str>) -> Result<Verbose, String> {
        match value {
            None => Ok(Verbose::Info),
            Some(v) if v.eq_ignore_ascii_case("INFO") => Ok(Verbose::Info),
            Some(v) if v.eq_ignore_ascii_case("OFF") => Ok(Verbose::Off),
            Some(v) => Err(format!("verbose `{v}` must be INFO or OFF")),
        }
    }
}

/// One statistic opened in a subscription.
#[derive(Debug, Clone)]
struct OpenStat {
    statistic_id: String,
    name: Option<String>,
    object_type: String,
    object_id: String,
    key: StatKey,
    mode: NotificationMode,
    frequency_ms: u64,
    insensitivity: u64,
    last_sent: Option<Sample>,
    last_sent_ms: u64,
    /// Start of the last bucket an Immediate statistic was evaluated in.
    checked_ms: u64,
}

impl OpenStat {
    /// Its value at `now`.
    fn sample(&self, engine: &Engine, now: u64) -> Sample {
        engine.sample(&self.key, &self.object_type, &self.object_id, now)
    }

    fn pushes(&self) -> bool {
        matches!(
            self.mode,
            NotificationMode::Immediate | NotificationMode::Periodical
        )
    }
}

#[derive(Debug, Clone)]
struct Subscription {
    operation_id: String,
    owner: String,
    /// The CometD session named by the creating request's `STATISTICS_SESSIONID`
    /// cookie; when absent or no longer live, every session of `owner` is reached.
    session: Option<String>,
    /// The `BAYEUX_BROWSER` id of that session: after the session is reaped, the
    /// same client's next session receives the updates.
    browser: Option<String>,
    stats: Vec<OpenStat>,
}

#[derive(Debug, Default)]
struct Registry {
    unavailable: bool,
    subscriptions: HashMap<String, Subscription>,
}

/// A `StatisticValue` (reference 3060-3085): INFO has every field, OFF only
/// `statisticId`, `value` and `timestamp`.
fn statistic_value(
    statistic_id: Option<&str>,
    name: Option<&str>,
    object_type: &str,
    object_id: &str,
    sample: &Sample,
    verbose: Verbose,
) -> Value {
    let mut out = Map::new();
    if let Some(id) = statistic_id {
        out.insert("statisticId".into(), json!(id));
    }
    if verbose == Verbose::Info {
        if let Some(name) = name {
            out.insert("name".into(), json!(name));
        }
        out.insert("objectId".into(), json!(object_id));
        out.insert("objectType".into(), json!(object_type));
    }
    out.insert("value".into(), sample.value());
    out.insert("timestamp".into(), json!(sample.timestamp));
    Value::Object(out)
}

/// The `StatisticUpdate` event of one subscription (reference 2748-2765, with
/// the sample's stray braces repaired; the vendor client descends into
/// `data.data`, notes section 2). Each item's `timestamp` is when this update was
/// generated ("the time the statistic was generated", line 2773), so a receiver can
/// measure delivery latency; `value.timestamp` stays the time the value came to be.
fn update_event(subscription_id: &str, stats: &[(&OpenStat, Sample)], now_ms: u64) -> Value {
    let statistics: Vec<Value> = stats
        .iter()
        .map(|(stat, sample)| {
            let mut value = statistic_value(
                Some(&stat.statistic_id),
                stat.name.as_deref(),
                &stat.object_type,
                &stat.object_id,
                sample,
                Verbose::Info,
            );
            if let Value::Object(map) = &mut value {
                map.insert("subscriptionId".into(), json!(subscription_id));
                map.insert("timestamp".into(), json!(now_ms));
            }
            value
        })
        .collect();
    json!({
        "name": "StatisticUpdate",
        "topic": UPDATES,
        "data": { "statistics": statistics },
    })
}

/// An event waiting to be delivered once the registry lock is released.
struct Outgoing {
    owner: String,
    session: Option<String>,
    browser: Option<String>,
    event: Value,
}

/// The Statistics service shared by the REST handlers, the CometD endpoint,
/// the control plane and the ticker. Locks (registry, then sessions) are never
/// nested and never held across an `.await`.
#[derive(Debug)]
pub struct StatisticsHub {
    config: StatisticsConfig,
    state: Arc<MockState>,
    engine: Engine,
    bayeux: BayeuxServer,
    registry: Mutex<Registry>,
    ticker: AtomicBool,
}

impl StatisticsHub {
    /// A hub for `state`'s seed, with no subscription and no session.
    pub fn new(state: Arc<MockState>, config: StatisticsConfig) -> Arc<StatisticsHub> {
        let bayeux = BayeuxServer::new(BayeuxConfig {
            timeout_ms: config.cometd_timeout_ms,
            max_interval_ms: config.cometd_max_interval_ms,
            channels: vec![UPDATES.to_owned(), SERVICE.to_owned()],
            max_queue: MAX_QUEUE,
        });
        Arc::new(StatisticsHub {
            engine: Engine::new(config.seed, config.change_period_ms),
            config,
            state,
            bayeux,
            registry: Mutex::new(Registry::default()),
            ticker: AtomicBool::new(false),
        })
    }

    fn lock(&self) -> MutexGuard<'_, Registry> {
        self.registry
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The CometD server of `/statistics/v3/notifications`.
    pub fn bayeux(&self) -> &BayeuxServer {
        &self.bayeux
    }

    /// Mock time in milliseconds, on the one mock clock, so
    /// `/__cxgate/clock/advance` moves statistic values too.
    pub fn now_ms(&self) -> u64 {
        self.state.clock().now_ms()
    }

    /// Starts the ticker on the current tokio runtime, once. Without a runtime
    /// it is tried again by the next request.
    pub fn ensure_ticker(self: &Arc<Self>) {
        if self.ticker.swap(true, Ordering::SeqCst) {
            return;
        }
        match tokio::runtime::Handle::try_current() {
            Ok(handle) => {
                handle.spawn(run_ticker(Arc::downgrade(self)));
            }
            Err(_) => self.ticker.store(false, Ordering::SeqCst),
        }
    }

    /// Is the service AVAILABLE?
    pub fn is_available(&self) -> bool {
        !self.lock().unavailable
    }

    fn sample(&self, key: &StatKey, object_type: &str, object_id: &str, now: u64) -> Sample {
        self.engine.sample(key, object_type, object_id, now)
    }

    /// The value of one pre-configured statistic, or a 404 message.
    pub fn peek(&self, item: &PeekItem, now: u64) -> Result<Value, String> {
        if self.config.named(&item.name).is_none() {
            return Err(format!(
                "Unknown statistic {} for {}/{}",
                item.name, item.object_type, item.object_id
            ));
        }
        if !self.config.has_object(&item.object_type, &item.object_id) {
            return Err(format!(
                "Unknown object {}/{} for statistic {}",
                item.object_type, item.object_id, item.name
            ));
        }
        let sample = self.sample(
            &StatKey::named(&item.name),
            &item.object_type,
            &item.object_id,
            now,
        );
        Ok(statistic_value(
            None,
            Some(&item.name),
            &item.object_type,
            &item.object_id,
            &sample,
            Verbose::Info,
        ))
    }

    /// Opens a subscription for `owner`; returns `StatisticData` or the status
    /// and message of the refusal.
    pub fn subscribe(
        &self,
        owner: &str,
        cookie_session: Option<&str>,
        request: SubscribeRequest,
        verbose: Verbose,
    ) -> Result<Value, (StatusCode, String)> {
        let mut stats = Vec::with_capacity(request.items.len());
        let now = self.now_ms();
        for (at, item) in request.items.into_iter().enumerate() {
            if !self.config.has_object(&item.object_type, &item.object_id) {
                return Err((
                    StatusCode::BAD_REQUEST,
                    format!(
                        "statistics[{at}]: unknown object {}/{}",
                        item.object_type, item.object_id
                    ),
                ));
            }
            let (key, mode, frequency_secs, insensitivity) = match (&item.name, &item.definition) {
                (Some(name), _) => {
                    let Some(named) = self.config.named(name) else {
                        return Err((
                            StatusCode::BAD_REQUEST,
                            format!("statistics[{at}]: unknown statistic {name}"),
                        ));
                    };
                    (
                        StatKey::named(name),
                        named.notification_mode,
                        named.notification_frequency,
                        0,
                    )
                }
                (None, Some(definition)) => (
                    StatKey::defined(&definition.canonical),
                    definition.mode,
                    definition.frequency_secs,
                    definition.insensitivity,
                ),
                (None, None) => {
                    return Err((
                        StatusCode::BAD_REQUEST,
                        format!("statistics[{at}] needs a name or a definition"),
                    ))
                }
            };
            let sample = self.sample(&key, &item.object_type, &item.object_id, now);
            stats.push(OpenStat {
                statistic_id: item.statistic_id,
                name: item.name,
                object_type: item.object_type,
                object_id: item.object_id,
                key,
                mode,
                frequency_ms: frequency_secs.unwrap_or(1).saturating_mul(1000),
                insensitivity,
                checked_ms: sample.timestamp,
                last_sent: Some(sample),
                last_sent_ms: now,
            });
        }

        // Bind to the CometD session named by the cookie when it is a live
        // session of the same user (notes section 7).
        let session = cookie_session
            .filter(|s| self.bayeux.is_live(s, owner))
            .map(str::to_owned);
        // subscriptionId is filled from operationId (reference line 2676); the
        // reference does not say what happens without one: the mock makes a UUID.
        let id = request
            .operation_id
            .unwrap_or_else(|| crate::ids::uuid_v4().to_string());
        let browser = session.as_deref().and_then(|s| self.bayeux.browser_of(s));
        let subscription = Subscription {
            operation_id: id.clone(),
            owner: owner.to_owned(),
            session,
            browser,
            stats,
        };
        {
            let mut registry = self.lock();
            if registry.subscriptions.contains_key(&id) {
                return Err((
                    StatusCode::BAD_REQUEST,
                    format!("subscription {id} already exists; use another operationId"),
                ));
            }
            let held = registry
                .subscriptions
                .values()
                .filter(|s| s.owner == owner)
                .count();
            if held >= self.config.max_subscriptions {
                // The only documented 403 of the Statistics API (reference line 3099).
                return Err((
                    StatusCode::FORBIDDEN,
                    format!(
                        "too many subscriptions: {owner} already holds {held} (limit {}); delete some first",
                        self.config.max_subscriptions
                    ),
                ));
            }
            registry
                .subscriptions
                .insert(id.clone(), subscription.clone());
        }

        let data = self.statistic_data(&id, &subscription, None, verbose);
        // Push the current values once to the sessions the subscription reaches.
        let pushed: Vec<(&OpenStat, Sample)> = subscription
            .stats
            .iter()
            .filter(|s| s.pushes())
            .filter_map(|s| s.last_sent.clone().map(|sample| (s, sample)))
            .collect();
        if !pushed.is_empty() {
            self.send(Outgoing {
                owner: subscription.owner.clone(),
                session: subscription.session.clone(),
                browser: subscription.browser.clone(),
                event: update_event(&id, &pushed, self.now_ms()),
            });
        }
        Ok(data)
    }

    fn statistic_data(
        &self,
        id: &str,
        subscription: &Subscription,
        filter: Option<&[String]>,
        verbose: Verbose,
    ) -> Value {
        let now = self.now_ms();
        let statistics: Vec<Value> = subscription
            .stats
            .iter()
            .filter(|s| filter.is_none_or(|ids| ids.contains(&s.statistic_id)))
            .map(|s| {
                let sample = self.sample(&s.key, &s.object_type, &s.object_id, now);
                statistic_value(
                    Some(&s.statistic_id),
                    s.name.as_deref(),
                    &s.object_type,
                    &s.object_id,
                    &sample,
                    verbose,
                )
            })
            .collect();
        json!({
            "subscriptionId": id,
            "operationId": subscription.operation_id,
            "statistics": statistics,
        })
    }

    /// `StatisticData` of `owner`'s subscription `id`, or `None` when there is
    /// no such subscription of that user.
    pub fn subscription_values(
        &self,
        owner: &str,
        id: &str,
        filter: Option<&[String]>,
        verbose: Verbose,
    ) -> Option<Value> {
        let subscription = {
            let registry = self.lock();
            registry
                .subscriptions
                .get(id)
                .filter(|s| s.owner == owner)
                .cloned()?
        };
        Some(self.statistic_data(id, &subscription, filter, verbose))
    }

    /// Closes `owner`'s subscription `id`; anything else is silently ignored
    /// (fire-and-forget, reference lines 2736 and 3172).
    pub fn unsubscribe(&self, owner: &str, id: &str) {
        let mut registry = self.lock();
        if registry
            .subscriptions
            .get(id)
            .is_some_and(|s| s.owner == owner)
        {
            registry.subscriptions.remove(id);
        }
    }

    /// Sets the service state and tells every session subscribed to
    /// `/statistics/v3/service`. UNAVAILABLE drops all subscriptions
    /// (reference line 2777).
    ///
    /// The state is spelled in upper case as the reference shows (2785-2805);
    /// the vendor Java client maps only `Available`/`Unavailable` and reads
    /// anything else as Unknown (notes section 2).
    pub fn set_available(&self, available: bool) {
        {
            let mut registry = self.lock();
            registry.unavailable = !available;
            if !available {
                registry.subscriptions.clear();
            }
        }
        let state = if available {
            "AVAILABLE"
        } else {
            "UNAVAILABLE"
        };
        let event = json!({
            "name": "ServiceStateChange",
            "topic": SERVICE,
            "data": { "serviceState": state },
        });
        self.bayeux.deliver(SERVICE, &event, Audience::All);
    }

    /// Back to the seed: AVAILABLE, no subscription, no CometD session.
    pub fn reset(&self) {
        *self.lock() = Registry::default();
        self.bayeux.drop_all();
    }

    /// What the control plane reports.
    pub fn snapshot(&self) -> Value {
        let (available, subscriptions) = {
            let registry = self.lock();
            (!registry.unavailable, registry.subscriptions.len())
        };
        json!({
            "serviceState": if available { "AVAILABLE" } else { "UNAVAILABLE" },
            "subscriptions": subscriptions,
            "sessions": self.bayeux.session_count(),
            "droppedEvents": self.bayeux.dropped_events(),
        })
    }

    fn send(&self, outgoing: Outgoing) {
        let audience = match &outgoing.session {
            Some(session) => Audience::SessionOrBrowser {
                session,
                owner: &outgoing.owner,
                browser: outgoing.browser.as_deref().unwrap_or(""),
            },
            None => Audience::Owner(&outgoing.owner),
        };
        self.bayeux.deliver(UPDATES, &outgoing.event, audience);
    }

    /// One ticker step: push what is due, then reap idle sessions.
    ///
    /// Immediate: when the value (intValue/stringValue) differs from the last
    /// one pushed. Periodical: every notificationFrequency seconds of mock
    /// time, skipped when `insensitivity` > 0 and the value moved by less
    /// (notes section 6; the reference is silent). Reset and NoNotification: never.
    pub fn tick(&self) {
        let now = self.now_ms();
        let bucket_ms = now - now % self.config.change_period_ms.max(1);
        let mut outgoing = Vec::new();
        {
            let mut registry = self.lock();
            for (id, subscription) in &mut registry.subscriptions {
                let mut due: Vec<(usize, Sample)> = Vec::new();
                for (index, stat) in subscription.stats.iter_mut().enumerate() {
                    let send = match stat.mode {
                        // Values only move between buckets: evaluate once per bucket.
                        NotificationMode::Immediate if stat.checked_ms != bucket_ms => {
                            stat.checked_ms = bucket_ms;
                            let sample = stat.sample(&self.engine, now);
                            let same = stat
                                .last_sent
                                .as_ref()
                                .is_some_and(|last| last.same_as(&sample));
                            (!same).then_some(sample)
                        }
                        NotificationMode::Periodical
                            if now.saturating_sub(stat.last_sent_ms) >= stat.frequency_ms =>
                        {
                            stat.last_sent_ms = now;
                            let sample = stat.sample(&self.engine, now);
                            let moved = stat
                                .last_sent
                                .as_ref()
                                .map_or(u64::MAX, |last| sample.int_value.abs_diff(last.int_value));
                            (stat.insensitivity == 0 || moved >= stat.insensitivity)
                                .then_some(sample)
                        }
                        _ => None,
                    };
                    if let Some(sample) = send {
                        stat.last_sent = Some(sample.clone());
                        stat.last_sent_ms = now;
                        due.push((index, sample));
                    }
                }
                if !due.is_empty() {
                    let stats: Vec<(&OpenStat, Sample)> = due
                        .into_iter()
                        .filter_map(|(i, sample)| subscription.stats.get(i).map(|s| (s, sample)))
                        .collect();
                    outgoing.push(Outgoing {
                        owner: subscription.owner.clone(),
                        session: subscription.session.clone(),
                        browser: subscription.browser.clone(),
                        event: update_event(id, &stats, now),
                    });
                }
            }
        }
        for message in outgoing {
            self.send(message);
        }
        self.bayeux.reap();
    }
}

impl SubscribeHook for StatisticsHub {
    /// A session that subscribes to the updates channel gets the current values
    /// of every subscription that reaches it, once: the vendor client creates
    /// its REST subscription before it subscribes to updates, so the push at
    /// creation time is lost (notes section 7).
    fn subscribed(&self, session: &str, owner: &str, channel: &str) {
        if channel != UPDATES {
            return;
        }
        let now = self.now_ms();
        let candidates: Vec<(Option<String>, Value)> = {
            let registry = self.lock();
            registry
                .subscriptions
                .iter()
                .filter(|(_, s)| s.owner == owner)
                .filter_map(|(id, s)| {
                    let stats: Vec<(&OpenStat, Sample)> = s
                        .stats
                        .iter()
                        .filter(|stat| stat.pushes())
                        .map(|stat| {
                            let sample = stat.sample(&self.engine, now);
                            (stat, sample)
                        })
                        .collect();
                    (!stats.is_empty()).then(|| (s.session.clone(), update_event(id, &stats, now)))
                })
                .collect()
        };
        for (binding, event) in candidates {
            let reaches = match binding {
                None => true,
                Some(bound) => bound == session || !self.bayeux.is_live(&bound, owner),
            };
            if reaches {
                self.bayeux
                    .deliver(UPDATES, &event, Audience::Session(session));
            }
        }
    }
}

async fn run_ticker(hub: Weak<StatisticsHub>) {
    let mut interval = tokio::time::interval(TICK);
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    loop {
        interval.tick().await;
        let Some(hub) = hub.upgrade() else {
            break;
        };
        hub.tick();
    }
}
