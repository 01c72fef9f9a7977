//! The statistics and CometD gates catch the wrong servers they name: each test puts a
//! fault proxy in front of the cxgate mock, breaks one behaviour (session binding,
//! connect loop, duplicate or dropped updates, subscription create), runs the scenario
//! that claims to catch it and checks that it FAILS at the right step; an honest proxy
//! lets the same scenarios pass.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/fault_proxy.rs"]
mod fault_proxy;
#[path = "support/verdict.rs"]
mod verdict;

use verdict::{all_passed, failure_of};

use cxgate::mock::{MockConfig, MockServer};
use cxgate::report::RunResult;
use fault_proxy::{FaultProxy, ProxiedRequest, ProxiedResponse, Rewrite};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

const TWO_SESSIONS: &str =
    "Two sessions of the same user each receive only their own subscription's updates";
const DELETED: &str = "No update arrives for a deleted subscription";
const UNSUBSCRIBED: &str =
    "No update arrives after the session unsubscribes from the updates channel";
const PERIODIC: &str = "Periodical updates arrive at the requested frequency, each once";
const DELETE_SUCCEEDS: &str = "Deleting a subscription succeeds";
const OTHER_USER: &str = "Another user cannot read a subscription";
const VALUES_GONE: &str = "The values of a deleted subscription are gone";

struct Deployment {
    _mock: MockServer,
    proxy: FaultProxy,
}

async fn behind_proxy(rewrite: Rewrite) -> Deployment {
    let mock = MockServer::start(MockConfig::default_seed(), "127.0.0.1:0".parse().unwrap())
        .await
        .expect("the mock starts");
    let proxy = FaultProxy::start(&mock.base_url(), rewrite).await;
    Deployment { _mock: mock, proxy }
}

fn honest() -> Rewrite {
    Arc::new(|_, _| {})
}

async fn verify(target: &str, scenarios: &[&str], strict: bool) -> RunResult {
    let mut options = verdict::options(target, scenarios, "gates-statistics");
    options.tags = Some("@statistics".into());
    options.strict = strict;
    verdict::result(&options).await
}

fn is_connect(request: &ProxiedRequest) -> bool {
    request.path().starts_with("/statistics/v3/notifications")
        && request.text().contains("/meta/connect")
}

fn client_id(request: &ProxiedRequest) -> Option<String> {
    let body: Value = serde_json::from_slice(&request.body).ok()?;
    body.as_array()?
        .iter()
        .find(|m| m["channel"] == "/meta/connect")
        .and_then(|m| m["clientId"].as_str())
        .map(str::to_owned)
}

fn is_event(message: &Value) -> bool {
    message["channel"]
        .as_str()
        .is_some_and(|c| !c.starts_with("/meta/"))
}

/// Rewrites the messages of each /meta/connect reply.
fn on_connect_replies(
    change: impl Fn(&ProxiedRequest, Vec<Value>) -> Vec<Value> + Send + Sync + 'static,
) -> Rewrite {
    Arc::new(move |request, response| {
        if !is_connect(request) {
            return;
        }
        let Some(Value::Array(messages)) = response.json_body() else {
            return;
        };
        response.set_json_body(&Value::Array(change(request, messages)));
    })
}

#[tokio::test]
async fn the_statistics_gates_pass_through_an_honest_proxy() {
    let deployment = behind_proxy(honest()).await;
    let portable = [
        TWO_SESSIONS,
        DELETED,
        UNSUBSCRIBED,
        PERIODIC,
        DELETE_SUCCEEDS,
    ];
    all_passed(&verify(&deployment.proxy.uri(), &portable, false).await, 5);
    let strict = [OTHER_USER, VALUES_GONE];
    all_passed(&verify(&deployment.proxy.uri(), &strict, true).await, 2);
}

/// A server that routes updates by user, not by session: every event in one session's
/// connect reply is copied into the next connect reply of every other session.
#[tokio::test]
async fn updates_delivered_to_every_session_of_the_user_fail_the_two_session_scenario() {
    let log: Arc<Mutex<Vec<(String, Value)>>> = Arc::default();
    let delivered: Arc<Mutex<HashMap<String, usize>>> = Arc::default();
    let rewrite = on_connect_replies(move |request, mut messages| {
        let Some(me) = client_id(request) else {
            return messages;
        };
        let mut log = log.lock().unwrap();
        for m in messages.iter().filter(|m| is_event(m)) {
            log.push((me.clone(), m.clone()));
        }
        let mut delivered = delivered.lock().unwrap();
        let from = delivered.insert(me.clone(), log.len()).unwrap_or(0);
        messages.extend(
            log[from.min(log.len())..]
                .iter()
                .filter(|(owner, _)| *owner != me)
                .map(|(_, m)| m.clone()),
        );
        messages
    });
    let deployment = behind_proxy(rewrite).await;
    let reason = failure_of(
        &verify(&deployment.proxy.uri(), &[TWO_SESSIONS], false).await,
        TWO_SESSIONS,
    );
    assert!(reason.contains("expected no StatisticUpdate"), "{reason}");
}

/// A session whose connect loop dies once the subscription is deleted: every later
/// /meta/connect is answered HTTP 500. "Receives no update" must not pass vacuously.
#[tokio::test]
async fn a_dead_connect_loop_fails_the_no_update_after_delete_step() {
    let dead = Arc::new(AtomicBool::new(false));
    let rewrite: Rewrite = Arc::new(move |request, response| {
        if request.method == "DELETE" && request.path().starts_with("/statistics/v3/subscriptions/")
        {
            dead.store(true, Ordering::SeqCst);
        }
        if dead.load(Ordering::SeqCst) && is_connect(request) {
            *response = ProxiedResponse::json(500, &json!({"error": "Internal Server Error"}));
        }
    });
    let deployment = behind_proxy(rewrite).await;
    let reason = failure_of(
        &verify(&deployment.proxy.uri(), &[DELETED], false).await,
        DELETED,
    );
    assert!(
        reason.contains("receives no StatisticUpdate")
            && (reason.contains("connect loop failed") || reason.contains("not alive")),
        "{reason}"
    );
}

/// After /meta/unsubscribe no event can prove the session alive; every connect is then
/// refused with `successful:false`, so the probe connect fails too.
#[tokio::test]
async fn a_refusing_connect_fails_the_no_update_after_unsubscribe_step() {
    let dead = Arc::new(AtomicBool::new(false));
    let rewrite: Rewrite = Arc::new(move |request, response| {
        if request.text().contains("/meta/unsubscribe") {
            dead.store(true, Ordering::SeqCst);
            return;
        }
        if dead.load(Ordering::SeqCst) && is_connect(request) {
            let id = serde_json::from_slice::<Value>(&request.body)
                .ok()
                .and_then(|b| b.get(0).and_then(|m| m.get("id")).cloned())
                .unwrap_or(Value::Null);
            *response = ProxiedResponse::json(
                200,
                &json!([{"channel": "/meta/connect", "id": id, "successful": false,
                         "error": "500::backend down", "advice": {"reconnect": "retry", "interval": 0}}]),
            );
        }
    });
    let deployment = behind_proxy(rewrite).await;
    let reason = failure_of(
        &verify(&deployment.proxy.uri(), &[UNSUBSCRIBED], false).await,
        UNSUBSCRIBED,
    );
    assert!(
        reason.contains("receives no StatisticUpdate")
            && (reason.contains("connect loop failed") || reason.contains("not alive")),
        "{reason}"
    );
}

/// Every event of a connect reply is delivered twice.
#[tokio::test]
async fn duplicated_updates_fail_the_periodic_scenario_at_the_no_duplicate_step() {
    let rewrite = on_connect_replies(|_, messages| {
        let mut out = Vec::new();
        for m in messages {
            if is_event(&m) {
                out.push(m.clone());
            }
            out.push(m);
        }
        out
    });
    let deployment = behind_proxy(rewrite).await;
    let reason = failure_of(
        &verify(&deployment.proxy.uri(), &[PERIODIC], false).await,
        PERIODIC,
    );
    assert!(reason.contains("delivered twice"), "{reason}");
}

/// A server that pushes every 2 s for notificationFrequency 1: every other update is
/// dropped.
#[tokio::test]
async fn updates_every_two_seconds_fail_a_one_second_period() {
    let count = Arc::new(AtomicUsize::new(0));
    let rewrite = on_connect_replies(move |_, messages| {
        messages
            .into_iter()
            .filter(|m| {
                m["channel"] != "/statistics/v3/updates"
                    || count.fetch_add(1, Ordering::SeqCst).is_multiple_of(2)
            })
            .collect()
    });
    let deployment = behind_proxy(rewrite).await;
    let reason = failure_of(
        &verify(&deployment.proxy.uri(), &[PERIODIC], false).await,
        PERIODIC,
    );
    assert!(
        reason.contains("apart") && reason.contains("expected every 1s within 300ms"),
        "{reason}"
    );
}

/// Subscription create is broken (500, then 400): the scenarios that build on it fail
/// at the create step instead of passing on DELETE-always-200 and GET-unknown-404.
#[tokio::test]
async fn a_broken_subscription_create_fails_the_delete_and_other_user_scenarios_at_create() {
    for status in [500u16, 400] {
        let rewrite: Rewrite = Arc::new(move |request, response| {
            if request.method == "POST" && request.path() == "/statistics/v3/subscriptions" {
                *response = ProxiedResponse::json(
                    status,
                    &json!({"status": {"code": status, "message": "broken"}}),
                );
            }
        });
        let deployment = behind_proxy(rewrite).await;
        for (scenario, strict) in [
            (DELETE_SUCCEEDS, false),
            (OTHER_USER, true),
            (VALUES_GONE, true),
        ] {
            let reason = failure_of(
                &verify(&deployment.proxy.uri(), &[scenario], strict).await,
                scenario,
            );
            assert!(
                reason.contains("POST /statistics/v3/subscriptions")
                    && reason.contains(&status.to_string())
                    && reason.contains("the response status is 200"),
                "{scenario} with {status}: {reason}"
            );
        }
    }
}
