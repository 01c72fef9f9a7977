//! The Openmedia API: only what `features/openmedia` cannot see (an external id with a
//! `%2F`, the empty `ext_`, request bodies no scenario tries, the order of the checks,
//! externalIds per service, reset, the services of the seed).

use reqwest::Method;
use serde_json::{json, Value};

use super::*;

const BASE: &str = "/nexus/v3/openmedia";

fn fresh() -> String {
    crate::ids::uuid_v4().to_string()
}

/// A keyed request to `{BASE}{path}`.
fn call(mock: &Harness, method: Method, path: &str) -> Call {
    mock.call(method, &format!("{BASE}{path}")).key()
}

/// Creates an interaction in `service` with `userData` and returns its id.
async fn create(mock: &Harness, service: &str, external: &str, user_data: Value) -> String {
    let body = json!({"externalId": external, "userData": user_data});
    let path = format!("/{service}/interactions");
    let answer = call(mock, Method::POST, &path).json(&body).send().await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    answer.json["data"]["interaction"]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// The interaction at `{BASE}{path}`: status and `data.interaction`.
async fn read(mock: &Harness, path: &str) -> (u16, Value) {
    let answer = call(mock, Method::GET, path).send().await;
    (answer.status, answer.json["data"]["interaction"].clone())
}

#[tokio::test]
async fn an_external_id_with_a_slash_is_reached_percent_encoded() {
    let mock = Harness::start().await;
    let external = format!("crm/{}", fresh());
    let id = create(&mock, "workitem", &external, json!({})).await;

    let encoded = external.replace('/', "%2F");
    let (status, interaction) = read(&mock, &format!("/workitem/interactions/ext_{encoded}")).await;

    assert_eq!(status, 200, "{interaction}");
    assert_eq!(interaction["id"], id.as_str());
}

#[tokio::test]
async fn an_empty_external_id_after_ext_is_400() {
    let mock = Harness::start().await;

    let answer = call(&mock, Method::GET, "/workitem/interactions/ext_")
        .send()
        .await;

    assert_eq!(answer.status, 400, "{}", answer.text);
    assert_eq!(answer.json["status"]["code"], "INVALID_PARAMETER");
}

#[tokio::test]
async fn the_same_external_id_may_name_one_interaction_in_each_service() {
    let mock = Harness::start().await;
    let external = fresh();
    let workitem = create(&mock, "workitem", &external, json!({})).await;
    let fax = create(&mock, "fax", &external, json!({})).await;

    let (_, interaction) = read(&mock, &format!("/workitem/interactions/ext_{external}")).await;

    assert_ne!(workitem, fax);
    assert_eq!(interaction["id"], workitem.as_str());
}

/// Bodies and paths no scenario tries: each is refused INVALID_PARAMETER with `status`
/// (400, or 404 when the service or the interaction is checked before the body), and
/// nothing changes.
#[tokio::test]
async fn requests_the_features_do_not_try_are_refused_and_change_nothing() {
    let mock = Harness::start().await;
    let external = fresh();
    let id = create(&mock, "workitem", &external, json!({"a": "1", "b": "2"})).await;
    let unused = fresh();
    let create_path = "/workitem/interactions";
    let update = format!("/workitem/interactions/{id}/update");
    let update = update.as_str();
    let unknown = format!("/workitem/interactions/{unused}/update");
    let j = |v: Value| v.to_string();
    let cases = [
        (
            create_path,
            j(json!({"externalId": unused, "receivedAt": "2026-02-30T00:00:00Z"})),
            400,
        ),
        (
            create_path,
            j(json!({"externalId": unused, "receivedAt": 1_613_473_893_265_u64})),
            400,
        ),
        (
            create_path,
            j(json!({"externalId": unused, "userData": ["a"]})),
            400,
        ),
        (create_path, j(json!({"externalId": 42})), 400),
        (create_path, j(json!({"externalId": ""})), 400),
        (
            create_path,
            j(json!({"externalId": unused, "parentInteractionId": 7})),
            400,
        ),
        (
            create_path,
            j(json!({"externalId": unused, "data": {"userData": {"k": "v"}}})),
            400,
        ),
        (create_path, j(json!({"data": "externalId"})), 400),
        (create_path, j(json!(["externalId"])), 400),
        (
            update,
            j(json!({"data": {"changedProperties": {"a": "x"}, "deletedProperties": ["a"]}})),
            400,
        ),
        (
            update,
            j(json!({"data": {"deletedProperties": ["b", "b"]}})),
            400,
        ),
        (update, j(json!({"data": {"deletedProperties": "a"}})), 400),
        (update, j(json!({"data": {"deletedProperties": [1]}})), 400),
        (
            update,
            j(json!({"data": {"changedProperties": ["a"]}})),
            400,
        ),
        (update, j(json!({"data": {"changedProperties": {}}})), 400),
        (update, j(json!({"data": {}})), 400),
        (update, j(json!({})), 400),
        ("/nope/interactions/ext_/update", "{".to_owned(), 404),
        (unknown.as_str(), "{".to_owned(), 404),
    ];

    for (path, body, status) in cases {
        let answer = call(&mock, Method::POST, path)
            .raw(body.clone().into_bytes(), "application/json")
            .send()
            .await;

        assert_eq!(answer.status, status, "POST {path} {body}: {}", answer.text);
        assert_eq!(
            answer.json["status"]["code"], "INVALID_PARAMETER",
            "POST {path} {body}"
        );
        assert!(
            answer.json["status"]["message"].is_string(),
            "POST {path} {body}: {}",
            answer.text
        );
    }
    let (status, _) = read(&mock, &format!("/workitem/interactions/ext_{unused}")).await;
    assert_eq!(status, 404, "a refused create created nothing");
    let (_, interaction) = read(&mock, &format!("/workitem/interactions/{id}")).await;
    assert_eq!(interaction["userData"], json!({"a": "1", "b": "2"}));
    assert_eq!(interaction["state"], "active");
}

#[tokio::test]
async fn reset_drops_every_interaction() {
    let mock = Harness::start().await;
    let external = fresh();
    create(&mock, "workitem", &external, json!({})).await;

    let reset = mock.call(Method::POST, "/__cxgate/reset").send().await;
    let (status, _) = read(&mock, &format!("/workitem/interactions/ext_{external}")).await;

    assert_eq!(reset.status, 200);
    assert_eq!(status, 404);
    create(&mock, "workitem", &external, json!({})).await;
}

#[tokio::test]
async fn the_services_come_from_the_seed() {
    let mut config = MockConfig::default_seed();
    assert_eq!(config.openmedia.services, ["workitem", "fax"]);
    config.openmedia.services = vec!["email-task".to_owned()];
    let mock = Harness::start_with(config).await;

    let seeded = call(&mock, Method::POST, "/email-task/interactions")
        .send()
        .await;
    let dropped = call(&mock, Method::POST, "/workitem/interactions")
        .send()
        .await;

    assert_eq!(seeded.status, 200, "{}", seeded.text);
    assert_eq!(dropped.status, 404, "{}", dropped.text);
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
