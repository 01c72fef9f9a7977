//! The Statistics API's REST side: peeks, subscriptions, service state, reproducibility.

use reqwest::Method;
use serde_json::{json, Value};

use super::*;

const GET_EX: &str = "/statistics/v3/operations/get-statistic-ex";
const SUBSCRIPTIONS: &str = "/statistics/v3/subscriptions";

async fn token_of(mock: &Harness, user: &str, password: &str) -> String {
    access_token(&mock.password_token(user, password).await)
}

async fn agent_token(mock: &Harness) -> String {
    token_of(mock, AGENT, AGENT_PASSWORD).await
}

async fn call(
    mock: &Harness,
    method: Method,
    path: &str,
    token: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let mut request = mock.bearer(method, path, token);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let (status, _, body) = json_of(request.send().await.unwrap()).await;
    (status, body)
}

fn subscription_body(operation_id: &str) -> Value {
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

fn assert_stat_server_value(value: &Value) {
    assert!(value["intValue"].is_i64(), "{value}");
    assert!(value["stringValue"].is_string(), "{value}");
    assert_eq!(value["tag"], -1);
    assert_eq!(value["intervalLength"], 0);
    assert!(value["timestamp"].is_u64(), "{value}");
}

#[tokio::test]
async fn get_statistic_ex_accepts_the_data_wrapped_and_the_bare_body_shapes() {
    let mock = Harness::start().await;
    let token = agent_token(&mock).await;
    let items = json!([
        {"name": "CurrentAgentState", "objectType": "Agent", "objectId": "agent2"},
        {"name": "TimeInCurrentState", "objectType": "Agent", "objectId": "agent2"},
    ]);

    let (wrapped, wrapped_body) = call(
        &mock,
        Method::POST,
        GET_EX,
        &token,
        Some(json!({"data": {"statistics": items}})),
    )
    .await;
    let (bare, bare_body) = call(
        &mock,
        Method::POST,
        GET_EX,
        &token,
        Some(json!({"statistics": items})),
    )
    .await;

    assert_eq!((wrapped, bare), (200, 200));
    assert_eq!(wrapped_body["status"], json!({"code": 0}));
    assert_eq!(bare_body["status"], json!({"code": 0}));
    let stats = wrapped_body["data"]["statistics"].as_array().unwrap();
    assert_eq!(stats.len(), 2);
    assert_eq!(stats[0]["name"], "CurrentAgentState");
    assert_eq!(stats[0]["objectType"], "Agent");
    assert_eq!(stats[0]["objectId"], "agent2");
    assert!(stats[0]["timestamp"].is_u64());
    assert_stat_server_value(&stats[0]["value"]);
    let state = stats[0]["value"]["stringValue"].as_str().unwrap();
    assert!(["Ready", "NotReady", "Busy", "AfterCallWork", "LoggedOut"].contains(&state));
}

#[tokio::test]
async fn get_statistic_ex_with_one_unknown_statistic_is_a_partial_success_with_code_2() {
    let mock = Harness::start().await;
    let token = agent_token(&mock).await;

    let (status, body) = call(
        &mock,
        Method::POST,
        GET_EX,
        &token,
        Some(json!({"data": {"statistics": [
            {"name": "AverageHandlingTime", "objectType": "Agent", "objectId": "agent"},
            {"name": "NoSuchStat", "objectType": "Agent", "objectId": "agent"},
        ]}})),
    )
    .await;

    assert_eq!(status, 200);
    assert_eq!(body["status"]["code"], 2);
    assert_eq!(body["data"]["statistics"].as_array().unwrap().len(), 1);
    assert_eq!(
        body["errors"],
        json!([{"status": {"code": 404, "message": "Unknown statistic NoSuchStat for Agent/agent"}}])
    );
}

#[tokio::test]
async fn get_statistic_ex_refuses_all_unknown_missing_fields_and_non_json_with_400_envelopes() {
    let mock = Harness::start().await;
    let token = agent_token(&mock).await;

    let (all_unknown, all_unknown_body) = call(
        &mock,
        Method::POST,
        GET_EX,
        &token,
        Some(json!({"statistics": [
        {"name": "NoSuchStat", "objectType": "Agent", "objectId": "agent"}]})),
    )
    .await;
    let (missing, missing_body) = call(
        &mock,
        Method::POST,
        GET_EX,
        &token,
        Some(json!({"statistics": [
        {"name": "AverageHandlingTime", "objectType": "Agent"}]})),
    )
    .await;
    let (empty, _) = call(
        &mock,
        Method::POST,
        GET_EX,
        &token,
        Some(json!({"data": {"statistics": []}})),
    )
    .await;
    let not_json = mock
        .bearer(Method::POST, GET_EX, &token)
        .body("{nope")
        .send()
        .await
        .unwrap();
    let (not_json_status, _, not_json_body) = json_of(not_json).await;

    assert_eq!(all_unknown, 400);
    assert_eq!(all_unknown_body["status"]["code"], 400);
    assert_eq!(all_unknown_body["errors"][0]["status"]["code"], 404);
    assert_eq!(missing, 400);
    assert_eq!(
        missing_body["status"]["message"],
        "statistics[0].objectId is required"
    );
    assert_eq!(empty, 400);
    assert_eq!(not_json_status, 400);
    assert_eq!(not_json_body["status"]["code"], 400);
}

#[tokio::test]
async fn statistics_endpoints_need_the_api_key_first_and_then_a_bearer_token() {
    let mock = Harness::start().await;

    let no_key = mock.bare(Method::POST, GET_EX).send().await.unwrap();
    let no_token = mock.keyed(Method::POST, GET_EX).send().await.unwrap();
    let bad_token = mock
        .bearer(Method::GET, "/statistics/v3/statistic-values/X", "nope")
        .send()
        .await
        .unwrap();
    let unknown_path = mock
        .keyed(Method::GET, "/statistics/v3/nope")
        .send()
        .await
        .unwrap();

    assert_eq!(no_key.status(), 403);
    assert_eq!(
        no_key.json::<Value>().await.unwrap(),
        json!({"message": "Forbidden"})
    );
    assert_eq!(no_token.status(), 401);
    assert_eq!(
        no_token.json::<Value>().await.unwrap()["error"],
        "invalid_token"
    );
    assert_eq!(bad_token.status(), 401);
    assert_eq!(unknown_path.status(), 404);
    assert_eq!(
        unknown_path.json::<Value>().await.unwrap()["status"]["code"],
        404
    );
}

#[tokio::test]
async fn statistic_values_names_a_missing_query_parameter_404s_unknowns_and_answers_data_statistic()
{
    let mock = Harness::start().await;
    let token = agent_token(&mock).await;
    let path = "/statistics/v3/statistic-values/AverageHandlingTime";

    let (missing, missing_body) = call(
        &mock,
        Method::GET,
        &format!("{path}?objectType=Agent"),
        &token,
        None,
    )
    .await;
    let (unknown_stat, _) = call(
        &mock,
        Method::GET,
        "/statistics/v3/statistic-values/Nope?objectType=Agent&objectId=agent",
        &token,
        None,
    )
    .await;
    let (unknown_object, _) = call(
        &mock,
        Method::GET,
        &format!("{path}?objectType=Agent&objectId=ghost"),
        &token,
        None,
    )
    .await;
    let (ok, body) = call(
        &mock,
        Method::GET,
        &format!("{path}?objectType=Agent&objectId=agent"),
        &token,
        None,
    )
    .await;

    assert_eq!(missing, 400);
    assert!(missing_body["status"]["message"]
        .as_str()
        .unwrap()
        .contains("objectId"));
    assert_eq!(unknown_stat, 404);
    assert_eq!(unknown_object, 404);
    assert_eq!(ok, 200);
    assert_eq!(body["status"], json!({"code": 0}));
    let statistic = &body["data"]["statistic"];
    assert_eq!(statistic["name"], "AverageHandlingTime");
    assert_stat_server_value(&statistic["value"]);
    let aht = statistic["value"]["intValue"].as_i64().unwrap();
    assert!((60..=600).contains(&aht));
}

#[tokio::test]
async fn a_subscription_is_created_with_the_operation_id_read_filtered_and_deleted() {
    let mock = Harness::start().await;
    let token = agent_token(&mock).await;

    let (created, created_body) = call(
        &mock,
        Method::POST,
        SUBSCRIPTIONS,
        &token,
        Some(subscription_body("op-1")),
    )
    .await;
    let (read, read_body) = call(
        &mock,
        Method::GET,
        &format!("{SUBSCRIPTIONS}/op-1/statistic-values"),
        &token,
        None,
    )
    .await;
    let (filtered, filtered_body) = call(
        &mock,
        Method::GET,
        &format!("{SUBSCRIPTIONS}/op-1/statistic-values?statisticIds=tat,ghost"),
        &token,
        None,
    )
    .await;
    let (deleted, deleted_body) = call(
        &mock,
        Method::DELETE,
        &format!("{SUBSCRIPTIONS}/op-1"),
        &token,
        None,
    )
    .await;
    let (after, _) = call(
        &mock,
        Method::GET,
        &format!("{SUBSCRIPTIONS}/op-1/statistic-values"),
        &token,
        None,
    )
    .await;

    assert_eq!(created, 200);
    assert_eq!(created_body["status"], json!({"code": 0}));
    assert_eq!(created_body["data"]["subscriptionId"], "op-1");
    assert_eq!(created_body["data"]["operationId"], "op-1");
    let stats = created_body["data"]["statistics"].as_array().unwrap();
    assert_eq!(stats[0]["statisticId"], "aht");
    assert_eq!(stats[0]["name"], "AverageHandlingTime");
    assert_eq!(stats[1]["statisticId"], "tat");
    assert!(stats[1].get("name").is_none());
    assert_eq!(stats[1]["objectId"], "agent");
    assert_stat_server_value(&stats[1]["value"]);
    assert_eq!(read, 200);
    assert_eq!(read_body["data"]["statistics"].as_array().unwrap().len(), 2);
    assert_eq!(filtered, 200);
    assert_eq!(
        filtered_body["data"]["statistics"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(filtered_body["data"]["statistics"][0]["statisticId"], "tat");
    assert_eq!(
        (deleted, deleted_body),
        (200, json!({"status": {"code": 0}}))
    );
    assert_eq!(after, 404);
}

#[tokio::test]
async fn deleting_an_unknown_subscription_is_still_200_code_0() {
    let mock = Harness::start().await;
    let token = agent_token(&mock).await;

    let (status, body) = call(
        &mock,
        Method::DELETE,
        &format!("{SUBSCRIPTIONS}/never-was"),
        &token,
        None,
    )
    .await;

    assert_eq!((status, body), (200, json!({"status": {"code": 0}})));
}

#[tokio::test]
async fn verbose_off_keeps_only_statistic_id_value_and_timestamp_and_a_bad_verbose_is_400() {
    let mock = Harness::start().await;
    let token = agent_token(&mock).await;

    let (status, body) = call(
        &mock,
        Method::POST,
        &format!("{SUBSCRIPTIONS}?verbose=OFF"),
        &token,
        Some(subscription_body("op-off")),
    )
    .await;
    let (bad, _) = call(
        &mock,
        Method::POST,
        &format!("{SUBSCRIPTIONS}?verbose=LOUD"),
        &token,
        Some(subscription_body("op-bad")),
    )
    .await;
    let (read_bad, _) = call(
        &mock,
        Method::GET,
        &format!("{SUBSCRIPTIONS}/op-off/statistic-values?verbose=x"),
        &token,
        None,
    )
    .await;

    assert_eq!(status, 200);
    for stat in body["data"]["statistics"].as_array().unwrap() {
        let mut keys: Vec<&str> = stat
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        keys.sort_unstable();
        assert_eq!(keys, ["statisticId", "timestamp", "value"]);
    }
    assert_eq!(bad, 400);
    assert_eq!(read_bad, 400);
}

#[tokio::test]
async fn invalid_subscription_bodies_are_400_with_a_message() {
    let mock = Harness::start().await;
    let token = agent_token(&mock).await;
    let item = |extra: Value| {
        let mut base = json!({"statisticId": "s1", "objectId": "agent", "objectType": "Agent"});
        base.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        base
    };
    let bodies = [
        json!({"data": {"statistics": [item(json!({"name": "AverageHandlingTime"})), item(json!({"name": "CurrentAgentState"}))]}}),
        json!({"data": {"statistics": [item(json!({"name": "Nope"}))]}}),
        json!({"data": {"statistics": [item(json!({"name": "AverageHandlingTime", "definition": {"category": "C", "subject": "S"}}))]}}),
        json!({"data": {"statistics": [item(json!({}))]}}),
        json!({"data": {"statistics": [item(json!({"definition": {"notificationMode": "Periodical", "category": "C", "subject": "S"}}))]}}),
        json!({"data": {"statistics": [item(json!({"definition": {"notificationMode": "Immediate", "subject": "S"}}))]}}),
        json!({"data": {"statistics": [item(json!({"definition": {"notificationMode": "Sometimes", "category": "C", "subject": "S"}}))]}}),
        json!({"data": {"statistics": []}}),
        json!([1, 2]),
    ];

    for body in bodies {
        let (status, answer) = call(
            &mock,
            Method::POST,
            SUBSCRIPTIONS,
            &token,
            Some(body.clone()),
        )
        .await;
        assert_eq!(status, 400, "{body}");
        assert_eq!(answer["status"]["code"], 400);
        assert!(!answer["status"]["message"].as_str().unwrap().is_empty());
    }
    let (first, _) = call(
        &mock,
        Method::POST,
        SUBSCRIPTIONS,
        &token,
        Some(subscription_body("twice")),
    )
    .await;
    let (again, again_body) = call(
        &mock,
        Method::POST,
        SUBSCRIPTIONS,
        &token,
        Some(subscription_body("twice")),
    )
    .await;
    assert_eq!((first, again), (200, 400));
    assert!(again_body["status"]["message"]
        .as_str()
        .unwrap()
        .contains("already exists"));
}

#[tokio::test]
async fn a_missing_operation_id_gets_a_generated_subscription_id() {
    let mock = Harness::start().await;
    let token = agent_token(&mock).await;
    let mut body = subscription_body("x");
    body.as_object_mut().unwrap().remove("operationId");

    let (status, answer) = call(&mock, Method::POST, SUBSCRIPTIONS, &token, Some(body)).await;

    assert_eq!(status, 200);
    let id = answer["data"]["subscriptionId"].as_str().unwrap();
    assert!(uuid::Uuid::parse_str(id).is_ok(), "{id}");
}

#[tokio::test]
async fn another_users_subscription_is_404_and_their_delete_does_not_close_it() {
    let mock = Harness::start().await;
    let agent = agent_token(&mock).await;
    let supervisor = token_of(&mock, SUPERVISOR, SUPERVISOR_PASSWORD).await;
    call(
        &mock,
        Method::POST,
        SUBSCRIPTIONS,
        &agent,
        Some(subscription_body("mine")),
    )
    .await;

    let (theirs, _) = call(
        &mock,
        Method::GET,
        &format!("{SUBSCRIPTIONS}/mine/statistic-values"),
        &supervisor,
        None,
    )
    .await;
    let (their_delete, _) = call(
        &mock,
        Method::DELETE,
        &format!("{SUBSCRIPTIONS}/mine"),
        &supervisor,
        None,
    )
    .await;
    let (still, _) = call(
        &mock,
        Method::GET,
        &format!("{SUBSCRIPTIONS}/mine/statistic-values"),
        &agent,
        None,
    )
    .await;

    assert_eq!((theirs, their_delete, still), (404, 200, 200));
}

#[tokio::test]
async fn one_subscription_over_max_subscriptions_is_the_documented_403() {
    let mut config = MockConfig::default_seed();
    config.statistics.max_subscriptions = 1;
    let mock = Harness::start_with(config).await;
    let token = agent_token(&mock).await;

    let (first, _) = call(
        &mock,
        Method::POST,
        SUBSCRIPTIONS,
        &token,
        Some(subscription_body("one")),
    )
    .await;
    let (second, body) = call(
        &mock,
        Method::POST,
        SUBSCRIPTIONS,
        &token,
        Some(subscription_body("two")),
    )
    .await;

    assert_eq!((first, second), (200, 403));
    assert_eq!(body["status"]["code"], 403);
}

#[tokio::test]
async fn unavailable_makes_every_endpoint_but_delete_503_and_drops_subscriptions_until_available_again(
) {
    let mock = Harness::start().await;
    let token = agent_token(&mock).await;
    call(
        &mock,
        Method::POST,
        SUBSCRIPTIONS,
        &token,
        Some(subscription_body("dropped")),
    )
    .await;
    let set = |state: &'static str| {
        mock.bare(Method::POST, "/__cxgate/statistics/service")
            .json(&json!({"state": state}))
            .send()
    };

    assert_eq!(set("UNAVAILABLE").await.unwrap().status(), 200);
    let (peek, peek_body) = call(
        &mock,
        Method::GET,
        "/statistics/v3/statistic-values/AverageHandlingTime?objectType=Agent&objectId=agent",
        &token,
        None,
    )
    .await;
    let (create, _) = call(
        &mock,
        Method::POST,
        SUBSCRIPTIONS,
        &token,
        Some(subscription_body("later")),
    )
    .await;
    let (delete, delete_body) = call(
        &mock,
        Method::DELETE,
        &format!("{SUBSCRIPTIONS}/dropped"),
        &token,
        None,
    )
    .await;
    assert_eq!(delete_body["status"]["code"], 0);
    assert_eq!(set("AVAILABLE").await.unwrap().status(), 200);
    let (gone, _) = call(
        &mock,
        Method::GET,
        &format!("{SUBSCRIPTIONS}/dropped/statistic-values"),
        &token,
        None,
    )
    .await;
    let (recreated, _) = call(
        &mock,
        Method::POST,
        SUBSCRIPTIONS,
        &token,
        Some(subscription_body("dropped")),
    )
    .await;

    // DELETE "always returns a success response" (reference 2736, 3172).
    assert_eq!((peek, create, delete), (503, 503, 200));
    assert_eq!(
        peek_body,
        json!({"status": {"code": 503, "message": "Service unavailable"}})
    );
    assert_eq!((gone, recreated), (404, 200));
}

#[tokio::test]
async fn reset_makes_the_service_available_and_forgets_subscriptions() {
    let mock = Harness::start().await;
    let token = agent_token(&mock).await;
    call(
        &mock,
        Method::POST,
        SUBSCRIPTIONS,
        &token,
        Some(subscription_body("kept?")),
    )
    .await;
    mock.bare(Method::POST, "/__cxgate/statistics/service")
        .json(&json!({"state": "UNAVAILABLE"}))
        .send()
        .await
        .unwrap();

    mock.bare(Method::POST, "/__cxgate/reset")
        .send()
        .await
        .unwrap();
    let (_, _, snapshot) = json_of(
        mock.bare(Method::GET, "/__cxgate/statistics")
            .send()
            .await
            .unwrap(),
    )
    .await;
    let bad = mock
        .bare(Method::POST, "/__cxgate/statistics/service")
        .json(&json!({"state": "maybe"}))
        .send()
        .await
        .unwrap();

    assert_eq!(snapshot["serviceState"], "AVAILABLE");
    assert_eq!(snapshot["subscriptions"], 0);
    assert_eq!(bad.status(), 400);
}

#[tokio::test]
async fn two_mocks_with_the_same_seed_give_the_same_values_at_the_same_clock_time() {
    let a = Harness::start().await;
    let b = Harness::start().await;
    let (ta, tb) = (agent_token(&a).await, agent_token(&b).await);
    let body = json!({"statistics": [
        {"name": "CurrentAgentState", "objectType": "Agent", "objectId": "agent1"},
        {"name": "TimeInCurrentState", "objectType": "Agent", "objectId": "agent1"},
        {"name": "AverageHandlingTime", "objectType": "Agent", "objectId": "agent1"},
    ]});

    // Both answers fall in the same one-second bucket almost always; retry the rare straddle.
    for _ in 0..5 {
        let (_, first) = call(&a, Method::POST, GET_EX, &ta, Some(body.clone())).await;
        let (_, second) = call(&b, Method::POST, GET_EX, &tb, Some(body.clone())).await;
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
    let mock = Harness::start().await;
    let token = agent_token(&mock).await;
    let path =
        "/statistics/v3/statistic-values/AverageHandlingTime?objectType=Agent&objectId=agent";

    let (_, before) = call(&mock, Method::GET, path, &token, None).await;
    mock.bare(Method::POST, "/__cxgate/clock/advance")
        .json(&json!({"seconds": 3600}))
        .send()
        .await
        .unwrap();
    let (_, after) = call(&mock, Method::GET, path, &token, None).await;

    let t0 = before["data"]["statistic"]["timestamp"].as_u64().unwrap();
    let t1 = after["data"]["statistic"]["timestamp"].as_u64().unwrap();
    assert!(t1 >= t0 + 3_600_000, "{t0} -> {t1}");
}
