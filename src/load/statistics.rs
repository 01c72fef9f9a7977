//! The statistics path under load. REST users (weight 3) peek statistics
//! (get-statistic-ex 4, statistic-values 4) and run a subscription's life (create, read,
//! delete: 2). CometD users (weight 1) hold a long-poll connect, as a dashboard does, on
//! a session with one Periodical subscription; each update's delivery latency (its
//! timestamp to receipt) is recorded as the request "statistics update delivery".

use super::call::Call;
use super::check::custom;
use super::context::{with_ctx, LoadContext};
use super::registry::{Counters, LoadPath};
use super::session::{api_headers, bearer, send_signed_in, sign_in, signed_in_scenario};
use crate::cometd::BayeuxClient;
use crate::report::load::LoadSummary;
use goose::goose::{GooseUser, Scenario, TransactionResult};
use serde_json::{json, Value};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// `cxgate load statistics`.
pub const PATH: LoadPath = LoadPath::counting::<Updates>("statistics", scenarios);

const OBJECT: &str = "agent";

/// Statistics updates received by CometD users during the run.
#[derive(Debug, Default)]
struct Updates(AtomicU64);

impl Counters for Updates {
    fn account(&self, summary: &mut LoadSummary) {
        summary.updates_received = self.0.load(Ordering::Relaxed);
    }
}

async fn peek(user: &mut GooseUser, ctx: Arc<LoadContext>) -> TransactionResult {
    let body = json!({"data": {"statistics": [
        {"name": "CurrentAgentState", "objectType": "Agent", "objectId": OBJECT},
        {"name": "TimeInCurrentState", "objectType": "Agent", "objectId": OBJECT}]}});
    let call = Call::post("/statistics/v3/operations/get-statistic-ex")
        .named("get-statistic-ex")
        .json(&body)
        .expect(200, Some("statistics/PeekedStatisticsResponse"));
    send_signed_in(call, user, &ctx).await?;
    Ok(())
}

async fn value(user: &mut GooseUser, ctx: Arc<LoadContext>) -> TransactionResult {
    let path = format!(
        "/statistics/v3/statistic-values/TimeInCurrentState?objectType=Agent&objectId={OBJECT}"
    );
    let call = Call::get(path)
        .named("statistic-values")
        .expect(200, Some("statistics/PeekedStatisticResponse"));
    send_signed_in(call, user, &ctx).await?;
    Ok(())
}

fn subscription_body(id: &str, frequency: u64) -> Value {
    json!({"operationId": id, "data": {"statistics": [{"statisticId": format!("{id}-1"), "objectId": OBJECT, "objectType": "Agent",
        "definition": {"notificationMode": "Periodical", "notificationFrequency": frequency, "category": "CurrentTime", "subject": "DNStatus", "mainMask": "*"}}]}})
}

/// Creates a Periodical subscription (every `frequency` seconds); returns its id.
async fn create_subscription(
    user: &mut GooseUser,
    ctx: &LoadContext,
    headers: &[(&'static str, String)],
    frequency: u64,
) -> Result<String, Box<goose::goose::TransactionError>> {
    // The shard is part of the id: shards never share a subscription.
    let id = ctx.ids.next("subscription");
    Call::post("/statistics/v3/subscriptions")
        .named("subscription create")
        .headers(headers.iter().cloned())
        .json(&subscription_body(&id, frequency))
        .expect(200, Some("statistics/StatisticDataResponse"))
        .send(user, ctx)
        .await?;
    Ok(id)
}

async fn subscription_life(user: &mut GooseUser, ctx: Arc<LoadContext>) -> TransactionResult {
    let headers = api_headers(user, &ctx).await?;
    let id = create_subscription(user, &ctx, &headers, 10).await?;
    Call::get(format!(
        "/statistics/v3/subscriptions/{id}/statistic-values"
    ))
    .named("subscription read")
    .headers(headers.iter().cloned())
    .expect(200, Some("statistics/StatisticDataResponse"))
    .send(user, &ctx)
    .await?;
    Call::delete(format!("/statistics/v3/subscriptions/{id}"))
        .named("subscription delete")
        .headers(headers)
        .expect(200, Some("common/ApiResponse"))
        .send(user, &ctx)
        .await?;
    Ok(())
}

/// A CometD user's session.
#[derive(Clone)]
struct Notifications {
    client: Arc<BayeuxClient>,
}

async fn cometd_start(user: &mut GooseUser, ctx: Arc<LoadContext>) -> TransactionResult {
    sign_in(user, &ctx).await?;
    let token = bearer(user, &ctx).await?;
    let url = ctx.target.url_for("/statistics/v3/notifications");
    let headers = vec![
        ("x-api-key".to_string(), ctx.target.api_key.clone()),
        ("Authorization".to_string(), format!("Bearer {token}")),
    ];
    // The goose user's own client: its cookie jar binds the REST subscription below to
    // this CometD session.
    let client = Arc::new(BayeuxClient::new(user.client.clone(), url, headers));
    let started = std::time::Instant::now();
    let outcome = async {
        client.handshake().await?;
        client.connect().await?;
        client.subscribe("/statistics/v3/updates").await
    }
    .await;
    let failed = outcome.as_ref().err().map(ToString::to_string);
    let result = match &failed {
        None => Ok(Some(200)),
        Some(why) => Err(why.as_str()),
    };
    let took = started.elapsed();
    custom(
        user,
        &ctx,
        "POST",
        "cometd handshake+subscribe",
        took,
        result,
    )
    .await?;
    let headers = api_headers(user, &ctx).await?;
    create_subscription(user, &ctx, &headers, 1).await?;
    user.set_session_data(Notifications { client });
    Ok(())
}

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

async fn cometd_poll(user: &mut GooseUser, ctx: Arc<LoadContext>) -> TransactionResult {
    let Some(client) = user
        .get_session_data::<Notifications>()
        .map(|n| n.client.clone())
    else {
        return Ok(());
    };
    let started = std::time::Instant::now();
    let outcome = client.connect().await;
    let events = match outcome {
        Ok(events) => {
            let took = started.elapsed();
            custom(user, &ctx, "POST", "cometd connect", took, Ok(Some(200))).await?;
            events
        }
        Err(e) => {
            let why = e.to_string();
            let took = started.elapsed();
            custom(user, &ctx, "POST", "cometd connect", took, Err(&why)).await?;
            if client.rehandshake().await.is_err() {
                tokio::time::sleep(Duration::from_millis(500)).await;
            }
            return Ok(());
        }
    };
    let received = now_ms();
    for event in events
        .iter()
        .filter(|e| e.channel == "/statistics/v3/updates")
    {
        let stats = event
            .data
            .as_ref()
            .and_then(|d| d.pointer("/data/statistics"))
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        for stat in stats {
            if let Some(ts) = stat.get("timestamp").and_then(Value::as_u64) {
                if let Some(updates) = ctx.part::<Updates>() {
                    updates.0.fetch_add(1, Ordering::Relaxed);
                }
                let latency = Duration::from_millis(received.saturating_sub(ts));
                let name = "statistics update delivery";
                custom(user, &ctx, "EVENT", name, latency, Ok(None)).await?;
            }
        }
    }
    Ok(())
}

/// The REST and CometD statistics scenarios.
fn scenarios(ctx: &Arc<LoadContext>) -> Result<Vec<Scenario>, goose::GooseError> {
    let rest = signed_in_scenario("statistics", ctx)
        .register_transaction(
            with_ctx!(ctx, peek)
                .set_name("get-statistic-ex")
                .set_weight(4)?,
        )
        .register_transaction(
            with_ctx!(ctx, value)
                .set_name("statistic-values")
                .set_weight(4)?,
        )
        .register_transaction(
            with_ctx!(ctx, subscription_life)
                .set_name("subscription life")
                .set_weight(2)?,
        )
        .set_weight(3)?;
    let cometd = Scenario::new("statistics notifications")
        .register_transaction(
            with_ctx!(ctx, cometd_start)
                .set_name("cometd start")
                .set_on_start(),
        )
        .register_transaction(with_ctx!(ctx, cometd_poll).set_name("cometd poll"))
        .set_weight(1)?;
    Ok(vec![rest, cometd])
}
