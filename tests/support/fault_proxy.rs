//! A deliberately wrong (or deliberately different) server for tests: a loopback HTTP
//! proxy in front of a real upstream (usually the cxgate mock) whose answers a test
//! rewrites, so that one behaviour is broken while everything else stays honest.
//!
//! Header names go out in Title-Case (`Content-Type`), unlike the mock's lower case.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use bytes::Bytes;
use http_body_util::{BodyExt as _, Full};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

/// The request as the proxy received it (and forwards it, after `before`).
#[derive(Debug, Clone)]
pub struct ProxiedRequest {
    pub method: String,
    /// Path and query, e.g. `/auth/v3/userinfo?x=1`.
    pub path_and_query: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl ProxiedRequest {
    /// The path without the query.
    pub fn path(&self) -> &str {
        self.path_and_query
            .split('?')
            .next()
            .unwrap_or(&self.path_and_query)
    }

    /// The first header of that name (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body as text (lossy).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// The answer the upstream gave (or `before` made up), before it goes back.
#[derive(Debug, Clone)]
pub struct ProxiedResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl ProxiedResponse {
    /// A JSON answer with this status.
    pub fn json(status: u16, value: &serde_json::Value) -> ProxiedResponse {
        ProxiedResponse {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: value.to_string().into_bytes(),
        }
    }

    /// The first header of that name (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Replaces (or adds) a header.
    pub fn set_header(&mut self, name: &str, value: &str) {
        self.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        self.headers.push((name.to_string(), value.to_string()));
    }

    /// True for a JSON content type.
    pub fn is_json(&self) -> bool {
        self.header("content-type")
            .is_some_and(|t| t.to_ascii_lowercase().contains("json"))
    }

    /// The body parsed as JSON, if it is JSON.
    pub fn json_body(&self) -> Option<serde_json::Value> {
        serde_json::from_slice(&self.body).ok()
    }

    /// Replaces the body with this JSON value.
    pub fn set_json_body(&mut self, value: &serde_json::Value) {
        self.body = value.to_string().into_bytes();
    }
}

/// Changes the upstream's answer.
pub type Rewrite = Arc<dyn Fn(&ProxiedRequest, &mut ProxiedResponse) + Send + Sync>;
/// Sees (and may change) the request first; `Some(answer)` answers without forwarding.
pub type Before = Arc<dyn Fn(&mut ProxiedRequest) -> Option<ProxiedResponse> + Send + Sync>;

/// A running proxy; it stops when dropped.
pub struct FaultProxy {
    addr: SocketAddr,
    task: tokio::task::JoinHandle<()>,
}

impl FaultProxy {
    /// Forwards every request to `upstream` (a base URL) and passes each answer through
    /// `rewrite`.
    pub async fn start(upstream: &str, rewrite: Rewrite) -> FaultProxy {
        Self::start_with(upstream, Arc::new(|_| None), rewrite).await
    }

    /// Like [`FaultProxy::start`], with a hook on the request as well.
    pub async fn start_with(upstream: &str, before: Before, rewrite: Rewrite) -> FaultProxy {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let _ = rustls::crypto::ring::default_provider().install_default();
        let client = reqwest::Client::builder()
            .no_proxy()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(90))
            .build()
            .unwrap();
        let upstream = upstream.trim_end_matches('/').to_string();
        let task = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    return;
                };
                let client = client.clone();
                let upstream = upstream.clone();
                let before = before.clone();
                let rewrite = rewrite.clone();
                tokio::spawn(async move {
                    let service = service_fn(move |req: hyper::Request<hyper::body::Incoming>| {
                        let client = client.clone();
                        let upstream = upstream.clone();
                        let before = before.clone();
                        let rewrite = rewrite.clone();
                        async move {
                            let answer = forward(req, &client, &upstream, &before, &rewrite).await;
                            Ok::<_, std::convert::Infallible>(answer)
                        }
                    });
                    let _ = http1::Builder::new()
                        .title_case_headers(true)
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        FaultProxy { addr, task }
    }

    /// The proxy's base URL, e.g. `http://127.0.0.1:40123`.
    pub fn uri(&self) -> String {
        format!("http://{}", self.addr)
    }
}

impl Drop for FaultProxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

const HOP_BY_HOP: [&str; 6] = [
    "connection",
    "keep-alive",
    "transfer-encoding",
    "content-length",
    "upgrade",
    "host",
];

async fn forward(
    req: hyper::Request<hyper::body::Incoming>,
    client: &reqwest::Client,
    upstream: &str,
    before: &Before,
    rewrite: &Rewrite,
) -> hyper::Response<Full<Bytes>> {
    let method = req.method().to_string();
    let path_and_query = req
        .uri()
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "/".into());
    let headers: Vec<(String, String)> = req
        .headers()
        .iter()
        .filter(|(n, _)| !HOP_BY_HOP.contains(&n.as_str()))
        .map(|(n, v)| {
            (
                n.as_str().to_string(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let body = req
        .into_body()
        .collect()
        .await
        .map(|b| b.to_bytes().to_vec())
        .unwrap_or_default();
    let mut request = ProxiedRequest {
        method,
        path_and_query,
        headers,
        body,
    };
    let mut answer = match before(&mut request) {
        Some(made_up) => made_up,
        None => send_upstream(client, upstream, &request).await,
    };
    rewrite(&request, &mut answer);
    let mut builder = hyper::Response::builder().status(answer.status);
    for (name, value) in &answer.headers {
        if !HOP_BY_HOP.contains(&name.to_ascii_lowercase().as_str()) {
            builder = builder.header(name.as_str(), value.as_str());
        }
    }
    builder
        .body(Full::new(Bytes::from(answer.body)))
        .unwrap_or_else(|_| hyper::Response::new(Full::new(Bytes::new())))
}

async fn send_upstream(
    client: &reqwest::Client,
    upstream: &str,
    request: &ProxiedRequest,
) -> ProxiedResponse {
    let method = reqwest::Method::from_bytes(request.method.as_bytes()).unwrap();
    let mut builder = client.request(method, format!("{upstream}{}", request.path_and_query));
    for (name, value) in &request.headers {
        builder = builder.header(name.as_str(), value.as_str());
    }
    match builder.body(request.body.clone()).send().await {
        Ok(response) => {
            let status = response.status().as_u16();
            let headers = response
                .headers()
                .iter()
                .map(|(n, v)| {
                    (
                        n.as_str().to_string(),
                        String::from_utf8_lossy(v.as_bytes()).into_owned(),
                    )
                })
                .collect();
            let body = response
                .bytes()
                .await
                .map(|b| b.to_vec())
                .unwrap_or_default();
            ProxiedResponse {
                status,
                headers,
                body,
            }
        }
        Err(e) => ProxiedResponse::json(
            502,
            &serde_json::json!({"proxy": format!("upstream failed: {e}")}),
        ),
    }
}

/// Serialises `value` with every object's keys in reverse order and with spaces and
/// newlines: the same data as another server might lay it out.
pub fn reordered_json(value: &serde_json::Value) -> String {
    let mut out = String::new();
    write_reordered(value, &mut out);
    out
}

fn write_reordered(value: &serde_json::Value, out: &mut String) {
    match value {
        serde_json::Value::Object(map) => {
            out.push_str("{\n  ");
            for (i, (key, v)) in map.iter().rev().enumerate() {
                if i > 0 {
                    out.push_str(",\n  ");
                }
                out.push_str(&serde_json::Value::String(key.clone()).to_string());
                out.push_str(" : ");
                write_reordered(v, out);
            }
            out.push_str("\n}");
        }
        serde_json::Value::Array(items) => {
            out.push_str("[ ");
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(" , ");
                }
                write_reordered(v, out);
            }
            out.push_str(" ]");
        }
        other => out.push_str(&other.to_string()),
    }
}

/// Keys whose values are maps the client itself filled (user data, properties): a
/// server adds no field of its own there.
const CLIENT_MAPS: [&str; 4] = ["userData", "userdata", "properties", "attributes"];

/// Adds the field `name: value` to every object in `doc` (except the client's own maps).
pub fn add_field_everywhere(doc: &mut serde_json::Value, name: &str, value: &serde_json::Value) {
    match doc {
        serde_json::Value::Object(map) => {
            for (key, v) in map.iter_mut() {
                if !CLIENT_MAPS.contains(&key.as_str()) {
                    add_field_everywhere(v, name, value);
                }
            }
            map.entry(name.to_string()).or_insert_with(|| value.clone());
        }
        serde_json::Value::Array(items) => {
            for v in items {
                add_field_everywhere(v, name, value);
            }
        }
        _ => {}
    }
}
