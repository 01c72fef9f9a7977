//! The mock's token endpoint and the contract's schema validation, measured.
//!
//! `cargo bench --bench token_endpoint` reports time per request; requests/s is its
//! inverse. In-process (the axum router called directly) isolates the handler; the
//! loopback variant adds HTTP/1.1 over 127.0.0.1 with a reused connection.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use axum::body::Body;
use axum::http::Request;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use cxgate::contract::ContractModel;
use cxgate::mock::{router, MockConfig, MockServer};
use tower::ServiceExt;

const FORM: &str =
    "grant_type=password&username=tenant1%5Cagent1&password=agent1-password&scope=%2A";
const BASIC: &str = "Basic Y3hnYXRlLWNsaWVudDpjeGdhdGUtc2VjcmV0";

fn token_request() -> Request<Body> {
    Request::post("/auth/v3/oauth/token")
        .header("x-api-key", "cxgate-api-key")
        .header("authorization", BASIC)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from(FORM))
        .unwrap()
}

fn mock_token_endpoint(c: &mut Criterion) {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let app = router(MockConfig::default_seed()).expect("the default seed builds the app");
    let mut group = c.benchmark_group("mock token endpoint");
    group.throughput(Throughput::Elements(1));
    group.bench_function("password grant, in-process", |b| {
        b.to_async(&runtime).iter(|| async {
            let response = app.clone().oneshot(token_request()).await.unwrap();
            assert_eq!(response.status(), 200);
            http_body_util::BodyExt::collect(response.into_body())
                .await
                .unwrap();
        });
    });
    let server = runtime
        .block_on(MockServer::start(
            MockConfig::default_seed(),
            "127.0.0.1:0".parse().unwrap(),
        ))
        .unwrap();
    let url = format!("{}/auth/v3/oauth/token", server.base_url());
    let _ = rustls::crypto::ring::default_provider().install_default();
    let client = reqwest::Client::new();
    group.bench_function("password grant, loopback HTTP", |b| {
        b.to_async(&runtime).iter(|| async {
            let response = client
                .post(&url)
                .header("x-api-key", "cxgate-api-key")
                .header("authorization", BASIC)
                .header("content-type", "application/x-www-form-urlencoded")
                .body(FORM)
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 200);
            response.bytes().await.unwrap();
        });
    });
    group.finish();
    runtime.block_on(server.shutdown());
}

fn schema_validation(c: &mut Criterion) {
    let model = ContractModel::load(std::path::Path::new(env!("CARGO_MANIFEST_DIR"))).unwrap();
    let schema = model.schemas.get("auth/DefaultOAuth2AccessToken").unwrap();
    let token = serde_json::json!({"access_token": "1234abcd-5569-4fa9-bfad-12345678abcd", "expires_in": 43199,
        "refresh_token": "456789ef-3dce-4c82-bc1f-987654324e87", "scope": "*", "token_type": "bearer"});
    c.bench_function("validate DefaultOAuth2AccessToken", |b| {
        b.iter(|| assert!(schema.violations(&token).is_empty()));
    });
    let stats = model
        .schemas
        .get("statistics/StatisticDataResponse")
        .unwrap();
    let example = stats.document["examples"][0].clone();
    c.bench_function("validate StatisticDataResponse", |b| {
        b.iter(|| assert!(stats.violations(&example).is_empty()));
    });
}

criterion_group!(benches, mock_token_endpoint, schema_validation);
criterion_main!(benches);
