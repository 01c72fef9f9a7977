//! The mock's per-token operations with 10 tokens held and with 1,000,000: each must
//! cost the same (issue 14, point 1). Through the router in-process, as a client sees
//! them: a password grant, a refresh grant, a bearer check (`GET /auth/v3/userinfo`)
//! and a sign-out. The anchor is the same operation on the store holding 10 tokens,
//! measured in the same run.
//!
//! `cargo bench --bench identity_store` prints µs per operation and the ratio to the
//! anchor. `CXGATE_BENCH_TOKENS=N` changes the large store's size.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use axum::body::Body;
use axum::http::Request;
use axum::Router;
use cxgate::mock::{router, MockConfig};
use std::time::{Duration, Instant};
use tower::ServiceExt;

const API_KEY: &str = "cxgate-api-key";
const BASIC: &str = "Basic Y3hnYXRlLWNsaWVudDpjeGdhdGUtc2VjcmV0";
/// Users the large store's tokens are spread over (each holds at most 100,000).
const USERS: usize = 10;
/// Timed operations per measurement.
const ROUNDS: usize = 20_000;

fn config() -> MockConfig {
    let mut config = MockConfig::default_seed();
    let agent = config.users[0].clone();
    for i in 0..USERS {
        let mut user = agent.clone();
        user.username = format!("tenant1\\load{i}");
        user.dbid = 10_000 + i as i64;
        config.users.push(user);
    }
    config
}

fn grant(username: &str) -> Request<Body> {
    let form = format!(
        "grant_type=password&username={}&password=agent1-password&scope=%2A",
        username.replace('\\', "%5C")
    );
    Request::post("/auth/v3/oauth/token")
        .header("x-api-key", API_KEY)
        .header("authorization", BASIC)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from(form))
        .unwrap()
}

fn refresh(token: &str) -> Request<Body> {
    Request::post("/auth/v3/oauth/token")
        .header("x-api-key", API_KEY)
        .header("authorization", BASIC)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from(format!(
            "grant_type=refresh_token&refresh_token={token}"
        )))
        .unwrap()
}

fn with_bearer(method: &str, path: &str, token: &str) -> Request<Body> {
    Request::builder()
        .method(method)
        .uri(path)
        .header("x-api-key", API_KEY)
        .header("authorization", format!("Bearer {token}"))
        .body(Body::empty())
        .unwrap()
}

async fn call(app: &Router, request: Request<Body>) -> serde_json::Value {
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let body = http_body_util::BodyExt::collect(response.into_body())
        .await
        .unwrap()
        .to_bytes();
    assert!(
        status.is_success(),
        "{status}: {}",
        String::from_utf8_lossy(&body)
    );
    serde_json::from_slice(&body).unwrap_or(serde_json::Value::Null)
}

fn field(value: &serde_json::Value, name: &str) -> String {
    value[name].as_str().unwrap().to_owned()
}

/// µs per operation of each measured operation, on a store holding `tokens` tokens.
async fn measure(tokens: usize) -> Vec<(&'static str, f64)> {
    let app = router(config()).unwrap();
    let started = Instant::now();
    for i in 0..tokens {
        call(&app, grant(&format!("tenant1\\load{}", i % USERS))).await;
    }
    eprintln!(
        "{tokens} tokens held after {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let per_op = |elapsed: Duration| elapsed.as_secs_f64() * 1e6 / ROUNDS as f64;
    let mut out = Vec::new();

    let started = Instant::now();
    for _ in 0..ROUNDS {
        call(&app, grant("tenant1\\agent1")).await;
    }
    out.push(("password grant", per_op(started.elapsed())));

    let issued = call(&app, grant("tenant1\\agent1")).await;
    let refresh_token = field(&issued, "refresh_token");
    let started = Instant::now();
    let mut access = String::new();
    for _ in 0..ROUNDS {
        access = field(&call(&app, refresh(&refresh_token)).await, "access_token");
    }
    out.push(("refresh grant", per_op(started.elapsed())));

    let started = Instant::now();
    for _ in 0..ROUNDS {
        call(&app, with_bearer("GET", "/auth/v3/userinfo", &access)).await;
    }
    out.push(("bearer check (userinfo)", per_op(started.elapsed())));

    // A sign-out needs a token of its own: grant one, then time the sign-out only.
    let mut spent = Duration::ZERO;
    for _ in 0..ROUNDS {
        let token = field(&call(&app, grant("tenant1\\agent1")).await, "access_token");
        let started = Instant::now();
        call(&app, with_bearer("POST", "/auth/v3/sign-out", &token)).await;
        spent += started.elapsed();
    }
    out.push(("sign-out", per_op(spent)));
    out
}

fn main() {
    // `cargo test --benches` runs every bench once with --bench absent; measure only when
    // asked to bench.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let large: usize = std::env::var("CXGATE_BENCH_TOKENS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let anchor = runtime.block_on(measure(10));
    let loaded = runtime.block_on(measure(large));
    println!("| operation | 10 tokens (µs) | {large} tokens (µs) | ratio |");
    println!("|---|---:|---:|---:|");
    for ((name, small), (_, big)) in anchor.iter().zip(&loaded) {
        println!("| {name} | {small:.2} | {big:.2} | {:.2}× |", big / small);
    }
}
