//! The verdict rules, as data with names and the reference lines they rest on, and the
//! one function that judges an answer by them, aware of Genesys's envelopes: a refusal
//! can be a 4xx, or a 200 whose `status.code` says it failed.

use super::plan::{Case, Scope};
use serde::Serialize;
use serde_json::Value;

/// A named rule. Its lines are those of `genesys-web-api-reference.txt`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rule {
    /// Every request gets an HTTP answer within the timeout.
    Answers,
    /// No answer is a 5xx.
    No5xx,
    /// No or a wrong `x-api-key`: 403 `{"message":"Forbidden"}`.
    GatewayKeyRequired,
    /// No, a malformed, an expired or a revoked bearer token: 401.
    BearerRequired,
    /// No, a wrong or a stale `X-Hub-Signature`: refused (401 where documented).
    SignatureRequired,
    /// Negative data is rejected: a 4xx, or a 200 whose envelope says it failed.
    EnvelopeError,
    /// A rejection carries an error envelope of the API (JSON with a failing
    /// `status.code`, an OAuth `error`, the gateway's `message`, a Bayeux failure).
    ErrorBodyShape,
    /// A method the path does not take is refused: 403, 404 or 405.
    MethodRefused,
    /// ... with 404 or 405 in the API's own envelope.
    MethodNotAllowedEnvelope,
    /// A schema-valid request the reference allows is accepted.
    PositiveAccepted,
    /// Another user's token answers for that user, never for the first one.
    TokenOwner,
}

impl Rule {
    /// Every rule, in the order the README lists them.
    pub const ALL: [Rule; 11] = [
        Rule::Answers,
        Rule::No5xx,
        Rule::GatewayKeyRequired,
        Rule::BearerRequired,
        Rule::SignatureRequired,
        Rule::EnvelopeError,
        Rule::ErrorBodyShape,
        Rule::MethodRefused,
        Rule::MethodNotAllowedEnvelope,
        Rule::PositiveAccepted,
        Rule::TokenOwner,
    ];

    /// The rule's name, as failures print it.
    pub fn name(self) -> &'static str {
        match self {
            Rule::Answers => "answers",
            Rule::No5xx => "no-5xx",
            Rule::GatewayKeyRequired => "gateway-key-required",
            Rule::BearerRequired => "bearer-required",
            Rule::SignatureRequired => "signature-required",
            Rule::EnvelopeError => "envelope-error",
            Rule::ErrorBodyShape => "error-body-shape",
            Rule::MethodRefused => "method-refused",
            Rule::MethodNotAllowedEnvelope => "method-not-allowed-envelope",
            Rule::PositiveAccepted => "positive-accepted",
            Rule::TokenOwner => "token-owner",
        }
    }

    /// The reference lines the rule rests on (for the mock-only rules: why it is the
    /// mock's choice).
    pub fn lines(self) -> &'static str {
        match self {
            Rule::Answers => "236-238 (every API returns a status object); 3800 (an answer within 10 s)",
            Rule::No5xx => "236-267: a refusal is a status code that names the client's mistake; the 500s the tables list are server errors (e.g. 2070, 3326)",
            Rule::GatewayKeyRequired => "322 (x-api-key on every request), 400-405 (403 {'message': 'Forbidden'} from any endpoint)",
            Rule::BearerRequired => "382-386 (Authorization: Bearer), 394 (expired or invalid: 401), 425-431 (no HTTP Basic on the APIs); required per endpoint in its table (e.g. 4572)",
            Rule::SignatureRequired => "1907, 3807 (sha1= HMAC of the payload, keyed with the secret), 4107, 4192, 4275, 4373 (required on every Third-Party Messaging request); 401 where the table lists it (4214, 4313, 4410)",
            Rule::EnvelopeError => "236-267 (code 0, 1, 2 succeed; any other code is an error), 2052-2067 (nexus string codes), 4139-4151 (ResponseError); the tables' 400s",
            Rule::ErrorBodyShape => "the mock's choice where a table shows no error body (README: The mock's own choices)",
            Rule::MethodRefused => "not in the reference: a path answers only its documented methods",
            Rule::MethodNotAllowedEnvelope => "not in the reference: the mock's 404/405 in each API's envelope (README: The mock's own choices)",
            Rule::PositiveAccepted => "236-267 (codes 0, 1, 2), each endpoint's documented 2xx/3xx",
            Rule::TokenOwner => "382-386 (the token identifies the user), 863, 873 (username, cmeUserName), 690-702",
        }
    }

    /// What the rule expects, in a failure line.
    pub fn expects(self) -> &'static str {
        match self {
            Rule::Answers => "an HTTP answer within the timeout",
            Rule::No5xx => "no 5xx",
            Rule::GatewayKeyRequired => "403 {\"message\":\"Forbidden\"}",
            Rule::BearerRequired => "401",
            Rule::SignatureRequired => "a refusal (401 where documented), never a success",
            Rule::EnvelopeError => {
                "a rejection: a 4xx, or a 200 whose status.code is not 0/1/2 (nexus: not SUCCESS)"
            }
            Rule::ErrorBodyShape => "an error envelope in the body of the rejection",
            Rule::MethodRefused => "403, 404 or 405",
            Rule::MethodNotAllowedEnvelope => "404 or 405 in the API's own envelope",
            Rule::PositiveAccepted => "a documented success (2xx/3xx, status.code 0/1/2)",
            Rule::TokenOwner => "an answer for the token's own user",
        }
    }
}

/// What came back, as the rules read it.
#[derive(Debug, Clone)]
pub struct Answer<'a> {
    pub status: u16,
    pub headers: &'a [(String, String)],
    pub body: &'a [u8],
}

impl Answer<'_> {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn json(&self) -> Option<Value> {
        serde_json::from_slice(self.body).ok()
    }
}

/// How an answer fares under the case's rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Judgement {
    Passed,
    /// The first rule broken, and why.
    Failed {
        rule: Rule,
        actual: String,
    },
}

/// What the envelope of a JSON body says about success.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnvelopeSays {
    /// `status.code` 0, 1 or 2, or nexus `SUCCESS`.
    Success,
    /// Any other `status.code`, an OAuth `error`, the gateway's `message` alone, a
    /// Bayeux reply with `successful: false`.
    Failure,
    /// No envelope to read (no JSON, or JSON without any of these).
    Silent,
}

/// Reads the envelope of `body` (236-267, 2052-2067, 4139-4151, 400-419).
pub fn envelope_says(body: &Value) -> EnvelopeSays {
    if let Some(items) = body.as_array() {
        let replies: Vec<bool> = items
            .iter()
            .filter_map(|m| m.get("successful").and_then(Value::as_bool))
            .collect();
        return match replies.as_slice() {
            [] => EnvelopeSays::Silent,
            r if r.iter().all(|ok| *ok) => EnvelopeSays::Success,
            _ => EnvelopeSays::Failure,
        };
    }
    if let Some(code) = body.pointer("/status/code") {
        return match code {
            Value::Number(n) => match n.as_i64() {
                Some(0..=2) => EnvelopeSays::Success,
                _ => EnvelopeSays::Failure,
            },
            Value::String(s) if s == "SUCCESS" => EnvelopeSays::Success,
            Value::String(s) if s.parse::<i64>().is_ok_and(|n| (0..=2).contains(&n)) => {
                EnvelopeSays::Success
            }
            _ => EnvelopeSays::Failure,
        };
    }
    if body.get("error").is_some_and(Value::is_string) {
        return EnvelopeSays::Failure;
    }
    if body.as_object().is_some_and(|m| m.len() == 1) && body.get("message").is_some() {
        return EnvelopeSays::Failure;
    }
    EnvelopeSays::Silent
}

/// True when the answer rejects the request: a 4xx; a 3xx whose `Location` carries an
/// OAuth `error` (RFC 6749 4.1.2.1, the authorize redirect); or a 2xx whose envelope
/// says it failed.
fn rejects(answer: &Answer) -> bool {
    match answer.status {
        400..=499 => true,
        300..=399 => answer
            .header("location")
            .is_some_and(|l| l.contains("error=")),
        200..=299 => answer
            .json()
            .is_some_and(|v| envelope_says(&v) == EnvelopeSays::Failure),
        _ => false,
    }
}

/// Judges `answer` for `case`: `no-5xx` first, then each rule of the case in order;
/// strict rules only when `strict` is on.
pub fn judge(case: &Case, answer: &Answer, strict: bool) -> Judgement {
    if answer.status >= 500 {
        return failed(Rule::No5xx, answer);
    }
    for (rule, scope) in &case.rules {
        if *scope == Scope::Strict && !strict {
            continue;
        }
        if !holds(*rule, case, answer) {
            return failed(*rule, answer);
        }
    }
    Judgement::Passed
}

fn failed(rule: Rule, answer: &Answer) -> Judgement {
    Judgement::Failed {
        rule,
        actual: describe(answer),
    }
}

/// `403 {"message":"Forbidden"}`: the status and the first bytes of the body.
pub fn describe(answer: &Answer) -> String {
    let text = String::from_utf8_lossy(&answer.body[..answer.body.len().min(160)]);
    let more = if answer.body.len() > 160 { "…" } else { "" };
    if text.trim().is_empty() {
        format!("{} (empty body)", answer.status)
    } else {
        format!("{} {}{more}", answer.status, text.replace('\n', "\\n"))
    }
}

fn holds(rule: Rule, case: &Case, answer: &Answer) -> bool {
    let status = answer.status;
    match rule {
        Rule::Answers | Rule::No5xx => status < 500,
        Rule::GatewayKeyRequired => {
            status == 403
                && answer
                    .json()
                    .is_some_and(|v| v.get("message").and_then(Value::as_str) == Some("Forbidden"))
        }
        Rule::BearerRequired => status == 401,
        Rule::SignatureRequired => rejects(answer),
        Rule::EnvelopeError => rejects(answer),
        Rule::ErrorBodyShape => {
            !(400..=499).contains(&status)
                || answer
                    .json()
                    .is_some_and(|v| envelope_says(&v) == EnvelopeSays::Failure)
        }
        Rule::MethodRefused => matches!(status, 403..=405),
        Rule::MethodNotAllowedEnvelope => {
            matches!(status, 404 | 405)
                && answer
                    .json()
                    .is_some_and(|v| envelope_says(&v) == EnvelopeSays::Failure)
        }
        Rule::PositiveAccepted => {
            (200..=399).contains(&status)
                && !rejects(answer)
                && answer
                    .json()
                    .is_none_or(|v| envelope_says(&v) != EnvelopeSays::Failure)
        }
        Rule::TokenOwner => {
            (200..=299).contains(&status)
                && case.not_user.as_deref().is_none_or(|user| {
                    let mut names = answer.json().map(|v| names_in(&v)).unwrap_or_default();
                    // /jwt-userinfo names the user in the JWT of X-GWS-User (509).
                    if let Some(claims) = answer.header("x-gws-user").and_then(jwt_claims) {
                        names.extend(names_in(&claims));
                    }
                    !names.iter().any(|n| n == user)
                })
        }
    }
}

/// The claims of a JWT (its middle part, base64url), if it is one.
fn jwt_claims(token: &str) -> Option<Value> {
    use base64::Engine as _;
    let payload = token.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// The user names an identity answer gives (863, 873, 690-702).
fn names_in(body: &Value) -> Vec<String> {
    [
        "username",
        "user_name",
        "cmeUserName",
        "loginName",
        "preferred_username",
    ]
    .iter()
    .filter_map(|k| {
        body.get(*k)
            .or_else(|| body.pointer(&format!("/data/{k}")))
            .and_then(Value::as_str)
    })
    .map(str::to_owned)
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::probe::plan::{Bearer, Change, Family, Key, ProbeRequest, Signature};

    fn case(rules: Vec<(Rule, Scope)>) -> Case {
        Case {
            index: 1,
            endpoint: "GET /x".into(),
            family: Family::Security,
            check: "test".into(),
            request: ProbeRequest {
                method: "GET".into(),
                path: "/x".into(),
                headers: vec![],
                body: None,
                body_len: 0,
                key: Key::Valid,
                bearer: Bearer::None,
                signature: Signature::None,
            },
            rules,
            change: Change::Read,
            not_run: None,
            outbound: false,
            not_user: None,
        }
    }

    fn judge_with(rules: Vec<(Rule, Scope)>, status: u16, body: &str, strict: bool) -> Judgement {
        let headers = vec![("content-type".to_string(), "application/json".to_string())];
        judge(
            &case(rules),
            &Answer {
                status,
                headers: &headers,
                body: body.as_bytes(),
            },
            strict,
        )
    }

    fn broken(j: Judgement) -> Option<Rule> {
        match j {
            Judgement::Passed => None,
            Judgement::Failed { rule, .. } => Some(rule),
        }
    }

    #[test]
    fn a_5xx_fails_no_5xx_whatever_the_case_expects() {
        let rules = vec![(Rule::PositiveAccepted, Scope::Portable)];
        assert_eq!(
            broken(judge_with(rules, 500, "{}", false)),
            Some(Rule::No5xx)
        );
    }

    #[test]
    fn the_gateway_rule_wants_403_and_the_forbidden_message() {
        let rules = || vec![(Rule::GatewayKeyRequired, Scope::Portable)];
        assert_eq!(
            broken(judge_with(
                rules(),
                403,
                r#"{"message":"Forbidden"}"#,
                false
            )),
            None
        );
        assert_eq!(
            broken(judge_with(rules(), 200, r#"{"status":{"code":0}}"#, false)),
            Some(Rule::GatewayKeyRequired)
        );
        assert_eq!(
            broken(judge_with(rules(), 403, r#"{"error":"nope"}"#, false)),
            Some(Rule::GatewayKeyRequired)
        );
    }

    #[test]
    fn the_bearer_rule_wants_401() {
        let rules = || vec![(Rule::BearerRequired, Scope::Portable)];
        assert_eq!(broken(judge_with(rules(), 401, "{}", false)), None);
        assert_eq!(
            broken(judge_with(rules(), 200, "{}", false)),
            Some(Rule::BearerRequired)
        );
    }

    #[test]
    fn negative_data_may_be_refused_inside_a_200_but_never_accepted() {
        let rules = || vec![(Rule::EnvelopeError, Scope::Portable)];
        assert_eq!(
            broken(judge_with(rules(), 200, r#"{"status":{"code":0}}"#, false)),
            Some(Rule::EnvelopeError)
        );
        assert_eq!(
            broken(judge_with(
                rules(),
                200,
                r#"{"status":{"code":"SUCCESS"}}"#,
                false
            )),
            Some(Rule::EnvelopeError)
        );
        for refusal in [
            r#"{"status":{"code":400,"message":"bad"}}"#,
            r#"{"status":{"code":"INVALID_PARAMETER"}}"#,
            r#"[{"channel":"/meta/handshake","successful":false}]"#,
        ] {
            assert_eq!(broken(judge_with(rules(), 200, refusal, false)), None);
        }
        assert_eq!(broken(judge_with(rules(), 400, "", false)), None);
    }

    #[test]
    fn strict_rules_are_judged_only_when_asked() {
        let rules = || {
            vec![
                (Rule::EnvelopeError, Scope::Portable),
                (Rule::ErrorBodyShape, Scope::Strict),
            ]
        };
        assert_eq!(broken(judge_with(rules(), 400, "plain text", false)), None);
        assert_eq!(
            broken(judge_with(rules(), 400, "plain text", true)),
            Some(Rule::ErrorBodyShape)
        );
    }

    #[test]
    fn methods_are_refused_and_on_the_mock_in_the_envelope() {
        let rules = || {
            vec![
                (Rule::MethodRefused, Scope::Portable),
                (Rule::MethodNotAllowedEnvelope, Scope::Strict),
            ]
        };
        let nexus = r#"{"status":{"code":"INVALID_ENDPOINT","message":"Method not allowed"}}"#;
        assert_eq!(broken(judge_with(rules(), 405, nexus, true)), None);
        assert_eq!(broken(judge_with(rules(), 405, "", false)), None);
        assert_eq!(
            broken(judge_with(rules(), 405, "", true)),
            Some(Rule::MethodNotAllowedEnvelope)
        );
        assert_eq!(
            broken(judge_with(rules(), 200, "{}", false)),
            Some(Rule::MethodRefused)
        );
    }

    #[test]
    fn a_positive_request_must_not_be_refused_in_any_envelope() {
        let rules = || vec![(Rule::PositiveAccepted, Scope::Portable)];
        assert_eq!(
            broken(judge_with(rules(), 200, r#"{"status":{"code":0}}"#, false)),
            None
        );
        assert_eq!(broken(judge_with(rules(), 204, "", false)), None);
        assert_eq!(
            broken(judge_with(
                rules(),
                200,
                r#"{"status":{"code":404}}"#,
                false
            )),
            Some(Rule::PositiveAccepted)
        );
        assert_eq!(
            broken(judge_with(rules(), 400, "{}", false)),
            Some(Rule::PositiveAccepted)
        );
    }

    #[test]
    fn another_users_token_must_not_answer_for_the_first_user() {
        let mut c = case(vec![(Rule::TokenOwner, Scope::Portable)]);
        c.not_user = Some("tenant1\\agent1".into());
        let headers = vec![];
        let judge_body = |body: &str| {
            judge(
                &c,
                &Answer {
                    status: 200,
                    headers: &headers,
                    body: body.as_bytes(),
                },
                false,
            )
        };
        assert_eq!(
            judge_body(r#"{"username":"tenant1\\supervisor1"}"#),
            Judgement::Passed
        );
        let claims = base64::Engine::encode(
            &base64::engine::general_purpose::URL_SAFE_NO_PAD,
            r#"{"username":"tenant1\\agent1"}"#,
        );
        let jwt = vec![("X-GWS-User".to_string(), format!("h.{claims}.s"))];
        let in_jwt = judge(
            &c,
            &Answer {
                status: 200,
                headers: &jwt,
                body: br#"{"status":{"code":0}}"#,
            },
            false,
        );
        assert!(matches!(
            in_jwt,
            Judgement::Failed {
                rule: Rule::TokenOwner,
                ..
            }
        ));
        assert!(matches!(
            judge_body(r#"{"username":"tenant1\\agent1"}"#),
            Judgement::Failed {
                rule: Rule::TokenOwner,
                ..
            }
        ));
    }

    #[test]
    fn every_rule_has_a_name_lines_and_an_expectation() {
        let mut names = std::collections::BTreeSet::new();
        for rule in Rule::ALL {
            assert!(names.insert(rule.name()));
            assert!(!rule.lines().is_empty() && !rule.expects().is_empty());
        }
    }
}
