//! The Openmedia API: interactions created, read, updated and stopped in an
//! open media service, by id and by `ext_{externalId}`, with the envelope on
//! every answer.

use reqwest::Method;
use serde_json::{json, Value};

use super::*;

const BASE: &str = "/nexus/v3/openmedia";

async fn send(request: RequestBuilder) -> (u16, Value) {
    let (status, _, body) = json_of(request.send().await.unwrap()).await;
    (status, body)
}

async fn post(mock: &Harness, path: &str, body: Value) -> (u16, Value) {
    send(
        mock.keyed(Method::POST, &format!("{BASE}{path}"))
            .json(&body),
    )
    .await
}

async fn post_raw(mock: &Harness, path: &str, body: &str) -> (u16, Value) {
    send(
        mock.keyed(Method::POST, &format!("{BASE}{path}"))
            .header(CONTENT_TYPE, "application/json")
            .body(body.to_owned()),
    )
    .await
}

async fn get(mock: &Harness, path: &str) -> (u16, Value) {
    send(mock.keyed(Method::GET, &format!("{BASE}{path}"))).await
}

fn fresh() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// Creates an interaction in `workitem` with `userData` and returns its id.
async fn create(mock: &Harness, external: &str, user_data: Value) -> String {
    let (status, body) = post(
        mock,
        "/workitem/interactions",
        json!({"externalId": external, "userData": user_data}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    body["data"]["interaction"]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

fn code(body: &Value) -> &str {
    body["status"]["code"].as_str().unwrap_or("<none>")
}

/// Every answer but the gateway's 403 carries the envelope.
fn assert_envelope(body: &Value, expected_code: &str) {
    assert!(
        body["referenceId"].as_str().is_some_and(|s| !s.is_empty()),
        "{body}"
    );
    assert!(
        body["operationId"].as_str().is_some_and(|s| !s.is_empty()),
        "{body}"
    );
    assert_eq!(code(body), expected_code, "{body}");
    if expected_code != "SUCCESS" {
        assert!(body["status"]["message"].as_str().is_some(), "{body}");
    }
}

// ---------------------------------------------------------------- create

#[tokio::test]
async fn create_with_every_field_returns_the_active_interaction() {
    let mock = Harness::start().await;
    let parent = create(&mock, &fresh(), json!({})).await;
    let external = fresh();
    let (status, body) = post(
        &mock,
        "/workitem/interactions",
        json!({
            "externalId": external,
            "parentInteractionId": parent,
            "receivedAt": "2026-01-01T09:30:00.000Z",
            "userData": {"subject": "Invoice 42", "priority": 3},
        }),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_envelope(&body, "SUCCESS");
    let interaction = &body["data"]["interaction"];
    assert!(uuid::Uuid::parse_str(interaction["id"].as_str().unwrap()).is_ok());
    assert_eq!(interaction["externalId"], external.as_str());
    assert_eq!(interaction["parentInteractionId"], parent.as_str());
    assert_eq!(interaction["receivedAt"], "2026-01-01T09:30:00.000Z");
    assert_eq!(interaction["service"], "workitem");
    assert_eq!(interaction["state"], "active");
    assert_eq!(
        interaction["userData"],
        json!({"subject": "Invoice 42", "priority": 3})
    );
    assert!(interaction.get("stoppedAt").is_none());
    assert!(interaction.get("stopReason").is_none());
}

#[tokio::test]
async fn an_empty_body_creates_an_interaction_received_now_without_external_id() {
    let mock = Harness::start().await;
    let (status, body) = send(mock.keyed(Method::POST, &format!("{BASE}/fax/interactions"))).await;
    assert_eq!(status, 200, "{body}");
    let interaction = &body["data"]["interaction"];
    assert!(interaction.get("externalId").is_none(), "{body}");
    assert_eq!(interaction["userData"], json!({}));
    let received = interaction["receivedAt"].as_str().unwrap();
    assert!(
        received.ends_with('Z') && received.len() == 24,
        "{received}"
    );
}

#[tokio::test]
async fn the_fields_may_come_wrapped_in_data_but_not_both_ways() {
    let mock = Harness::start().await;
    let external = fresh();
    let (status, body) = post(
        &mock,
        "/workitem/interactions",
        json!({"data": {"externalId": external, "userData": {"k": "v"}}}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["interaction"]["externalId"], external.as_str());
    assert_eq!(body["data"]["interaction"]["userData"]["k"], "v");

    let (status, body) = post(
        &mock,
        "/workitem/interactions",
        json!({"externalId": fresh(), "data": {"userData": {"k": "v"}}}),
    )
    .await;
    assert_eq!(status, 400, "{body}");
    assert_envelope(&body, "INVALID_PARAMETER");
}

#[tokio::test]
async fn a_second_create_with_the_same_external_id_is_409_in_that_service_only() {
    let mock = Harness::start().await;
    let external = fresh();
    let first = create(&mock, &external, json!({"a": "1"})).await;
    let (status, body) = post(
        &mock,
        "/workitem/interactions",
        json!({"externalId": external, "userData": {"a": "2"}}),
    )
    .await;
    assert_eq!(status, 409, "{body}");
    assert_envelope(&body, "FAILURE");
    // The first interaction is untouched.
    let (_, body) = get(&mock, &format!("/workitem/interactions/ext_{external}")).await;
    assert_eq!(body["data"]["interaction"]["id"], first.as_str());
    assert_eq!(body["data"]["interaction"]["userData"]["a"], "1");
    // Another service has its own externalIds.
    let (status, _) = post(&mock, "/fax/interactions", json!({"externalId": external})).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn create_in_an_unknown_service_is_404() {
    let mock = Harness::start().await;
    let (status, body) = post(&mock, "/no-such-service/interactions", json!({})).await;
    assert_eq!(status, 404, "{body}");
    assert_envelope(&body, "INVALID_PARAMETER");
    assert!(body["status"]["message"]
        .as_str()
        .unwrap()
        .contains("no-such-service"));
}

#[tokio::test]
async fn bad_create_bodies_are_400_and_create_nothing() {
    let mock = Harness::start().await;
    let external = fresh();
    for body in [
        json!({"externalId": external, "receivedAt": "yesterday"}),
        json!({"externalId": external, "receivedAt": "2026-02-30T00:00:00Z"}),
        json!({"externalId": external, "receivedAt": 1_613_473_893_265_u64}),
        json!({"externalId": external, "userData": "subject=Invoice"}),
        json!({"externalId": external, "userData": ["a"]}),
        json!({"externalId": 42}),
        json!({"externalId": ""}),
        json!({"externalId": external, "parentInteractionId": fresh()}),
        json!({"externalId": external, "parentInteractionId": 7}),
        json!({"data": "externalId"}),
        json!(["externalId"]),
    ] {
        let (status, answer) = post(&mock, "/workitem/interactions", body.clone()).await;
        assert_eq!(status, 400, "{body} -> {answer}");
        assert_envelope(&answer, "INVALID_PARAMETER");
    }
    let (status, _) = get(&mock, &format!("/workitem/interactions/ext_{external}")).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn malformed_json_is_400_on_every_post() {
    let mock = Harness::start().await;
    let id = create(&mock, &fresh(), json!({"k": "v"})).await;
    for path in [
        "/workitem/interactions".to_owned(),
        format!("/workitem/interactions/{id}/update"),
        format!("/workitem/interactions/{id}/stop"),
    ] {
        let (status, body) = post_raw(&mock, &path, "{\"externalId\": ").await;
        assert_eq!(status, 400, "{path}: {body}");
        assert_envelope(&body, "INVALID_PARAMETER");
    }
    let (_, body) = get(&mock, &format!("/workitem/interactions/{id}")).await;
    assert_eq!(body["data"]["interaction"]["state"], "active");
}

// ---------------------------------------------------------------- get

#[tokio::test]
async fn get_by_id_and_by_external_id_return_the_same_interaction() {
    let mock = Harness::start().await;
    let external = fresh();
    let id = create(&mock, &external, json!({"k": "v"})).await;
    let (status, by_id) = get(&mock, &format!("/workitem/interactions/{id}")).await;
    assert_eq!(status, 200, "{by_id}");
    assert_envelope(&by_id, "SUCCESS");
    let (status, by_ext) = get(&mock, &format!("/workitem/interactions/ext_{external}")).await;
    assert_eq!(status, 200, "{by_ext}");
    assert_eq!(by_id["data"], by_ext["data"]);
    assert_eq!(by_id["data"]["interaction"]["id"], id.as_str());
    assert_ne!(by_id["referenceId"], by_ext["referenceId"]);
}

#[tokio::test]
async fn an_external_id_with_a_slash_is_reached_percent_encoded() {
    let mock = Harness::start().await;
    let external = format!("crm/{}", fresh());
    let id = create(&mock, &external, json!({})).await;
    let encoded = external.replace('/', "%2F");
    let (status, body) = get(&mock, &format!("/workitem/interactions/ext_{encoded}")).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["interaction"]["id"], id.as_str());
}

#[tokio::test]
async fn an_interaction_is_found_only_in_its_own_service() {
    let mock = Harness::start().await;
    let external = fresh();
    let id = create(&mock, &external, json!({})).await;
    let (status, _) = get(&mock, &format!("/fax/interactions/{id}")).await;
    assert_eq!(status, 404);
    let (status, _) = get(&mock, &format!("/fax/interactions/ext_{external}")).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn unknown_interactions_are_404_for_get_update_and_stop_in_both_forms() {
    let mock = Harness::start().await;
    let change = json!({"data": {"addedProperties": {"k": "v"}}});
    for segment in [fresh(), format!("ext_{}", fresh())] {
        let (status, body) = get(&mock, &format!("/workitem/interactions/{segment}")).await;
        assert_eq!(status, 404, "{segment}: {body}");
        assert_envelope(&body, "INVALID_PARAMETER");
        let (status, body) = post(
            &mock,
            &format!("/workitem/interactions/{segment}/update"),
            change.clone(),
        )
        .await;
        assert_eq!(status, 404, "{segment}: {body}");
        let (status, body) = post(
            &mock,
            &format!("/workitem/interactions/{segment}/stop"),
            json!({}),
        )
        .await;
        assert_eq!(status, 404, "{segment}: {body}");
    }
}

#[tokio::test]
async fn an_empty_external_id_after_ext_is_400() {
    let mock = Harness::start().await;
    let (status, body) = get(&mock, "/workitem/interactions/ext_").await;
    assert_eq!(status, 400, "{body}");
    assert_envelope(&body, "INVALID_PARAMETER");
}

#[tokio::test]
async fn the_service_is_checked_before_the_interaction_and_the_body() {
    let mock = Harness::start().await;
    let (status, body) = post_raw(&mock, "/nope/interactions/ext_/update", "{").await;
    assert_eq!(status, 404, "{body}");
    let (status, body) = post_raw(
        &mock,
        &format!("/workitem/interactions/{}/update", fresh()),
        "{",
    )
    .await;
    assert_eq!(status, 404, "{body}");
}

// ---------------------------------------------------------------- update

#[tokio::test]
async fn update_changes_adds_and_deletes_exactly_the_named_keys() {
    let mock = Harness::start().await;
    let external = fresh();
    let id = create(
        &mock,
        &external,
        json!({"keep": "same", "change": "old", "drop": "gone"}),
    )
    .await;
    let (status, body) = post(
        &mock,
        &format!("/workitem/interactions/ext_{external}/update"),
        json!({"data": {
            "changedProperties": {"change": "new"},
            "addedProperties": {"added": {"nested": 1}},
            "deletedProperties": ["drop"],
        }}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_envelope(&body, "SUCCESS");
    let expected = json!({"keep": "same", "change": "new", "added": {"nested": 1}});
    assert_eq!(body["data"]["interaction"]["userData"], expected);
    let (_, body) = get(&mock, &format!("/workitem/interactions/{id}")).await;
    assert_eq!(body["data"]["interaction"]["userData"], expected);
}

#[tokio::test]
async fn a_refused_update_changes_nothing() {
    let mock = Harness::start().await;
    let id = create(&mock, &fresh(), json!({"a": "1", "b": "2"})).await;
    let path = format!("/workitem/interactions/{id}/update");
    for body in [
        json!({"data": {"changedProperties": {"a": "x", "missing": "y"}}}),
        json!({"data": {"addedProperties": {"c": "3", "b": "again"}}}),
        json!({"data": {"changedProperties": {"a": "x"}, "deletedProperties": ["missing"]}}),
        json!({"data": {"changedProperties": {"a": "x"}, "deletedProperties": ["a"]}}),
        json!({"data": {"deletedProperties": ["b", "b"]}}),
        json!({"data": {"deletedProperties": "a"}}),
        json!({"data": {"deletedProperties": [1]}}),
        json!({"data": {"changedProperties": ["a"]}}),
        json!({"data": {}}),
        json!({"data": {"changedProperties": {}}}),
        json!({"changedProperties": {"a": "x"}}),
        json!({}),
    ] {
        let (status, answer) = post(&mock, &path, body.clone()).await;
        assert_eq!(status, 400, "{body} -> {answer}");
        assert_envelope(&answer, "INVALID_PARAMETER");
    }
    let (status, answer) = send(mock.keyed(Method::POST, &format!("{BASE}{path}"))).await;
    assert_eq!(status, 400, "empty body -> {answer}");
    let (_, body) = get(&mock, &format!("/workitem/interactions/{id}")).await;
    assert_eq!(
        body["data"]["interaction"]["userData"],
        json!({"a": "1", "b": "2"})
    );
}

// ---------------------------------------------------------------- stop

#[tokio::test]
async fn stop_keeps_the_reason_and_a_stopped_interaction_cannot_change() {
    let mock = Harness::start().await;
    let external = fresh();
    let id = create(&mock, &external, json!({"k": "v"})).await;
    let (status, body) = post(
        &mock,
        &format!("/workitem/interactions/{id}/stop"),
        json!({"data": {"reasonSystemName": "Completed", "reasonDescription": "Done in CRM"}}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_envelope(&body, "SUCCESS");
    let interaction = &body["data"]["interaction"];
    assert_eq!(interaction["state"], "stopped");
    assert_eq!(
        interaction["stopReason"],
        json!({"reasonSystemName": "Completed", "reasonDescription": "Done in CRM"})
    );
    assert!(interaction["stoppedAt"].as_str().is_some());

    let (status, body) = post(
        &mock,
        &format!("/workitem/interactions/ext_{external}/update"),
        json!({"data": {"addedProperties": {"late": "x"}}}),
    )
    .await;
    assert_eq!(status, 400, "{body}");
    assert_envelope(&body, "INVALID_PARAMETER");
    let (status, body) = post(
        &mock,
        &format!("/workitem/interactions/ext_{external}/stop"),
        json!({}),
    )
    .await;
    assert_eq!(status, 400, "{body}");

    let (status, body) = get(&mock, &format!("/workitem/interactions/ext_{external}")).await;
    assert_eq!(status, 200);
    assert_eq!(body["data"]["interaction"]["state"], "stopped");
    assert_eq!(body["data"]["interaction"]["userData"], json!({"k": "v"}));
}

#[tokio::test]
async fn stop_without_a_body_has_no_reason() {
    let mock = Harness::start().await;
    let id = create(&mock, &fresh(), json!({})).await;
    let (status, body) = send(mock.keyed(
        Method::POST,
        &format!("{BASE}/workitem/interactions/{id}/stop"),
    ))
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["interaction"]["state"], "stopped");
    assert!(
        body["data"]["interaction"].get("stopReason").is_none(),
        "{body}"
    );
}

#[tokio::test]
async fn stop_takes_the_reason_at_the_top_level_as_create_takes_its_fields() {
    let mock = Harness::start().await;
    let id = create(&mock, &fresh(), json!({})).await;
    let (status, body) = post(
        &mock,
        &format!("/workitem/interactions/{id}/stop"),
        json!({"reasonSystemName": "Completed"}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["data"]["interaction"]["stopReason"],
        json!({"reasonSystemName": "Completed"})
    );
}

#[tokio::test]
async fn a_stop_reason_both_at_the_top_level_and_inside_data_is_refused() {
    let mock = Harness::start().await;
    let external = fresh();
    create(&mock, &external, json!({})).await;
    let (status, body) = post(
        &mock,
        &format!("/workitem/interactions/ext_{external}/stop"),
        json!({"reasonDescription": "x", "data": {"reasonSystemName": "Completed"}}),
    )
    .await;
    assert_eq!(status, 400, "{body}");
    assert_envelope(&body, "INVALID_PARAMETER");
    let (_, body) = get(&mock, &format!("/workitem/interactions/ext_{external}")).await;
    assert_eq!(body["data"]["interaction"]["state"], "active");
}

// ---------------------------------------------------------------- gateway, paths, reset

#[tokio::test]
async fn every_endpoint_wants_the_api_key() {
    let mock = Harness::start().await;
    let id = fresh();
    for (method, path) in [
        (Method::POST, "/workitem/interactions".to_owned()),
        (Method::GET, format!("/workitem/interactions/{id}")),
        (Method::GET, format!("/workitem/interactions/ext_{id}")),
        (Method::POST, format!("/workitem/interactions/{id}/update")),
        (
            Method::POST,
            format!("/workitem/interactions/ext_{id}/update"),
        ),
        (Method::POST, format!("/workitem/interactions/{id}/stop")),
        (
            Method::POST,
            format!("/workitem/interactions/ext_{id}/stop"),
        ),
        (Method::GET, "/workitem/no-such-path".to_owned()),
    ] {
        let (status, body) = send(mock.bare(method.clone(), &format!("{BASE}{path}"))).await;
        assert_eq!(status, 403, "{method} {path}");
        assert_eq!(body, json!({"message": "Forbidden"}));
        let (status, _) = send(
            mock.bare(method.clone(), &format!("{BASE}{path}"))
                .header("x-api-key", "wrong-key"),
        )
        .await;
        assert_eq!(status, 403, "{method} {path}");
    }
}

#[tokio::test]
async fn unknown_paths_and_methods_get_the_envelope_with_invalid_endpoint() {
    let mock = Harness::start().await;
    let (status, body) = get(&mock, "/workitem/tasks").await;
    assert_eq!(status, 404, "{body}");
    assert_envelope(&body, "INVALID_ENDPOINT");
    let (status, body) = get(&mock, "/workitem/interactions/x/y/z").await;
    assert_eq!(status, 404, "{body}");
    assert_envelope(&body, "INVALID_ENDPOINT");

    let response = mock
        .keyed(Method::GET, &format!("{BASE}/workitem/interactions"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 405);
    assert_eq!(response.headers()["allow"], "POST");
    let body: Value = response.json().await.unwrap();
    assert_envelope(&body, "INVALID_ENDPOINT");
    let (status, body) = send(mock.keyed(
        Method::DELETE,
        &format!("{BASE}/workitem/interactions/{}", fresh()),
    ))
    .await;
    assert_eq!(status, 405, "{body}");
    assert_envelope(&body, "INVALID_ENDPOINT");
}

#[tokio::test]
async fn the_messaging_api_beside_it_keeps_its_own_404() {
    let mock = Harness::start().await;
    let (status, body) = send(mock.keyed(Method::GET, "/nexus/v3/no-such-api")).await;
    assert_eq!(status, 404, "{body}");
    assert!(body["status"]["code"].is_number(), "{body}");
}

#[tokio::test]
async fn reset_drops_every_interaction() {
    let mock = Harness::start().await;
    let external = fresh();
    create(&mock, &external, json!({})).await;
    let (status, _) = send(mock.bare(Method::POST, "/__cxgate/reset")).await;
    assert_eq!(status, 200);
    let (status, _) = get(&mock, &format!("/workitem/interactions/ext_{external}")).await;
    assert_eq!(status, 404);
    create(&mock, &external, json!({})).await;
}

#[tokio::test]
async fn the_services_come_from_the_seed() {
    let mut config = MockConfig::default_seed();
    assert_eq!(config.openmedia.services, ["workitem", "fax"]);
    config.openmedia.services = vec!["email-task".to_owned()];
    let mock = Harness::start_with(config).await;
    let (status, _) = post(&mock, "/email-task/interactions", json!({})).await;
    assert_eq!(status, 200);
    let (status, _) = post(&mock, "/workitem/interactions", json!({})).await;
    assert_eq!(status, 404);
}

#[test]
fn a_service_declared_twice_is_a_config_error() {
    let text = include_str!("../../../targets/mock.toml").replace(
        r#"services = ["workitem", "fax"]"#,
        r#"services = ["fax", "fax"]"#,
    );
    let err = MockConfig::from_toml_str(&text).unwrap_err().to_string();
    assert!(err.contains("[openmedia]") && err.contains("fax"), "{err}");
}
