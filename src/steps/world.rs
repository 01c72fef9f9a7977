//! The World: one per scenario, holding the request being built, the last exchange,
//! the tokens obtained and values saved by name.

use crate::client::{Exchange, HttpClient, RequestSpec, TargetConfig, WebhookEndpoint};
use crate::contract::ContractModel;
use crate::report::Redactor;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

/// What every scenario of a run shares: the target, the contract, the redactor.
#[derive(Debug)]
pub struct RunContext {
    pub target: TargetConfig,
    pub contract: Arc<ContractModel>,
    pub redactor: Redactor,
    pub timeout: Duration,
    /// True when the target answers `GET /__cxgate/health` as the cxgate mock.
    pub control_plane: bool,
    /// Where a deployment without a control plane delivers webhooks to this run.
    pub webhook: Option<WebhookEndpoint>,
}

/// Tokens of one principal.
#[derive(Debug, Clone, Default)]
pub struct TokenSet {
    pub access_token: String,
    pub refresh_token: Option<String>,
}

/// The API key to send.
#[derive(Debug, Clone, Default)]
pub enum ApiKeyChoice {
    /// The target's key.
    #[default]
    Configured,
    /// No `x-api-key` header.
    Absent,
    /// This value.
    Value(String),
}

/// How a request body is altered after it was signed (to prove the server checks).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Tamper {
    #[default]
    None,
    /// One byte of the body changes after signing.
    OneByte,
    /// The JSON body is parsed and serialised again (same data, other bytes).
    Reserialise,
}

/// The request being put together by Given steps.
#[derive(Debug, Clone, Default)]
pub struct PendingRequest {
    pub headers: Vec<(String, String)>,
    pub query: Vec<(String, String)>,
    pub body: Option<(Vec<u8>, String)>,
    /// Sign the body (or the empty body) with this secret as X-Hub-Signature.
    pub sign_with: Option<String>,
    pub tamper: Tamper,
}

/// One scenario's state.
#[derive(Debug, Default, cucumber::World)]
#[world(init = Self::new)]
pub struct CxWorld {
    pub ctx: Option<Arc<RunContext>>,
    pub http: Option<HttpClient>,
    pub api_key: ApiKeyChoice,
    /// `None`: no Authorization header unless the request sets one.
    pub bearer: Option<String>,
    pub pending: PendingRequest,
    pub last: Option<Exchange>,
    pub tokens: HashMap<String, TokenSet>,
    pub saved: HashMap<String, String>,
    /// CometD sessions by name; each has its own cookie jar.
    pub sessions: HashMap<String, CometdSession>,
    /// The event a notification step matched last.
    pub last_event: Option<serde_json::Value>,
    /// Webhook receivers by name.
    pub receivers: HashMap<String, crate::client::WebhookReceiver>,
    /// What this scenario changed on the target, undone in reverse order by the
    /// runner's after-hook whether the scenario passed or failed.
    pub cleanups: Vec<Cleanup>,
}

/// The undo step of a change a scenario made: `run` gets the scenario's World (its
/// pending request cleared, the configured API key, no bearer) and puts the change back.
pub struct Cleanup {
    /// What is undone, for the report when the undo fails ("restore the agent's password").
    pub what: String,
    pub run: CleanupFn,
}

/// The body of a [`Cleanup`].
pub type CleanupFn = Box<
    dyn for<'a> FnOnce(&'a mut CxWorld) -> futures::future::LocalBoxFuture<'a, Result<(), String>>,
>;

impl std::fmt::Debug for Cleanup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Cleanup").field("what", &self.what).finish()
    }
}

/// A CometD (Bayeux) session opened by a step, with its connect loop running.
#[derive(Debug)]
pub struct CometdSession {
    /// The HTTP client whose cookie jar holds this session's cookies.
    pub http: HttpClient,
    pub running: crate::cometd::RunningClient,
    /// When the session was opened.
    pub opened: std::time::Instant,
}

impl CxWorld {
    fn new() -> CxWorld {
        CxWorld::default()
    }

    /// Registers the undo step of a change this scenario just made on the target.
    pub fn on_cleanup(&mut self, what: impl Into<String>, run: CleanupFn) {
        self.cleanups.push(Cleanup {
            what: what.into(),
            run,
        });
    }

    /// Runs every registered cleanup, newest first; each gets a fresh request state.
    /// Returns what could not be undone, with the reason, one line each.
    pub async fn run_cleanups(&mut self) -> Vec<String> {
        let mut failures = Vec::new();
        while let Some(cleanup) = self.cleanups.pop() {
            self.pending = PendingRequest::default();
            self.api_key = ApiKeyChoice::Configured;
            self.bearer = None;
            if let Err(e) = (cleanup.run)(self).await {
                failures.push(format!("cleanup \"{}\" failed: {e}", cleanup.what));
            }
        }
        failures
    }

    /// The run context; set by the runner's before-hook.
    pub fn ctx(&self) -> Result<&Arc<RunContext>, String> {
        self.ctx
            .as_ref()
            .ok_or_else(|| "internal: the scenario has no run context".to_string())
    }

    /// The scenario's HTTP client (its own cookie jar), created on first use.
    pub fn client(&mut self) -> Result<HttpClient, String> {
        if let Some(client) = &self.http {
            return Ok(client.clone());
        }
        let ctx = self.ctx()?.clone();
        let client = HttpClient::for_target(&ctx.target, ctx.timeout)?;
        self.http = Some(client.clone());
        Ok(client)
    }

    /// The last response, or a failure saying that no request was sent yet.
    pub fn last(&self) -> Result<&Exchange, String> {
        self.last
            .as_ref()
            .ok_or_else(|| "no request has been sent in this scenario yet".to_string())
    }

    /// Remembers a secret so reports never show it.
    pub fn secret(&self, value: &str) {
        if let Some(ctx) = &self.ctx {
            ctx.redactor.add(value);
        }
    }

    /// Sends `method path` with the pending request parts, the API key and the bearer
    /// token, records the exchange and clears the pending parts.
    pub async fn send(&mut self, method: &str, path: &str) -> Result<&Exchange, String> {
        let ctx = self.ctx()?.clone();
        let pending = std::mem::take(&mut self.pending);
        let mut headers = Vec::new();
        match &self.api_key {
            ApiKeyChoice::Configured => {
                headers.push(("x-api-key".to_string(), ctx.target.api_key.clone()))
            }
            ApiKeyChoice::Absent => {}
            ApiKeyChoice::Value(v) => headers.push(("x-api-key".to_string(), v.clone())),
        }
        let sets_authorization = pending
            .headers
            .iter()
            .any(|(n, _)| n.eq_ignore_ascii_case("authorization"));
        if let (Some(token), false) = (&self.bearer, sets_authorization) {
            headers.push(("Authorization".to_string(), format!("Bearer {token}")));
        }
        let mut body = None;
        if let Some((bytes, content_type)) = pending.body {
            if !pending
                .headers
                .iter()
                .any(|(n, _)| n.eq_ignore_ascii_case("content-type"))
            {
                headers.push(("Content-Type".to_string(), content_type));
            }
            body = Some(bytes);
        }
        if let Some(secret) = &pending.sign_with {
            let had_body = body.is_some();
            let signed = body.take().unwrap_or_default();
            headers.push((
                "X-Hub-Signature".to_string(),
                crate::signing::sign(secret.as_bytes(), &signed),
            ));
            if had_body {
                body = Some(tamper(signed, pending.tamper)?);
            }
        }
        headers.extend(pending.headers);
        let spec = RequestSpec {
            method: method.to_string(),
            path: path.to_string(),
            headers,
            query: pending.query,
            body,
        };
        let client = self.client()?;
        let exchange = client.send(&spec).await.map_err(|e| e.to_string())?;
        self.learn_issued_secrets(&exchange);
        super::cleanup::after_exchange(self, &spec, &exchange);
        self.last = Some(exchange);
        self.last()
    }

    /// Sends a request outside the scenario's pending parts (used by domain steps that
    /// need a side request, such as a token grant), with the API key.
    pub async fn side_request(&mut self, spec: RequestSpec) -> Result<Exchange, String> {
        let ctx = self.ctx()?.clone();
        let mut spec = spec;
        spec.headers
            .insert(0, ("x-api-key".to_string(), ctx.target.api_key.clone()));
        let client = self.client()?;
        let exchange = client.send(&spec).await.map_err(|e| e.to_string())?;
        self.learn_issued_secrets(&exchange);
        Ok(exchange)
    }

    /// Every token, code or cookie value the target issued in `exchange` is masked in
    /// reports from now on, before any step can quote the answer.
    fn learn_issued_secrets(&self, exchange: &Exchange) {
        for secret in crate::report::issued_secrets(&exchange.headers, &exchange.body) {
            self.secret(&secret);
        }
    }
}

/// Applies a [`Tamper`] to a signed body.
fn tamper(body: Vec<u8>, how: Tamper) -> Result<Vec<u8>, String> {
    match how {
        Tamper::None => Ok(body),
        Tamper::OneByte => {
            let mut body = body;
            // Change a letter, so the body stays well-formed and only the signature tells.
            let at = body
                .iter()
                .position(u8::is_ascii_lowercase)
                .ok_or("cannot change one byte: the body has no lower-case letter")?;
            body[at] = if body[at] == b'z' { b'y' } else { body[at] + 1 };
            Ok(body)
        }
        Tamper::Reserialise => {
            let value: serde_json::Value = serde_json::from_slice(&body)
                .map_err(|e| format!("cannot re-serialise: the body is not JSON: {e}"))?;
            let again = serde_json::to_vec(&value).map_err(|e| e.to_string())?;
            if again == body {
                return Err("re-serialising gave the same bytes; write the JSON body with spaces so it differs".into());
            }
            Ok(again)
        }
    }
}
