//! Statistics notification steps: CometD sessions, StatisticUpdate and ServiceStateChange
//! events with deadlines, periodic delivery, and the statistics service control.

use super::control::post;
use super::http::json_at;
use super::placeholders::expand;
use super::world::{CometdSession, CxWorld};
use crate::client::HttpClient;
use crate::cometd::{BayeuxClient, Message};
use cucumber::{given, then, when};
use serde_json::Value;
use std::sync::Arc;
use std::time::{Duration, Instant};

type StepResult = Result<(), String>;

const UPDATES: &str = "/statistics/v3/updates";
const SERVICE: &str = "/statistics/v3/service";

fn session<'a>(world: &'a CxWorld, name: &str) -> Result<&'a CometdSession, String> {
    world
        .sessions
        .get(name)
        .ok_or_else(|| format!("no CometD session \"{name}\" in this scenario; open it first"))
}

/// A step argument with its placeholders expanded, then the CometD session `name`.
fn expanded_and_session<'a>(
    world: &'a mut CxWorld,
    text: &str,
    name: &str,
) -> Result<(String, &'a CometdSession), String> {
    let text = expand(world, text)?;
    Ok((text, session(world, name)?))
}

#[given(expr = "the {word} has a CometD session {string}")]
async fn open_session(world: &mut CxWorld, alias: String, name: String) -> StepResult {
    let ctx = world.ctx()?.clone();
    let token = expand(world, &format!("{{token:{alias}}}"))?;
    // The first session shares the scenario's cookie jar with REST requests, as the
    // vendor clients do; later sessions are separate browsers.
    let http = if world.sessions.is_empty() {
        world.client()?
    } else {
        HttpClient::for_target(&ctx.target, ctx.timeout)?
    };
    let url = ctx.target.url_for("/statistics/v3/notifications");
    let headers = vec![
        ("x-api-key".to_string(), ctx.target.api_key.clone()),
        ("Authorization".to_string(), format!("Bearer {token}")),
    ];
    let client = Arc::new(BayeuxClient::new(http.reqwest(), url, headers));
    client
        .handshake()
        .await
        .map_err(|e| format!("CometD handshake for session \"{name}\": {e}"))?;
    let running = client.start();
    world.sessions.insert(
        name,
        CometdSession {
            http,
            running,
            opened: Instant::now(),
        },
    );
    Ok(())
}

#[given(regex = r#"^session "([^"]*)" (subscribes to|unsubscribes from) "([^"]*)"$"#)]
async fn subscription(
    world: &mut CxWorld,
    name: String,
    verb: String,
    channel: String,
) -> StepResult {
    let s = session(world, &name)?;
    let client = &s.running.client;
    let events = if verb == "subscribes to" {
        client.subscribe(&channel).await
    } else {
        client.unsubscribe(&channel).await
    }
    .map_err(|e| format!("session \"{name}\": {verb} {channel}: {e}"))?;
    s.running.events.extend(events);
    Ok(())
}

#[given(expr = "session {string} is used for the next requests")]
fn use_session(world: &mut CxWorld, name: String) -> StepResult {
    let http = session(world, &name)?.http.clone();
    world.http = Some(http);
    Ok(())
}

#[when(expr = "session {string} disconnects")]
async fn disconnect(world: &mut CxWorld, name: String) -> StepResult {
    let s = world
        .sessions
        .remove(&name)
        .ok_or_else(|| format!("no CometD session \"{name}\""))?;
    s.running
        .stop()
        .await
        .map_err(|e| format!("session \"{name}\": disconnect: {e}"))
}

/// The statistics of a StatisticUpdate event (`data.data.statistics`, or `data.statistics`).
fn update_statistics(message: &Message) -> Vec<Value> {
    let Some(data) = &message.data else {
        return Vec::new();
    };
    let inner = data.get("data").unwrap_or(data);
    inner
        .get("statistics")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
}

fn is_update_for(message: &Message, field: &str, value: &str) -> bool {
    message.channel == UPDATES
        && update_statistics(message)
            .iter()
            .any(|s| s.get(field).and_then(Value::as_str) == Some(value))
}

fn describe_events(s: &CometdSession) -> String {
    let events = s.running.events.snapshot();
    let errors = s.running.errors();
    format!(
        "{} event(s) received in all (channels: {:?}); connect loop errors: {}",
        events.len(),
        events
            .iter()
            .map(|e| e.message.channel.as_str())
            .collect::<std::collections::BTreeSet<_>>(),
        if errors.is_empty() {
            "none".to_string()
        } else {
            errors.join(" | ")
        }
    )
}

#[then(
    expr = "within {int} seconds session {string} receives a StatisticUpdate for subscription {string}"
)]
async fn receives_update(
    world: &mut CxWorld,
    seconds: u64,
    name: String,
    subscription: String,
) -> StepResult {
    let subscription = expand(world, &subscription)?;
    let what = format!("StatisticUpdate for subscription {subscription} on {UPDATES}");
    keep_event(world, &name, seconds, &what, |m| {
        is_update_for(m, "subscriptionId", &subscription)
    })
    .await
}

/// Waits up to `seconds` for an event of session `name` (since it opened) that
/// `matches`, and keeps it as the scenario's last event; `what` names the event in the
/// failure.
async fn keep_event(
    world: &mut CxWorld,
    name: &str,
    seconds: u64,
    what: &str,
    matches: impl Fn(&Message) -> bool,
) -> StepResult {
    let s = session(world, name)?;
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let found = s.running.events.wait_for(s.opened, deadline, matches).await;
    match found {
        Some(event) => {
            world.last_event = serde_json::to_value(&event.message).ok();
            Ok(())
        }
        None => Err(format!(
            "session \"{name}\": no {what} within {seconds} s; {}",
            describe_events(s)
        )),
    }
}

/// How long a liveness probe (one extra `/meta/connect`) may take. A Bayeux server
/// answers the connect it already holds when a second one arrives ("one and only one
/// outstanding connect"), so the probe returns as soon as the loop reconnects.
const PROBE_TIMEOUT: Duration = Duration::from_secs(5);

/// Proves that session `name` still delivers: some event other than those matching
/// `excluded` arrived since `since`, or a probe connect round-trip succeeds now; and the
/// connect loop recorded no new error since `errors_before`. Events the probe returns
/// are added to the log. A dead or failing session is an error: a "receives no ..."
/// step must not pass because nothing could be received.
async fn prove_alive(
    s: &CometdSession,
    name: &str,
    since: Instant,
    errors_before: &[String],
    excluded: &(dyn Fn(&Message) -> bool + Sync),
) -> StepResult {
    let loop_failed = |s: &CometdSession| {
        let now = s.running.errors();
        (now.as_slice() != errors_before).then(|| {
            let fresh: Vec<String> = now
                .iter()
                .skip(errors_before.len().min(now.len()))
                .cloned()
                .collect();
            format!(
                "session \"{name}\": the connect loop failed during the window, so the absence of an update proves nothing: {}",
                if fresh.is_empty() { now.join(" | ") } else { fresh.join(" | ") }
            )
        })
    };
    if let Some(why) = loop_failed(s) {
        return Err(why);
    }
    let delivered = s
        .running
        .events
        .snapshot()
        .iter()
        .any(|e| e.at >= since && !excluded(&e.message));
    if !delivered {
        match tokio::time::timeout(PROBE_TIMEOUT, s.running.client.connect()).await {
            Ok(Ok(events)) => s.running.events.extend(events),
            Ok(Err(e)) => {
                return Err(format!(
                    "session \"{name}\": no event arrived in the window and a probe /meta/connect failed ({e}), so the session is not alive; {}",
                    describe_events(s)
                ))
            }
            Err(_) => {
                return Err(format!(
                    "session \"{name}\": no event arrived in the window and a probe /meta/connect got no answer within {PROBE_TIMEOUT:?}; {}",
                    describe_events(s)
                ))
            }
        }
    }
    loop_failed(s).map_or(Ok(()), Err)
}

#[then(
    expr = "session {string} receives no StatisticUpdate for subscription {string} within {int} seconds"
)]
async fn receives_no_update(
    world: &mut CxWorld,
    name: String,
    subscription: String,
    seconds: u64,
) -> StepResult {
    let (subscription, s) = expanded_and_session(world, &subscription, &name)?;
    let since = Instant::now();
    let errors_before = s.running.errors();
    let matches = |m: &Message| is_update_for(m, "subscriptionId", &subscription);
    let found = s
        .running
        .events
        .wait_for(since, since + Duration::from_secs(seconds), matches)
        .await;
    if found.is_none() {
        prove_alive(s, &name, since, &errors_before, &matches).await?;
    }
    // The probe may have brought the update.
    let found = found.or_else(|| {
        s.running
            .events
            .snapshot()
            .into_iter()
            .find(|e| e.at >= since && matches(&e.message))
    });
    match found {
        None => Ok(()),
        Some(event) => Err(format!(
            "session \"{name}\": expected no StatisticUpdate for subscription {subscription}, got one after {:?}: {}",
            event.at.duration_since(since),
            serde_json::to_string(&event.message).unwrap_or_default()
        )),
    }
}

fn is_service_state(message: &Message, state: &str) -> bool {
    message.channel == SERVICE
        && message
            .data
            .as_ref()
            .map(|d| d.get("data").unwrap_or(d))
            .and_then(|d| d.get("serviceState"))
            .and_then(Value::as_str)
            == Some(state)
}

#[then(
    expr = "session {string} received no StatisticUpdate for subscription {string} between the ServiceStateChanges to {string} and {string}"
)]
fn no_update_between_states(
    world: &mut CxWorld,
    name: String,
    subscription: String,
    first: String,
    second: String,
) -> StepResult {
    let (subscription, s) = expanded_and_session(world, &subscription, &name)?;
    let events = s.running.events.snapshot();
    let from = events
        .iter()
        .position(|e| is_service_state(&e.message, &first))
        .ok_or_else(|| format!("session \"{name}\": no ServiceStateChange to {first} received"))?;
    // The later event proves the session delivered after the window.
    let to = events
        .iter()
        .skip(from + 1)
        .position(|e| is_service_state(&e.message, &second))
        .map(|n| n + from + 1)
        .ok_or_else(|| {
            format!(
                "session \"{name}\": no ServiceStateChange to {second} after the one to {first}"
            )
        })?;
    match events[from..to]
        .iter()
        .find(|e| is_update_for(&e.message, "subscriptionId", &subscription))
    {
        None => Ok(()),
        Some(event) => Err(format!(
            "session \"{name}\": a StatisticUpdate for subscription {subscription} arrived between the ServiceStateChanges to {first} and {second}: {}",
            serde_json::to_string(&event.message).unwrap_or_default()
        )),
    }
}

#[then(expr = "session {string} received no StatisticUpdate twice")]
fn no_duplicate_updates(world: &mut CxWorld, name: String) -> StepResult {
    let s = session(world, &name)?;
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut updates = 0usize;
    for (n, event) in s.running.events.snapshot().iter().enumerate() {
        if event.message.channel != UPDATES {
            continue;
        }
        for item in update_statistics(&event.message) {
            updates += 1;
            let key = serde_json::json!([
                item.get("subscriptionId"),
                item.get("statisticId"),
                item.get("timestamp"),
                item.get("value"),
            ])
            .to_string();
            if let Some(first) = seen.insert(key, n) {
                return Err(format!(
                    "session \"{name}\": the same statistic update was delivered twice (events #{first} and #{n}): {item}"
                ));
            }
        }
    }
    if updates == 0 {
        return Err(format!(
            "session \"{name}\": no StatisticUpdate was received at all, so duplicates cannot be ruled out; {}",
            describe_events(s)
        ));
    }
    Ok(())
}

#[given(expr = "the statistics service stays {word} for {int} seconds")]
async fn service_stays(_world: &mut CxWorld, _state: String, seconds: u64) -> StepResult {
    tokio::time::sleep(Duration::from_secs(seconds)).await;
    Ok(())
}

#[then(
    regex = r#"^session "([^"]*)" receives StatisticUpdates for statistic "([^"]*)" every (\d+) seconds? within (\d+) milliseconds, (\d+) times$"#
)]
async fn periodic_updates(
    world: &mut CxWorld,
    name: String,
    statistic: String,
    period: u64,
    tolerance: u64,
    times: usize,
) -> StepResult {
    let (statistic, s) = expanded_and_session(world, &statistic, &name)?;
    let period = Duration::from_secs(period);
    let tolerance = Duration::from_millis(tolerance);
    // A tolerance of half the period or more cannot tell the period from twice or half
    // of it; such a step would pass against a server that ignores notificationFrequency.
    if tolerance * 2 >= period {
        return Err(format!(
            "the tolerance {tolerance:?} must be less than half the period {period:?} to tell it from {:?} and {:?}",
            period / 2,
            period * 2
        ));
    }
    let start = Instant::now();
    let mut arrivals: Vec<Instant> = Vec::new();
    let mut since = start;
    while arrivals.len() < times + 1 {
        // The first update may take a period plus set-up time; each later one must come
        // within period + tolerance of the one before, so a slower server fails here.
        let deadline = match arrivals.last() {
            None => start + period + tolerance + Duration::from_secs(2),
            Some(previous) => *previous + period + tolerance,
        };
        let found = s
            .running
            .events
            .wait_for(since, deadline, |m| {
                is_update_for(m, "statisticId", &statistic)
            })
            .await;
        let Some(event) = found else {
            let gaps = gaps_of(&arrivals);
            return Err(match arrivals.last() {
                None => format!(
                    "session \"{name}\": no update for statistic {statistic} at all within {:?}; {}",
                    period + tolerance + Duration::from_secs(2),
                    describe_events(s)
                ),
                Some(_) => format!(
                    "session \"{name}\": updates for statistic {statistic} arrived {gaps:?} apart, then none within {:?} of the last; expected every {period:?} within {tolerance:?}; {}",
                    period + tolerance,
                    describe_events(s)
                ),
            });
        };
        arrivals.push(event.at);
        since = event.at + Duration::from_millis(1);
    }
    let gaps = gaps_of(&arrivals);
    for gap in &gaps {
        let off = gap.abs_diff(period);
        if off > tolerance {
            return Err(format!(
                "session \"{name}\": updates for statistic {statistic} arrived {gaps:?} apart; expected every {period:?} within {tolerance:?}"
            ));
        }
    }
    Ok(())
}

fn gaps_of(arrivals: &[Instant]) -> Vec<Duration> {
    arrivals
        .windows(2)
        .map(|w| w[1].duration_since(w[0]))
        .collect()
}

#[then(expr = "within {int} seconds session {string} receives a ServiceStateChange to {string}")]
async fn receives_service_state(
    world: &mut CxWorld,
    seconds: u64,
    name: String,
    state: String,
) -> StepResult {
    let what = format!("ServiceStateChange to {state} on {SERVICE}");
    keep_event(world, &name, seconds, &what, |m| {
        is_service_state(m, &state)
    })
    .await
}

#[then(expr = "the event matches the schema {string}")]
fn event_schema(world: &mut CxWorld, name: String) -> StepResult {
    let ctx = world.ctx()?.clone();
    let event = world
        .last_event
        .as_ref()
        .ok_or("no event matched yet in this scenario")?;
    let schema = ctx
        .contract
        .schemas
        .get(&name)
        .ok_or_else(|| format!("unknown schema \"{name}\""))?;
    let violations = schema.violations(event);
    if violations.is_empty() {
        return Ok(());
    }
    let list: Vec<String> = violations.iter().map(|v| format!("  - {v}")).collect();
    Err(format!(
        "event does not match schema \"{name}\":\n{}\nevent: {event}",
        list.join("\n")
    ))
}

#[then(expr = "the event carries the statistic {string} with a value and a timestamp")]
fn event_carries(world: &mut CxWorld, statistic: String) -> StepResult {
    let statistic = expand(world, &statistic)?;
    let event = world
        .last_event
        .clone()
        .ok_or("no event matched yet in this scenario")?;
    let message: Message = serde_json::from_value(event.clone()).map_err(|e| e.to_string())?;
    let stats = update_statistics(&message);
    let item = stats
        .iter()
        .find(|s| s.get("statisticId").and_then(Value::as_str) == Some(statistic.as_str()))
        .ok_or_else(|| format!("the update has no statistic {statistic}: {event}"))?;
    if !item.get("value").is_some_and(Value::is_object) {
        return Err(format!(
            "statistic {statistic}: expected an object at value, actual {:?}",
            item.get("value")
        ));
    }
    if !item
        .get("timestamp")
        .is_some_and(|t| t.is_i64() || t.is_u64())
    {
        return Err(format!(
            "statistic {statistic}: expected an integer timestamp, actual {:?}",
            item.get("timestamp")
        ));
    }
    Ok(())
}

#[given(expr = "the statistics service becomes {word}")]
async fn service_state(world: &mut CxWorld, state: String) -> StepResult {
    let body = serde_json::json!({ "state": state });
    post(world, "/__cxgate/statistics/service", body).await
}

/// The array at `pointer` of the last response body, expanded placeholders applied by
/// the caller; an error names the request and what is there instead.
fn array_at(world: &CxWorld, pointer: &str) -> Result<Vec<Value>, String> {
    let last = world.last()?;
    match json_at(last, pointer)? {
        Some(Value::Array(items)) => Ok(items),
        other => Err(format!(
            "{}: expected an array at {pointer}, actual {}",
            last.describe(),
            other.map_or("nothing".to_string(), |v| v.to_string())
        )),
    }
}

/// The items of the array at `pointer` and the first one whose `field` equals `value`
/// (placeholders expanded, and returned too).
fn item_with(
    world: &mut CxWorld,
    pointer: &str,
    field: &str,
    value: &str,
) -> Result<(String, Vec<Value>, Option<usize>), String> {
    let value = expand(world, value)?;
    let items = array_at(world, pointer)?;
    let found = items.iter().position(|i| field_is(i, field, &value));
    Ok((value, items, found))
}

/// The array at `pointer`, which must not be empty; `expected` says what its items
/// should be (in the failure: "expected items {expected}").
fn items_at(world: &CxWorld, pointer: &str, expected: &str) -> Result<Vec<Value>, String> {
    let items = array_at(world, pointer)?;
    if items.is_empty() {
        return Err(format!(
            "{}: {pointer} is empty; expected items {expected}",
            world.last()?.describe()
        ));
    }
    Ok(items)
}

fn field_is(item: &Value, field: &str, expected: &str) -> bool {
    match item.get(field) {
        Some(Value::String(s)) => s == expected,
        Some(other) => serde_json::from_str::<Value>(expected).is_ok_and(|e| e == *other),
        None => false,
    }
}

#[then(expr = "the JSON array at {string} has an item whose {string} equals {string}")]
fn array_has_item(
    world: &mut CxWorld,
    pointer: String,
    field: String,
    expected: String,
) -> StepResult {
    let (expected, items, found) = item_with(world, &pointer, &field, &expected)?;
    if found.is_some() {
        return Ok(());
    }
    Err(format!(
        "{}: no item of {pointer} has {field} = {expected:?}; items: {}",
        world.last()?.describe(),
        Value::Array(items)
    ))
}

#[then(expr = "no item of the JSON array at {string} has {string} equal to {string}")]
fn array_lacks_item(
    world: &mut CxWorld,
    pointer: String,
    field: String,
    unexpected: String,
) -> StepResult {
    let (unexpected, items, found) = item_with(world, &pointer, &field, &unexpected)?;
    match found {
        None => Ok(()),
        Some(n) => Err(format!(
            "{}: expected no item of {pointer} with {field} = {unexpected:?}, found {}",
            world.last()?.describe(),
            items[n]
        )),
    }
}

#[then(expr = "every item of the JSON array at {string} has {string} equal to {string}")]
fn array_all_equal(
    world: &mut CxWorld,
    pointer: String,
    field: String,
    expected: String,
) -> StepResult {
    let expected = expand(world, &expected)?;
    let items = items_at(world, &pointer, &format!("with {field} = {expected:?}"))?;
    match items.iter().position(|i| !field_is(i, &field, &expected)) {
        None => Ok(()),
        Some(n) => Err(format!(
            "{}: {pointer}/{n} has {field} = {}, expected {expected:?}",
            world.last()?.describe(),
            items[n]
                .get(field.as_str())
                .map_or("nothing".into(), Value::to_string)
        )),
    }
}

#[then(
    regex = r#"^every item of the JSON array at "([^"]*)" has "([^"]*)" as an? (integer|object|string)$"#
)]
fn array_all_typed(
    world: &mut CxWorld,
    pointer: String,
    field: String,
    kind: String,
) -> StepResult {
    let items = items_at(world, &pointer, &format!("with {field} as {kind}"))?;
    for (n, item) in items.iter().enumerate() {
        let value = item.get(field.as_str());
        let ok = match kind.as_str() {
            "integer" => value.is_some_and(|v| v.is_i64() || v.is_u64()),
            "object" => value.is_some_and(Value::is_object),
            _ => value.is_some_and(Value::is_string),
        };
        if !ok {
            return Err(format!(
                "{}: {pointer}/{n}/{field}: expected {kind}, actual {}",
                world.last()?.describe(),
                value.map_or("nothing".into(), Value::to_string)
            ));
        }
    }
    Ok(())
}

#[then(expr = "every item of the JSON array at {string} matches the schema {string}")]
fn array_all_schema(world: &mut CxWorld, pointer: String, name: String) -> StepResult {
    let ctx = world.ctx()?.clone();
    let schema = ctx
        .contract
        .schemas
        .get(&name)
        .ok_or_else(|| format!("unknown schema \"{name}\""))?;
    let items = items_at(world, &pointer, &format!("matching \"{name}\""))?;
    for (n, item) in items.iter().enumerate() {
        let violations = schema.violations(item);
        if !violations.is_empty() {
            let list: Vec<String> = violations
                .iter()
                .map(|v| format!("  - {pointer}/{n}{v}"))
                .collect();
            return Err(format!(
                "{}: {pointer}/{n} does not match schema \"{name}\":\n{}\nitem: {item}",
                world.last()?.describe(),
                list.join("\n")
            ));
        }
    }
    Ok(())
}

#[then(expr = "the JSON string at {string} matches {string}")]
fn json_string_matches(world: &mut CxWorld, pointer: String, pattern: String) -> StepResult {
    let re = regex::Regex::new(&pattern)
        .map_err(|e| format!("the pattern {pattern:?} in the feature is not a regex: {e}"))?;
    let last = world.last()?;
    match json_at(last, &pointer)? {
        Some(Value::String(text)) if re.is_match(&text) => Ok(()),
        other => Err(format!(
            "{}: expected a string matching {pattern:?} at {pointer}, actual {}",
            last.describe(),
            other.map_or("nothing".to_string(), |v| v.to_string())
        )),
    }
}
