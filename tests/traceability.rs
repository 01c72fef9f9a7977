//! Every feature file says which reference lines back what it asserts: its header (the
//! text under `Feature:`) names the reference and at least one line number, so a verdict
//! on a real target traces to the vendor's text.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

fn feature_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            feature_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "feature") {
            out.push(path);
        }
    }
}

/// The free text between the `Feature:` line and the first Background, Rule, Scenario or
/// tag line.
fn header(text: &str) -> String {
    text.lines()
        .skip_while(|l| !l.trim_start().starts_with("Feature:"))
        .take_while(|l| {
            let t = l.trim_start();
            !(t.starts_with("Background")
                || t.starts_with("Scenario")
                || t.starts_with("Rule")
                || t.starts_with('@'))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn cites_lines(text: &str) -> bool {
    let lower = text.to_lowercase();
    let numbers = text
        .split(|c: char| !c.is_ascii_digit())
        .any(|n| (3..=4).contains(&n.len()));
    (lower.contains("reference") || lower.contains("ref ")) && numbers
}

#[test]
fn every_feature_header_cites_reference_lines() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("features");
    let mut files = Vec::new();
    feature_files(&root, &mut files);
    assert!(files.len() >= 30, "{files:?}");
    let missing: Vec<_> = files
        .iter()
        .filter(|f| !cites_lines(&header(&std::fs::read_to_string(f).unwrap())))
        .collect();
    assert!(
        missing.is_empty(),
        "feature headers without reference lines: {missing:#?}"
    );
}

#[test]
fn the_check_refuses_a_header_without_line_numbers() {
    assert!(!cites_lines(&header(
        "Feature: x\n  Some text.\n  Scenario: y"
    )));
    assert!(cites_lines(&header(
        "Feature: x\n  Reference 2495-2560.\n  Scenario: y"
    )));
}
