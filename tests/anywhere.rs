//! The binary carries its contract: run from a directory that holds nothing, it checks,
//! lists and covers the built-in contract and writes its reports there; `--contract-dir`
//! replaces the contract, and a directory that holds none is a usage error.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// A fresh, empty directory outside the checkout.
fn empty_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cxgate-anywhere-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn cxgate_in(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_cxgate"))
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn from_an_empty_directory_the_built_in_contract_runs_and_the_reports_land_there() {
    let dir = empty_dir("verify");
    let (code, stdout, stderr) = cxgate_in(&dir, &["verify", "--name", "without an API key"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.ends_with("18 passed, 0 failed\n"), "{stdout}");
    let junit = std::fs::read_to_string(dir.join("reports/junit.xml")).unwrap();
    assert!(junit.contains("features/auth/api_key.feature"), "{junit}");
    assert!(
        !junit.contains("cxgate-contract-"),
        "the extraction path leaks: {junit}"
    );

    let (code, stdout, _) = cxgate_in(&dir, &["verify", "--list", "--tags", "@auth"]);
    assert_eq!(code, 0);
    assert!(stdout.contains("\nRUN  features/auth/"), "{stdout}");

    let (code, stdout, _) = cxgate_in(&dir, &["coverage"]);
    assert_eq!(code, 0);
    assert!(
        stdout
            .trim_end()
            .ends_with("coverage: 119/119 endpoints with schema and scenario"),
        "{stdout}"
    );
}

#[test]
fn a_contract_dir_replaces_the_built_in_contract() {
    let contract = empty_dir("own-contract");
    let copy = Command::new("cp")
        .arg("-r")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas"))
        .arg(&contract)
        .status()
        .unwrap();
    assert!(copy.success());
    std::fs::create_dir_all(contract.join("features/own")).unwrap();
    std::fs::write(
        contract.join("features/own/one.feature"),
        "Feature: only this\n  Scenario: the one scenario of this contract\n    Given I send no API key\n    When I send a GET request to \"/auth/v3/userinfo\"\n    Then the response status is 403\n",
    )
    .unwrap();
    let dir = empty_dir("own-run");
    let (code, stdout, stderr) = cxgate_in(
        &dir,
        &["--contract-dir", contract.to_str().unwrap(), "verify"],
    );
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains("1 features, 1 scenarios"), "{stdout}");
    let junit = std::fs::read_to_string(dir.join("reports/junit.xml")).unwrap();
    assert!(
        junit.contains("the one scenario of this contract"),
        "{junit}"
    );
    assert!(junit.contains("features/own/one.feature"), "{junit}");
}

#[test]
fn a_contract_dir_without_a_contract_is_a_usage_error_naming_it() {
    let dir = empty_dir("none");
    for command in [&["verify"][..], &["coverage"], &["load", "auth"]] {
        let mut args = vec!["--contract-dir", dir.to_str().unwrap()];
        args.extend_from_slice(command);
        let (code, _, stderr) = cxgate_in(&dir, &args);
        assert_eq!(code, 2, "{command:?}: {stderr}");
        assert!(
            stderr.contains(&format!(
                "--contract-dir {}: not a contract directory",
                dir.display()
            )),
            "{command:?}: {stderr}"
        );
        assert!(stderr.contains("schemas/catalog.json"), "{stderr}");
    }
}
