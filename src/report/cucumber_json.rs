//! Cucumber JSON (the format cucumber-jvm and CI plugins read).

use super::{Redactor, RunResult, Status};
use serde_json::{json, Value};

fn slug(text: &str) -> String {
    text.to_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect()
}

/// Renders the run as a Cucumber JSON document (an array of features).
pub fn render_cucumber_json(result: &RunResult, redactor: &Redactor) -> String {
    let features: Vec<Value> = result
        .features
        .iter()
        .map(|feature| {
            let elements: Vec<Value> = feature
                .scenarios
                .iter()
                .map(|scenario| {
                    let steps: Vec<Value> = scenario
                        .steps
                        .iter()
                        .map(|step| {
                            let mut result = json!({
                                "status": step.status.as_str(),
                                "duration": u64::try_from(step.duration.as_nanos()).unwrap_or(u64::MAX),
                            });
                            if let Some(error) = &step.error {
                                result["error_message"] = Value::String(redactor.redact(error));
                            }
                            if step.status == Status::Skipped && scenario.status == Status::Skipped {
                                if let Some(reason) = &scenario.reason {
                                    result["error_message"] = Value::String(redactor.redact(reason));
                                }
                            }
                            json!({
                                "keyword": step.keyword,
                                "name": step.text,
                                "line": step.line,
                                "result": result,
                            })
                        })
                        .collect();
                    json!({
                        "id": format!("{};{}", slug(&feature.name), slug(&scenario.name)),
                        "keyword": "Scenario",
                        "type": "scenario",
                        "name": scenario.name,
                        "line": scenario.line,
                        "tags": scenario.tags.iter().map(|t| json!({"name": format!("@{t}")})).collect::<Vec<_>>(),
                        "steps": steps,
                    })
                })
                .collect();
            json!({
                "uri": feature.path.display().to_string(),
                "id": slug(&feature.name),
                "keyword": "Feature",
                "name": feature.name,
                "line": feature.line,
                "tags": feature.tags.iter().map(|t| json!({"name": format!("@{t}")})).collect::<Vec<_>>(),
                "elements": elements,
            })
        })
        .collect();
    serde_json::to_string_pretty(&Value::Array(features)).unwrap_or_else(|_| "[]".into())
}
