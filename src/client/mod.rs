//! The harness's side of the wire: target configuration, HTTP exchanges with limits.

mod http;
mod target;
mod trace;
mod webhook;

pub use http::{
    asked_retry_after, excerpt as http_excerpt, is_loopback, Exchange, HttpClient, HttpError,
    RequestSpec, Transport, MAX_BODY_BYTES,
};
pub use target::{seed, Credentials, TargetConfig, TargetError, TargetKind, TenantData};
pub use trace::{install_trace_redactor, TARGET as TRACE_TARGET};
pub use webhook::{parse_public_url, Delivery, Reply, WebhookEndpoint, WebhookReceiver};
