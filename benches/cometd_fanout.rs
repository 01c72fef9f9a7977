//! Many CometD long-poll clients against `cxgate mock` run as its own process: each client
//! has its own session (cookie jar) and one Periodical subscription (every second).
//! Reports update delivery latency (generation timestamp to receipt), errors, the mock's
//! RSS, and its RSS and health-check latency after 10,000 more subscriptions.
//!
//! `cargo bench --bench cometd_fanout` (CXGATE_FANOUT_CLIENTS, default 1000;
//! CXGATE_FANOUT_SECONDS, default 20). Needs `ulimit -n` above twice the client count.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use cxgate::cometd::BayeuxClient;
use serde_json::{json, Value};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

const KEY: &str = "cxgate-api-key";

fn env_num(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn rss_kib(pid: u32, field: &str) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

struct Mock(Child);

impl Drop for Mock {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn percentile(sorted: &[u64], p: f64) -> u64 {
    if sorted.is_empty() {
        return 0;
    }
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

#[tokio::main]
async fn main() {
    if std::env::args().any(|a| a == "--list") {
        return; // `cargo bench -- --list` and `cargo test --benches` probe benches this way.
    }
    let clients = env_num("CXGATE_FANOUT_CLIENTS", 1000);
    let seconds = env_num("CXGATE_FANOUT_SECONDS", 20) as u64;
    let _ = rustls::crypto::ring::default_provider().install_default();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let base = format!("http://127.0.0.1:{port}");
    let child = Command::new(env!("CARGO_BIN_EXE_cxgate"))
        .args(["mock", "--listen", &format!("127.0.0.1:{port}")])
        .stdout(Stdio::null())
        .spawn()
        .expect("start cxgate mock");
    let mock = Mock(child);
    let pid = mock.0.id();
    let probe = reqwest::Client::new();
    let started = Instant::now();
    while probe
        .get(format!("{base}/__cxgate/health"))
        .send()
        .await
        .is_err()
    {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "mock did not start"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let rss_idle = rss_kib(pid, "VmRSS:");
    let token: Value = probe
        .post(format!("{base}/auth/v3/oauth/token"))
        .header("x-api-key", KEY)
        .basic_auth("cxgate-client", Some("cxgate-secret"))
        .form(&[
            ("grant_type", "password"),
            ("username", "tenant1\\agent1"),
            ("password", "agent1-password"),
            ("scope", "*"),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = token["access_token"].as_str().unwrap().to_string();

    println!("setting up {clients} CometD clients against {base} ...");
    let setup = Instant::now();
    let mut running = Vec::with_capacity(clients);
    let mut setup_errors = 0usize;
    for i in 0..clients {
        let http = reqwest::Client::builder()
            .cookie_store(true)
            .build()
            .unwrap();
        let client = Arc::new(BayeuxClient::new(
            http.clone(),
            format!("{base}/statistics/v3/notifications"),
            vec![
                ("x-api-key".into(), KEY.into()),
                ("Authorization".into(), format!("Bearer {token}")),
            ],
        ));
        let ok = async {
            client.handshake().await.ok()?;
            client.subscribe("/statistics/v3/updates").await.ok()?;
            let body = json!({"operationId": format!("fanout-{i}"), "data": {"statistics": [{"statisticId": format!("st-{i}"),
                "objectId": "agent", "objectType": "Agent",
                "definition": {"notificationMode": "Periodical", "notificationFrequency": 1, "category": "CurrentTime", "subject": "DNStatus", "mainMask": "*"}}]}});
            let response = http
                .post(format!("{base}/statistics/v3/subscriptions"))
                .header("x-api-key", KEY)
                .bearer_auth(&token)
                .json(&body)
                .send()
                .await
                .ok()?;
            (response.status() == 200).then_some(())
        }
        .await;
        if ok.is_none() {
            setup_errors += 1;
            continue;
        }
        running.push(client.start());
    }
    println!(
        "set up in {:.1}s ({setup_errors} errors); measuring {seconds}s ...",
        setup.elapsed().as_secs_f64()
    );
    let window_start = Instant::now();
    tokio::time::sleep(Duration::from_secs(seconds)).await;
    let window_end = Instant::now();
    let rss_loaded = rss_kib(pid, "VmRSS:");

    let mut latencies = Vec::new();
    let mut loop_errors = 0usize;
    let mut starved = 0usize;
    for r in &running {
        loop_errors += r.errors().len();
        let mut received = 0usize;
        for event in r.events.snapshot() {
            if event.at < window_start || event.at > window_end {
                continue;
            }
            let receipt =
                now_ms().saturating_sub(Instant::now().duration_since(event.at).as_millis() as u64);
            let stats = event
                .message
                .data
                .as_ref()
                .and_then(|d| d["data"]["statistics"].as_array().cloned())
                .unwrap_or_default();
            for s in stats {
                if let Some(ts) = s["timestamp"].as_u64() {
                    latencies.push(receipt.saturating_sub(ts));
                    received += 1;
                }
            }
        }
        if (received as u64) < seconds.saturating_sub(2) {
            starved += 1;
        }
    }
    latencies.sort_unstable();
    let mut disconnect_errors = 0usize;
    for r in running {
        if r.stop().await.is_err() {
            disconnect_errors += 1;
        }
    }
    let rss_after_disconnect = rss_kib(pid, "VmRSS:");

    // 10,000 more subscriptions on no session: memory must stay bounded, the mock responsive.
    let extra = Instant::now();
    let mut extra_errors = 0usize;
    for i in 0..10_000 {
        let body = json!({"operationId": format!("extra-{i}"), "data": {"statistics": [{"statisticId": "x", "objectId": "agent2", "objectType": "Agent", "name": "CurrentAgentState"}]}});
        let response = probe
            .post(format!("{base}/statistics/v3/subscriptions"))
            .header("x-api-key", KEY)
            .bearer_auth(&token)
            .json(&body)
            .send()
            .await;
        if !matches!(response, Ok(ref r) if r.status() == 200) {
            extra_errors += 1;
        }
    }
    let extra_secs = extra.elapsed().as_secs_f64();
    let health = Instant::now();
    let healthy = probe
        .get(format!("{base}/__cxgate/health"))
        .send()
        .await
        .map(|r| r.status() == 200)
        .unwrap_or(false);
    let health_ms = health.elapsed().as_secs_f64() * 1000.0;
    let rss_extra = rss_kib(pid, "VmRSS:");
    let rss_peak = rss_kib(pid, "VmHWM:");

    println!();
    println!("| measure | value |");
    println!("|---|---|");
    println!(
        "| clients (one session and one Periodical 1 s subscription each) | {} |",
        clients - setup_errors
    );
    println!("| setup errors / connect-loop errors / clients short of updates | {setup_errors} / {loop_errors} / {starved} |");
    println!("| updates received in {seconds} s | {} |", latencies.len());
    println!(
        "| delivery latency p50 / p99 / max (ms) | {} / {} / {} |",
        percentile(&latencies, 0.5),
        percentile(&latencies, 0.99),
        latencies.last().copied().unwrap_or(0)
    );
    println!(
        "| mock RSS idle / with clients (MiB) | {:.1} / {:.1} |",
        rss_idle as f64 / 1024.0,
        rss_loaded as f64 / 1024.0
    );
    println!(
        "| after all clients disconnected: errors, mock RSS (MiB) | {disconnect_errors}, {:.1} |",
        rss_after_disconnect as f64 / 1024.0
    );
    println!("| 10,000 more subscriptions (no session): time, errors | {extra_secs:.1} s, {extra_errors} |");
    println!(
        "| mock RSS after them / peak (MiB) | {:.1} / {:.1} |",
        rss_extra as f64 / 1024.0,
        rss_peak as f64 / 1024.0
    );
    println!(
        "| health check after them | {} in {health_ms:.1} ms |",
        if healthy { "200" } else { "FAILED" }
    );
}
