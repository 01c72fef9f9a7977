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
                    message: gherkin_error(&path, &e),
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

/// A feature file that does not parse, as `FILE:LINE:COLUMN: not valid Gherkin: ...`:
/// the parser's position and what it expected there.
pub fn gherkin_error(path: &Path, error: &cucumber::gherkin::ParseFileError) -> String {
    use cucumber::gherkin::ParseFileError;
    match error {
        ParseFileError::Reading { source, .. } => {
            format!("{}: cannot read: {source}", path.display())
        }
        ParseFileError::Parsing {
            error: env, source, ..
        } => {
            // The position is private to the parser; its message reads
            // "Error at LINE:COLUMN: {expected tokens}".
            let text = source.to_string();
            let (place, expected) = text
                .strip_prefix("Error at ")
                .and_then(|rest| rest.split_once(": "))
                .unwrap_or(("?", text.as_str()));
            let mut expected: Vec<&str> = expected
                .trim_matches(|c| c == '{' || c == '}')
                .split(", ")
                .map(|t| t.trim_matches('"'))
                .filter(|t| !t.is_empty())
                .collect();
            expected.sort_unstable();
            match env {
                // The parser stops after the line with the unknown word; name that line.
                Some(env @ cucumber::gherkin::EnvError::UnknownKeyword(word)) => {
                    let line = std::fs::read_to_string(path).ok().and_then(|text| {
                        text.lines()
                            .position(|l| l.trim_start().starts_with(word.as_str()))
                            .map(|i| i + 1)
                    });
                    match line {
                        Some(line) => {
                            format!("{}:{line}: not valid Gherkin: {env}", path.display())
                        }
                        None => format!("{}:{place}: not valid Gherkin: {env}", path.display()),
                    }
                }
                Some(env) => format!("{}:{place}: not valid Gherkin: {env}", path.display()),
                None => format!(
                    "{}:{place}: not valid Gherkin; expected one of: {}",
                    path.display(),
                    expected.join(", ")
                ),
            }
        }
    }
}
