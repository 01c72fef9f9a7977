//! Positive cases: schema-valid requests the reference allows, which must not be
//! rejected. Only reads and self-contained token traffic are made positive here (what a
//! run creates, `verify`'s scenarios create and clean up); every other endpoint gets a
//! case that says why it does not run.

use super::{base, case, encode, is_outbound, Context};
use crate::contract::{ContractModel, Endpoint};
use crate::probe::plan::{Bearer, Case, Family, Scope};
use crate::probe::verdict::Rule;
use rand::rngs::StdRng;
use serde_json::json;

/// The placeholder a body holds for the agent's password, filled in when it is sent.
pub const AGENT_PASSWORD: &str = "{agent.password}";

/// GETs that need no resource the probe would have to create, but are not positive
/// everywhere: the certificate is 404 until one is uploaded (README, UDM choices), a
/// sign-out revokes the run's token, `/files` without names is not documented.
const NOT_POSITIVE: [&str; 5] = [
    "/cipher",
    "/sign-out",
    "/files",
    "/oauth/authorize",
    "/ping",
];

/// The positive case of `endpoint`, or one that says why there is none.
pub fn cases(
    endpoint: &Endpoint,
    contract: &ContractModel,
    ctx: &Context,
    rng: &mut StdRng,
) -> Vec<Case> {
    let rules = || vec![(Rule::PositiveAccepted, Scope::Portable)];
    let mut request = base(endpoint, contract, ctx, rng);
    let path = endpoint.full_path.as_str();
    let tenant = &ctx.tenant;
    let check = match (endpoint.method.as_str(), path) {
        _ if is_outbound(endpoint) => "a delivery signed with the channel secret (1907, 3807)",
        ("GET", "/auth/v3/ping") => "the user's token (710-739)",
        ("GET", "/auth/v3/oauth/authorize") => {
            request.bearer = Bearer::BasicAgent;
            "a code request of a registered client, the user signed in by Basic (338-349, 559, 574)"
        }
        ("POST", "/auth/v3/oauth/token") => {
            let form = format!(
                "grant_type=password&username={}&password={AGENT_PASSWORD}&scope=*",
                encode(&ctx.agent_username)
            );
            request = request.with_body(Some(form.into_bytes()));
            "a password grant (355-361, 603-609)"
        }
        ("POST", "/statistics/v3/operations/get-statistic-ex") => {
            let body = json!({"data": {"statistics": [{
                "name": tenant.immediate_statistic,
                "objectType": tenant.agent_object_type,
                "objectId": tenant.agent_object_id,
            }]}});
            request = request.with_body(Some(body.to_string().into_bytes()));
            "a peek of the tenant's statistic (2508-2523)"
        }
        ("GET", "/statistics/v3/statistic-values/{statisticName}") => {
            "a value of the tenant's statistic (2930-2960)"
        }
        ("POST", "/statistics/v3/notifications/handshake") => {
            let body = json!([{"channel": "/meta/handshake", "version": "1.0",
                "supportedConnectionTypes": ["long-polling"]}]);
            request = request.with_body(Some(body.to_string().into_bytes()));
            "a Bayeux handshake (3319-3445)"
        }
        ("GET", p) if !p.contains('{') && !NOT_POSITIVE.iter().any(|n| p.ends_with(n)) => {
            if p.ends_with("/data/sub-types") || p.ends_with("/data/types") {
                let mut query = vec![("source".to_string(), tenant.udm_source.clone())];
                if p.ends_with("/sub-types") {
                    query.push(("dataType".to_string(), tenant.udm_data_type.clone()));
                }
                request.path = super::with_query(&request.path, &query, None);
            }
            "a read with the tenant's values"
        }
        _ => {
            let mut c = case(
                endpoint,
                Family::Positive,
                "a valid request",
                request,
                rules(),
            );
            c.not_run = Some(
                "positive: needs data the probe does not create (verify's scenarios create \
                 and clean it up)"
                    .into(),
            );
            return vec![c];
        }
    };
    vec![case(endpoint, Family::Positive, check, request, rules())]
}
