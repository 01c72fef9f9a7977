//! The Statistics API's REST side where the features cannot look: the seed's values,
//! refusals no scenario sends, the subscription cap, the service state and reset on the
//! control plane, reproducibility and the clock.

use reqwest::Method;
use serde_json::{json, Value};

use super::*;

const GET_EX: &str = "/statistics/v3/operations/get-statistic-ex";
const SUBSCRIPTIONS: &str = "/statistics/v3/subscriptions";
const AHT_OF_AGENT: &str =
    "/statistics/v3/statistic-values/AverageHandlingTime?objectType=Agent&objectId=agent";
const SERVICE_STATE: &str = "/__cxgate/statistics/service";

/// A subscription to one named and one defined statistic of the seed's `agent`.
fn subscription(operation_id: &str) -> Value {
    json!({
        "operationId": operation_id,
        "data": {"statistics": [
            {"statisticId": "aht", "objectId": "agent", "objectType": "Agent", "name": "AverageHandlingTime"},
            {"statisticId": "tat", "objectId": "agent", "objectType": "Agent", "definition": {
                "notificationMode": "Periodical", "notificationFrequency": 10, "insensitivity": 1,
                "category": "TotalAdjustedTime", "subject": "DNStatus", "intervalType": "GrowingWindow",
                "mainMask": "WaitForNextCall", "dynamicTimeProfile": "00:00", "dynamicFilter": "Media=voice",
                "maskType": "DN"}}
        ]}
    })
}

/// A POST /subscriptions of `body` as `token`, ready to send.
fn create(mock: &Harness, token: &str, body: &Value) -> Call {
    let call = mock.authorized(Method::POST, SUBSCRIPTIONS, token);
    call.json(body)
}

/// A DELETE /subscriptions/`id` as `token`, ready to send.
fn delete(mock: &Harness, token: &str, id: &str) -> Call {
    let path = format!("{SUBSCRIPTIONS}/{id}");
    mock.authorized(Method::DELETE, &path, token)
}

/// Sets the service state on the control plane.
async fn set_service(mock: &Harness, state: &str) -> Answer {
    let call = mock.call(Method::POST, SERVICE_STATE);
    call.json(&json!({"state": state})).send().await
}

/// The mock's value shape (a Stat Server scalar); the schema accepts any object.
fn assert_stat_server_value(value: &Value) {
    assert!(value["intValue"].is_i64(), "{value}");
    assert!(value["stringValue"].is_string(), "{value}");
    assert_eq!(value["tag"], -1, "{value}");
    assert_eq!(value["intervalLength"], 0, "{value}");
    assert!(value["timestamp"].is_u64(), "{value}");
}

#[tokio::test]
async fn peeks_answer_stat_server_values_drawn_from_the_seed() {
    let (mock, token) = Harness::signed_in().await;

    let aht = mock
        .authorized(Method::GET, AHT_OF_AGENT, &token)
        .send()
        .await;
    let state = mock
        .authorized(Method::POST, GET_EX, &token)
        .json(&json!({"data": {"statistics": [
            {"name": "CurrentAgentState", "objectType": "Agent", "objectId": "agent2"}]}}))
        .send()
        .await;

    let aht = &aht.json["data"]["statistic"]["value"];
    assert_stat_server_value(aht);
    assert!(
        (60..=600).contains(&aht["intValue"].as_i64().unwrap()),
        "{aht}"
    );
    let state = &state.json["data"]["statistics"][0]["value"];
    assert_stat_server_value(state);
    let name = state["stringValue"].as_str().unwrap();
    assert!(
        ["Ready", "NotReady", "Busy", "AfterCallWork", "LoggedOut"].contains(&name),
        "{state}"
    );
}

#[tokio::test]
async fn requests_no_scenario_sends_are_answered_as_the_table_says() {
    let (mock, token) = Harness::signed_in().await;
    let created = create(&mock, &token, &subscription("taken")).send().await;
    assert_eq!(created.status, 200, "{}", created.text);
    let unknown = json!({"name": "NoSuchStat", "objectType": "Agent", "objectId": "agent"});
    let aht = json!({"name": "AverageHandlingTime", "objectType": "Agent", "objectId": "agent"});
    let item = json!({"statisticId": "s1", "objectId": "agent", "objectType": "Agent"});
    let named = |name: &str| {
        let mut item = item.clone();
        item["name"] = json!(name);
        item
    };
    let defined = |definition: Value| {
        let mut item = item.clone();
        item["definition"] = definition;
        item
    };
    let mut both = named("AverageHandlingTime");
    both["definition"] = json!({"category": "C", "subject": "S"});
    // Each row: a request (`bearer` defaults to the agent's token), the status, and the
    // JSON at `pointer`. Every 400 also carries a non-empty status message.
    let rows = json!([
        {"what": "an unknown statistic among known ones is named in errors", "method": "POST", "path": GET_EX, "body": {"data": {"statistics": [aht, unknown]}},
         "status": 200, "pointer": "/errors", "expected": [{"status": {"code": 404, "message": "Unknown statistic NoSuchStat for Agent/agent"}}]},
        {"what": "only unknown statistics", "method": "POST", "path": GET_EX, "body": {"statistics": [unknown]},
         "status": 400, "pointer": "/errors/0/status/code", "expected": 404},
        {"what": "a peek without objectId", "method": "POST", "path": GET_EX, "body": {"statistics": [{"name": "AverageHandlingTime", "objectType": "Agent"}]},
         "status": 400, "pointer": "/status/message", "expected": "statistics[0].objectId is required"},
        {"what": "an empty peek list", "method": "POST", "path": GET_EX, "body": {"data": {"statistics": []}}, "status": 400, "pointer": "/status/code", "expected": 400},
        {"what": "an unknown object", "method": "GET", "path": "/statistics/v3/statistic-values/AverageHandlingTime?objectType=Agent&objectId=ghost",
         "status": 404, "pointer": "/status/code", "expected": 404},
        {"what": "an unknown path under the API", "method": "GET", "path": "/statistics/v3/nope", "status": 404, "pointer": "/status/code", "expected": 404},
        {"what": "a token never issued", "method": "GET", "path": AHT_OF_AGENT, "bearer": "nope", "status": 401, "pointer": "/error", "expected": "invalid_token"},
        {"what": "a reused operationId", "method": "POST", "path": SUBSCRIPTIONS, "body": subscription("taken"),
         "status": 400, "pointer": "/status/message", "expected": "subscription taken already exists; use another operationId"},
        {"what": "a bad verbose on the values read", "method": "GET", "path": format!("{SUBSCRIPTIONS}/taken/statistic-values?verbose=x"),
         "status": 400, "pointer": "/status/code", "expected": 400},
        {"what": "a statisticId twice", "method": "POST", "path": SUBSCRIPTIONS, "body": {"data": {"statistics": [named("AverageHandlingTime"), named("CurrentAgentState")]}},
         "status": 400, "pointer": "/status/code", "expected": 400},
        {"what": "a name and a definition", "method": "POST", "path": SUBSCRIPTIONS, "body": {"data": {"statistics": [both]}},
         "status": 400, "pointer": "/status/code", "expected": 400},
        {"what": "neither a name nor a definition", "method": "POST", "path": SUBSCRIPTIONS, "body": {"data": {"statistics": [item]}},
         "status": 400, "pointer": "/status/code", "expected": 400},
        {"what": "an Immediate definition without category", "method": "POST", "path": SUBSCRIPTIONS,
         "body": {"data": {"statistics": [defined(json!({"notificationMode": "Immediate", "subject": "S"}))]}},
         "status": 400, "pointer": "/status/code", "expected": 400},
        {"what": "an unknown notificationMode", "method": "POST", "path": SUBSCRIPTIONS,
         "body": {"data": {"statistics": [defined(json!({"notificationMode": "Sometimes", "category": "C", "subject": "S"}))]}},
         "status": 400, "pointer": "/status/code", "expected": 400},
        {"what": "an empty subscription list", "method": "POST", "path": SUBSCRIPTIONS, "body": {"data": {"statistics": []}},
         "status": 400, "pointer": "/status/code", "expected": 400},
        {"what": "a body that is not an object", "method": "POST", "path": SUBSCRIPTIONS, "body": [1, 2], "status": 400, "pointer": "/status/code", "expected": 400},
    ]);

    for row in rows.as_array().unwrap() {
        let what = &row["what"];
        let method = Method::from_bytes(row["method"].as_str().unwrap().as_bytes()).unwrap();
        let bearer = row["bearer"].as_str().unwrap_or(&token);
        let mut call = mock.authorized(method, row["path"].as_str().unwrap(), bearer);
        if let Some(body) = row.get("body") {
            call = call.json(body);
        }

        let answer = call.send().await;

        assert_eq!(answer.status, row["status"], "{what}: {}", answer.text);
        let pointer = row["pointer"].as_str().unwrap();
        assert_eq!(
            answer.json.pointer(pointer),
            Some(&row["expected"]),
            "{what}: {}",
            answer.text
        );
        if answer.status == 400 {
            let message = answer.json["status"]["message"].as_str().unwrap_or("");
            assert!(!message.is_empty(), "{what}: {}", answer.text);
        }
    }
}

#[tokio::test]
async fn a_subscription_without_operation_id_gets_a_uuid_and_a_defined_statistic_no_name() {
    let (mock, token) = Harness::signed_in().await;
    let mut body = subscription("x");
    body.as_object_mut().unwrap().remove("operationId");

    let answer = create(&mock, &token, &body).send().await;

    assert_eq!(answer.status, 200, "{}", answer.text);
    let id = answer.json["data"]["subscriptionId"].as_str().unwrap();
    assert!(uuid::Uuid::parse_str(id).is_ok(), "{id}");
    let defined = &answer.json["data"]["statistics"][1];
    assert_eq!(defined["statisticId"], "tat");
    assert!(defined.get("name").is_none(), "{defined}");
    assert_stat_server_value(&defined["value"]);
}

#[tokio::test]
async fn another_users_delete_does_not_close_the_subscription() {
    let (mock, agent) = Harness::signed_in().await;
    let supervisor = mock.supervisor_token().await;
    let values = format!("{SUBSCRIPTIONS}/mine/statistic-values");
    create(&mock, &agent, &subscription("mine")).send().await;

    let their_delete = delete(&mock, &supervisor, "mine").send().await;
    let still = mock.authorized(Method::GET, &values, &agent).send().await;

    assert_eq!((their_delete.status, still.status), (200, 200));
}

#[tokio::test]
async fn one_subscription_over_max_subscriptions_is_the_documented_403() {
    let mut config = MockConfig::default_seed();
    config.statistics.max_subscriptions = 1;
    let (mock, token) = Harness::with_agent(config).await;

    let mut statuses = Vec::new();
    for id in ["one", "two"] {
        let answer = create(&mock, &token, &subscription(id)).send().await;
        statuses.push((answer.status, answer.json["status"]["code"].clone()));
    }

    assert_eq!(statuses, [(200, json!(0)), (403, json!(403))]);
}

#[tokio::test]
async fn unavailable_refuses_every_endpoint_but_delete_and_an_id_can_be_reused_once_available() {
    let (mock, token) = Harness::signed_in().await;
    let peek_many = json!({"statistics": [
        {"name": "AverageHandlingTime", "objectType": "Agent", "objectId": "agent"}]});
    let dropped = subscription("dropped");
    assert_eq!(create(&mock, &token, &dropped).send().await.status, 200);

    assert_eq!(set_service(&mock, "UNAVAILABLE").await.status, 200);
    let snapshot = mock.call(Method::GET, "/__cxgate/statistics").send().await;
    let refused = [
        mock.authorized(Method::GET, AHT_OF_AGENT, &token),
        mock.authorized(Method::POST, GET_EX, &token)
            .json(&peek_many),
        create(&mock, &token, &subscription("later")),
    ];
    for call in refused {
        let answer = call.send().await;
        assert_eq!(
            (answer.status, answer.json),
            (
                503,
                json!({"status": {"code": 503, "message": "Service unavailable"}})
            )
        );
    }
    // DELETE "always returns a success response" (reference 2736, 3172).
    let deleted = delete(&mock, &token, "dropped").send().await;
    assert_eq!(set_service(&mock, "AVAILABLE").await.status, 200);
    let recreated = create(&mock, &token, &dropped).send().await;

    assert_eq!(snapshot.json["subscriptions"], 0, "{}", snapshot.text);
    assert_eq!(
        (deleted.status, deleted.json["status"]["code"].clone()),
        (200, json!(0))
    );
    assert_eq!(recreated.status, 200, "{}", recreated.text);
}

#[tokio::test]
async fn reset_makes_the_service_available_and_forgets_subscriptions() {
    let (mock, token) = Harness::signed_in().await;
    create(&mock, &token, &subscription("kept?")).send().await;
    set_service(&mock, "UNAVAILABLE").await;

    mock.call(Method::POST, "/__cxgate/reset").send().await;
    let snapshot = mock.call(Method::GET, "/__cxgate/statistics").send().await;
    let bad = set_service(&mock, "maybe").await;

    assert_eq!(snapshot.json["serviceState"], "AVAILABLE");
    assert_eq!(snapshot.json["subscriptions"], 0);
    assert_eq!(bad.status, 400);
}

#[tokio::test]
async fn two_mocks_with_the_same_seed_give_the_same_values_at_the_same_clock_time() {
    let (a, ta) = Harness::signed_in().await;
    let (b, tb) = Harness::signed_in().await;
    let body = json!({"statistics": [
        {"name": "CurrentAgentState", "objectType": "Agent", "objectId": "agent1"},
        {"name": "TimeInCurrentState", "objectType": "Agent", "objectId": "agent1"},
        {"name": "AverageHandlingTime", "objectType": "Agent", "objectId": "agent1"},
    ]});

    // Both answers fall in the same one-second bucket almost always; retry the rare straddle.
    for _ in 0..5 {
        let first = a.authorized(Method::POST, GET_EX, &ta).json(&body);
        let second = b.authorized(Method::POST, GET_EX, &tb).json(&body);
        let (first, second) = (first.send().await.json, second.send().await.json);
        if first["data"]["statistics"][0]["timestamp"]
            == second["data"]["statistics"][0]["timestamp"]
        {
            assert_eq!(first, second);
            return;
        }
    }
    panic!("never read both mocks within one bucket");
}

#[tokio::test]
async fn advancing_the_mock_clock_moves_the_values_timestamp() {
    let (mock, token) = Harness::signed_in().await;
    let peek = || mock.authorized(Method::GET, AHT_OF_AGENT, &token).send();

    let before = peek().await;
    mock.call(Method::POST, "/__cxgate/clock/advance")
        .json(&json!({"seconds": 3600}))
        .send()
        .await;
    let after = peek().await;

    let t0 = before.json["data"]["statistic"]["timestamp"]
        .as_u64()
        .unwrap();
    let t1 = after.json["data"]["statistic"]["timestamp"]
        .as_u64()
        .unwrap();
    assert!(t1 >= t0 + 3_600_000, "{t0} -> {t1}");
}
