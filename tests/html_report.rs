//! `report.html` as a person opens it: real verify runs write it, headless Chromium
//! renders it with its script, and the rendered page shows the counts, a failure's
//! reason, a skip's reason, and filters by status and tag (preselected in the URL
//! fragment). With `CXGATE_SCREENSHOT=1` the failing run's page is saved as
//! `docs/report.png`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/fault_proxy.rs"]
mod fault_proxy;
#[path = "support/verdict.rs"]
mod verdict;

use cxgate::mock::{MockConfig, MockServer};
use fault_proxy::{Before, FaultProxy, ProxiedRequest, ProxiedResponse};
use serde_json::json;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

const PASSWORD_GRANT: &str = "The password grant returns a bearer token";
const WRONG_CLIENT: &str = "Wrong client credentials are answered 401";
/// `@strict`: skipped against a target that is not held to the mock's choices.
const STRICT: &str = "An unregistered redirect_uri is answered 400";

/// Chromium is given this long, then killed.
const CHROMIUM_TIMEOUT: Duration = Duration::from_secs(60);

fn temp_dir(label: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cxgate-html-{label}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs headless Chromium with `args` and a profile of its own; its stdout. Fails when
/// Chromium is missing, fails, or runs longer than [`CHROMIUM_TIMEOUT`].
fn chromium(args: &[String], label: &str) -> String {
    let profile = temp_dir(&format!("{label}-profile"));
    let spawned = Command::new("chromium")
        .args(["--headless", "--no-sandbox", "--disable-gpu"])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match spawned {
        Ok(child) => child,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => panic!(
            "chromium is not installed, and this test renders report.html with it: install \
             Debian's chromium package (apt-get install chromium)"
        ),
        Err(e) => panic!("chromium does not start: {e}"),
    };
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stdout.read_to_string(&mut text);
        text
    });
    let err = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > CHROMIUM_TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium ran longer than {CHROMIUM_TIMEOUT:?} and was killed: {args:?}");
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let text = out.join().unwrap();
    let errors = err.join().unwrap();
    let _ = std::fs::remove_dir_all(&profile);
    assert!(status.success(), "chromium {args:?}: {status}\n{errors}");
    text
}

/// The page as rendered once its script ran, opened with `fragment` (`#...` or "").
fn rendered(report: &Path, fragment: &str, label: &str) -> String {
    let url = url::Url::from_file_path(report).unwrap();
    let dom = chromium(&["--dump-dom".into(), format!("{url}{fragment}")], label);
    assert!(dom.contains("id=\"count-passed\""), "not the report: {dom}");
    dom
}

/// Each scenario of a rendered page: (status, hidden by the filters).
fn scenarios(dom: &str) -> Vec<(String, bool)> {
    dom.match_indices("<details class=\"scenario\"")
        .map(|(i, _)| {
            let tag = &dom[i..i + dom[i..].find('>').unwrap()];
            let status = tag
                .split("data-status=\"")
                .nth(1)
                .and_then(|s| s.split('"').next())
                .unwrap()
                .to_string();
            (status, tag.contains(" hidden"))
        })
        .collect()
}

/// The text of the element with this id.
fn text_of<'a>(dom: &'a str, id: &str) -> &'a str {
    let start = dom.find(&format!("id=\"{id}\"")).unwrap();
    let open = start + dom[start..].find('>').unwrap() + 1;
    &dom[open..open + dom[open..].find('<').unwrap()]
}

#[test]
fn a_passing_run_of_the_binary_writes_a_report_that_renders() {
    let dir = temp_dir("pass");
    let output = Command::new(env!("CARGO_BIN_EXE_cxgate"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["verify", "--tags", "@auth", "--name"])
        .arg(format!("^{PASSWORD_GRANT}$"))
        .arg("--report-dir")
        .arg(&dir)
        .output()
        .expect("run cxgate verify");
    let text = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{text}");

    let dom = rendered(&dir.join("report.html"), "", "pass");
    assert_eq!(text_of(&dom, "count-passed"), "1");
    assert_eq!(text_of(&dom, "count-failed"), "0");
    assert_eq!(text_of(&dom, "count-skipped"), "0");
    assert!(text_of(&dom, "target").contains("embedded mock"), "{dom}");
    // The script ran: it counts what the filters show.
    assert_eq!(text_of(&dom, "shown"), "1 of 1 scenarios shown");
    assert_eq!(scenarios(&dom), [("passed".to_string(), false)]);
    assert!(dom.contains(PASSWORD_GRANT));
}

/// The cxgate mock behind a proxy that hides its control plane (so the run treats it as
/// a deployment) and answers `expires_in` as a string.
async fn wrong_expires_in() -> (MockServer, FaultProxy) {
    let mock = MockServer::start(MockConfig::default_seed(), "127.0.0.1:0".parse().unwrap())
        .await
        .expect("the mock starts");
    let rewrite = Arc::new(|request: &ProxiedRequest, response: &mut ProxiedResponse| {
        if request.path() == "/auth/v3/oauth/token" && response.status == 200 {
            if let Some(mut body) = response.json_body() {
                body["expires_in"] = json!("43199");
                response.set_json_body(&body);
            }
        }
    });
    let before: Before = Arc::new(|request: &mut ProxiedRequest| {
        request
            .path()
            .starts_with("/__cxgate")
            .then(|| ProxiedResponse::json(404, &json!({"message": "Not Found"})))
    });
    let proxy = FaultProxy::start_with(&mock.base_url(), before, rewrite).await;
    (mock, proxy)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failure_and_a_skip_render_with_their_reasons_and_the_filters_hide_the_rest() {
    let (_mock, proxy) = wrong_expires_in().await;
    let mut options = verdict::options(
        &proxy.uri(),
        &[PASSWORD_GRANT, WRONG_CLIENT, STRICT],
        "html",
    );
    options.tags = Some("@auth".into());
    let outcome = cxgate::verify::run(&options).await.expect("the run starts");
    let report = options.report_dir.join("report.html");
    assert!(outcome.reports.contains(&report), "{:?}", outcome.reports);
    let html = std::fs::read_to_string(&report).unwrap();
    assert!(!html.contains(cxgate::client::seed::CLIENT_SECRET));
    assert!(!html.contains(cxgate::client::seed::AGENT_PASSWORD));

    let report_for_chromium = report.clone();
    let all = tokio::task::spawn_blocking(move || rendered(&report_for_chromium, "", "all"))
        .await
        .unwrap();
    assert_eq!(text_of(&all, "count-passed"), "1", "{all}");
    assert_eq!(text_of(&all, "count-failed"), "1");
    assert_eq!(text_of(&all, "count-skipped"), "1");
    assert_eq!(text_of(&all, "shown"), "3 of 3 scenarios shown");
    // The failure in full: where, the request, the JSON pointer, what was expected.
    let reason = all
        .split("<pre class=\"reason\">")
        .nth(1)
        .and_then(|r| r.split("</pre>").next())
        .expect("a failure reason");
    assert!(reason.contains("token_password.feature:"), "{reason}");
    assert!(reason.contains("POST /auth/v3/oauth/token"), "{reason}");
    assert!(reason.contains("/expires_in"), "{reason}");
    assert!(reason.contains("is not of type"), "{reason}");
    assert!(all.contains("Skipped: @strict: asserts a choice of the cxgate mock"));
    // Failed scenarios open, the others closed.
    let failed_tag = all
        .split("<details class=\"scenario\" data-status=\"failed\"")
        .nth(1)
        .and_then(|t| t.split('>').next())
        .unwrap();
    assert!(failed_tag.contains(" open"), "{failed_tag}");

    let report_for_chromium = report.clone();
    let failed = tokio::task::spawn_blocking(move || {
        rendered(&report_for_chromium, "#status=failed", "failed")
    })
    .await
    .unwrap();
    assert_eq!(text_of(&failed, "shown"), "1 of 3 scenarios shown");
    let mut shown = scenarios(&failed);
    shown.sort();
    assert_eq!(
        shown,
        [
            ("failed".to_string(), false),
            ("passed".to_string(), true),
            ("skipped".to_string(), true),
        ]
    );

    let report_for_chromium = report.clone();
    let strict = tokio::task::spawn_blocking(move || {
        rendered(&report_for_chromium, "#tag=@strict", "strict")
    })
    .await
    .unwrap();
    assert_eq!(text_of(&strict, "shown"), "1 of 3 scenarios shown");
    assert!(scenarios(&strict)
        .iter()
        .all(|(status, hidden)| *hidden == (status != "skipped")));

    if std::env::var("CXGATE_SCREENSHOT").as_deref() == Ok("1") {
        let png = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/report.png");
        std::fs::create_dir_all(png.parent().unwrap()).unwrap();
        let url = url::Url::from_file_path(&report).unwrap().to_string();
        tokio::task::spawn_blocking(move || {
            chromium(
                &[
                    format!("--screenshot={}", png.display()),
                    "--window-size=1280,1000".into(),
                    "--hide-scrollbars".into(),
                    url,
                ],
                "screenshot",
            );
            assert!(png.exists(), "no screenshot at {}", png.display());
        })
        .await
        .unwrap();
    }
}
