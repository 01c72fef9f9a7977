//! Checking load-test responses against the contract: the expected status, and (for the
//! sampled ones) the schema. A violation is a failed request in goose's metrics, named
//! by the operation, and counted in the run's summary. Every response, and every step
//! timed by hand ([`custom`]), is also recorded in the run's own histograms, with how it
//! failed.

use super::context::LoadContext;
use super::recorder::FailureKind;
use goose::goose::{GooseResponse, GooseUser, TransactionError};
use goose::metrics::GooseRequestMetric;
use serde_json::Value;
use std::time::{Duration, Instant};

/// What a checked response gave back.
pub type Checked = Result<Option<Value>, Box<TransactionError>>;

/// What a response must be.
#[derive(Debug, Clone, Copy)]
pub struct Expected<'a> {
    /// The status the contract expects.
    pub status: u16,
    /// The schema a sampled body must match.
    pub schema: Option<&'a str>,
    /// A 204 with an empty body is accepted too (an empty page of a list).
    pub no_content: bool,
    /// The body may not be empty (a downloaded file).
    pub non_empty: bool,
}

/// The request being checked: its operation's name and metrics key, and when it was sent.
#[derive(Debug, Clone, Copy)]
pub struct Sent<'a> {
    /// The operation's name (goose's request name).
    pub operation: &'a str,
    /// `METHOD name`, the key of its histogram.
    pub key: &'a str,
    pub at: Instant,
}

/// Checks `response` of `sent.operation` against `expected`: its status, and its body
/// against the schema when the response is sampled; records its latency (sent to body
/// read) and outcome. Returns the body as JSON when it is JSON (`None` for an accepted
/// 204).
pub async fn expect(
    user: &mut GooseUser,
    ctx: &LoadContext,
    mut response: GooseResponse,
    sent: Sent<'_>,
    expected: Expected<'_>,
) -> Checked {
    let operation = sent.operation;
    let record = |failure: Option<FailureKind>, elapsed: Duration| {
        ctx.recorder.record(sent.key, elapsed, failure)
    };
    let Expected {
        status,
        schema,
        no_content,
        non_empty,
    } = expected;
    let request = &mut response.request;
    let http = match response.response {
        Ok(r) => r,
        Err(e) => {
            record(Some(FailureKind::Transport), sent.at.elapsed());
            return fail(
                user,
                ctx,
                request,
                &format!("{operation}: no response: {e}"),
                None,
            );
        }
    };
    let code = http.status().as_u16();
    let http_retry_after = http
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let body = match http.bytes().await {
        Ok(b) => b,
        Err(e) => {
            record(Some(FailureKind::Transport), sent.at.elapsed());
            return fail(
                user,
                ctx,
                request,
                &format!("{operation}: body not read: {e}"),
                None,
            );
        }
    };
    let elapsed = sent.at.elapsed();
    let text = String::from_utf8_lossy(&body);
    if no_content && code == 204 && status != 204 {
        if body.is_empty() {
            record(None, elapsed);
            return Ok(None);
        }
        record(Some(FailureKind::Contract), elapsed);
        ctx.violation(operation);
        let why = format!("contract: {operation}: a 204 with a body");
        return fail(user, ctx, request, &why, Some(&text));
    }
    if code == 429 && status != 429 {
        record(Some(FailureKind::RateLimited), elapsed);
        ctx.rate_limited(operation);
        let after = http_retry_after.as_deref().unwrap_or("none");
        let why = format!("rate-limited: {operation}: 429 (Retry-After: {after})");
        return fail(user, ctx, request, &why, Some(&text));
    }
    if code != status {
        record(Some(FailureKind::Status), elapsed);
        ctx.violation(operation);
        let why = format!("contract: {operation}: expected status {status}, actual {code}");
        return fail(user, ctx, request, &why, Some(&text));
    }
    if non_empty && body.is_empty() {
        record(Some(FailureKind::Contract), elapsed);
        ctx.violation(operation);
        let why = format!("contract: {operation}: an empty body");
        return fail(user, ctx, request, &why, None);
    }
    let json: Option<Value> = serde_json::from_slice(&body).ok();
    let Some(name) = schema.filter(|_| ctx.sampled()) else {
        record(None, elapsed);
        return Ok(json);
    };
    let violations = match (ctx.contract.schemas.get(name), &json) {
        (Some(schema), Some(value)) => schema
            .violations(value)
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>(),
        (Some(_), None) => vec!["body is not JSON".to_string()],
        (None, _) => vec![format!("unknown schema {name}")],
    };
    if violations.is_empty() {
        record(None, elapsed);
        return Ok(json);
    }
    record(Some(FailureKind::Contract), elapsed);
    ctx.violation(operation);
    let why = format!(
        "contract: {operation}: does not match {name}: {}",
        violations.join("; ")
    );
    fail(user, ctx, request, &why, Some(&text))
}

/// Records a failed request in goose's metrics, with `why` and the body received, and
/// keeps `why` (with the body's start) for the summary's errors.
fn fail(
    user: &mut GooseUser,
    ctx: &LoadContext,
    request: &mut GooseRequestMetric,
    why: &str,
    body: Option<&str>,
) -> Checked {
    match body.filter(|b| !b.is_empty()) {
        Some(b) => ctx.error(format!(
            "{why} (body: {})",
            b.chars().take(200).collect::<String>()
        )),
        None => ctx.error(why.to_string()),
    }
    user.set_failure(why, request, None, body).map(|_| None)
}

/// Records a step timed by hand (a CometD exchange, an update's delivery, an export
/// run) in goose's metrics and in the run's own histograms, as `method name`.
pub async fn custom(
    user: &mut GooseUser,
    ctx: &LoadContext,
    method: &str,
    name: &str,
    took: Duration,
    outcome: Result<Option<u16>, &str>,
) -> goose::goose::TransactionResult {
    let failure = outcome.is_err().then_some(FailureKind::Other);
    ctx.recorder
        .record(&super::recorder::key(method, name), took, failure);
    let (success, status, error) = match outcome {
        Ok(status) => (true, status, None),
        Err(why) => (false, None, Some(why)),
    };
    user.record_custom_request_duration(method, name, took, success, status, error)
        .await
}
