//! The security matrix of one endpoint: no or a wrong API key; where a bearer is
//! required, none, unknown, HTTP Basic, expired, revoked, another user's; where a
//! signature is required, none, a wrong secret, the body changed after signing.

use super::{base, bearer_documented, case, has_param, is_outbound, probe_id, Context};
use crate::contract::Endpoint;
use crate::probe::plan::{Bearer, Case, Family, Key, Scope, Signature};
use crate::probe::verdict::Rule;
use base64::Engine as _;
use rand::rngs::StdRng;

/// Where the bearer rule applies to `endpoint`: everywhere when its table marks
/// `Authorization` required (e.g. 4572); only on the mock for the Statistics REST
/// endpoints (their tables list no auth parameter, 2807-3300, but the mock, like the
/// vendor's client, wants the user's token) and change-password (449 leaves it
/// unmarked; README, Authentication choices).
pub fn bearer_scope(endpoint: &Endpoint) -> Option<Scope> {
    let path = endpoint.full_path.as_str();
    if bearer_documented(endpoint) {
        Some(Scope::Portable)
    } else if path == "/auth/v3/change-password"
        || (path.starts_with("/statistics/v3/")
            && !path.starts_with("/statistics/v3/notifications"))
    {
        Some(Scope::Strict)
    } else {
        None
    }
}

/// The path with the target's key as the query parameter `x-api-key`; its value is
/// filled in when the case is sent (the placeholder is no secret).
fn in_query_key(path: &str) -> String {
    let joiner = if path.contains('?') { '&' } else { '?' };
    format!("{path}{joiner}x-api-key={API_KEY}")
}

/// The placeholder a path holds for the target's API key, filled in when it is sent.
pub const API_KEY: &str = "{api_key}";

/// Endpoints that answer with the identity of the token's user (863, 873, 690-702).
const IDENTITY: [&str; 3] = [
    "/auth/v3/userinfo",
    "/auth/v3/openid/userinfo",
    "/auth/v3/jwt-userinfo",
];

/// The security cases of `endpoint`.
pub fn cases(
    endpoint: &Endpoint,
    contract: &crate::contract::ContractModel,
    ctx: &Context,
    rng: &mut StdRng,
) -> Vec<Case> {
    let mut out = Vec::new();
    let valid = base(endpoint, contract, ctx, rng);
    let with = |key: Key, bearer: Option<Bearer>, signature: Option<Signature>| {
        let mut request = valid.clone();
        request.key = key;
        if let Some(bearer) = bearer {
            request.bearer = bearer;
        }
        if let Some(signature) = signature {
            request.signature = signature;
        }
        request
    };
    let signed = valid.signature == Signature::Valid;
    if !is_outbound(endpoint) {
        let gateway = || vec![(Rule::GatewayKeyRequired, Scope::Portable)];
        out.push(case(
            endpoint,
            Family::Security,
            "no x-api-key",
            with(Key::Missing, None, None),
            gateway(),
        ));
        let wrong = format!("{}-key", probe_id(rng));
        out.push(case(
            endpoint,
            Family::Security,
            "a wrong x-api-key",
            with(Key::Wrong(wrong), None, None),
            gateway(),
        ));
        out.push(case(
            endpoint,
            Family::Security,
            "an empty x-api-key",
            with(Key::Wrong(String::new()), None, None),
            gateway(),
        ));
        // The key goes in the header (322); a table that lists it as a query parameter
        // (ambiguity 33, 5474) leaves the query form to the mock's reading.
        let scope = if has_param(endpoint, "x-api-key", "query") {
            Scope::Strict
        } else {
            Scope::Portable
        };
        let mut in_query = with(Key::Missing, None, None);
        in_query.path = in_query_key(&in_query.path);
        out.push(case(
            endpoint,
            Family::Security,
            "the x-api-key in the query instead of the header",
            in_query,
            vec![(Rule::GatewayKeyRequired, scope)],
        ));
    }
    if let Some(scope) = bearer_scope(endpoint) {
        let rules = || vec![(Rule::BearerRequired, scope)];
        let unknown = format!("Bearer {}", probe_id(rng));
        let basic = format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(format!("{}:x", probe_id(rng)))
        );
        let variants = [
            ("no bearer token", Bearer::None),
            ("an unknown bearer token", Bearer::Malformed(unknown)),
            (
                "HTTP Basic instead of a bearer (425-431)",
                Bearer::Malformed(basic),
            ),
            ("an expired bearer token", Bearer::Expired),
            ("a revoked bearer token", Bearer::Revoked),
        ];
        for (check, bearer) in variants {
            out.push(case(
                endpoint,
                Family::Security,
                check,
                with(Key::Valid, Some(bearer), None),
                rules(),
            ));
        }
        if IDENTITY.contains(&endpoint.full_path.as_str()) {
            let mut other = case(
                endpoint,
                Family::Security,
                "another user's bearer token",
                with(Key::Valid, Some(Bearer::Other), None),
                vec![(Rule::TokenOwner, Scope::Portable)],
            );
            other.not_user = Some(ctx.agent_username.clone());
            out.push(other);
        }
    }
    if signed {
        let key = valid.key.clone();
        let rules = || vec![(Rule::SignatureRequired, Scope::Portable)];
        let wrong = format!("{}-secret", probe_id(rng));
        let variants = [
            ("no X-Hub-Signature", Signature::None),
            (
                "X-Hub-Signature with a wrong secret",
                Signature::WrongSecret(wrong),
            ),
            ("the body changed after signing", Signature::Tampered),
            (
                "X-Hub-Signature without its sha1= prefix",
                Signature::NoPrefix,
            ),
            (
                "X-Hub-Signature under another algorithm (sha256=)",
                Signature::OtherAlgorithm,
            ),
        ];
        for (check, signature) in variants {
            out.push(case(
                endpoint,
                Family::Security,
                check,
                with(key.clone(), None, Some(signature)),
                rules(),
            ));
        }
    }
    out
}
