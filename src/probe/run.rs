//! Sending the cases: the request budget (`--max-requests`), 429s waited out by their
//! `Retry-After` (bounded), the tokens the security matrix needs, the credentials filled
//! in, and each answer judged. The rate limit (`--max-rps`) and the per-request timeout
//! are the HTTP client's.

use super::cases::encode;
use super::cases::positive::AGENT_PASSWORD;
use super::plan::{Bearer, Case, Change, Key, Scope, Signature};
use super::reproduce::curl;
use super::verdict::{judge, Answer, Judgement, Rule};
use crate::client::{
    asked_retry_after, HttpClient, HttpError, RequestSpec, TargetConfig, WebhookReceiver,
};
use crate::report::Redactor;
use base64::Engine as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// The longest `Retry-After` a case waits; a longer one leaves it not judged.
pub const MAX_RETRY_WAIT: Duration = Duration::from_secs(60);
/// How many times a 429 is waited out before the case is left not judged.
pub const RETRIES_ON_429: u32 = 3;

/// `--max-requests`: every request the probe sends to the target counts, set-up ones
/// (the health check, token grants, the sign-out of the revoked token) included.
#[derive(Debug, Default)]
pub struct Budget {
    max: Option<u64>,
    sent: AtomicU64,
}

impl Budget {
    /// At most `max` requests (`None`: no cap).
    pub fn new(max: Option<u64>) -> Budget {
        Budget {
            max,
            sent: AtomicU64::new(0),
        }
    }

    /// Takes one request from the budget; false when it is spent.
    pub fn take(&self) -> bool {
        let before = self.sent.fetch_add(1, Ordering::SeqCst);
        if self.max.is_some_and(|max| before >= max) {
            self.sent.fetch_sub(1, Ordering::SeqCst);
            return false;
        }
        true
    }

    /// Requests sent so far.
    pub fn sent(&self) -> u64 {
        self.sent.load(Ordering::SeqCst)
    }

    /// The cap, if any.
    pub fn max(&self) -> Option<u64> {
        self.max
    }
}

/// How a case came out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Passed,
    /// A rule broke: what it expected, what came back, how to send it again.
    Failed {
        rule: Rule,
        actual: String,
        curl: String,
    },
    /// Not sent, and why (a change level, `--strict`, a token it needs, the budget).
    NotRun(String),
    /// Sent, but its answer cannot be judged (rate-limited beyond the wait).
    NotJudged(String),
}

/// One case as run.
#[derive(Debug, Clone)]
pub struct CaseResult {
    pub index: usize,
    pub outcome: Outcome,
    pub status: Option<u16>,
    pub duration: Duration,
}

/// The tokens of the security matrix; each `Err` says why cases that need it do not run.
#[derive(Debug, Clone)]
pub struct Tokens {
    pub agent: Result<String, String>,
    pub other: Result<String, String>,
    pub expired: Result<String, String>,
    pub revoked: Result<String, String>,
}

impl Tokens {
    fn none(reason: &str) -> Tokens {
        let r = Err(reason.to_owned());
        Tokens {
            agent: r.clone(),
            other: r.clone(),
            expired: r.clone(),
            revoked: r,
        }
    }
}

/// What decides which cases run on this target.
#[derive(Debug, Clone, Copy)]
pub struct Allowed {
    /// The embedded mock or `cxgate mock`: everything runs, strict rules are judged.
    pub mock: bool,
    pub strict: bool,
    pub writes: bool,
    pub destructive: bool,
}

impl Allowed {
    /// True when strict rules are judged.
    pub fn judges_strict(self) -> bool {
        self.mock || self.strict
    }

    /// Why `case` may not run on this target, if it may not.
    pub fn refuses(self, case: &Case) -> Option<String> {
        if let Some(reason) = &case.not_run {
            return Some(reason.clone());
        }
        if !self.judges_strict() && case.rules.iter().all(|(_, s)| *s == Scope::Strict) {
            return Some(
                "@strict: judged by a choice of the cxgate mock where the reference is silent; \
                 pass --strict to hold this target to it"
                    .into(),
            );
        }
        if self.mock {
            return None;
        }
        match case.change {
            Change::Destructive if !self.destructive => Some(format!(
                "destructive ({} {}): cannot be undone on the target; pass --allow-destructive",
                case.request.method, case.endpoint
            )),
            Change::Write if !(self.writes || self.destructive) => Some(format!(
                "writes ({} {}): would change the target's data were it accepted; pass \
                 --allow-writes",
                case.request.method,
                case.endpoint.split_once(' ').map_or("", |(_, p)| p)
            )),
            _ => None,
        }
    }
}

/// Sends cases to one target.
pub struct Runner {
    pub client: HttpClient,
    pub target: TargetConfig,
    pub tokens: Tokens,
    pub budget: Budget,
    pub redactor: Redactor,
    pub allowed: Allowed,
    pub timeout: Duration,
}

/// A request of the set-up, within the budget.
async fn setup_send(
    client: &HttpClient,
    budget: &Budget,
    spec: &RequestSpec,
) -> Result<crate::client::Exchange, String> {
    if !budget.take() {
        return Err("--max-requests was spent before the set-up finished".into());
    }
    client.send_unretried(spec).await.map_err(|e| e.to_string())
}

fn basic(a: &str, b: &str) -> String {
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{a}:{b}"))
    )
}

/// A password grant for `user`: its access token.
async fn grant(
    client: &HttpClient,
    budget: &Budget,
    target: &TargetConfig,
    user: &crate::client::Credentials,
) -> Result<String, String> {
    let body = format!(
        "grant_type=password&username={}&password={}&scope=*",
        encode(&user.username),
        encode(&user.password)
    );
    let spec = RequestSpec {
        method: "POST".into(),
        path: "/auth/v3/oauth/token".into(),
        headers: vec![
            ("x-api-key".into(), target.api_key.clone()),
            (
                "authorization".into(),
                basic(&target.client_id, &target.client_secret),
            ),
            (
                "content-type".into(),
                "application/x-www-form-urlencoded".into(),
            ),
        ],
        body: Some(body.into_bytes()),
        ..RequestSpec::default()
    };
    let exchange = setup_send(client, budget, &spec).await?;
    let token = exchange.json().ok().and_then(|v| {
        v.get("access_token")
            .and_then(|t| t.as_str())
            .map(str::to_owned)
    });
    token.ok_or_else(|| {
        format!(
            "the password grant for the user of {} answered {}",
            if std::ptr::eq(user, &target.agent) {
                "CXGATE_USERNAME"
            } else {
                "CXGATE_SUPERVISOR_USERNAME"
            },
            exchange.status
        )
    })
}

/// What the set-up needs: which tokens the selected cases use.
#[derive(Debug, Clone, Copy, Default)]
pub struct Needs {
    pub agent: bool,
    pub other: bool,
    pub expired: bool,
    pub revoked: bool,
}

impl Needs {
    /// The tokens `cases` use.
    pub fn of<'a>(cases: impl Iterator<Item = &'a Case>) -> Needs {
        let mut needs = Needs::default();
        for case in cases {
            match case.request.bearer {
                Bearer::Agent => needs.agent = true,
                Bearer::Other => needs.other = true,
                Bearer::Expired => needs.expired = true,
                Bearer::Revoked => needs.revoked = true,
                _ => {}
            }
        }
        needs
    }
}

/// Gets the tokens: the agent's and the supervisor's by password grants; a revoked one
/// the probe signs out itself (POST /auth/v3/sign-out, 790-808); an expired one from
/// the mock's control plane, or from `expired_env` (`CXGATE_EXPIRED_TOKEN`) elsewhere.
pub async fn tokens(
    client: &HttpClient,
    budget: &Budget,
    target: &TargetConfig,
    control_plane: bool,
    expired_env: Option<String>,
    needs: Needs,
    redactor: &Redactor,
) -> Tokens {
    let mut tokens = Tokens::none("not needed by the selected cases");
    let learn = |t: &Result<String, String>| {
        if let Ok(t) = t {
            redactor.add(t);
        }
    };
    if needs.agent {
        tokens.agent = grant(client, budget, target, &target.agent).await;
        learn(&tokens.agent);
    }
    if needs.other {
        tokens.other = grant(client, budget, target, &target.supervisor).await;
        learn(&tokens.other);
    }
    if needs.revoked {
        tokens.revoked = match grant(client, budget, target, &target.agent).await {
            Ok(token) => {
                redactor.add(&token);
                let spec = RequestSpec {
                    method: "POST".into(),
                    path: "/auth/v3/sign-out".into(),
                    headers: vec![
                        ("x-api-key".into(), target.api_key.clone()),
                        ("authorization".into(), format!("Bearer {token}")),
                    ],
                    ..RequestSpec::default()
                };
                match setup_send(client, budget, &spec).await {
                    Ok(ex) if ex.status == 200 => Ok(token),
                    Ok(ex) => Err(format!(
                        "needs a revoked token: the sign-out answered {}",
                        ex.status
                    )),
                    Err(e) => Err(format!("needs a revoked token: {e}")),
                }
            }
            Err(e) => Err(format!("needs a revoked token: {e}")),
        };
    }
    if needs.expired {
        tokens.expired = if control_plane {
            match grant(client, budget, target, &target.agent).await {
                Ok(token) => {
                    redactor.add(&token);
                    let spec = RequestSpec {
                        method: "POST".into(),
                        path: "/__cxgate/tokens/expire".into(),
                        headers: vec![("content-type".into(), "application/json".into())],
                        body: Some(
                            serde_json::json!({ "access_token": token })
                                .to_string()
                                .into_bytes(),
                        ),
                        ..RequestSpec::default()
                    };
                    match setup_send(client, budget, &spec).await {
                        Ok(ex) if ex.status == 200 => Ok(token),
                        Ok(ex) => Err(format!(
                            "needs an expired token: the control plane answered {}",
                            ex.status
                        )),
                        Err(e) => Err(format!("needs an expired token: {e}")),
                    }
                }
                Err(e) => Err(format!("needs an expired token: {e}")),
            }
        } else {
            match expired_env.filter(|t| !t.is_empty()) {
                Some(token) => {
                    redactor.add(&token);
                    Ok(token)
                }
                None => Err(
                    "needs an expired token: the target has no cxgate control plane; set \
                     CXGATE_EXPIRED_TOKEN to an access token of the target that has expired"
                        .into(),
                ),
            }
        };
    }
    tokens
}

impl Runner {
    /// The request `case` sends, credentials filled in; `Err` when a token it needs is
    /// missing.
    pub fn spec(&self, case: &Case) -> Result<RequestSpec, String> {
        let r = &case.request;
        let mut headers = r.headers.clone();
        match &r.key {
            Key::Valid => headers.push(("x-api-key".into(), self.target.api_key.clone())),
            Key::Wrong(key) => headers.push(("x-api-key".into(), key.clone())),
            Key::Missing => {}
        }
        let token = |t: &Result<String, String>| t.clone().map(|t| format!("Bearer {t}"));
        let authorization = match &r.bearer {
            Bearer::None => None,
            Bearer::Agent => Some(token(&self.tokens.agent)?),
            Bearer::Other => Some(token(&self.tokens.other)?),
            Bearer::Expired => Some(token(&self.tokens.expired)?),
            Bearer::Revoked => Some(token(&self.tokens.revoked)?),
            Bearer::Malformed(value) => Some(value.clone()),
            Bearer::BasicAgent => Some(basic(
                &self.target.agent.username,
                &self.target.agent.password,
            )),
            Bearer::BasicClient => Some(basic(&self.target.client_id, &self.target.client_secret)),
        };
        if let Some(value) = authorization {
            headers.push(("authorization".into(), value));
        }
        let mut body = r.body.clone();
        if let Some(bytes) = &mut body {
            super::cases::body::pad(bytes);
            let text = String::from_utf8_lossy(bytes);
            if text.contains(AGENT_PASSWORD) {
                *bytes = text
                    .replace(AGENT_PASSWORD, &encode(&self.target.agent.password))
                    .into_bytes();
            }
        }
        let secret = self.target.channel_secret.as_bytes();
        let signed = body.clone().unwrap_or_default();
        let signature = match &r.signature {
            Signature::None => None,
            Signature::Valid => Some(crate::signing::sign(secret, &signed)),
            Signature::WrongSecret(other) => Some(crate::signing::sign(other.as_bytes(), &signed)),
            // Signed, then changed: the body sent lacks the last byte that was signed.
            Signature::Tampered => Some(crate::signing::sign(
                secret,
                &[signed.as_slice(), b" "].concat(),
            )),
            Signature::NoPrefix => {
                Some(crate::signing::sign(secret, &signed).replacen("sha1=", "", 1))
            }
            Signature::OtherAlgorithm => {
                Some(crate::signing::sign(secret, &signed).replacen("sha1=", "sha256=", 1))
            }
        };
        if let Some(signature) = signature {
            headers.push(("X-Hub-Signature".into(), signature));
        }
        let path = r.path.replace(
            super::cases::security::API_KEY,
            &encode(&self.target.api_key),
        );
        Ok(RequestSpec {
            method: r.method.clone(),
            path,
            headers,
            body,
            query: vec![],
        })
    }

    /// Runs one case: the gates, the budget, the request (429s waited out), the verdict.
    pub async fn run(&self, case: &Case) -> CaseResult {
        let started = Instant::now();
        let done = |outcome, status| CaseResult {
            index: case.index,
            outcome,
            status,
            duration: started.elapsed(),
        };
        if let Some(reason) = self.allowed.refuses(case) {
            return done(Outcome::NotRun(reason), None);
        }
        let spec = match self.spec(case) {
            Ok(spec) => spec,
            Err(reason) => return done(Outcome::NotRun(reason), None),
        };
        if case.outbound {
            return self.run_outbound(case, &spec, started).await;
        }
        let mut retries = 0;
        let exchange = loop {
            if !self.budget.take() {
                let reason = if retries == 0 {
                    format!(
                        "--max-requests {}: the budget was spent",
                        self.budget.max().unwrap_or(0)
                    )
                } else {
                    "not judged: rate-limited, and the budget was spent while waiting".into()
                };
                let outcome = if retries == 0 {
                    Outcome::NotRun(reason)
                } else {
                    Outcome::NotJudged(reason)
                };
                return done(outcome, None);
            }
            match self.client.send_unretried(&spec).await {
                Ok(ex) if ex.status == 429 => {
                    let asked = asked_retry_after(&ex).unwrap_or(Duration::from_secs(1));
                    if retries == RETRIES_ON_429 || asked > MAX_RETRY_WAIT {
                        let reason = format!(
                            "not judged: rate-limited (429, Retry-After {}s; the probe waits at \
                             most {}s, {} times)",
                            asked.as_secs(),
                            MAX_RETRY_WAIT.as_secs(),
                            RETRIES_ON_429
                        );
                        return done(Outcome::NotJudged(reason), Some(429));
                    }
                    retries += 1;
                    tokio::time::sleep(asked).await;
                }
                Ok(ex) => break ex,
                Err(e) => {
                    let actual = match e {
                        HttpError::TooLarge { .. } => format!("{e}"),
                        other => format!("no answer: {other}"),
                    };
                    let outcome = Outcome::Failed {
                        rule: Rule::Answers,
                        actual: self.redactor.redact(&actual),
                        curl: self.curl(&spec),
                    };
                    return done(outcome, None);
                }
            }
        };
        let answer = Answer {
            status: exchange.status,
            headers: &exchange.headers,
            body: &exchange.body,
        };
        for secret in crate::report::issued_secrets(&exchange.headers, &exchange.body) {
            self.redactor.add(&secret);
        }
        let outcome = self.outcome(case, &answer, &spec);
        done(outcome, Some(exchange.status))
    }

    fn outcome(&self, case: &Case, answer: &Answer<'_>, spec: &RequestSpec) -> Outcome {
        match judge(case, answer, self.allowed.judges_strict()) {
            Judgement::Passed => Outcome::Passed,
            Judgement::Failed { rule, actual } => Outcome::Failed {
                rule,
                actual: self.redactor.redact(&actual),
                curl: self.curl(spec),
            },
        }
    }

    /// A webhook case goes to a receiver of this run standing in for the third party
    /// (the reference's "the receiver should verify it", 1907, 3807): its verdict on the
    /// signature is the answer, 401 for a signature it refuses.
    async fn run_outbound(&self, case: &Case, spec: &RequestSpec, started: Instant) -> CaseResult {
        let done = |outcome, status| CaseResult {
            index: case.index,
            outcome,
            status,
            duration: started.elapsed(),
        };
        let listen = std::net::SocketAddr::from(([127, 0, 0, 1], 0));
        let receiver =
            match WebhookReceiver::start(listen, self.target.channel_secret.as_bytes()).await {
                Ok(r) => r,
                Err(e) => {
                    return done(
                        Outcome::NotRun(format!("the webhook receiver did not start: {e}")),
                        None,
                    )
                }
            };
        let client = match HttpClient::new(&receiver.url(), self.timeout) {
            Ok(c) => c,
            Err(e) => return done(Outcome::NotRun(e), None),
        };
        let mut local = spec.clone();
        local.path = String::new();
        let sent = client.send_unretried(&local).await;
        let verdict = receiver.deliveries().pop().map(|d| d.signature);
        match (sent, verdict) {
            (Ok(ex), Some(signature)) => {
                let status = if signature.is_err() { 401 } else { ex.status };
                let body: &[u8] = if signature.is_err() {
                    b"{\"error\":\"signature refused\"}"
                } else {
                    &ex.body
                };
                let answer = Answer {
                    status,
                    headers: &ex.headers,
                    body,
                };
                done(self.outcome(case, &answer, spec), Some(status))
            }
            (Ok(ex), None) => done(
                Outcome::Failed {
                    rule: Rule::Answers,
                    actual: format!("{} without a recorded delivery", ex.status),
                    curl: self.curl(spec),
                },
                Some(ex.status),
            ),
            (Err(e), _) => done(
                Outcome::Failed {
                    rule: Rule::Answers,
                    actual: format!("no answer: {e}"),
                    curl: self.curl(spec),
                },
                None,
            ),
        }
    }

    fn curl(&self, spec: &RequestSpec) -> String {
        self.redactor
            .redact(&curl(&self.target.url_for(&spec.path), spec))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_budget_gives_no_more_than_its_cap() {
        let budget = Budget::new(Some(2));
        assert!(budget.take() && budget.take());
        assert!(!budget.take());
        assert_eq!(budget.sent(), 2);
        let open = Budget::new(None);
        for _ in 0..100 {
            assert!(open.take());
        }
    }
}
