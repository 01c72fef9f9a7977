//! `load-report.html` of a real `cxgate load` run works offline: nothing in it is
//! fetched, it shows the very requests/s of `load-summary.json`, and it draws its
//! charts as inline SVG; goose's JSON report stays beside it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::Value;
use std::process::Command;

#[test]
fn a_short_auth_run_writes_an_offline_report_that_agrees_with_its_summary() {
    let dir = std::env::temp_dir().join(format!("cxgate-load-report-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let output = Command::new(env!("CARGO_BIN_EXE_cxgate"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "load",
            "auth",
            "--iterations",
            "3",
            "--users",
            "2",
            "--increase-rate",
            "2",
            "--report-dir",
        ])
        .arg(&dir)
        .output()
        .expect("run cxgate load");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(output.status.code(), Some(0), "{text}");

    let html = std::fs::read_to_string(dir.join("load-report.html")).expect("load-report.html");
    let refs = cxgate::report::references(&html);
    assert!(
        refs.iter()
            .all(|r| !r.starts_with("http://") && !r.starts_with("https://")),
        "{refs:?}"
    );
    assert!(!html.contains("<script src"), "a script is fetched");
    assert!(!html.contains("<link"), "a style sheet is fetched");

    let summary: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("load-summary.json")).unwrap())
            .unwrap();
    let rps = summary["overall"]["rps"].as_f64().unwrap();
    assert!(rps > 0.0, "{summary}");
    let shown = format!("<b id=\"rps\">{rps:.1}</b>");
    assert!(html.contains(&shown), "{shown} not in {html}");
    let requests = summary["overall"]["count"].as_u64().unwrap();
    assert!(html.contains(&format!("<b id=\"requests\">{requests}</b>")));

    // The charts come from goose's per-second data in its JSON report.
    assert!(html.contains("<svg"), "{html}");
    assert!(!html.contains("No per-second data"), "{html}");
    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("load-report.json")).unwrap())
            .unwrap();
    assert!(json["graphs"]["requests_per_second"].is_object(), "{json}");
    assert!(html.contains("GET userinfo"));
    let _ = std::fs::remove_dir_all(&dir);
}
