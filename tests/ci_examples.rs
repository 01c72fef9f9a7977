//! The CI examples and the Dockerfile say what cxgate does: each is valid, every
//! `cxgate` command they run names a real subcommand with real flags, and every file of
//! the repository they name exists.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;
use std::path::Path;
use std::process::Command;

const EXAMPLES: [&str; 2] = [
    "examples/ci/github-actions.yml",
    "examples/ci/gitlab-ci.yml",
];

/// Flags whose value is a file of the repository the command reads.
const FILE_FLAGS: [&str; 4] = ["--target", "--baseline", "--config", "--contract-dir"];

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Every shell command of a pipeline: GitHub's `run:` steps, GitLab's `script:` and
/// `before_script:` entries, anywhere in the document.
fn shell_commands(doc: &serde_yaml_ng::Value, out: &mut Vec<String>) {
    use serde_yaml_ng::Value;
    match doc {
        Value::Mapping(map) => {
            for (key, value) in map {
                let key = key.as_str().unwrap_or_default();
                match (key, value) {
                    ("run", Value::String(text)) => out.push(text.clone()),
                    ("script" | "before_script" | "after_script", Value::Sequence(items)) => {
                        out.extend(items.iter().filter_map(|i| i.as_str().map(str::to_owned)))
                    }
                    _ => shell_commands(value, out),
                }
            }
        }
        Value::Sequence(items) => items.iter().for_each(|i| shell_commands(i, out)),
        _ => {}
    }
}

/// The `cxgate` invocations of a shell script, each as its words up to the first
/// redirection, pipe or command separator.
fn invocations(script: &str) -> Vec<Vec<String>> {
    let joined = script.replace("\\\n", " ");
    let mut out = Vec::new();
    for line in joined.lines() {
        let words = shlex::split(line).unwrap_or_else(|| panic!("not shell words: {line}"));
        let mut current: Option<Vec<String>> = None;
        for word in words {
            if matches!(
                word.as_str(),
                ">" | ">>" | "|" | "&&" | "||" | ";" | "&" | "2>"
            ) {
                out.extend(current.take());
                continue;
            }
            match &mut current {
                Some(words) => words.push(word),
                None if word == "cxgate" => current = Some(Vec::new()),
                None => {}
            }
        }
        out.extend(current);
    }
    out
}

/// What is wrong with one invocation: an unknown subcommand, a flag its help does not
/// list, a repository file that does not exist.
fn problems(words: &[String], help: &mut HashMap<String, String>) -> Vec<String> {
    const SUBCOMMANDS: [&str; 5] = ["verify", "mock", "load", "coverage", "completions"];
    let Some(subcommand) = words.iter().find(|w| !w.starts_with('-')) else {
        return vec![format!("cxgate {}: no subcommand", words.join(" "))];
    };
    if !SUBCOMMANDS.contains(&subcommand.as_str()) {
        return vec![format!(
            "cxgate {}: unknown subcommand {subcommand}",
            words.join(" ")
        )];
    }
    let text = help.entry(subcommand.clone()).or_insert_with(|| {
        let output = Command::new(env!("CARGO_BIN_EXE_cxgate"))
            .args([subcommand.as_str(), "--help"])
            .output()
            .unwrap();
        assert!(output.status.success());
        String::from_utf8_lossy(&output.stdout).into_owned()
    });
    let mut found = Vec::new();
    for (i, word) in words.iter().enumerate() {
        let Some(flag) = word
            .strip_prefix("--")
            .map(|f| f.split('=').next().unwrap_or(f))
        else {
            continue;
        };
        let listed = text
            .split(|c: char| c.is_whitespace() || c == ',')
            .any(|w| w == format!("--{flag}"));
        if !listed {
            found.push(format!("cxgate {subcommand}: no flag --{flag}"));
        }
        if FILE_FLAGS.contains(&format!("--{flag}").as_str()) {
            let value = match word.split_once('=') {
                Some((_, v)) => Some(v.to_string()),
                None => words.get(i + 1).cloned(),
            };
            if let Some(value) = value.filter(|v| v != "mock" && !v.contains("://")) {
                if !repo().join(&value).exists() {
                    found.push(format!(
                        "cxgate {subcommand} --{flag} {value}: no such file"
                    ));
                }
            }
        }
    }
    found
}

#[test]
fn every_cxgate_command_of_the_ci_examples_exists_with_its_flags_and_files() {
    let mut help = HashMap::new();
    for example in EXAMPLES {
        let text = std::fs::read_to_string(repo().join(example)).unwrap();
        let doc: serde_yaml_ng::Value =
            serde_yaml_ng::from_str(&text).unwrap_or_else(|e| panic!("{example}: {e}"));
        let mut scripts = Vec::new();
        shell_commands(&doc, &mut scripts);
        let runs: Vec<Vec<String>> = scripts.iter().flat_map(|s| invocations(s)).collect();
        // Each example runs the gate on the mock, on a profile, and a gated load run.
        let has = |pred: &dyn Fn(&[String]) -> bool| runs.iter().any(|r| pred(r));
        assert!(
            has(&|r| r.first().is_some_and(|w| w == "verify") && !r.iter().any(|w| w == "--target")),
            "{example}: no run on the mock"
        );
        assert!(
            has(&|r| r
                .windows(2)
                .any(|w| w[0] == "--target" && w[1].ends_with(".toml"))),
            "{example}: no run against a profile"
        );
        assert!(
            has(&|r| r.first().is_some_and(|w| w == "load")
                && r.iter().any(|w| w == "--threshold")
                && r.iter().any(|w| w == "--baseline")),
            "{example}: no gated load run"
        );
        let wrong: Vec<String> = runs.iter().flat_map(|r| problems(r, &mut help)).collect();
        assert!(wrong.is_empty(), "{example}: {wrong:#?}");
        assert!(
            text.contains("reports/junit.xml"),
            "{example} publishes no JUnit report"
        );
    }
}

#[test]
fn a_made_up_flag_or_a_missing_file_is_reported() {
    let mut help = HashMap::new();
    let run = invocations("cxgate verify --no-such-flag --target targets/nowhere.toml > out");
    assert_eq!(run.len(), 1);
    let found = problems(&run[0], &mut help);
    assert_eq!(
        found,
        [
            "cxgate verify: no flag --no-such-flag",
            "cxgate verify --target targets/nowhere.toml: no such file",
        ]
    );
    assert_eq!(
        problems(&invocations("cxgate deploy")[0], &mut help),
        ["cxgate deploy: unknown subcommand deploy"]
    );
}

#[test]
fn the_dockerfile_builds_in_stages_and_runs_cxgate_as_a_user() {
    let text = std::fs::read_to_string(repo().join("Dockerfile")).unwrap();
    let instructions: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    let froms = instructions
        .iter()
        .filter(|l| l.starts_with("FROM "))
        .count();
    assert!(froms >= 2, "multi-stage: {froms} FROM");
    let user = instructions
        .iter()
        .rev()
        .find_map(|l| l.strip_prefix("USER "))
        .expect("a USER");
    let name = user.split(':').next().unwrap();
    assert!(name != "root" && name != "0", "runs as {user}");
    assert!(instructions.contains(&r#"ENTRYPOINT ["cxgate"]"#));
    assert!(instructions.contains(&r#"CMD ["verify"]"#));
    // The build stage copies what the binary needs, and .dockerignore keeps the rest out.
    let ignore = std::fs::read_to_string(repo().join(".dockerignore")).unwrap();
    for kept_out in ["target/", "reports/", ".git/"] {
        assert!(ignore.lines().any(|l| l == kept_out), "{kept_out}");
    }
    for needed in ["features", "schemas", "src", "Cargo.lock", "build.rs"] {
        assert!(
            !ignore.lines().any(|l| l.trim_end_matches('/') == needed),
            "{needed} is ignored"
        );
        assert!(repo().join(needed).exists(), "{needed}");
    }
    let mut help = HashMap::new();
    assert!(problems(&["verify".to_string()], &mut help).is_empty());
}
