//! Runs that would look green while testing nothing, or lose their reports, are refused
//! before anything is sent (through the binary, exit 2).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::Command;

/// `cxgate verify ARGS` from the project root: (exit code, stdout + stderr).
fn verify(args: &[&str]) -> (i32, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_cxgate"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .arg("verify")
        .args(args)
        .output()
        .expect("run cxgate verify");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.code().unwrap_or(-1), text)
}

#[test]
fn a_filter_that_selects_no_scenario_is_a_usage_error_naming_the_tags() {
    let reports = std::env::temp_dir().join(format!("cxgate-select-{}", std::process::id()));
    let dir = reports.to_str().unwrap();
    // (the filter, what the message must name)
    let cases: [(&[&str], &str); 3] = [
        (&["--tags", "@Auth"], "--tags \"@Auth\""),
        (&["--name", "nomatch"], "--name \"nomatch\""),
        (&["--tags", "@auth", "--name", "nomatch"], "with --name"),
    ];
    for (filter, named) in cases {
        let _ = std::fs::remove_dir_all(&reports);
        let mut args = filter.to_vec();
        args.extend(["--report-dir", dir]);
        let (code, text) = verify(&args);
        assert_eq!(code, 2, "{filter:?}: {text}");
        assert!(text.contains(named), "{filter:?}: {text}");
        assert!(text.contains("no scenario"), "{text}");
        assert!(
            text.contains("@auth") && text.contains("@statistics"),
            "lists the tags: {text}"
        );
        assert!(
            !text.contains("passed"),
            "nothing ran, so no totals: {text}"
        );
    }
}

#[test]
fn an_unwritable_report_directory_is_refused_before_the_run() {
    let (code, text) = verify(&["--report-dir", "/dev/null/x"]);
    assert_eq!(code, 2, "{text}");
    assert!(text.contains("/dev/null/x"), "{text}");
    assert!(
        !text.contains(" passed"),
        "refused before any scenario ran: {text}"
    );
}
