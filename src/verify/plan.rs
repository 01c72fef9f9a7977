//! The plan of a run before it starts: every scenario the user's filters select, each
//! with what the gates make of it. `verify --list` prints it without sending a request;
//! the run takes its total from it.

use super::gate::{Gates, Verdict};
use cucumber::feature::Ext as _;
use cucumber::gherkin::{Feature, GherkinEnv};
use serde_json::json;
use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::PathBuf;

/// One selected scenario (an outline row counts as one).
#[derive(Debug, Clone)]
pub struct Planned {
    /// The feature file as reports show it.
    pub path: PathBuf,
    pub line: usize,
    pub name: String,
    /// The feature's, the rule's and the scenario's tags, with `@`.
    pub tags: Vec<String>,
    /// `None` when it runs; the reason when it is skipped.
    pub skip: Option<String>,
}

/// What a run would do.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    pub scenarios: Vec<Planned>,
    /// Every tag the features use, with `@` (for the error when nothing is selected).
    pub tags_seen: BTreeSet<String>,
    /// The target, as the summary names it.
    pub target: String,
    /// What the plan had to assume without sending a request.
    pub assumptions: Vec<String>,
}

impl Plan {
    /// Judges every scenario of `features` (parsed, outlines expanded); paths are shown
    /// relative to `base`, the contract's root.
    pub(crate) fn of(features: &[Feature], gates: &Gates, base: &std::path::Path) -> Plan {
        let mut plan = Plan::default();
        for feature in features {
            let path = crate::report::feature_path(feature, base);
            let in_rules = feature
                .rules
                .iter()
                .flat_map(|rule| rule.scenarios.iter().map(move |s| (Some(rule), s)));
            for (rule, scenario) in feature.scenarios.iter().map(|s| (None, s)).chain(in_rules) {
                let tags: Vec<String> = feature
                    .tags
                    .iter()
                    .chain(rule.iter().flat_map(|r| &r.tags))
                    .chain(&scenario.tags)
                    .map(|t| format!("@{t}"))
                    .collect();
                plan.tags_seen.extend(tags.iter().cloned());
                let skip = match gates.judge(feature, rule, scenario) {
                    Verdict::Excluded => continue,
                    Verdict::Skip(reason) => Some(reason),
                    Verdict::Run => None,
                };
                let mut unique = Vec::new();
                for tag in tags {
                    if !unique.contains(&tag) {
                        unique.push(tag);
                    }
                }
                plan.scenarios.push(Planned {
                    path: path.clone(),
                    line: scenario.position.line,
                    name: scenario.name.clone(),
                    tags: unique,
                    skip,
                });
            }
        }
        plan
    }

    /// How many scenarios would run and how many would be skipped.
    pub fn counts(&self) -> (usize, usize) {
        let skipped = self.scenarios.iter().filter(|s| s.skip.is_some()).count();
        (self.scenarios.len() - skipped, skipped)
    }

    /// One line per scenario (`RUN` or `SKIP` with the reason below it), then the totals.
    pub fn render_text(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "cxgate verify --list: {}", self.target);
        for note in &self.assumptions {
            let _ = writeln!(out, "NOTE {note}");
        }
        for s in &self.scenarios {
            let status = if s.skip.is_some() { "SKIP" } else { "RUN " };
            let _ = writeln!(
                out,
                "{status} {}:{} {}  {}",
                s.path.display(),
                s.line,
                s.name,
                s.tags.join(" ")
            );
            if let Some(reason) = &s.skip {
                let _ = writeln!(out, "     {reason}");
            }
        }
        let (run, skipped) = self.counts();
        let _ = writeln!(
            out,
            "{} scenarios: {run} would run, {skipped} would be skipped",
            self.scenarios.len()
        );
        out
    }

    /// The same as JSON: `{"target", "notes", "scenarios": [...], "run", "skipped"}`.
    pub fn render_json(&self) -> String {
        let (run, skipped) = self.counts();
        let scenarios: Vec<serde_json::Value> = self
            .scenarios
            .iter()
            .map(|s| {
                json!({
                    "path": s.path.display().to_string(),
                    "line": s.line,
                    "name": s.name,
                    "tags": s.tags,
                    "runs": s.skip.is_none(),
                    "skip_reason": s.skip,
                })
            })
            .collect();
        let value = json!({
            "target": self.target,
            "notes": self.assumptions,
            "scenarios": scenarios,
            "run": run,
            "skipped": skipped,
        });
        let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
        text.push('\n');
        text
    }
}

/// Parses every feature file with its outlines expanded, as cucumber runs them. A file
/// that does not parse is a usage error naming the file and the line.
pub(crate) fn parse_features(files: &[PathBuf]) -> Result<Vec<Feature>, String> {
    let mut features = Vec::new();
    for path in files {
        let feature = Feature::parse_path(path, GherkinEnv::default())
            .map_err(|e| crate::contract::gherkin_error(path, &e))?
            .expand_examples()
            .map_err(|e| format!("{}: {e}", path.display()))?;
        features.push(feature);
    }
    Ok(features)
}
