//! What every family builds on: the tenant values a case fills in, and the valid request
//! of an endpoint that each case then breaks in one way.

pub mod body;
pub mod methods;
pub mod params;
pub mod positive;
pub mod security;

use super::plan::{Bearer, Case, Change, Family, Key, ProbeRequest, Scope, Signature};
use super::verdict::Rule;
use crate::client::{seed, TargetConfig, TenantData};
use crate::contract::Endpoint;
use rand::rngs::StdRng;
use rand::Rng as _;

/// The tenant's values the cases fill in: never a secret (credentials are named in a
/// case and filled in when it is sent).
#[derive(Debug, Clone)]
pub struct Context {
    pub tenant: TenantData,
    pub client_id: String,
    pub redirect_uri: String,
    pub agent_username: String,
    pub contact_center_id: String,
    pub sms_channel: String,
}

impl Context {
    /// The values of `target`.
    pub fn of(target: &TargetConfig) -> Context {
        Context {
            tenant: target.tenant.clone(),
            client_id: target.client_id.clone(),
            redirect_uri: target.redirect_uri.clone(),
            agent_username: target.agent.username.clone(),
            contact_center_id: target.contact_center_id.clone(),
            sms_channel: target.sms_channel.clone(),
        }
    }

    /// The mock's seed values.
    pub fn for_tests() -> Context {
        Context {
            tenant: TenantData::default(),
            client_id: seed::CLIENT_ID.into(),
            redirect_uri: seed::REDIRECT_URI.into(),
            agent_username: seed::AGENT_USERNAME.into(),
            contact_center_id: seed::CONTACT_CENTER_ID.into(),
            sms_channel: seed::SMS_CHANNEL.into(),
        }
    }
}

/// Percent-encodes a query value or path segment.
pub fn encode(value: &str) -> String {
    /// RFC 3986's unreserved characters stay as they are.
    const ESCAPED: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~');
    percent_encoding::utf8_percent_encode(value, ESCAPED).to_string()
}

/// An id no target holds: `cxgate-probe-1a2b3c4d`.
pub fn probe_id(rng: &mut StdRng) -> String {
    format!("cxgate-probe-{:08x}", rng.random::<u32>())
}

/// True for the two webhooks Genesys sends to a third party.
pub fn is_outbound(endpoint: &Endpoint) -> bool {
    endpoint.direction.as_deref() == Some("outbound_webhook")
}

/// True when the endpoint's table lists the parameter `name` in `location`.
pub fn has_param(endpoint: &Endpoint, name: &str, location: &str) -> bool {
    endpoint
        .params
        .iter()
        .any(|p| p.name.eq_ignore_ascii_case(name) && p.location == location)
}

/// True when the endpoint's table marks `Authorization` (a bearer) required.
pub fn bearer_documented(endpoint: &Endpoint) -> bool {
    endpoint
        .params
        .iter()
        .any(|p| p.name == "Authorization" && p.location == "header" && p.required)
}

/// What a request of `endpoint` needs on a target: reads everywhere, writes with
/// `--allow-writes`, irreversible ones with `--allow-destructive` (verify's judgement).
pub fn change_of(method: &str, endpoint: &Endpoint) -> Change {
    let path = endpoint.full_path.as_str();
    if path.ends_with("/change-password") || path.contains("/cipher/") {
        Change::Destructive
    } else if crate::verify::writes(method, path) {
        Change::Write
    } else {
        Change::Read
    }
}

/// The value a path parameter takes: the tenant's where the path names a tenant thing
/// (channel, service, statistic), else an id no target holds.
fn path_value(name: &str, ctx: &Context, rng: &mut StdRng) -> String {
    match name {
        "channelId" => ctx.sms_channel.clone(),
        "openMediaService" => ctx.tenant.openmedia_service.clone(),
        "statisticName" => ctx.tenant.immediate_statistic.clone(),
        "certificatefilename" => "cxgate-probe.pem".into(),
        "filename" => format!("{}.csv", probe_id(rng)),
        _ => probe_id(rng),
    }
}

/// The value a required query parameter takes.
fn query_value(name: &str, ctx: &Context, rng: &mut StdRng) -> String {
    match name {
        "address" => ctx.tenant.mailbox_address.clone(),
        "objectId" => ctx.tenant.agent_object_id.clone(),
        "objectType" => ctx.tenant.agent_object_type.clone(),
        "client_id" => ctx.client_id.clone(),
        "redirect_uri" => ctx.redirect_uri.clone(),
        "response_type" => "code".into(),
        "filename" => format!("{}.csv", probe_id(rng)),
        _ => probe_id(rng),
    }
}

/// The path with every `{name}` filled in (a prefixed one, `ext_{externalId}`, keeps
/// its prefix).
pub fn fill_path(endpoint: &Endpoint, ctx: &Context, rng: &mut StdRng) -> String {
    fill_path_with(endpoint, ctx, rng, None)
}

/// [`fill_path`] with the last path parameter's value replaced by `last`, sent as it is.
pub fn fill_path_with(
    endpoint: &Endpoint,
    ctx: &Context,
    rng: &mut StdRng,
    last: Option<&str>,
) -> String {
    let mut out = String::new();
    let mut rest = endpoint.full_path.as_str();
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        out.push_str(&rest[..open]);
        let name = &rest[open + 1..open + close];
        let value = encode(&path_value(name, ctx, rng));
        rest = &rest[open + close + 1..];
        match last {
            Some(raw) if !rest.contains('{') => out.push_str(raw),
            _ => out.push_str(&value),
        }
    }
    out.push_str(rest);
    out
}

/// The required query parameters with their values, in table order.
pub fn required_query(
    endpoint: &Endpoint,
    ctx: &Context,
    rng: &mut StdRng,
) -> Vec<(String, String)> {
    endpoint
        .params
        .iter()
        .filter(|p| p.location == "query" && p.required)
        .map(|p| (p.name.clone(), query_value(&p.name, ctx, rng)))
        .collect()
}

/// `path?name=value&...`, each value percent-encoded unless `raw` names it.
pub fn with_query(path: &str, query: &[(String, String)], raw: Option<&str>) -> String {
    if query.is_empty() {
        return path.to_owned();
    }
    let pairs: Vec<String> = query
        .iter()
        .map(|(n, v)| {
            if raw == Some(n.as_str()) {
                format!("{}={v}", encode(n))
            } else {
                format!("{}={}", encode(n), encode(v))
            }
        })
        .collect();
    format!("{path}?{}", pairs.join("&"))
}

/// The credentials a valid request of `endpoint` carries: the key (322), a bearer
/// everywhere but the token and authorize endpoints (which take Basic, 352-356, 559),
/// and a signature where the table requires one.
fn credentials(endpoint: &Endpoint) -> (Key, Bearer, Signature) {
    if is_outbound(endpoint) {
        return (Key::Missing, Bearer::None, Signature::Valid);
    }
    let bearer = match endpoint.full_path.as_str() {
        "/auth/v3/oauth/token" => Bearer::BasicClient,
        "/auth/v3/oauth/authorize" => Bearer::BasicAgent,
        _ => Bearer::Agent,
    };
    let signature = if has_param(endpoint, "X-Hub-Signature", "header") {
        Signature::Valid
    } else {
        Signature::None
    };
    (Key::Valid, bearer, signature)
}

/// The valid request of `endpoint` that cases break: path parameters and required query
/// parameters filled in, its credentials, `x-ccid` where the table asks for it, and the
/// valid body of [`body::template`], if it takes one.
pub fn base(
    endpoint: &Endpoint,
    contract: &crate::contract::ContractModel,
    ctx: &Context,
    rng: &mut StdRng,
) -> ProbeRequest {
    let path = fill_path(endpoint, ctx, rng);
    let query = required_query(endpoint, ctx, rng);
    let (key, bearer, signature) = credentials(endpoint);
    let mut headers = Vec::new();
    if has_param(endpoint, "x-ccid", "header") {
        headers.push(("x-ccid".to_string(), ctx.contact_center_id.clone()));
    }
    let mut request = ProbeRequest {
        method: endpoint.method.clone(),
        path: with_query(&path, &query, None),
        headers,
        body: None,
        body_len: 0,
        key,
        bearer,
        signature,
    };
    if let Some(template) = body::template(endpoint, contract, ctx) {
        request.set_header("content-type", Some(template.content_type()));
        request = request.with_body(Some(template.encode(&template.document)));
    }
    request
}

/// A case of `endpoint` with the defaults: index set later, runs where its method
/// allows, judged by `rules`.
pub fn case(
    endpoint: &Endpoint,
    family: Family,
    check: impl Into<String>,
    request: ProbeRequest,
    rules: Vec<(Rule, Scope)>,
) -> Case {
    let change = if is_outbound(endpoint) {
        Change::Read
    } else {
        change_of(&request.method, endpoint)
    };
    Case {
        index: 0,
        endpoint: endpoint.id.clone(),
        family,
        check: check.into(),
        request,
        rules,
        change,
        not_run: None,
        outbound: is_outbound(endpoint),
        not_user: None,
    }
}

/// The rules of a negative-data case: rejected everywhere, and on the mock with an
/// error envelope; or, when only the mock decides that the data is wrong, both strict.
pub fn rejected(scope: Scope) -> Vec<(Rule, Scope)> {
    vec![
        (Rule::EnvelopeError, scope),
        (Rule::ErrorBodyShape, Scope::Strict),
    ]
}

/// What every family's case generator is.
pub type Generate =
    fn(&Endpoint, &crate::contract::ContractModel, &Context, &mut StdRng) -> Vec<Case>;

/// The contract of this repository and the cases one family makes of one endpoint, for
/// the unit tests.
#[cfg(test)]
pub mod testing {
    use super::*;
    use rand::SeedableRng as _;

    /// The contract of this repository.
    pub fn contract() -> crate::contract::ContractModel {
        crate::contract::ContractModel::load(std::path::Path::new(env!("CARGO_MANIFEST_DIR")))
            .expect("the contract loads")
    }

    /// The cases `generate` makes of the endpoint `id`, with the seed's values.
    pub fn cases_of(generate: Generate, id: &str, seed: u64) -> Vec<Case> {
        let contract = contract();
        let endpoint = contract
            .catalog
            .endpoints
            .iter()
            .find(|e| e.id == id)
            .expect("the endpoint is in the catalog");
        generate(
            endpoint,
            &contract,
            &Context::for_tests(),
            &mut StdRng::seed_from_u64(seed),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng as _;

    #[test]
    fn a_prefixed_path_parameter_keeps_its_prefix() {
        let contract = testing::contract();
        let endpoint = contract
            .catalog
            .endpoints
            .iter()
            .find(|e| e.full_path.ends_with("ext_{externalId}/stop"))
            .unwrap();
        let mut rng = StdRng::seed_from_u64(1);
        let path = fill_path(endpoint, &Context::for_tests(), &mut rng);
        assert!(
            path.starts_with("/nexus/v3/openmedia/workitem/interactions/ext_cxgate-probe-"),
            "{path}"
        );
        assert!(path.ends_with("/stop"), "{path}");
        assert!(endpoint.matches("POST", &path));
    }
}
