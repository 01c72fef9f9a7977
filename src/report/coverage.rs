//! Coverage of the catalog: which endpoints have a schema and a scenario.

use crate::contract::ContractModel;
use std::fmt::Write as _;

/// One catalog endpoint and what covers it.
#[derive(Debug, Clone)]
pub struct CoverageRow {
    pub id: String,
    pub api: String,
    pub has_schema: bool,
    /// Every documented response is a 204 No Content: there is no body a schema could
    /// describe (the UDM and CDDS file deletes, reference 1198, 1245, 5564, 5619).
    pub no_body: bool,
    pub scenarios: usize,
    /// The reference marks the endpoint deprecated (UDM v4 and v3, 5694 and 6256; the
    /// Cloud Data Download Service, 93-95, 897-899 and 930-932).
    pub deprecated: bool,
}

impl CoverageRow {
    /// Covered means: a schema for one of its responses (or no response with a body) and
    /// at least one scenario.
    pub fn covered(&self) -> bool {
        (self.has_schema || self.no_body) && self.scenarios > 0
    }

    /// The schema column: `yes`, `n/a` (no documented response has a body) or `no`.
    fn schema_column(&self) -> &'static str {
        match (self.has_schema, self.no_body) {
            (true, _) => "yes",
            (false, true) => "n/a",
            (false, false) => "no",
        }
    }
}

/// True when the endpoint documents responses and every one is 204 No Content.
fn documents_no_body(endpoint: &crate::contract::Endpoint) -> bool {
    !endpoint.responses.is_empty()
        && endpoint
            .responses
            .iter()
            .all(|r| r.code.as_u64() == Some(204) || r.code.as_str() == Some("204"))
}

/// Rows for every catalog endpoint plus the rendered table; the last line of the table is
/// `coverage: X/N endpoints with schema and scenario`.
pub fn coverage_table(model: &ContractModel, all: bool) -> (Vec<CoverageRow>, String) {
    // Each request step counts for the one endpoint it is addressed to.
    let mut scenarios: std::collections::HashMap<
        &str,
        std::collections::BTreeSet<(&std::path::Path, &str)>,
    > = std::collections::HashMap::new();
    for r in &model.features.request_refs {
        if let Some(endpoint) = model.catalog.find(&r.method, &r.path) {
            scenarios
                .entry(endpoint.id.as_str())
                .or_default()
                .insert((r.file.as_path(), r.scenario.as_str()));
        }
    }
    let rows: Vec<CoverageRow> = model
        .catalog
        .endpoints
        .iter()
        .map(|endpoint| CoverageRow {
            id: endpoint.id.clone(),
            api: endpoint.api.clone(),
            has_schema: endpoint.has_schema(),
            no_body: documents_no_body(endpoint),
            scenarios: scenarios.get(endpoint.id.as_str()).map_or(0, |s| s.len()),
            deprecated: endpoint.deprecated,
        })
        .collect();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<62} {:<7} {:>9}  note",
        "endpoint", "schema", "scenarios"
    );
    for row in rows
        .iter()
        .filter(|r| all || r.has_schema || r.no_body || r.scenarios > 0)
    {
        let _ = writeln!(
            out,
            "{:<62} {:<7} {:>9}  {}",
            row.id,
            row.schema_column(),
            row.scenarios,
            if row.deprecated { "deprecated" } else { "" }
        );
    }
    let mut apis: Vec<&str> = rows.iter().map(|r| r.api.as_str()).collect();
    apis.dedup();
    let _ = writeln!(out);
    for api in apis {
        let of_api: Vec<&CoverageRow> = rows.iter().filter(|r| r.api == api).collect();
        let covered = of_api.iter().filter(|r| r.covered()).count();
        let deprecated = of_api.iter().filter(|r| r.deprecated).count();
        let note = match deprecated {
            0 => String::new(),
            n => format!(" ({n} deprecated)"),
        };
        let _ = writeln!(out, "{api:<40} {covered:>3}/{:<3}{note}", of_api.len());
    }
    let covered = rows.iter().filter(|r| r.covered()).count();
    let _ = writeln!(
        out,
        "coverage: {covered}/{} endpoints with schema and scenario",
        rows.len()
    );
    (rows, out)
}

/// The coverage as one JSON document (`coverage --format json`): every endpoint with its
/// schema column, scenario count and whether it is covered, then the totals.
pub fn coverage_json(rows: &[CoverageRow]) -> String {
    let endpoints: Vec<serde_json::Value> = rows
        .iter()
        .map(|r| {
            serde_json::json!({
                "endpoint": r.id,
                "api": r.api,
                "schema": r.schema_column(),
                "scenarios": r.scenarios,
                "deprecated": r.deprecated,
                "covered": r.covered(),
            })
        })
        .collect();
    let value = serde_json::json!({
        "endpoints": endpoints,
        "covered": rows.iter().filter(|r| r.covered()).count(),
        "total": rows.len(),
    });
    let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contract::{Endpoint, EndpointResponse};

    fn endpoint(codes: &[u64], schema: bool) -> Endpoint {
        Endpoint {
            id: "DELETE /x".into(),
            api: "test".into(),
            method: "DELETE".into(),
            full_path: "/x".into(),
            summary: None,
            deprecated: false,
            direction: None,
            source_line: None,
            params: vec![],
            responses: codes
                .iter()
                .map(|c| EndpointResponse {
                    code: serde_json::json!(c),
                    reason: None,
                    schema: None,
                    contract_schema: schema.then(|| "x/Y".to_string()),
                })
                .collect(),
        }
    }

    #[test]
    fn only_an_endpoint_that_documents_nothing_but_204_has_no_body() {
        assert!(documents_no_body(&endpoint(&[204], false)));
        assert!(!documents_no_body(&endpoint(&[204, 400], false)));
        assert!(!documents_no_body(&endpoint(&[], false)));
        let row = |no_body, has_schema, scenarios| CoverageRow {
            id: "x".into(),
            api: "x".into(),
            has_schema,
            no_body,
            scenarios,
            deprecated: false,
        };
        assert!(row(true, false, 1).covered());
        assert!(!row(true, false, 0).covered());
        assert!(!row(false, false, 3).covered());
        assert_eq!(row(true, false, 1).schema_column(), "n/a");
    }
}
