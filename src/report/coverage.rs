//! Coverage of the catalog: which endpoints have a schema and a scenario.

use crate::contract::ContractModel;
use std::fmt::Write as _;

/// One catalog endpoint and what covers it.
#[derive(Debug, Clone)]
pub struct CoverageRow {
    pub id: String,
    pub api: String,
    pub has_schema: bool,
    pub scenarios: usize,
}

impl CoverageRow {
    /// Covered means: a schema for one of its responses and at least one scenario.
    pub fn covered(&self) -> bool {
        self.has_schema && self.scenarios > 0
    }
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
            scenarios: scenarios.get(endpoint.id.as_str()).map_or(0, |s| s.len()),
        })
        .collect();
    let mut out = String::new();
    let _ = writeln!(out, "{:<62} {:<7} {:>9}", "endpoint", "schema", "scenarios");
    for row in rows
        .iter()
        .filter(|r| all || r.has_schema || r.scenarios > 0)
    {
        let _ = writeln!(
            out,
            "{:<62} {:<7} {:>9}",
            row.id,
            if row.has_schema { "yes" } else { "no" },
            row.scenarios
        );
    }
    let mut apis: Vec<&str> = rows.iter().map(|r| r.api.as_str()).collect();
    apis.dedup();
    let _ = writeln!(out);
    for api in apis {
        let of_api: Vec<&CoverageRow> = rows.iter().filter(|r| r.api == api).collect();
        let covered = of_api.iter().filter(|r| r.covered()).count();
        let _ = writeln!(out, "{api:<40} {covered:>3}/{:<3}", of_api.len());
    }
    let covered = rows.iter().filter(|r| r.covered()).count();
    let _ = writeln!(
        out,
        "coverage: {covered}/{} endpoints with schema and scenario",
        rows.len()
    );
    (rows, out)
}
