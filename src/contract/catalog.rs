//! The endpoint catalog (`schemas/catalog.json`): every endpoint of the reference.

use super::{read_json, ContractError};
use serde::Deserialize;
use std::path::Path;

/// One documented response of an endpoint.
#[derive(Debug, Clone, Deserialize)]
pub struct EndpointResponse {
    pub code: serde_json::Value,
    #[serde(default)]
    pub reason: Option<String>,
    /// The model the reference names, if any.
    #[serde(default)]
    pub schema: Option<String>,
    /// Our schema for this response, as `<dir>/<Name>`.
    #[serde(default)]
    pub contract_schema: Option<String>,
}

/// One parameter of an endpoint, as its table in the reference lists it.
#[derive(Debug, Clone, Deserialize)]
pub struct EndpointParam {
    pub name: String,
    /// `header`, `query`, `path`, `body` or `formData`.
    #[serde(rename = "in")]
    pub location: String,
    #[serde(default)]
    pub required: bool,
    /// The Data Type column (`string`, `integer`, `boolean`, `file`, or a model name).
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    /// The values the text states, where it states them.
    #[serde(default, rename = "enum")]
    pub values: Option<Vec<serde_json::Value>>,
}

/// One endpoint of the reference.
#[derive(Debug, Clone, Deserialize)]
pub struct Endpoint {
    pub id: String,
    pub api: String,
    pub method: String,
    pub full_path: String,
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default)]
    pub deprecated: bool,
    #[serde(default)]
    pub direction: Option<String>,
    #[serde(default)]
    pub source_line: Option<u64>,
    #[serde(default)]
    pub params: Vec<EndpointParam>,
    #[serde(default)]
    pub responses: Vec<EndpointResponse>,
}

impl Endpoint {
    /// True when `method path` (path without query) is a request to this endpoint.
    /// A `{name}` in a catalog segment matches one or more characters of that
    /// segment, so `ext_{externalId}` matches `ext_42` and `{id}` matches `42`.
    pub fn matches(&self, method: &str, path: &str) -> bool {
        self.specificity(method, path).is_some()
    }

    /// How specifically this endpoint matches (the number of literal characters in
    /// its path), or `None` when it does not match.
    pub fn specificity(&self, method: &str, path: &str) -> Option<usize> {
        if !self.method.eq_ignore_ascii_case(method) {
            return None;
        }
        let path = path.split(['?', '#']).next().unwrap_or(path);
        let want: Vec<&str> = self.full_path.trim_end_matches('/').split('/').collect();
        let got: Vec<&str> = path.trim_end_matches('/').split('/').collect();
        if want.len() != got.len() {
            return None;
        }
        let mut literal = 0;
        for (w, g) in want.iter().zip(&got) {
            literal += segment_match(w, g)?;
        }
        Some(literal)
    }

    /// True when at least one documented response has a contract schema.
    pub fn has_schema(&self) -> bool {
        self.responses.iter().any(|r| r.contract_schema.is_some())
    }
}

/// Matches one path segment against a catalog segment that may hold one `{name}`;
/// returns the number of literal characters matched.
fn segment_match(want: &str, got: &str) -> Option<usize> {
    match (want.find('{'), want.rfind('}')) {
        (Some(open), Some(close)) if open < close => {
            let (prefix, suffix) = (&want[..open], &want[close + 1..]);
            let fits = got.len() > prefix.len() + suffix.len()
                && got.starts_with(prefix)
                && got.ends_with(suffix);
            fits.then_some(prefix.len() + suffix.len())
        }
        _ => (want == got).then_some(want.len()),
    }
}

#[derive(Debug, Deserialize)]
struct CatalogFile {
    endpoints: Vec<Endpoint>,
}

/// The whole catalog.
#[derive(Debug, Clone)]
pub struct Catalog {
    pub endpoints: Vec<Endpoint>,
}

impl Catalog {
    /// Reads and checks the catalog file.
    pub fn load(path: &Path) -> Result<Catalog, ContractError> {
        let value = read_json(path)?;
        let file: CatalogFile =
            serde_json::from_value(value).map_err(|e| ContractError::Catalog {
                path: path.to_path_buf(),
                message: e.to_string(),
            })?;
        let mut seen = std::collections::HashSet::new();
        for endpoint in &file.endpoints {
            if !seen.insert(endpoint.id.as_str()) {
                return Err(ContractError::Catalog {
                    path: path.to_path_buf(),
                    message: format!("duplicate endpoint id \"{}\"", endpoint.id),
                });
            }
        }
        Ok(Catalog {
            endpoints: file.endpoints,
        })
    }

    /// The endpoint a request `method path` is addressed to: of those that match,
    /// the one with the most literal path (`ext_{externalId}` before `{interactionId}`).
    pub fn find(&self, method: &str, path: &str) -> Option<&Endpoint> {
        self.endpoints
            .iter()
            .filter_map(|e| e.specificity(method, path).map(|n| (n, e)))
            .max_by_key(|(n, _)| *n)
            .map(|(_, e)| e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn endpoint(method: &str, path: &str) -> Endpoint {
        Endpoint {
            id: format!("{method} {path}"),
            api: "test".into(),
            method: method.into(),
            full_path: path.into(),
            summary: None,
            deprecated: false,
            direction: None,
            source_line: None,
            params: vec![],
            responses: vec![],
        }
    }

    #[test]
    fn a_path_parameter_matches_one_segment() {
        let e = endpoint("GET", "/statistics/v3/subscriptions/{id}/statistic-values");
        assert!(e.matches(
            "GET",
            "/statistics/v3/subscriptions/abc/statistic-values?x=1"
        ));
        assert!(!e.matches("GET", "/statistics/v3/subscriptions/statistic-values"));
        assert!(!e.matches("POST", "/statistics/v3/subscriptions/abc/statistic-values"));
    }

    #[test]
    fn a_prefixed_parameter_is_preferred_over_a_bare_one() {
        let catalog = Catalog {
            endpoints: vec![
                endpoint("GET", "/x/interactions/{interactionId}"),
                endpoint("GET", "/x/interactions/ext_{externalId}"),
            ],
        };
        let found = catalog.find("GET", "/x/interactions/ext_42").unwrap();
        assert_eq!(found.full_path, "/x/interactions/ext_{externalId}");
        let found = catalog.find("GET", "/x/interactions/42").unwrap();
        assert_eq!(found.full_path, "/x/interactions/{interactionId}");
        assert!(!catalog.endpoints[1].matches("GET", "/x/interactions/ext_"));
    }

    #[test]
    fn literal_segments_must_be_equal() {
        let e = endpoint("POST", "/auth/v3/oauth/token");
        assert!(e.matches("post", "/auth/v3/oauth/token"));
        assert!(!e.matches("POST", "/auth/v3/oauth/tokens"));
    }
}
