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
    pub responses: Vec<EndpointResponse>,
}

impl Endpoint {
    /// True when `method path` (path without query) is a request to this endpoint.
    /// `{name}` segments of the catalog path match any one non-empty segment.
    pub fn matches(&self, method: &str, path: &str) -> bool {
        if !self.method.eq_ignore_ascii_case(method) {
            return false;
        }
        let path = path.split(['?', '#']).next().unwrap_or(path);
        let want: Vec<&str> = self.full_path.trim_end_matches('/').split('/').collect();
        let got: Vec<&str> = path.trim_end_matches('/').split('/').collect();
        want.len() == got.len()
            && want.iter().zip(&got).all(|(w, g)| {
                if w.starts_with('{') && w.ends_with('}') {
                    !g.is_empty()
                } else {
                    w == g
                }
            })
    }

    /// True when at least one documented response has a contract schema.
    pub fn has_schema(&self) -> bool {
        self.responses.iter().any(|r| r.contract_schema.is_some())
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

    /// The endpoints a request `method path` could be addressed to.
    pub fn find(&self, method: &str, path: &str) -> Option<&Endpoint> {
        self.endpoints.iter().find(|e| e.matches(method, path))
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
    fn literal_segments_must_be_equal() {
        let e = endpoint("POST", "/auth/v3/oauth/token");
        assert!(e.matches("post", "/auth/v3/oauth/token"));
        assert!(!e.matches("POST", "/auth/v3/oauth/tokens"));
    }
}
