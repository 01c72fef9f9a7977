//! Every step of the contract must match exactly one step definition before anything is
//! sent: a misspelt or ambiguous step is a mistake in the contract (exit 2), named with
//! its file and line and the closest step the harness knows.

use crate::steps::CxWorld;
use cucumber::codegen::{StepConstructor as _, WorldInventory};
use cucumber::gherkin::{Feature, Step, StepType};
use regex::Regex;

/// How many mistakes one error lists before it says how many more there are.
const SHOWN: usize = 10;

/// One step definition: its keyword, its pattern and where it is written.
struct Definition {
    ty: StepType,
    regex: Regex,
    at: String,
}

fn definitions() -> Vec<Definition> {
    let mut out = Vec::new();
    let mut add = |ty, (loc, regex, _): (cucumber::step::Location, fn() -> Regex, _)| {
        out.push(Definition {
            ty,
            regex: regex(),
            at: format!("{}:{}", loc.path, loc.line),
        });
    };
    for d in cucumber::codegen::inventory::iter::<<CxWorld as WorldInventory>::Given> {
        add(StepType::Given, d.inner());
    }
    for d in cucumber::codegen::inventory::iter::<<CxWorld as WorldInventory>::When> {
        add(StepType::When, d.inner());
    }
    for d in cucumber::codegen::inventory::iter::<<CxWorld as WorldInventory>::Then> {
        add(StepType::Then, d.inner());
    }
    out
}

fn keyword(ty: StepType) -> &'static str {
    match ty {
        StepType::Given => "Given",
        StepType::When => "When",
        StepType::Then => "Then",
    }
}

/// The pattern as a person reads it: without its anchors, each group (a parameter)
/// shown as `…`, escapes resolved.
fn readable(regex: &Regex) -> String {
    let source = regex.as_str().trim_start_matches('^').trim_end_matches('$');
    let mut out = String::new();
    let mut depth = 0usize;
    let mut chars = source.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let escaped = chars.next().unwrap_or('\\');
                if depth == 0 {
                    out.push(escaped);
                }
            }
            '(' => {
                if depth == 0 {
                    out.push('…');
                }
                depth += 1;
            }
            ')' => depth = depth.saturating_sub(1),
            c if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// A step's text with its values (quoted strings, numbers) shown as `…`, to compare
/// with [`readable`] patterns.
fn skeleton(text: &str) -> String {
    static VALUES: std::sync::LazyLock<Option<Regex>> =
        std::sync::LazyLock::new(|| Regex::new(r#""[^"]*"|\b\d+(\.\d+)?\b"#).ok());
    match VALUES.as_ref() {
        Some(re) => re
            .replace_all(text, |caps: &regex::Captures| {
                if caps[0].starts_with('"') {
                    "\"…\"".to_string()
                } else {
                    "…".to_string()
                }
            })
            .into_owned(),
        None => text.to_string(),
    }
}

/// Checks every step of `features` against the step definitions; the error lists each
/// undefined step (with the closest definition of the same keyword) and each ambiguous
/// one (with the definitions it matches).
pub(crate) fn check(features: &[Feature], base: &std::path::Path) -> Result<(), String> {
    let defs = definitions();
    let mut mistakes = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for feature in features {
        let path = crate::report::feature_path(feature, base);
        let steps = feature
            .background
            .iter()
            .flat_map(|b| &b.steps)
            .chain(feature.scenarios.iter().flat_map(|s| &s.steps))
            .chain(feature.rules.iter().flat_map(|r| {
                r.background
                    .iter()
                    .flat_map(|b| &b.steps)
                    .chain(r.scenarios.iter().flat_map(|s| &s.steps))
            }));
        for step in steps {
            // An outline's rows repeat its steps; one mistake is named once.
            if !seen.insert((path.clone(), step.position.line, step.value.clone())) {
                continue;
            }
            if let Some(mistake) = judge(&defs, step) {
                mistakes.push(format!(
                    "{}:{}: {}",
                    path.display(),
                    step.position.line,
                    mistake
                ));
            }
        }
    }
    if mistakes.is_empty() {
        return Ok(());
    }
    let more = mistakes.len().saturating_sub(SHOWN);
    let mut text = format!(
        "{} step(s) of the contract match no step definition or more than one:\n{}",
        mistakes.len(),
        mistakes
            .iter()
            .take(SHOWN)
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join("\n")
    );
    if more > 0 {
        text.push_str(&format!("\n... and {more} more"));
    }
    Err(text)
}

fn judge(defs: &[Definition], step: &Step) -> Option<String> {
    let same_kind = || defs.iter().filter(|d| d.ty == step.ty);
    let matching: Vec<&Definition> = same_kind()
        .filter(|d| d.regex.is_match(&step.value))
        .collect();
    match matching.len() {
        1 => None,
        0 => {
            let wanted = skeleton(&step.value);
            let closest = same_kind()
                .map(|d| {
                    (
                        strsim::normalized_levenshtein(&wanted, &readable(&d.regex)),
                        d,
                    )
                })
                .max_by(|a, b| a.0.total_cmp(&b.0));
            let hint = match closest {
                Some((_, d)) => format!(
                    "; the closest known step is: {} {} ({})",
                    keyword(d.ty),
                    readable(&d.regex),
                    d.at
                ),
                None => String::new(),
            };
            Some(format!(
                "undefined step \"{}{}\"{hint}",
                step.keyword, step.value
            ))
        }
        _ => Some(format!(
            "ambiguous step \"{}{}\": it matches {}",
            step.keyword,
            step.value,
            matching
                .iter()
                .map(|d| format!("{} ({})", readable(&d.regex), d.at))
                .collect::<Vec<_>>()
                .join(" and ")
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::check;
    use cucumber::gherkin::{Feature, GherkinEnv};

    fn feature(text: &str) -> Feature {
        Feature::parse(text, GherkinEnv::default()).expect("parses")
    }

    #[test]
    fn a_misspelt_step_is_named_with_its_line_and_the_closest_definition() {
        let f = feature("Feature: f\n  Scenario: s\n    Then the respons status is 200\n");
        let err = check(&[f], std::path::Path::new("")).expect_err("a misspelt step");
        assert!(
            err.contains(":3: undefined step \"Then the respons status is 200\""),
            "{err}"
        );
        assert!(
            err.contains("the closest known step is: Then the response status is … ("),
            "{err}"
        );
    }

    #[test]
    fn the_real_contract_has_no_undefined_or_ambiguous_step() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let index = crate::contract::FeatureIndex::load(&root.join("features")).expect("loads");
        let features = crate::verify::plan::parse_features(&index.files).expect("parses");
        assert_eq!(check(&features, root), Ok(()));
    }
}
