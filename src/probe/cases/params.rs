//! Negative parameters of one endpoint, from its table in the catalog: each required
//! query parameter missing, integer and boolean ones of the wrong type, values out of
//! the stated enum or format, a required header missing or wrong, and bad
//! percent-encoding in the query and the path.

use super::{
    base, case, fill_path, fill_path_with, probe_id, rejected, required_query, with_query, Context,
};
use crate::contract::{Endpoint, EndpointParam};
use crate::probe::plan::{Case, Family, Scope};
use rand::rngs::StdRng;
use rand::Rng as _;

/// Formats the text states for a parameter: (parameter, regex, reference lines).
pub const FORMATS: &[(&str, &str, &str)] = &[(
    "securebox",
    "^[A-Za-z0-9]{3,16}$",
    "2039-2042, 2110, 2185-2188",
)];

/// Endpoints whose parameters are not probed with wrong values: a target that ignored
/// one would sign the run's own user out (`global`), so nothing is learnt safely.
const UNSAFE: [&str; 2] = ["GET /auth/v3/sign-out", "POST /auth/v3/sign-out"];

/// A value that breaks `pattern`: characters it rarely allows, checked against it.
pub fn breaking(pattern: &str, rng: &mut StdRng) -> Option<String> {
    let re = regex::Regex::new(pattern).ok()?;
    let candidates = [
        "!".to_string(),
        format!("a-{}!", rng.random::<u16>()),
        "x".repeat(300),
        String::new(),
    ];
    candidates.into_iter().find(|c| !re.is_match(c))
}

/// The negative-parameter cases of `endpoint`.
pub fn cases(
    endpoint: &Endpoint,
    contract: &crate::contract::ContractModel,
    ctx: &Context,
    rng: &mut StdRng,
) -> Vec<Case> {
    if UNSAFE.contains(&endpoint.id.as_str()) || super::is_outbound(endpoint) {
        return Vec::new();
    }
    let mut out = Vec::new();
    let valid = base(endpoint, contract, ctx, rng);
    let path = fill_path(endpoint, ctx, rng);
    let query = required_query(endpoint, ctx, rng);
    let with_path = |p: String| {
        let mut request = valid.clone();
        request.path = p;
        request
    };
    let queries: Vec<&EndpointParam> = endpoint
        .params
        .iter()
        .filter(|p| p.location == "query" && p.name != "x-api-key")
        .collect();
    for param in &queries {
        let name = param.name.as_str();
        let others: Vec<(String, String)> =
            query.iter().filter(|(n, _)| n != name).cloned().collect();
        let setting = |value: String| {
            let mut q = others.clone();
            q.push((name.to_owned(), value));
            with_query(&path, &q, None)
        };
        if param.required {
            out.push(case(
                endpoint,
                Family::Params,
                format!("required query \"{name}\" missing"),
                with_path(with_query(&path, &others, None)),
                rejected(Scope::Portable),
            ));
        }
        let wrong_type = match param.kind.as_deref() {
            Some("integer") => Some(format!("{}x", rng.random::<u16>())),
            Some("boolean") => Some(format!("maybe{}", rng.random::<u16>())),
            _ => None,
        };
        if let Some(value) = wrong_type {
            out.push(case(
                endpoint,
                Family::Params,
                format!(
                    "query \"{name}\" of the wrong type (not {})",
                    param.kind.as_deref().unwrap_or("")
                ),
                with_path(setting(value)),
                rejected(Scope::Portable),
            ));
        }
        if param.values.as_ref().is_some_and(|v| !v.is_empty()) {
            out.push(case(
                endpoint,
                Family::Params,
                format!("query \"{name}\" out of its enum"),
                with_path(setting(probe_id(rng))),
                rejected(Scope::Portable),
            ));
        }
        if let Some((_, pattern, _)) = FORMATS.iter().find(|(n, _, _)| *n == name) {
            if let Some(value) = breaking(pattern, rng) {
                out.push(case(
                    endpoint,
                    Family::Params,
                    format!("query \"{name}\" not of the format {pattern}"),
                    with_path(setting(value)),
                    rejected(Scope::Portable),
                ));
            }
        }
    }
    if let Some(param) = queries.iter().find(|p| p.kind.as_deref() == Some("string")) {
        let name = param.name.as_str();
        let mut q: Vec<(String, String)> =
            query.iter().filter(|(n, _)| n != name).cloned().collect();
        q.push((name.to_owned(), "%zz".into()));
        out.push(case(
            endpoint,
            Family::Params,
            format!("query \"{name}\" with a broken %-escape"),
            with_path(with_query(&path, &q, Some(name))),
            rejected(Scope::Strict),
        ));
    }
    if endpoint.full_path.contains('{') {
        let broken = fill_path_with(endpoint, ctx, rng, Some("%zz"));
        out.push(case(
            endpoint,
            Family::Params,
            "a path parameter with a broken %-escape",
            with_path(with_query(&broken, &query, None)),
            rejected(Scope::Strict),
        ));
    }
    if super::has_param(endpoint, "x-ccid", "header") {
        let mut missing = valid.clone();
        missing.set_header("x-ccid", None);
        out.push(case(
            endpoint,
            Family::Params,
            "required header \"x-ccid\" missing",
            missing,
            rejected(Scope::Portable),
        ));
        let mut wrong = valid.clone();
        wrong.set_header("x-ccid", Some(&probe_id(rng)));
        out.push(case(
            endpoint,
            Family::Params,
            "header \"x-ccid\" of another contact center",
            wrong,
            rejected(Scope::Portable),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng as _;

    #[test]
    fn a_breaking_value_never_matches_the_format() {
        let mut rng = StdRng::seed_from_u64(3);
        for (_, pattern, _) in FORMATS {
            let value = breaking(pattern, &mut rng).unwrap();
            assert!(!regex::Regex::new(pattern).unwrap().is_match(&value));
        }
    }

    fn cases_of(id: &str) -> Vec<Case> {
        crate::probe::cases::testing::cases_of(cases, id, 5)
    }

    #[test]
    fn the_table_gives_missing_wrong_type_enum_and_format_cases() {
        let cases = cases_of("GET /nexus/v3/securemail");
        let checks: Vec<&str> = cases.iter().map(|c| c.check.as_str()).collect();
        for want in [
            "required query \"address\" missing",
            "query \"index\" of the wrong type (not integer)",
            "query \"status\" out of its enum",
            "query \"securebox\" not of the format ^[A-Za-z0-9]{3,16}$",
        ] {
            assert!(checks.contains(&want), "{want} in {checks:?}");
        }
        let missing = cases.iter().find(|c| c.check.contains("missing")).unwrap();
        assert!(
            !missing.request.path.contains("address="),
            "{}",
            missing.request.path
        );
        let broken = cases.iter().find(|c| c.check.contains("%-escape")).unwrap();
        assert!(
            broken.request.path.contains("=%zz"),
            "{}",
            broken.request.path
        );
    }
}
