//! Tolerant reader: a server that answers with the same data laid out differently, or
//! with one more field everywhere, passes every scenario that the honest mock passes.
//!
//! The server under test is the cxgate mock behind a proxy that changes only what a
//! backward-compatible deployment may change: every JSON object gains a field, keys come
//! in reverse order with other whitespace, header names are Title-Case, and an extra
//! header rides along. Answers the client itself shaped (user data maps) are left alone.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/fault_proxy.rs"]
mod fault_proxy;

use cxgate::mock::{MockConfig, MockServer};
use cxgate::verify::{run, VerifyOptions};
use fault_proxy::{
    add_field_everywhere, reordered_json, FaultProxy, ProxiedRequest, ProxiedResponse,
};
use serde_json::json;
use std::sync::Arc;

fn additive(request: &ProxiedRequest, answer: &mut ProxiedResponse) {
    answer.set_header("x-served-by", "gateway-7");
    if !answer.is_json() {
        return;
    }
    if let Some(mut doc) = answer.json_body() {
        // The userdata endpoint's `data` is the client's own user data (reference 2376-2388).
        let client_data = request
            .path()
            .ends_with("/userdata")
            .then(|| doc.as_object_mut().and_then(|o| o.remove("data")))
            .flatten();
        add_field_everywhere(
            &mut doc,
            "addedInV3_1",
            &json!({"note": "a field no client knows"}),
        );
        if let (Some(data), Some(object)) = (client_data, doc.as_object_mut()) {
            object.insert("data".into(), data);
        }
        answer.body = reordered_json(&doc).into_bytes();
    }
}

async fn run_through(proxy: &FaultProxy, name: &str) -> cxgate::verify::VerifyOutcome {
    let root = env!("CARGO_MANIFEST_DIR");
    let mut options = VerifyOptions::new(root);
    options.target = proxy.uri();
    options.allow_destructive = true;
    options.report_dir = std::env::temp_dir().join(format!("cxgate-{name}-{}", std::process::id()));
    run(&options).await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_additive_reordered_title_case_answer_fails_no_scenario() {
    let mock = MockServer::start(MockConfig::default_seed(), "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let proxy = FaultProxy::start(&mock.base_url(), Arc::new(additive)).await;
    let outcome = run_through(&proxy, "tolerant").await;
    print!("{}", outcome.summary);
    let totals = outcome.result.totals();
    assert_eq!(totals.failed, 0, "{}", outcome.summary);
    assert_eq!(
        totals.skipped, 0,
        "the proxy passes the control plane through: {}",
        outcome.summary
    );
    assert!(totals.passed > 200, "{}", outcome.summary);
    mock.shutdown().await;
}

#[test]
fn the_rewrite_really_changes_what_goes_over_the_wire() {
    let mut answer = ProxiedResponse::json(
        200,
        &json!({"a": 1, "b": {"c": [ {"d": 2} ]}, "userData": {"k": "v"}}),
    );
    let request = ProxiedRequest {
        method: "GET".into(),
        path_and_query: "/".into(),
        headers: Vec::new(),
        body: Vec::new(),
    };
    additive(&request, &mut answer);
    let text = String::from_utf8(answer.body.clone()).unwrap();
    assert!(
        text.find("\"b\"").unwrap() < text.find("\"a\"").unwrap(),
        "keys reversed: {text}"
    );
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert!(doc["addedInV3_1"].is_object());
    assert!(doc["b"]["addedInV3_1"].is_object());
    assert!(doc["b"]["c"][0]["addedInV3_1"].is_object());
    assert_eq!(doc["userData"], json!({"k": "v"}));
    assert_eq!(answer.header("X-Served-By"), Some("gateway-7"));
}
