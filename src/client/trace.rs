//! The request trace of `-v` and `-vv`, as `tracing` events of the target
//! `cxgate::http`: at info, each exchange on one line (method, URL, status, time, size);
//! at debug, its headers and bodies too. Everything passes through the run's redactor,
//! which first learns the tokens, codes and cookies the answer issues.

use super::http::{excerpt, Exchange, HttpError, RequestSpec};
use crate::report::{issued_secrets, Redactor};
use std::sync::OnceLock;
use std::time::Duration;

/// The tracing target of the request trace.
pub const TARGET: &str = "cxgate::http";

/// How much of a body the debug trace shows.
const BODY_CHARS: usize = 2_000;

static REDACTOR: OnceLock<Redactor> = OnceLock::new();

/// Makes `redactor` the one the trace masks secrets with (the command line installs the
/// run's own, once, before any request); later calls are ignored.
pub fn install_trace_redactor(redactor: Redactor) {
    let _ = REDACTOR.set(redactor);
}

/// Traces one exchange, when the trace is on.
pub(super) fn exchange(
    spec: &RequestSpec,
    url: &str,
    outcome: &Result<Exchange, HttpError>,
    elapsed: Duration,
) {
    if !tracing::enabled!(target: TARGET, tracing::Level::INFO) {
        return;
    }
    let local = Redactor::new();
    let redactor = REDACTOR.get().unwrap_or(&local);
    let exchange = match outcome {
        Ok(exchange) => exchange,
        Err(e) => {
            tracing::info!(target: TARGET, "{}", redactor.redact(&e.to_string()));
            return;
        }
    };
    for secret in issued_secrets(&exchange.headers, &exchange.body) {
        redactor.add(&secret);
    }
    let query = if spec.query.is_empty() {
        String::new()
    } else {
        let pairs = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(&spec.query)
            .finish();
        format!("?{pairs}")
    };
    tracing::info!(
        target: TARGET,
        "{}",
        redactor.redact(&format!(
            "{} {url}{query} -> {} in {:.1} ms, {} bytes",
            exchange.method,
            exchange.status,
            elapsed.as_secs_f64() * 1000.0,
            exchange.body.len()
        ))
    );
    if !tracing::enabled!(target: TARGET, tracing::Level::DEBUG) {
        return;
    }
    let headers = |headers: &[(String, String)]| {
        headers
            .iter()
            .map(|(name, value)| format!("{name}: {}", masked_header(name, value)))
            .collect::<Vec<_>>()
            .join("; ")
    };
    let body = |bytes: &[u8]| excerpt(&String::from_utf8_lossy(bytes), BODY_CHARS);
    let request_body = spec.body.as_deref().map(body).unwrap_or_default();
    tracing::debug!(
        target: TARGET,
        "{}",
        redactor.redact(&format!(
            "request headers: {}\nrequest body: {request_body}\nresponse headers: {}\nresponse body: {}",
            headers(&spec.headers),
            headers(&exchange.headers),
            body(&exchange.body)
        ))
    );
}

/// Header values that are credentials whatever they hold.
fn masked_header<'a>(name: &str, value: &'a str) -> &'a str {
    const SECRET: [&str; 4] = ["authorization", "x-api-key", "cookie", "set-cookie"];
    if SECRET.iter().any(|s| name.eq_ignore_ascii_case(s)) {
        "[REDACTED]"
    } else {
        value
    }
}
