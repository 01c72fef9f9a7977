//! Webhook delivery: one background task per message POSTs the same signed
//! bytes, with the same `X-B3-TraceId`, until the receiver's answer counts as
//! success, an answer ends it, or the attempts run out; every attempt is recorded.
//!
//! The two webhooks have different rules ([`Rule`]):
//! - Third-Party Messaging (reference 3802-3805, 4486-4501): success is a 2xx
//!   within the timeout ("within 10 seconds"); a 5xx ("should be redelivered
//!   must have a 5XX HTTP code"), a timeout, or a refused or reset connection is
//!   retried; any other status (1xx, 3xx, 4xx) fails at once (the reference names
//!   only 2xx and 5xx; choice).
//! - Interactions Webhook (reference 1905): only **200 OK** is success; "if the
//!   third-party system doesn't respond with 200 OK or is not available, Digital
//!   Channels will try to redeliver", so every other status (201, 202, 4xx, 5xx),
//!   a timeout and a broken connection are retried.
//!
//! Retries wait `backoff × 2^(n-1)` (n = attempts made so far) until `attempts` in total.

use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use serde_json::{json, Value};

use super::hub::MessagingHub;
use super::seed::MessagingConfig;

/// Longest single wait between attempts, whatever the backoff doubles to.
const MAX_BACKOFF_MS: u64 = 60_000;

/// Where a delivery's log lives in the hub.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// An agent reply of a Third-Party Messaging channel.
    Outbound {
        /// The channel.
        channel_id: String,
        /// The webhook's `channel.messageId`.
        message_id: String,
    },
    /// An Interactions Webhook `EventsPayload`.
    Interaction {
        /// The payload's `operationId`.
        operation_id: String,
    },
}

/// Which answers end a delivery, and how.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// 2xx delivered, 5xx retried, other statuses final (reference 3803-3805).
    ThirdPartyMessaging,
    /// 200 delivered, everything else retried (reference 1905).
    Interactions,
}

impl Rule {
    /// The rule for a delivery's target.
    pub fn of(target: &Target) -> Rule {
        match target {
            Target::Outbound { .. } => Rule::ThirdPartyMessaging,
            Target::Interaction { .. } => Rule::Interactions,
        }
    }

    /// Where a delivery stands after an attempt ended with `outcome` (before the
    /// attempt limit is applied).
    fn state_after(self, outcome: &Outcome) -> DeliveryState {
        match (self, outcome) {
            (_, Outcome::Error(_)) => DeliveryState::Failed,
            (_, Outcome::Timeout | Outcome::Refused | Outcome::Reset) => DeliveryState::Pending,
            (Rule::ThirdPartyMessaging, Outcome::Response(status))
                if (200..300).contains(status) =>
            {
                DeliveryState::Delivered
            }
            (Rule::ThirdPartyMessaging, Outcome::Response(status)) if *status >= 500 => {
                DeliveryState::Pending
            }
            (Rule::ThirdPartyMessaging, Outcome::Response(_)) => DeliveryState::Failed,
            (Rule::Interactions, Outcome::Response(200)) => DeliveryState::Delivered,
            (Rule::Interactions, Outcome::Response(_)) => DeliveryState::Pending,
        }
    }
}

/// How hard to try.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    /// Total attempts, at least 1.
    pub attempts: u32,
    /// Wait before the first retry, in milliseconds; doubles for each further retry.
    pub backoff_ms: u64,
    /// Time allowed for one attempt (request and response body), in milliseconds.
    pub timeout_ms: u64,
}

impl Policy {
    /// The seed's policy: `[messaging]` retry_attempts, retry_backoff_ms, webhook_timeout_ms.
    pub fn of_seed(seed: &MessagingConfig) -> Policy {
        Policy {
            attempts: seed.retry_attempts,
            backoff_ms: seed.retry_backoff_ms,
            timeout_ms: seed.webhook_timeout_ms,
        }
    }

    /// The wait after `made` failed attempts.
    fn backoff_after(&self, made: u32) -> Duration {
        let factor = 1u64 << made.saturating_sub(1).min(20);
        Duration::from_millis(self.backoff_ms.saturating_mul(factor).min(MAX_BACKOFF_MS))
    }
}

/// What the receiver is expected to answer, checked on a 2xx.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expect {
    /// `OutgoingMessageResponse` `{"messageId"}` echoing this id (reference 4488-4500, 3897-3901).
    MessageId(String),
    /// `EventsResponse` `{"status":{"code","message"},"data":{"ids"}}` (reference 1964-1977).
    EventsResponse,
}

impl Expect {
    /// The answer as JSON (if it is), the `messageId` it carries, and the
    /// contract problems found. A problem never turns a 2xx into a failure.
    fn check(&self, body: &[u8]) -> (Option<Value>, Option<String>, Vec<String>) {
        let answer = serde_json::from_slice::<Value>(body).ok();
        let mut problems = Vec::new();
        let mut answered = None;
        match self {
            Expect::MessageId(ours) => {
                match answer.as_ref().and_then(|a| a.get("messageId")) {
                    Some(Value::String(id)) => {
                        answered = Some(id.clone());
                        if id != ours {
                            problems.push(format!(
                                "the receiver answered messageId `{id}` but the webhook carried `{ours}` (reference 3897-3901 echoes it)"
                            ));
                        }
                    }
                    Some(other) => problems.push(format!(
                        "the receiver's messageId is {other}, not a string (reference 4488-4500)"
                    )),
                    None => problems.push(
                        "the receiver's 2xx body has no messageId (reference 3804: the response body should contain it)"
                            .to_owned(),
                    ),
                }
            }
            Expect::EventsResponse => {
                let code = answer
                    .as_ref()
                    .and_then(|a| a.get("status"))
                    .and_then(|s| s.get("code"));
                if !code.is_some_and(Value::is_i64) {
                    problems.push(
                        "the receiver's 2xx body is not an EventsResponse {\"status\":{\"code\":<integer>}} (reference 1964-1977)"
                            .to_owned(),
                    );
                }
            }
        }
        (answer, answered, problems)
    }
}

/// Where a delivery stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeliveryState {
    /// Attempts are still being made.
    Pending,
    /// A successful answer arrived (see [`Rule`]).
    Delivered,
    /// A non-retryable answer, or the attempts ran out.
    Failed,
}

impl DeliveryState {
    fn as_str(self) -> &'static str {
        match self {
            DeliveryState::Pending => "pending",
            DeliveryState::Delivered => "delivered",
            DeliveryState::Failed => "failed",
        }
    }
}

/// How one attempt ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// An HTTP answer with this status.
    Response(u16),
    /// No complete answer within the timeout.
    Timeout,
    /// The connection could not be made.
    Refused,
    /// The connection broke before a complete answer.
    Reset,
    /// No attempt could be made (no HTTP client, or the URL is unusable).
    Error(String),
}

/// One recorded attempt.
#[derive(Debug, Clone)]
pub struct Attempt {
    /// When it started, Unix milliseconds.
    pub at_ms: u64,
    /// How it ended.
    pub outcome: Outcome,
    /// How long it took, in milliseconds.
    pub ms: u64,
}

impl Attempt {
    fn to_json(&self) -> Value {
        let (outcome, status, error) = match &self.outcome {
            Outcome::Response(status) => ("response", Some(*status), None),
            Outcome::Timeout => ("timeout", None, None),
            Outcome::Refused => ("refused", None, None),
            Outcome::Reset => ("reset", None, None),
            Outcome::Error(e) => ("error", None, Some(e.clone())),
        };
        let mut item = json!({ "atMs": self.at_ms, "outcome": outcome, "ms": self.ms });
        if let Some(map) = item.as_object_mut() {
            if let Some(status) = status {
                map.insert("status".to_owned(), json!(status));
            }
            if let Some(error) = error {
                map.insert("error".to_owned(), json!(error));
            }
        }
        item
    }
}

/// Everything known about one webhook delivery.
#[derive(Debug, Clone)]
pub struct DeliveryLog {
    /// `X-B3-TraceId`, the same on every attempt.
    pub trace_id: String,
    /// Where it is posted.
    pub url: String,
    /// The payload, as JSON (the bytes sent are its one serialisation).
    pub payload: Value,
    /// The policy in force.
    pub policy: Policy,
    /// Where it stands.
    pub state: DeliveryState,
    /// Every attempt so far.
    pub attempts: Vec<Attempt>,
    /// The 2xx answer's JSON body, if it was JSON.
    pub answer: Option<Value>,
    /// The `messageId` the receiver answered (messaging only).
    pub answered_message_id: Option<String>,
    /// Contract problems in the receiver's answers.
    pub problems: Vec<String>,
}

impl DeliveryLog {
    /// A pending delivery with no attempts yet.
    pub fn new(trace_id: &str, url: &str, payload: Value, policy: Policy) -> DeliveryLog {
        DeliveryLog {
            trace_id: trace_id.to_owned(),
            url: url.to_owned(),
            payload,
            policy,
            state: DeliveryState::Pending,
            attempts: Vec::new(),
            answer: None,
            answered_message_id: None,
            problems: Vec::new(),
        }
    }

    /// The control plane's view.
    pub fn to_json(&self) -> Value {
        json!({
            "traceId": self.trace_id,
            "url": self.url,
            "state": self.state.as_str(),
            "attempts": self.attempts.iter().map(Attempt::to_json).collect::<Vec<_>>(),
            "answer": self.answer,
            "answeredMessageId": self.answered_message_id,
            "problems": self.problems,
            "payload": self.payload,
            "policy": {
                "retry_attempts": self.policy.attempts,
                "retry_backoff_ms": self.policy.backoff_ms,
                "timeout_ms": self.policy.timeout_ms,
            },
        })
    }
}

/// One delivery to run.
#[derive(Debug, Clone)]
pub struct Job {
    /// Where its log lives.
    pub target: Target,
    /// The hub generation it belongs to.
    pub generation: u64,
    /// Where to POST.
    pub url: String,
    /// The exact bytes, signed once.
    pub body: Bytes,
    /// `X-Hub-Signature` over `body`.
    pub signature: String,
    /// `X-B3-TraceId`.
    pub trace_id: String,
    /// How hard to try.
    pub policy: Policy,
    /// What the answer should be.
    pub expect: Expect,
}

/// Runs `job` to its end, recording each attempt in the hub. Stops early when
/// the hub was reset or the log disappeared.
pub async fn run(hub: Arc<MessagingHub>, job: Job) {
    let mut made = 0u32;
    loop {
        let at_ms = hub.clock_ms();
        let started = Instant::now();
        let result = attempt(&hub, &job).await;
        let ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        made += 1;
        let (outcome, answer_body) = match result {
            Ok((status, body)) => (Outcome::Response(status), Some(body)),
            Err(outcome) => (outcome, None),
        };
        let state = Rule::of(&job.target).state_after(&outcome);
        let state = if state == DeliveryState::Pending && made >= job.policy.attempts {
            DeliveryState::Failed
        } else {
            state
        };
        let checked = (state == DeliveryState::Delivered)
            .then(|| answer_body.as_deref().map(|b| job.expect.check(b)))
            .flatten();
        tracing::debug!(url = %job.url, trace_id = %job.trace_id, ?outcome, ms, "webhook attempt");
        let alive = hub.record(&job.target, job.generation, |log| {
            log.attempts.push(Attempt { at_ms, outcome, ms });
            log.state = state;
            if let Some((answer, answered, problems)) = checked {
                log.answer = answer;
                log.answered_message_id = answered;
                log.problems.extend(problems);
            }
        });
        if !alive || state != DeliveryState::Pending {
            return;
        }
        tokio::time::sleep(job.policy.backoff_after(made)).await;
    }
}

/// One POST: the status and body, or why there is none.
async fn attempt(hub: &MessagingHub, job: &Job) -> Result<(u16, Bytes), Outcome> {
    let client = hub
        .client()
        .ok_or_else(|| Outcome::Error("the mock has no HTTP client".to_owned()))?;
    let exchange = async {
        let response = client
            .post(&job.url)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header("X-Hub-Signature", &job.signature)
            .header("X-B3-TraceId", &job.trace_id)
            .body(job.body.clone())
            .send()
            .await?;
        let status = response.status().as_u16();
        let body = response.bytes().await?;
        Ok::<_, reqwest::Error>((status, body))
    };
    match tokio::time::timeout(Duration::from_millis(job.policy.timeout_ms), exchange).await {
        Err(_) => Err(Outcome::Timeout),
        Ok(Ok(answer)) => Ok(answer),
        Ok(Err(e)) if e.is_timeout() => Err(Outcome::Timeout),
        Ok(Err(e)) if e.is_builder() => Err(Outcome::Error(e.to_string())),
        Ok(Err(e)) if e.is_connect() => Err(Outcome::Refused),
        Ok(Err(_)) => Err(Outcome::Reset),
    }
}
