//! The cases of a probe run, generated from the catalog and the request schemas with a
//! seeded random source: what each sends (credentials named, not filled in) and which
//! rules judge its answer. No network; the same seed gives the same list.

use super::cases::{self, Context};
use super::verdict::Rule;
use crate::contract::{ContractModel, Endpoint};
use rand::rngs::StdRng;
use rand::SeedableRng as _;
use serde::Serialize;

/// The check families: one test case per endpoint and family in the reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Family {
    /// The security matrix: API key, bearer token, signature.
    Security,
    /// Negative parameters: required ones missing, wrong types, values out of their
    /// enum or format, bad percent-encoding.
    Params,
    /// Negative bodies: malformed JSON, form or multipart, oversized, schema mutations.
    Body,
    /// Methods the path does not take.
    Methods,
    /// Schema-valid requests the reference allows.
    Positive,
}

impl Family {
    /// Every family, in report order.
    pub const ALL: [Family; 5] = [
        Family::Security,
        Family::Params,
        Family::Body,
        Family::Methods,
        Family::Positive,
    ];

    /// The name used on the command line and in the reports.
    pub fn name(self) -> &'static str {
        match self {
            Family::Security => "security",
            Family::Params => "params",
            Family::Body => "body",
            Family::Methods => "methods",
            Family::Positive => "positive",
        }
    }

    /// The family named `name`, if any.
    pub fn parse(name: &str) -> Option<Family> {
        Family::ALL.into_iter().find(|f| f.name() == name)
    }
}

/// Which `x-api-key` a case sends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "key", content = "value")]
pub enum Key {
    /// The target's key.
    Valid,
    /// None at all.
    Missing,
    /// This made-up key.
    Wrong(String),
}

/// Which `Authorization` a case sends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "bearer", content = "value")]
pub enum Bearer {
    /// No Authorization header.
    None,
    /// The agent's access token.
    Agent,
    /// Another user's (the supervisor's) access token.
    Other,
    /// An expired access token (the mock's control plane, or `CXGATE_EXPIRED_TOKEN`).
    Expired,
    /// A token the probe signed out itself.
    Revoked,
    /// This header value, which is no usable bearer token.
    Malformed(String),
    /// HTTP Basic with the agent's credentials (for `/oauth/authorize`).
    BasicAgent,
    /// HTTP Basic with the client's credentials (for `/oauth/token`).
    BasicClient,
}

/// Which `X-Hub-Signature` a case sends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "signature", content = "value")]
pub enum Signature {
    /// None: the endpoint takes none, or the case leaves it out.
    None,
    /// The HMAC of the body sent, with the channel secret.
    Valid,
    /// The HMAC of the body sent, with this other secret.
    WrongSecret(String),
    /// The HMAC of another body (the one sent, changed after signing).
    Tampered,
    /// The right hex digest without its `sha1=` prefix.
    NoPrefix,
    /// The right hex digest under another algorithm's prefix (`sha256=`).
    OtherAlgorithm,
}

/// What a case sends, with its credentials named.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProbeRequest {
    pub method: String,
    /// Path and query as sent, already percent-encoded (or deliberately not).
    pub path: String,
    /// Headers other than the credentials.
    pub headers: Vec<(String, String)>,
    #[serde(skip)]
    pub body: Option<Vec<u8>>,
    /// Size of the body, for the listing.
    pub body_len: usize,
    pub key: Key,
    pub bearer: Bearer,
    pub signature: Signature,
}

impl ProbeRequest {
    /// Replaces the body (and its recorded size).
    pub fn with_body(mut self, body: Option<Vec<u8>>) -> ProbeRequest {
        self.body_len = body.as_ref().map_or(0, Vec::len);
        self.body = body;
        self
    }

    /// Sets header `name` (case-insensitive) to `value`, or removes it with `None`.
    pub fn set_header(&mut self, name: &str, value: Option<&str>) {
        self.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        if let Some(value) = value {
            self.headers.push((name.to_owned(), value.to_owned()));
        }
    }
}

/// Where a rule applies: everywhere, or only where the mock's own choices are judged
/// (the embedded mock, `cxgate mock`, or `--strict`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    Portable,
    Strict,
}

/// What a case needs before it can run, beyond the target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Change {
    /// Reads and self-contained token traffic: runs everywhere.
    Read,
    /// Creates or changes data (or would, were it accepted): `--allow-writes`.
    Write,
    /// Cannot be undone (a password change, a certificate upload): `--allow-destructive`.
    Destructive,
}

/// One generated check.
#[derive(Debug, Clone, Serialize)]
pub struct Case {
    /// Position in the run, from 1.
    pub index: usize,
    /// The catalog endpoint, `METHOD /path`.
    pub endpoint: String,
    pub family: Family,
    /// What the case tries, e.g. `no x-api-key` or `query "count" of the wrong type`.
    pub check: String,
    pub request: ProbeRequest,
    /// The rules that judge the answer (after `no-5xx`), each with its scope.
    pub rules: Vec<(Rule, Scope)>,
    pub change: Change,
    /// Why the case cannot run on any target, decided at planning time.
    pub not_run: Option<String>,
    /// A webhook Genesys sends: the case goes to a receiver of this run, not the target.
    pub outbound: bool,
    /// For a `token-owner` check: the user name the answer must not name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_user: Option<String>,
}

/// The whole list, in run order.
#[derive(Debug, Clone, Serialize)]
pub struct Plan {
    pub seed: u64,
    pub cases: Vec<Case>,
}

/// What to take from the catalog.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// API keys (`auth`, `udm`, ... or words of the catalog's API title); empty: all.
    pub apis: Vec<String>,
    /// Families; empty: all.
    pub families: Vec<Family>,
    /// How many times the families that draw values are generated, each time with new
    /// values from the seed (`--rounds`; 0 and 1 are one round).
    pub rounds: usize,
}

impl Selection {
    /// True when `endpoint` is selected.
    pub fn takes(&self, endpoint: &Endpoint) -> bool {
        self.apis.is_empty()
            || self.apis.iter().any(|api| {
                let api = api.to_ascii_lowercase();
                let segment = endpoint
                    .full_path
                    .trim_start_matches('/')
                    .split('/')
                    .next()
                    .unwrap_or("");
                segment == api
                    || endpoint.api.to_ascii_lowercase().contains(&api)
                    || api_key_of(endpoint) == api
            })
    }

    fn takes_family(&self, family: Family) -> bool {
        self.families.is_empty() || self.families.contains(&family)
    }
}

/// A short key for the endpoint's API: `auth`, `statistics`, `secure-email`,
/// `openmedia`, `messaging`, `webhooks`, `udm`, `cdds`.
pub fn api_key_of(endpoint: &Endpoint) -> &'static str {
    let path = endpoint.full_path.as_str();
    if endpoint.direction.as_deref() == Some("outbound_webhook") {
        "webhooks"
    } else if path.starts_with("/auth/") {
        "auth"
    } else if path.starts_with("/statistics/") {
        "statistics"
    } else if path.starts_with("/nexus/v3/securemail") {
        "secure-email"
    } else if path.starts_with("/nexus/v3/openmedia") {
        "openmedia"
    } else if path.starts_with("/nexus/v3/channels") {
        "messaging"
    } else if path.starts_with("/udm/") {
        "udm"
    } else {
        "cdds"
    }
}

/// The case generator of each family.
fn generator(family: Family) -> cases::Generate {
    match family {
        Family::Security => cases::security::cases,
        Family::Params => cases::params::cases,
        Family::Body => cases::body::cases,
        Family::Methods => cases::methods::cases,
        Family::Positive => cases::positive::cases,
    }
}

/// Cases left out on every target, each because the mock documents a choice the
/// generated data runs into: (endpoint, the check's start, why).
pub const EXCLUDED: &[(&str, &str, &str)] = &[
    ("POST /statistics/v3/subscriptions", "required field \"operationId\" missing",
     "the mock gives a missing operationId a generated subscriptionId (README, Statistics; 2591, 2676 do not say)"),
    ("POST /nexus/v3/securemail", "required field \"data.to\" missing",
     "the mock reads data.to as optional (README, Secure Email; the body is untyped, 2112-2117)"),
    ("POST /nexus/v3/securemail", "counter-example of secure-email/SecureMailRequest: data.to is missing",
     "the mock reads data.to as optional (README, Secure Email; the body is untyped, 2112-2117)"),
    ("POST /statistics/v3/operations/get-statistic-ex", "counter-example of statistics/StatisticsPeekRequest: the body is the bare",
     "the mock accepts the bare {statistics} body of the parameter table (README, Statistics; 2823)"),
    ("POST /statistics/v3/notifications", "counter-example of statistics/BayeuxHandshakeRequest: id is a boolean",
     "the mock's Bayeux server echoes any id with its JSON type (README, Statistics and CometD)"),
    ("POST /statistics/v3/notifications/handshake", "counter-example of statistics/BayeuxHandshakeRequest: id is a boolean",
     "the mock's Bayeux server echoes any id with its JSON type (README, Statistics and CometD)"),
    ("GET /auth/v3/oauth/authorize", "query \"hideTenant\" of the wrong type",
     "the mock reads hideTenant as true in any case and anything else as false (README, Authentication; 564 gives only the default)"),
];

/// Generates every case of the selected endpoints and families, in catalog order, then
/// family order; values drawn from `seed`.
pub fn generate(
    contract: &ContractModel,
    context: &Context,
    selection: &Selection,
    seed: u64,
) -> Plan {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut cases = Vec::new();
    let catalog = &contract.catalog;
    for round in 1..=selection.rounds.max(1) {
        for endpoint in catalog.endpoints.iter().filter(|e| selection.takes(e)) {
            for family in Family::ALL {
                // Positive requests draw no value: one round of them is enough.
                if !selection.takes_family(family) || (round > 1 && family == Family::Positive) {
                    continue;
                }
                let mut made = generator(family)(endpoint, contract, context, &mut rng);
                if round > 1 {
                    for case in &mut made {
                        case.check = format!("{} (round {round})", case.check);
                    }
                }
                cases.extend(made);
            }
        }
    }
    for (i, case) in cases.iter_mut().enumerate() {
        case.index = i + 1;
        let excluded = EXCLUDED
            .iter()
            .find(|(e, check, _)| *e == case.endpoint && case.check.starts_with(check));
        if let Some((_, _, why)) = excluded {
            case.not_run = Some(format!("excluded: {why}"));
        }
    }
    Plan { seed, cases }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(seed: u64) -> Plan {
        let contract = cases::testing::contract();
        generate(
            &contract,
            &Context::for_tests(),
            &Selection::default(),
            seed,
        )
    }

    #[test]
    fn the_same_seed_gives_the_same_cases_and_another_seed_other_values() {
        let a = serde_json::to_string(&plan(7).cases).unwrap();
        let b = serde_json::to_string(&plan(7).cases).unwrap();
        let c = serde_json::to_string(&plan(8).cases).unwrap();
        assert_eq!(a, b);
        assert_ne!(a, c);
    }

    #[test]
    fn every_endpoint_gets_at_least_six_cases() {
        let plan = plan(1);
        let contract = cases::testing::contract();
        for endpoint in &contract.catalog.endpoints {
            let n = plan
                .cases
                .iter()
                .filter(|c| c.endpoint == endpoint.id && c.not_run.is_none())
                .count();
            assert!(n >= 6, "{} has {n} cases", endpoint.id);
        }
    }
}
