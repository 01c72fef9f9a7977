//! The command line behaves as the tools its users know: a progress line only on a
//! terminal, `--quiet` and `-v`/`-vv`, colour only on a terminal and never with
//! `NO_COLOR`, `--fail-fast`, one line for a target that does not answer, `--list`,
//! `--format json`, shell completions, durations in one form, and contract mistakes as
//! usage errors. Everything through the binary.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/verdict.rs"]
mod verdict;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A small, quick selection: every API's "without an API key" scenarios (18 on the mock).
const QUICK: [&str; 2] = ["--name", "without an API key"];

fn cxgate() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_cxgate"));
    command
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("CXGATE_LOG")
        .env_remove("NO_COLOR");
    command
}

fn run(command: &mut Command) -> (i32, String, String) {
    let Output {
        status,
        stdout,
        stderr,
    } = command.output().expect("run cxgate");
    (
        status.code().unwrap_or(-1),
        String::from_utf8_lossy(&stdout).into_owned(),
        String::from_utf8_lossy(&stderr).into_owned(),
    )
}

/// A fresh directory for one test's reports or contract.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cxgate-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A contract of the real schemas and one feature file of our own.
fn contract_with(name: &str, feature: &str) -> PathBuf {
    let dir = scratch(name);
    let copy = Command::new("cp")
        .arg("-r")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas"))
        .arg(&dir)
        .status()
        .unwrap();
    assert!(copy.success());
    std::fs::create_dir_all(dir.join("features/own")).unwrap();
    std::fs::write(dir.join("features/own/own.feature"), feature).unwrap();
    dir
}

/// `COMMAND` under a pseudo-terminal (util-linux `script`): what the terminal showed.
fn on_a_terminal(args: &[&str], env: &[(&str, &str)]) -> (i32, String) {
    let mut line = String::from(env!("CARGO_BIN_EXE_cxgate"));
    for arg in args {
        line.push_str(&format!(" '{arg}'"));
    }
    let mut command = Command::new("script");
    command
        .args(["-qefc", &line, "/dev/null"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("NO_COLOR")
        .env_remove("CXGATE_LOG");
    for (name, value) in env {
        command.env(name, value);
    }
    let (code, stdout, _) = run(&mut command);
    (code, stdout)
}

#[test]
fn the_progress_line_is_drawn_on_a_terminal_and_never_when_piped() {
    let reports = scratch("progress");
    let dir = reports.to_str().unwrap();
    let (code, screen) = on_a_terminal(&["verify", QUICK[0], QUICK[1], "--report-dir", dir], &[]);
    assert_eq!(code, 0, "{screen}");
    assert!(screen.contains("/18 scenarios, 0 failed, "), "{screen}");

    let (code, stdout, stderr) =
        run(cxgate().args(["verify", QUICK[0], QUICK[1], "--report-dir", dir]));
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(!stderr.contains("scenarios,"), "{stderr}");
    assert!(
        !stderr.contains('\r') && !stderr.contains('\u{1b}'),
        "{stderr:?}"
    );
    assert!(stdout.ends_with("18 passed, 0 failed\n"), "{stdout}");
}

#[test]
fn quiet_prints_only_the_totals_when_everything_passes_and_the_failures_when_not() {
    let reports = scratch("quiet");
    let dir = reports.to_str().unwrap();
    let (code, stdout, stderr) =
        run(cxgate().args(["-q", "verify", QUICK[0], QUICK[1], "--report-dir", dir]));
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert_eq!(stdout, "18 passed, 0 failed\n");
    assert_eq!(stderr, "");

    let contract = contract_with(
        "quiet-fail",
        "Feature: own\n  Scenario: a status the mock never gives\n    When I send a GET request to \"/auth/v3/userinfo\"\n    Then the response status is 299\n",
    );
    let (code, stdout, stderr) = run(cxgate().args([
        "-q",
        "--contract-dir",
        contract.to_str().unwrap(),
        "verify",
        "--report-dir",
        dir,
    ]));
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(stdout.starts_with("FAIL "), "{stdout}");
    assert!(
        stdout.contains("expected status 299, actual 401"),
        "{stdout}"
    );
    assert!(stdout.ends_with("0 passed, 1 failed\n"), "{stdout}");
    assert!(!stdout.contains("cxgate verify:"), "{stdout}");
}

#[test]
fn verbose_traces_each_request_and_very_verbose_its_headers_and_bodies_with_secrets_masked() {
    let reports = scratch("verbose");
    let dir = reports.to_str().unwrap();
    let name = ["--name", "^The password grant returns a bearer token$"];
    let (code, stdout, stderr) =
        run(cxgate().args(["verify", name[0], name[1], "--report-dir", dir]));
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(!stderr.contains("/auth/v3/oauth/token ->"), "{stderr}");

    let (code, _, stderr) =
        run(cxgate().args(["-v", "verify", name[0], name[1], "--report-dir", dir]));
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("POST http://127.0.0.1:"), "{stderr}");
    assert!(
        stderr.contains("/auth/v3/oauth/token -> 200 in "),
        "{stderr}"
    );
    assert!(!stderr.contains("request headers:"), "{stderr}");

    let (code, _, stderr) =
        run(cxgate().args(["-vv", "verify", name[0], name[1], "--report-dir", dir]));
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("request headers:"), "{stderr}");
    assert!(stderr.contains("x-api-key: [REDACTED]"), "{stderr}");
    assert!(
        stderr.contains("\"access_token\":\"[REDACTED]\""),
        "{stderr}"
    );
    let secrets = [
        "CXGATE_API_KEY",
        "CXGATE_CLIENT_SECRET",
        "CXGATE_PASSWORD",
        "CXGATE_SUPERVISOR_PASSWORD",
        "CXGATE_CHANNEL_SECRET",
    ];
    for (name, value) in verdict::seed_credentials() {
        if secrets.contains(&name.as_str()) {
            assert!(!stderr.contains(&value), "{name} printed: {stderr}");
        }
    }
}

#[test]
fn colour_only_on_a_terminal_and_never_with_no_color() {
    let reports = scratch("colour");
    let dir = reports.to_str().unwrap();
    let args = ["-v", "verify", QUICK[0], QUICK[1], "--report-dir", dir];
    // -v logs every request, and turns the progress line off: any escape is colour.
    let (code, screen) = on_a_terminal(&args, &[]);
    assert_eq!(code, 0, "{screen}");
    assert!(screen.contains(" -> 403 in "), "{screen}");
    assert!(
        screen.contains("\u{1b}["),
        "a terminal gets colour: {screen:?}"
    );

    let (code, screen) = on_a_terminal(&args, &[("NO_COLOR", "1")]);
    assert_eq!(code, 0, "{screen}");
    assert!(screen.contains(" -> 403 in "), "{screen}");
    assert!(!screen.contains('\u{1b}'), "NO_COLOR: {screen:?}");

    let (code, _, stderr) = run(cxgate().args(args));
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains(" -> 403 in "), "{stderr}");
    assert!(!stderr.contains('\u{1b}'), "piped: {stderr:?}");
}

#[test]
fn fail_fast_stops_at_the_first_failed_scenario() {
    let mut feature = String::from("Feature: own\n");
    for i in 1..=4 {
        feature.push_str(&format!(
            "  Scenario: failing {i}\n    When I send a GET request to \"/auth/v3/userinfo\"\n    Then the response status is 299\n"
        ));
    }
    let contract = contract_with("fail-fast", &feature);
    let reports = scratch("fail-fast-reports");
    let base = [
        "--contract-dir",
        contract.to_str().unwrap(),
        "verify",
        "--concurrency",
        "1",
        "--report-dir",
        reports.to_str().unwrap(),
    ];
    let (code, stdout, _) = run(cxgate().args(base));
    assert_eq!(code, 1, "{stdout}");
    assert!(stdout.ends_with("0 passed, 4 failed\n"), "{stdout}");

    let (code, stdout, _) = run(cxgate().args(base).arg("--fail-fast"));
    assert_eq!(code, 1, "{stdout}");
    assert!(stdout.ends_with("0 passed, 1 failed\n"), "{stdout}");
    assert!(
        stdout.contains("--fail-fast: the run stopped at its first failure; 3 of 4 selected scenarios did not run"),
        "{stdout}"
    );
}

#[test]
fn a_target_that_does_not_answer_is_one_line_and_exit_1() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let reports = scratch("unreachable");
    let (code, stdout, stderr) = run(cxgate()
        .envs(verdict::seed_credentials())
        .args(["verify", "--target", &format!("http://127.0.0.1:{port}")])
        .args(["--report-dir", reports.to_str().unwrap()]));
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    assert!(
        stdout.starts_with(&format!(
            "cxgate verify: http://127.0.0.1:{port} cannot be reached ("
        )),
        "{stdout}"
    );
    assert!(stdout.trim_end().ends_with("; no scenario ran"), "{stdout}");
    let junit = std::fs::read_to_string(reports.join("junit.xml")).unwrap();
    assert!(junit.contains("cannot be reached"), "{junit}");
}

#[tokio::test]
async fn list_shows_what_would_run_and_what_would_be_skipped_without_a_request() {
    let server = wiremock::MockServer::start().await;
    let (code, stdout, stderr) = run(cxgate().envs(verdict::seed_credentials()).args([
        "verify",
        "--list",
        "--target",
        &server.uri(),
    ]));
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert_eq!(server.received_requests().await.unwrap().len(), 0);
    assert!(stdout.contains("\nRUN  "), "{stdout}");
    assert!(
        stdout.contains("\n     @mock: the target has no cxgate control plane"),
        "{stdout}"
    );
    assert!(stdout.contains("pass --allow-writes"), "{stdout}");

    let (code, json, _) = run(cxgate().envs(verdict::seed_credentials()).args([
        "verify",
        "--list",
        "--format",
        "json",
        "--target",
        &server.uri(),
    ]));
    assert_eq!(code, 0);
    let plan: serde_json::Value = serde_json::from_str(&json).unwrap();
    let scenarios = plan["scenarios"].as_array().unwrap();
    let skipped = scenarios.iter().filter(|s| s["runs"] == false).count();
    assert!(skipped > 0 && skipped < scenarios.len(), "{json}");
    assert_eq!(plan["skipped"], skipped);
    assert_eq!(plan["run"], scenarios.len() - skipped);
    assert!(scenarios
        .iter()
        .filter(|s| s["runs"] == false)
        .all(|s| s["skip_reason"].as_str().is_some_and(|r| !r.is_empty())));
    assert_eq!(server.received_requests().await.unwrap().len(), 0);

    // On the embedded mock, the list is what the run then does.
    let (code, listed, _) = run(cxgate().args(["verify", "--list", "--tags", "@statistics"]));
    assert_eq!(code, 0, "{listed}");
    let last = listed.lines().last().unwrap().to_string();
    let n: usize = last.split(' ').next().unwrap().parse().unwrap();
    assert_eq!(
        last,
        format!("{n} scenarios: {n} would run, 0 would be skipped")
    );
    let reports = scratch("list-run");
    let (code, stdout, _) = run(cxgate()
        .args(["verify", "--tags", "@statistics", "--format", "json"])
        .args(["--report-dir", reports.to_str().unwrap()]));
    assert_eq!(code, 0, "{stdout}");
    let summary: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(summary["passed"], n, "{stdout}");
}

#[test]
fn the_summary_and_the_coverage_come_as_json() {
    let reports = scratch("json");
    let (code, stdout, stderr) = run(cxgate()
        .args(["verify", QUICK[0], QUICK[1], "--format", "json"])
        .args(["--report-dir", reports.to_str().unwrap()]));
    assert_eq!(code, 0, "{stdout}{stderr}");
    let summary: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(summary["passed"], 18);
    assert_eq!(summary["failed"], 0);
    assert_eq!(summary["failures"], serde_json::json!([]));
    assert!(summary["target"]
        .as_str()
        .unwrap()
        .starts_with("embedded mock at "));
    let written = summary["reports"].as_array().unwrap();
    assert!(written
        .iter()
        .any(|p| p.as_str().unwrap().ends_with("report.html")));

    let (code, stdout, _) = run(cxgate().args(["coverage", "--format", "json"]));
    assert_eq!(code, 0);
    let coverage: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(coverage["total"], 119);
    assert_eq!(coverage["covered"], 119);
    let endpoints = coverage["endpoints"].as_array().unwrap();
    assert_eq!(endpoints.len(), 119);
    assert!(endpoints
        .iter()
        .any(|e| e["endpoint"] == "POST /auth/v3/oauth/token" && e["covered"] == true));
}

#[test]
fn completions_for_every_shell_and_a_version() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let (code, stdout, stderr) = run(cxgate().args(["completions", shell]));
        assert_eq!(code, 0, "{shell}: {stderr}");
        assert!(stdout.contains("fail-fast"), "{shell}: {stdout}");
        assert!(stdout.contains("verify"), "{shell}");
    }
    let (code, _, stderr) = run(cxgate().args(["completions", "tcsh"]));
    assert_eq!(code, 2);
    assert!(stderr.contains("invalid value 'tcsh'"), "{stderr}");
    let (code, stdout, _) = run(cxgate().arg("--version"));
    assert_eq!(code, 0);
    assert_eq!(stdout, format!("cxgate {}\n", env!("CARGO_PKG_VERSION")));
}

#[test]
fn durations_take_one_form_and_zero_or_negative_is_refused_with_the_flag_name() {
    for timeout in ["10s", "500ms", "1m", "10"] {
        let (code, _, stderr) = run(cxgate().args(["verify", "--list", "--timeout", timeout]));
        assert_eq!(code, 0, "--timeout {timeout}: {stderr}");
    }
    let cases: [(&[&str], &str, &str); 6] = [
        (
            &["verify", "--list", "--timeout", "0"],
            "'--timeout <DURATION>'",
            "is zero",
        ),
        (
            &["verify", "--list", "--timeout", "-5s"],
            "'--timeout <DURATION>'",
            "is negative",
        ),
        (
            &["verify", "--list", "--timeout", "10 parsecs"],
            "'--timeout <DURATION>'",
            "not a duration",
        ),
        (
            &["load", "auth", "--run-time", "0s"],
            "'--run-time <DURATION>'",
            "is zero",
        ),
        (
            &["load", "auth", "--run-time", "1500ms"],
            "'--run-time <DURATION>'",
            "whole number of seconds",
        ),
        (
            &["mock", "--token-lifetime", "-1"],
            "'--token-lifetime <DURATION>'",
            "is negative",
        ),
    ];
    for (args, flag, reason) in cases {
        let (code, _, stderr) = run(cxgate().args(args));
        assert_eq!(code, 2, "{args:?}: {stderr}");
        assert!(
            stderr.contains(flag) && stderr.contains(reason),
            "{args:?}: {stderr}"
        );
    }
}

#[test]
fn an_undefined_step_is_a_usage_error_with_its_line_and_the_closest_known_step() {
    let contract = contract_with(
        "undefined",
        "Feature: own\n  Scenario: misspelt\n    When I send a GET request to \"/auth/v3/userinfo\"\n    Then the respons status is 200\n",
    );
    let reports = scratch("undefined-reports");
    let (code, stdout, stderr) = run(cxgate()
        .args(["--contract-dir", contract.to_str().unwrap(), "verify"])
        .args(["--report-dir", reports.to_str().unwrap()]));
    assert_eq!(code, 2, "{stdout}{stderr}");
    assert!(
        stderr.contains("own.feature:4: undefined step \"Then the respons status is 200\""),
        "{stderr}"
    );
    assert!(
        stderr.contains("the closest known step is: Then the response status is … (src/steps/"),
        "{stderr}"
    );
    assert_eq!(stdout, "");
}

#[test]
fn a_gherkin_syntax_error_names_the_file_and_the_line() {
    let contract = contract_with(
        "syntax",
        "Feature: own\n  Scenario: broken\n    When I send a GET request to \"/auth/v3/userinfo\"\n  Thenn the response status is 200\n",
    );
    let (code, _, stderr) =
        run(cxgate().args(["--contract-dir", contract.to_str().unwrap(), "verify"]));
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("own.feature:4: not valid Gherkin: Unknown keyword"),
        "{stderr}"
    );
}
