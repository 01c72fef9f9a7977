//! The harness's webhook receiver: stands in for a third party that Genesys (or the mock)
//! posts outgoing messages and interaction events to. One receiver per scenario, on its
//! own loopback port, so concurrent scenarios never see each other's deliveries. Every
//! delivery is recorded with its raw bytes and a signature verdict; the receiver answers
//! as told (200 with the messageId, a 5xx to force redelivery, or a stall past the
//! sender's timeout).

use crate::signing;
use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};
use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::Notify;

/// Where a deployment delivers webhooks during a run (`--webhook-listen`,
/// `--webhook-public-url`): the address this run's receiver listens on, and the URL the
/// deployment was configured to call, which must lead to that address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookEndpoint {
    pub listen: SocketAddr,
    pub public_url: String,
}

/// Checks a `--webhook-public-url` value: an `http(s)://host...` URL, else why not.
pub fn parse_public_url(text: &str) -> Result<String, String> {
    let url = url::Url::parse(text).map_err(|e| format!("not a URL: {e}"))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(
            "give the http:// or https:// URL the deployment is configured to post webhooks to"
                .into(),
        );
    }
    Ok(text.to_string())
}

/// How the receiver answers one delivery.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    /// 200 with `{"messageId": <the delivery's messageId>}` (or an EventsResponse).
    Accept,
    /// This HTTP status with a small JSON body.
    Status(u16),
    /// Wait this long, then accept (a sender with a shorter timeout gives up first).
    Stall(Duration),
}

/// One delivery as it arrived.
#[derive(Debug, Clone)]
pub struct Delivery {
    pub at: Instant,
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// `Ok` when X-Hub-Signature verifies with the receiver's secret, else why not.
    pub signature: Result<(), String>,
    /// How the receiver answered.
    pub reply: Reply,
}

impl Delivery {
    /// First value of a header (name case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body as JSON, if it is JSON.
    pub fn json(&self) -> Option<Value> {
        serde_json::from_slice(&self.body).ok()
    }

    /// `channel.messageId` of a Third-Party Messaging delivery.
    pub fn message_id(&self) -> Option<String> {
        self.json()?
            .pointer("/channel/messageId")?
            .as_str()
            .map(str::to_string)
    }

    /// True when the receiver answered 2xx in time (as far as the receiver knows).
    pub fn accepted(&self) -> bool {
        matches!(self.reply, Reply::Accept)
    }
}

#[derive(Debug, Default)]
struct State {
    secret: Vec<u8>,
    plan: VecDeque<Reply>,
    deliveries: Vec<Delivery>,
}

#[derive(Debug, Default)]
struct Shared {
    state: Mutex<State>,
    arrived: Notify,
}

impl Shared {
    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// A running receiver; dropping it stops it.
#[derive(Debug)]
pub struct WebhookReceiver {
    addr: SocketAddr,
    shared: Arc<Shared>,
    task: tokio::task::JoinHandle<()>,
}

impl WebhookReceiver {
    /// Starts a receiver on `listen` (`127.0.0.1:0` for an ephemeral port) that checks
    /// signatures with `secret`.
    pub async fn start(listen: SocketAddr, secret: &[u8]) -> Result<WebhookReceiver, String> {
        let listener = bind(listen).await?;
        let addr = listener
            .local_addr()
            .map_err(|e| format!("webhook receiver: no local address: {e}"))?;
        let shared = Arc::new(Shared::default());
        shared.lock().secret = secret.to_vec();
        let handler_shared = shared.clone();
        let app = axum::Router::new().fallback(
            move |uri: axum::http::Uri, headers: HeaderMap, body: Bytes| {
                let shared = handler_shared.clone();
                async move { receive(shared, uri.path().to_string(), headers, body).await }
            },
        );
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Ok(WebhookReceiver { addr, shared, task })
    }

    /// The URL to register as the webhook (`http://127.0.0.1:PORT/webhook`).
    pub fn url(&self) -> String {
        format!("http://{}/webhook", self.addr)
    }

    /// The next deliveries get these answers, in order; after them, [`Reply::Accept`].
    pub fn plan(&self, replies: impl IntoIterator<Item = Reply>) {
        self.shared.lock().plan.extend(replies);
    }

    /// Every delivery so far, in arrival order.
    pub fn deliveries(&self) -> Vec<Delivery> {
        self.shared.lock().deliveries.clone()
    }

    /// Waits until at least `count` deliveries arrived or `timeout` passed; returns them all.
    pub async fn wait_for(&self, count: usize, timeout: Duration) -> Vec<Delivery> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let notified = self.shared.arrived.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            let deliveries = self.deliveries();
            if deliveries.len() >= count {
                return deliveries;
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                return self.deliveries();
            }
        }
    }
}

/// Binds `listen`; a fixed port that the previous scenario's receiver is still giving up
/// is tried again for up to 2 s.
async fn bind(listen: SocketAddr) -> Result<tokio::net::TcpListener, String> {
    let deadline = Instant::now() + Duration::from_secs(2);
    loop {
        match tokio::net::TcpListener::bind(listen).await {
            Ok(listener) => return Ok(listener),
            Err(e)
                if e.kind() == std::io::ErrorKind::AddrInUse
                    && listen.port() != 0
                    && Instant::now() < deadline =>
            {
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            Err(e) => return Err(format!("webhook receiver: cannot listen on {listen}: {e}")),
        }
    }
}

impl Drop for WebhookReceiver {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn receive(shared: Arc<Shared>, path: String, headers: HeaderMap, body: Bytes) -> Response {
    let (reply, signature) = {
        let mut state = shared.lock();
        let reply = state.plan.pop_front().unwrap_or(Reply::Accept);
        let header = headers.get("x-hub-signature").and_then(|v| v.to_str().ok());
        let signature = signing::verify(&state.secret, &body, header).map_err(|e| e.to_string());
        (reply, signature)
    };
    let delivery = Delivery {
        at: Instant::now(),
        path,
        headers: headers
            .iter()
            .map(|(n, v)| {
                (
                    n.as_str().to_string(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect(),
        body: body.to_vec(),
        signature,
        reply: reply.clone(),
    };
    let answer = accept_body(&delivery);
    shared.lock().deliveries.push(delivery);
    shared.arrived.notify_waiters();
    match reply {
        Reply::Accept => (StatusCode::OK, axum::Json(answer)).into_response(),
        Reply::Status(code) => {
            let status = StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            (
                status,
                axum::Json(json!({"error": format!("planned {code}")})),
            )
                .into_response()
        }
        Reply::Stall(pause) => {
            tokio::time::sleep(pause).await;
            (StatusCode::OK, axum::Json(answer)).into_response()
        }
    }
}

/// What a third party answers to an accepted delivery: `{"messageId"}` for a message
/// (reference 4488-4500), an EventsResponse for interaction events (1964-1977).
fn accept_body(delivery: &Delivery) -> Value {
    match delivery.message_id() {
        Some(id) => json!({ "messageId": id }),
        None => {
            let ids: Vec<Value> = delivery
                .json()
                .and_then(|v| {
                    v.pointer("/data/entities")
                        .and_then(Value::as_array)
                        .cloned()
                })
                .unwrap_or_default()
                .iter()
                .filter_map(|e| e.pointer("/entity/id").cloned())
                .map(|id| json!({ "id": id }))
                .collect();
            json!({"status": {"code": 0, "message": "OK"}, "data": {"ids": ids}})
        }
    }
}
