//! Unsupported methods on every path: each of GET, POST, PUT, PATCH and DELETE that no
//! endpoint of the path takes, sent with valid credentials.

use super::{base, case, is_outbound, Context};
use crate::contract::{ContractModel, Endpoint};
use crate::probe::plan::{Case, Family, Scope};
use crate::probe::verdict::Rule;
use rand::rngs::StdRng;

/// The methods probed on every path.
pub const METHODS: [&str; 5] = ["GET", "POST", "PUT", "PATCH", "DELETE"];

/// The method cases of the path of `endpoint` (each endpoint of a path gets them, with
/// its own generated ids).
pub fn cases(
    endpoint: &Endpoint,
    contract: &ContractModel,
    ctx: &Context,
    rng: &mut StdRng,
) -> Vec<Case> {
    let catalog = &contract.catalog;
    let same_path: Vec<&Endpoint> = catalog
        .endpoints
        .iter()
        .filter(|e| e.full_path == endpoint.full_path)
        .collect();
    if is_outbound(endpoint) {
        return Vec::new();
    }
    let valid = base(endpoint, contract, ctx, rng);
    METHODS
        .iter()
        .filter(|m| !same_path.iter().any(|e| e.method.eq_ignore_ascii_case(m)))
        .map(|method| {
            let mut request = valid.clone();
            request.method = (*method).to_owned();
            let body = matches!(*method, "POST" | "PUT" | "PATCH").then(|| b"{}".to_vec());
            request.set_header("content-type", body.as_ref().map(|_| "application/json"));
            let request = request.with_body(body);
            case(
                endpoint,
                Family::Methods,
                format!(
                    "{method} {} (not a documented method of the path)",
                    endpoint.full_path
                ),
                request,
                vec![
                    (Rule::MethodRefused, Scope::Portable),
                    (Rule::MethodNotAllowedEnvelope, Scope::Strict),
                ],
            )
        })
        .collect()
}
