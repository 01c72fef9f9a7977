//! An index of the Gherkin feature files: which schemas and which endpoints they name.

use super::ContractError;
use cucumber::gherkin::{Feature, GherkinEnv, Step};
use regex::Regex;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

/// A step that names a schema.
#[derive(Debug, Clone)]
pub struct SchemaRef {
    pub file: PathBuf,
    pub line: usize,
    pub name: String,
}

/// A step that sends a request.
#[derive(Debug, Clone)]
pub struct RequestRef {
    pub file: PathBuf,
    pub line: usize,
    pub method: String,
    pub path: String,
    /// Name of the scenario the step belongs to (empty for a Background).
    pub scenario: String,
}

/// What the feature files refer to.
#[derive(Debug, Default)]
pub struct FeatureIndex {
    pub files: Vec<PathBuf>,
    pub scenarios: usize,
    pub schema_refs: Vec<SchemaRef>,
    pub request_refs: Vec<RequestRef>,
}

static SCHEMA_STEP: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r#"matches the schema "([^"]+)""#).ok());
/// Steps that receive one of the outbound webhooks count as scenarios of that endpoint.
const WEBHOOK_STEPS: [(&str, &str, &str); 2] = [
    (
        "of the outgoing webhook",
        "POST",
        "/nexus/v3/some/webhook/path",
    ),
    (
        "of the interactions webhook",
        "POST",
        "/nexus/v3/some/interactions/webhook/path",
    ),
];

static REQUEST_STEP: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r#"I send an? (GET|POST|PUT|DELETE|PATCH) request to "([^"]+)""#).ok()
});

impl FeatureIndex {
    /// Parses every `*.feature` file under `dir`.
    pub fn load(dir: &Path) -> Result<FeatureIndex, ContractError> {
        let mut files = Vec::new();
        super::collect_files(
            dir,
            &|p| p.extension().is_some_and(|e| e == "feature"),
            &mut files,
        )?;
        files.sort();
        let mut index = FeatureIndex::default();
        for path in files {
            let feature = Feature::parse_path(&path, GherkinEnv::default()).map_err(|e| {
                ContractError::Feature {
                    path: path.clone(),
                    message: e.to_string(),
                }
            })?;
            index.add_feature(&path, &feature);
            index.files.push(path);
        }
        Ok(index)
    }

    fn add_feature(&mut self, path: &Path, feature: &Feature) {
        let mut scenarios: Vec<(&str, &[Step])> = Vec::new();
        if let Some(background) = &feature.background {
            scenarios.push(("", &background.steps));
        }
        let mut outlines: Vec<&cucumber::gherkin::Scenario> = Vec::new();
        for scenario in feature
            .scenarios
            .iter()
            .chain(feature.rules.iter().flat_map(|r| &r.scenarios))
        {
            self.scenarios += 1;
            if scenario.examples.is_empty() {
                scenarios.push((&scenario.name, &scenario.steps));
            } else {
                outlines.push(scenario);
            }
        }
        for rule in &feature.rules {
            if let Some(background) = &rule.background {
                scenarios.push(("", &background.steps));
            }
        }
        for (scenario, steps) in scenarios {
            for step in steps {
                self.add_step(path, scenario, &step.value, step.position.line);
            }
        }
        // A Scenario Outline counts once per Examples row, with `<name>` filled in.
        for outline in outlines {
            for examples in &outline.examples {
                let Some(table) = &examples.table else {
                    continue;
                };
                let Some((header, rows)) = table.rows.split_first() else {
                    continue;
                };
                for (i, row) in rows.iter().enumerate() {
                    let name = format!("{} #{}", outline.name, i + 1);
                    for step in &outline.steps {
                        let mut text = step.value.clone();
                        for (column, value) in header.iter().zip(row) {
                            text = text.replace(&format!("<{column}>"), value);
                        }
                        self.add_step(path, &name, &text, step.position.line);
                    }
                }
            }
        }
    }

    fn add_step(&mut self, path: &Path, scenario: &str, text: &str, line: usize) {
        if let Some(caps) = SCHEMA_STEP.as_ref().and_then(|re| re.captures(text)) {
            self.schema_refs.push(SchemaRef {
                file: path.to_path_buf(),
                line,
                name: caps[1].to_string(),
            });
        }
        for (needle, method, endpoint) in WEBHOOK_STEPS {
            if text.contains(needle) {
                self.request_refs.push(RequestRef {
                    file: path.to_path_buf(),
                    line,
                    method: method.to_string(),
                    path: endpoint.to_string(),
                    scenario: scenario.to_string(),
                });
            }
        }
        if let Some(caps) = REQUEST_STEP.as_ref().and_then(|re| re.captures(text)) {
            self.request_refs.push(RequestRef {
                file: path.to_path_buf(),
                line,
                method: caps[1].to_string(),
                path: caps[2].to_string(),
                scenario: scenario.to_string(),
            });
        }
    }
}
