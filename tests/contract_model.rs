//! The contract files load, every schema's examples pass and its counter-examples fail,
//! coverage counts all 119 endpoints, and broken contract files are named with file and line.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use cxgate::contract::{ContractError, ContractModel};
use cxgate::harness::SetupError;
use cxgate::verify::{run, VerifyError, VerifyOptions};
use std::path::{Path, PathBuf};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn the_catalog_lists_all_119_endpoints_of_the_reference() {
    let model = ContractModel::load(root()).unwrap();
    assert_eq!(model.catalog.endpoints.len(), 119);
    let auth = model
        .catalog
        .endpoints
        .iter()
        .filter(|e| e.api == "Authentication API")
        .count();
    assert_eq!(auth, 9);
}

#[test]
fn every_schema_accepts_its_examples_and_rejects_its_counter_examples() {
    let model = ContractModel::load(root()).unwrap();
    assert!(
        model.schemas.len() >= 12,
        "expected the common and auth schemas"
    );
    for schema in model.schemas.iter() {
        let examples = schema.document["examples"]
            .as_array()
            .unwrap_or_else(|| panic!("{}: no examples", schema.name));
        let counter = schema.document["x-counter-examples"]
            .as_array()
            .unwrap_or_else(|| panic!("{}: no x-counter-examples", schema.name));
        assert!(
            !examples.is_empty() && !counter.is_empty(),
            "{}: needs both kinds of example",
            schema.name
        );
        for example in examples {
            let violations = schema.violations(example);
            assert!(
                violations.is_empty(),
                "{}: example {example} should be valid: {violations:?}",
                schema.name
            );
        }
        for case in counter {
            let why = case["why"].as_str().unwrap_or("?");
            assert!(
                !schema.violations(&case["document"]).is_empty(),
                "{}: counter-example ({why}) should be invalid: {}",
                schema.name,
                case["document"]
            );
        }
    }
}

#[test]
fn coverage_counts_every_endpoint_of_the_reference() {
    let model = ContractModel::load(root()).unwrap();
    let (rows, table) = cxgate::report::coverage_table(&model, false);
    let uncovered: Vec<_> = rows
        .iter()
        .filter(|r| !r.covered())
        .map(|r| {
            format!(
                "{} (schema: {}, scenarios: {})",
                r.id, r.has_schema, r.scenarios
            )
        })
        .collect();
    assert!(uncovered.is_empty(), "not covered: {uncovered:#?}");
    let last = table.trim_end().lines().last().unwrap_or("");
    assert_eq!(last, "coverage: 119/119 endpoints with schema and scenario");
    // The only endpoints without a schema are those whose one documented answer is a
    // 204 with no body: the UDM and CDDS file deletes (1198, 1245, 5564, 5619, 6520, 6567).
    let mut no_schema: Vec<_> = rows
        .iter()
        .filter(|r| !r.has_schema)
        .map(|r| (r.id.as_str(), r.no_body))
        .collect();
    no_schema.sort();
    let expected: Vec<(&str, bool)> = [
        "DELETE /data-download/v3/files",
        "DELETE /data-download/v3/files/{filename}",
        "DELETE /udm/v10/files",
        "DELETE /udm/v10/files/{filename}",
        "DELETE /udm/v3/files",
        "DELETE /udm/v3/files/{filename}",
    ]
    .into_iter()
    .map(|id| (id, true))
    .collect();
    assert_eq!(no_schema, expected, "{table}");
}

#[test]
fn coverage_fail_under_119_exits_0_and_120_exits_1() {
    let coverage = |n: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_cxgate"))
            .args([
                "--root",
                root().to_str().unwrap(),
                "coverage",
                "--fail-under",
                n,
            ])
            .output()
            .unwrap()
    };
    let out = coverage("119");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout
            .trim_end()
            .ends_with("coverage: 119/119 endpoints with schema and scenario"),
        "{stdout}"
    );
    assert_eq!(coverage("120").status.code(), Some(1));
}

/// A scratch project: the real schemas plus one feature file of our choosing.
fn scratch_project(name: &str, feature: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cxgate-scratch-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    copy_dir(&root().join("schemas"), &dir.join("schemas"));
    std::fs::create_dir_all(dir.join("features")).unwrap();
    std::fs::write(dir.join("features").join("scratch.feature"), feature).unwrap();
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[test]
fn a_feature_naming_an_unknown_schema_is_a_load_error_with_file_and_line() {
    let dir = scratch_project(
        "unknown-schema",
        "Feature: scratch\n  Scenario: s\n    When I send a GET request to \"/auth/v3/ping\"\n    Then the response body matches the schema \"auth/NoSuchModel\"\n",
    );
    let err = ContractModel::load(&dir).unwrap_err();
    assert!(matches!(err, ContractError::UnknownSchema { .. }));
    let text = err.to_string();
    assert!(text.contains("scratch.feature:4"), "{text}");
    assert!(text.contains("auth/NoSuchModel"), "{text}");
}

#[test]
fn a_broken_schema_is_a_load_error_naming_the_file() {
    let dir = scratch_project("bad-schema", "Feature: scratch\n");
    let path = dir.join("schemas").join("auth").join("Broken.schema.json");
    std::fs::write(
        &path,
        r#"{"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "https://cxgate.invalid/schemas/auth/Broken.schema.json", "type": "strnig"}"#,
    )
    .unwrap();
    let text = ContractModel::load(&dir).unwrap_err().to_string();
    assert!(text.contains("Broken.schema.json"), "{text}");
}

#[test]
fn a_feature_file_that_is_not_gherkin_is_a_load_error() {
    let dir = scratch_project("bad-gherkin", "this is not gherkin\n");
    let text = ContractModel::load(&dir).unwrap_err().to_string();
    assert!(text.contains("scratch.feature"), "{text}");
}

#[tokio::test]
async fn an_undefined_step_is_a_usage_error_with_file_and_line_before_anything_runs() {
    let dir = scratch_project(
        "undefined-step",
        "Feature: scratch\n  Scenario: uses a step nobody wrote\n    Given I am signed in as the agent\n    When I dance the tango\n",
    );
    let mut options = VerifyOptions::new(&dir);
    options.report_dir = dir.join("reports");
    let err = run(&options).await.unwrap_err();
    assert!(
        matches!(err, VerifyError::Setup(SetupError::Usage(_))),
        "{err}"
    );
    let text = err.to_string();
    assert!(
        text.contains("scratch.feature:4: undefined step \"When I dance the tango\""),
        "{text}"
    );
    assert!(text.contains("the closest known step is: When "), "{text}");
    // Nothing ran, so nothing was reported.
    assert!(!dir.join("reports").join("junit.xml").exists());
}

#[tokio::test]
async fn a_bad_tag_expression_is_a_usage_error() {
    let mut options = VerifyOptions::new(root());
    options.tags = Some("@auth and and".into());
    options.report_dir = std::env::temp_dir().join("cxgate-bad-tags");
    let err = run(&options).await.unwrap_err();
    assert!(
        matches!(err, VerifyError::Setup(SetupError::Usage(_))),
        "{err}"
    );
}
