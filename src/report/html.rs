//! The HTML report of a verify run: one self-contained file (inline style and script,
//! nothing fetched), rendered here in full, with a small script for the status and tag
//! filters. Every text is redacted, then escaped: what the run produced (reasons,
//! errors, notes, the target) in full, what the feature files say (names, steps, tags,
//! paths) of every known secret.

use super::{FeatureResult, Redactor, RunResult, ScenarioResult, Status, StepResult};
use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::time::Duration;

/// Escapes text for an HTML element or a quoted attribute.
fn escape(text: &str) -> String {
    crate::markup::escape(text, "&#39;", |c| c)
}

/// Report texts, redacted, then escaped.
struct Clean<'a>(&'a Redactor);

impl Clean<'_> {
    /// Text the run produced: every secret and every credential after a scheme masked.
    fn text(&self, text: &str) -> String {
        escape(&self.0.redact(text))
    }

    /// Text of a feature file: every known secret masked, its prose kept ("a bearer
    /// token").
    fn authored(&self, text: &str) -> String {
        escape(&self.0.redact_known(text))
    }
}

/// `12 ms` below a second, `1.23 s` above.
fn duration(d: Duration) -> String {
    let secs = d.as_secs_f64();
    if secs < 1.0 {
        format!("{:.0} ms", secs * 1000.0)
    } else {
        format!("{secs:.2} s")
    }
}

/// The tags a scenario carries: its feature's and its own, each once, in order.
fn tags_of(feature: &FeatureResult, scenario: &ScenarioResult) -> Vec<String> {
    let mut seen = BTreeSet::new();
    feature
        .tags
        .iter()
        .chain(&scenario.tags)
        .filter(|t| seen.insert(t.as_str()))
        .map(|t| t.trim_start_matches('@').to_string())
        .collect()
}

const STYLE: &str = r#"
body { font: 14px/1.45 system-ui, sans-serif; margin: 0; color: #1d2330; background: #f5f6f8; }
header { background: #1d2330; color: #fff; padding: 16px 24px; }
header h1 { margin: 0 0 4px; font-size: 20px; }
header .meta { color: #c4c9d4; }
.counts { margin-top: 10px; display: flex; gap: 12px; }
.count { padding: 4px 12px; border-radius: 12px; font-weight: 600; }
.count.passed { background: #1f7a3f; } .count.failed { background: #b3261e; }
.count.skipped { background: #7a6a1f; }
main { padding: 16px 24px; }
#filters { background: #fff; border: 1px solid #d9dce3; border-radius: 6px; padding: 8px 12px;
  margin-bottom: 16px; display: flex; flex-wrap: wrap; gap: 16px; align-items: center; }
#shown { color: #5b6272; margin-left: auto; }
section.feature, section.run { background: #fff; border: 1px solid #d9dce3; border-radius: 6px;
  margin-bottom: 12px; padding: 8px 12px; }
section.feature h2, section.run h2 { font-size: 16px; margin: 4px 0 8px; }
.path { color: #5b6272; font-weight: normal; font-size: 13px; }
details.scenario { border-left: 4px solid #9aa0ac; margin: 6px 0; padding: 2px 8px; }
details.scenario[data-status=passed] { border-color: #1f7a3f; }
details.scenario[data-status=failed] { border-color: #b3261e; background: #fdf3f2; }
details.scenario[data-status=skipped] { border-color: #b59a2a; background: #fbf8ec; }
summary { cursor: pointer; }
.status { display: inline-block; min-width: 58px; font-size: 12px; font-weight: 700;
  text-transform: uppercase; }
.status.passed { color: #1f7a3f; } .status.failed { color: #b3261e; }
.status.skipped { color: #8a7418; }
.dur { color: #5b6272; font-size: 12px; }
.tag { font-size: 12px; color: #3b4a8c; margin-left: 4px; }
ol.steps { margin: 6px 0; padding-left: 22px; }
ol.steps li { margin: 2px 0; }
pre { background: #272c38; color: #f0f2f5; padding: 8px 10px; border-radius: 4px;
  white-space: pre-wrap; word-break: break-word; font: 12px/1.4 ui-monospace, monospace; }
.skip-reason { color: #6b5a10; margin: 2px 0 2px 62px; }
[hidden] { display: none !important; }
"#;

const SCRIPT: &str = r#"
(function () {
  var boxes = Array.prototype.slice.call(document.querySelectorAll('#filters input[data-status]'));
  var tagSelect = document.getElementById('tag-filter');
  var scenarios = Array.prototype.slice.call(document.querySelectorAll('details.scenario'));
  var features = Array.prototype.slice.call(document.querySelectorAll('section.feature'));
  var shown = document.getElementById('shown');
  function readFragment() {
    var params = new URLSearchParams(location.hash.replace(/^#/, ''));
    var status = params.get('status');
    if (status !== null) {
      var wanted = status.split(',');
      boxes.forEach(function (b) { b.checked = wanted.indexOf(b.dataset.status) >= 0; });
    }
    var tag = params.get('tag');
    if (tag !== null) {
      tag = tag.replace(/^@/, '');
      var known = Array.prototype.some.call(tagSelect.options, function (o) { return o.value === tag; });
      tagSelect.value = known ? tag : '';
    }
  }
  function writeFragment() {
    var status = boxes.filter(function (b) { return b.checked; })
      .map(function (b) { return b.dataset.status; }).join(',');
    var hash = '#status=' + status + (tagSelect.value ? '&tag=' + encodeURIComponent(tagSelect.value) : '');
    try { history.replaceState(null, '', hash); } catch (e) { /* a file URL may refuse */ }
  }
  function apply() {
    var statuses = {};
    boxes.forEach(function (b) { statuses[b.dataset.status] = b.checked; });
    var tag = tagSelect.value;
    var count = 0;
    scenarios.forEach(function (s) {
      var tags = s.dataset.tags.split(' ');
      var visible = statuses[s.dataset.status] === true && (tag === '' || tags.indexOf(tag) >= 0);
      s.hidden = !visible;
      if (visible) { count += 1; }
    });
    features.forEach(function (f) {
      f.hidden = f.querySelector('details.scenario:not([hidden])') === null;
    });
    shown.textContent = count + ' of ' + scenarios.length + ' scenarios shown';
  }
  boxes.forEach(function (b) { b.addEventListener('change', function () { apply(); writeFragment(); }); });
  tagSelect.addEventListener('change', function () { apply(); writeFragment(); });
  window.addEventListener('hashchange', function () { readFragment(); apply(); });
  readFragment();
  apply();
})();
"#;

/// Renders the run as one HTML page: header with target, duration and counts, the
/// filters, run-level errors and notes, then features, scenarios and steps. Failed
/// scenarios are open, the others closed.
pub fn render_html(result: &RunResult, redactor: &Redactor) -> String {
    let clean = Clean(redactor);
    let totals = result.totals();
    let scenario_count: usize = result.features.iter().map(|f| f.scenarios.len()).sum();
    let mut out = String::with_capacity(16 * 1024);
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    let _ = writeln!(
        out,
        "<title>{}: {} passed, {} failed, {} skipped</title>",
        result.command(),
        totals.passed,
        totals.failed,
        totals.skipped
    );
    let _ = writeln!(out, "<style>{STYLE}</style>\n</head>\n<body>");

    let _ = writeln!(out, "<header>\n<h1>{}</h1>", result.command());
    let (groups, cases) = result.nouns();
    let _ = writeln!(
        out,
        "<div class=\"meta\">Target <span id=\"target\">{}</span> &middot; {} {groups}, {} {cases} in <span id=\"duration\">{}</span></div>",
        clean.text(&result.target),
        result.features.len(),
        scenario_count,
        duration(result.duration)
    );
    let _ = writeln!(
        out,
        "<div class=\"counts\"><span class=\"count passed\"><span id=\"count-passed\">{}</span> passed</span><span class=\"count failed\"><span id=\"count-failed\">{}</span> failed</span><span class=\"count skipped\"><span id=\"count-skipped\">{}</span> skipped</span></div>",
        totals.passed, totals.failed, totals.skipped
    );
    out.push_str("</header>\n<main>\n");

    filters(&mut out, result, &clean);
    run_level(&mut out, result, &clean);
    for feature in &result.features {
        render_feature(&mut out, feature, &clean);
    }

    let _ = writeln!(out, "</main>\n<script>{SCRIPT}</script>\n</body>\n</html>");
    out
}

/// The status checkboxes, the tag select (every tag of the run), and the count shown.
fn filters(out: &mut String, result: &RunResult, clean: &Clean) {
    let tags: BTreeSet<String> = result
        .features
        .iter()
        .flat_map(|f| f.scenarios.iter().flat_map(move |s| tags_of(f, s)))
        .collect();
    out.push_str("<div id=\"filters\">\n<strong>Show</strong>\n");
    for status in [Status::Failed, Status::Skipped, Status::Passed] {
        let name = status.as_str();
        let _ = writeln!(
            out,
            "<label><input type=\"checkbox\" data-status=\"{name}\" checked> {name}</label>"
        );
    }
    out.push_str("<label>tag <select id=\"tag-filter\"><option value=\"\">any tag</option>");
    for tag in &tags {
        let tag = clean.authored(tag);
        let _ = write!(out, "<option value=\"{tag}\">@{tag}</option>");
    }
    out.push_str("</select></label>\n<span id=\"shown\"></span>\n</div>\n");
}

/// Errors not tied to one scenario, and the run's notes.
fn run_level(out: &mut String, result: &RunResult, clean: &Clean) {
    if !result.errors.is_empty() {
        let _ = writeln!(
            out,
            "<section class=\"run\" id=\"run-errors\">\n<h2>Run errors ({})</h2>",
            result.errors.len()
        );
        for error in &result.errors {
            let _ = writeln!(out, "<pre>{}</pre>", clean.text(error));
        }
        out.push_str("</section>\n");
    }
    if !result.notes.is_empty() {
        out.push_str("<section class=\"run\" id=\"notes\">\n<h2>Notes</h2>\n<ul>\n");
        for note in &result.notes {
            let _ = writeln!(out, "<li>{}</li>", clean.text(note));
        }
        out.push_str("</ul>\n</section>\n");
    }
}

fn render_feature(out: &mut String, feature: &FeatureResult, clean: &Clean) {
    let path = feature.path.display().to_string();
    let _ = writeln!(
        out,
        "<section class=\"feature\">\n<h2>{} <span class=\"path\">{}:{}</span></h2>",
        clean.authored(&feature.name),
        clean.authored(&path),
        feature.line
    );
    for scenario in &feature.scenarios {
        render_scenario(out, feature, scenario, &path, clean);
    }
    out.push_str("</section>\n");
}

fn render_scenario(
    out: &mut String,
    feature: &FeatureResult,
    scenario: &ScenarioResult,
    path: &str,
    clean: &Clean,
) {
    let status = scenario.status.as_str();
    let tags: Vec<String> = tags_of(feature, scenario)
        .iter()
        .map(|t| clean.authored(t))
        .collect();
    let open = if scenario.status == Status::Failed {
        " open"
    } else {
        ""
    };
    let _ = write!(
        out,
        "<details class=\"scenario\" data-status=\"{status}\" data-tags=\"{}\"{open}>\n<summary><span class=\"status {status}\">{status}</span> <span class=\"name\">{}</span> <span class=\"path\">{}:{}</span> <span class=\"dur\">{}</span>",
        tags.join(" "),
        clean.authored(&scenario.name),
        clean.authored(path),
        scenario.line,
        duration(scenario.duration)
    );
    for tag in &tags {
        let _ = write!(out, "<span class=\"tag\">@{tag}</span>");
    }
    let reason = scenario.reason.as_deref().map(|r| clean.text(r));
    // A skip's reason shows while the scenario is closed.
    if scenario.status == Status::Skipped {
        let _ = write!(
            out,
            "<div class=\"skip-reason\">Skipped: {}</div>",
            reason.as_deref().unwrap_or("not run")
        );
    }
    out.push_str("</summary>\n");
    if let (Status::Failed, Some(reason)) = (scenario.status, &reason) {
        let _ = writeln!(out, "<pre class=\"reason\">{reason}</pre>");
    }
    if !scenario.steps.is_empty() {
        out.push_str("<ol class=\"steps\">\n");
        for step in &scenario.steps {
            render_step(out, step, reason.as_deref(), clean);
        }
        out.push_str("</ol>\n");
    }
    out.push_str("</details>\n");
}

/// One step; its error in full unless the scenario's reason already shows it.
fn render_step(out: &mut String, step: &StepResult, reason: Option<&str>, clean: &Clean) {
    let status = step.status.as_str();
    let _ = write!(
        out,
        "<li class=\"step {status}\"><span class=\"status {status}\">{status}</span> <strong>{}</strong> {} <span class=\"path\">line {}</span> <span class=\"dur\">{}</span>",
        clean.authored(step.keyword.trim()),
        clean.authored(&step.text),
        step.line,
        duration(step.duration)
    );
    if let Some(error) = &step.error {
        let error = clean.text(error);
        if !reason.is_some_and(|r| r.contains(error.as_str())) {
            let _ = write!(out, "<pre>{error}</pre>");
        }
    }
    out.push_str("</li>\n");
}

/// The `src` and `href` values of every tag of a page, for checking that a report
/// refers to nothing outside itself.
pub fn references(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for attr in ["src=", "href="] {
        for (i, _) in html.match_indices(attr) {
            let rest = html[i + attr.len()..].trim_start_matches(['"', '\'']);
            let end = rest.find(['"', '\'', ' ', '>']).unwrap_or(rest.len());
            found.push(rest[..end].to_string());
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{FeatureResult, ScenarioResult, StepResult};
    use std::path::PathBuf;

    fn step(text: &str, status: Status, error: Option<&str>) -> StepResult {
        StepResult {
            keyword: "When ".into(),
            text: text.into(),
            line: 9,
            status,
            error: error.map(String::from),
            duration: Duration::from_millis(3),
        }
    }

    fn scenario(name: &str, status: Status, reason: Option<&str>) -> ScenarioResult {
        ScenarioResult {
            name: name.into(),
            line: 7,
            tags: vec!["auth".into()],
            steps: vec![step("a request is sent", status, reason)],
            status,
            reason: reason.map(String::from),
            duration: Duration::from_millis(12),
        }
    }

    fn run(scenarios: Vec<ScenarioResult>) -> RunResult {
        RunResult {
            features: vec![FeatureResult {
                name: "Token".into(),
                path: PathBuf::from("features/auth/token.feature"),
                line: 1,
                tags: vec![],
                scenarios,
            }],
            target: "embedded mock at http://127.0.0.1:1".into(),
            duration: Duration::from_millis(1500),
            ..RunResult::default()
        }
    }

    #[test]
    fn a_scenario_name_and_a_reason_holding_markup_cannot_break_out() {
        let html = render_html(
            &run(vec![scenario(
                "<script>alert(1)</script>",
                Status::Failed,
                Some("expected </script><img src=x onerror=alert(2)>"),
            )]),
            &Redactor::new(),
        );
        assert!(!html.contains("<script>alert(1)"), "{html}");
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(!html.contains("<img"));
        assert!(html.contains("expected &lt;/script&gt;&lt;img src=x"));
        // The page's own script is the only one, and it is closed once.
        assert_eq!(html.matches("<script>").count(), 1);
        assert_eq!(html.matches("</script>").count(), 1);
    }

    #[test]
    fn a_secret_the_redactor_knows_never_appears() {
        let redactor = Redactor::new();
        redactor.add("s3cret-client-secret");
        let mut result = run(vec![scenario(
            "token with s3cret-client-secret",
            Status::Failed,
            Some("POST /auth/v3/oauth/token client_secret=s3cret-client-secret -> 401"),
        )]);
        result
            .errors
            .push("error quoting s3cret-client-secret".into());
        result
            .notes
            .push("note quoting s3cret-client-secret".into());
        result.target = "https://s3cret-client-secret@example".into();
        let html = render_html(&result, &redactor);
        assert!(!html.contains("s3cret-client-secret"), "{html}");
        assert!(html.contains("[REDACTED]"));
    }

    #[test]
    fn a_scenario_name_keeps_its_prose_and_a_reason_its_mask() {
        let html = render_html(
            &run(vec![scenario(
                "The password grant returns a bearer token",
                Status::Failed,
                Some("GET /userinfo with Authorization: Bearer abc.def -> 401"),
            )]),
            &Redactor::new(),
        );
        assert!(html.contains("The password grant returns a bearer token"));
        assert!(html.contains("Authorization: Bearer [REDACTED] -&gt; 401"));
        assert!(!html.contains("abc.def"));
    }

    #[test]
    fn no_tag_refers_to_anything_outside_the_file() {
        let html = render_html(
            &run(vec![scenario(
                "links https://cdn.example/x.js",
                Status::Failed,
                Some("GET http://127.0.0.1:1/auth/v3/userinfo -> 500"),
            )]),
            &Redactor::new(),
        );
        let refs = references(&html);
        assert!(
            refs.iter()
                .all(|r| !r.starts_with("http://") && !r.starts_with("https://")),
            "{refs:?}"
        );
        assert!(!html.contains("<script src"));
        assert!(!html.contains("<link"));
    }

    #[test]
    fn a_probe_report_counts_endpoints_and_checks() {
        let mut result = run(vec![scenario("one", Status::Passed, None)]);
        assert!(render_html(&result, &Redactor::new()).contains("1 features, 1 scenarios in"));
        result.command = "cxgate probe";
        let html = render_html(&result, &Redactor::new());
        assert!(html.contains("1 endpoints, 1 checks in"), "{html}");
        assert!(html.contains("<h1>cxgate probe</h1>"));
    }

    #[test]
    fn the_header_counts_each_status_and_failures_are_open() {
        let mut result = run(vec![
            scenario("one", Status::Passed, None),
            scenario("two", Status::Passed, None),
            scenario(
                "three",
                Status::Failed,
                Some("features/auth/token.feature:9: boom"),
            ),
            scenario("four", Status::Skipped, Some("@strict: pass --strict")),
        ]);
        result
            .errors
            .push("features/x.feature:3: does not parse".into());
        let html = render_html(&result, &Redactor::new());
        assert!(
            html.contains("<span id=\"count-passed\">2</span>"),
            "{html}"
        );
        // The run error counts as a failure, as in the other reports.
        assert!(html.contains("<span id=\"count-failed\">2</span>"));
        assert!(html.contains("<span id=\"count-skipped\">1</span>"));
        assert!(html.contains("data-status=\"failed\" data-tags=\"auth\" open>"));
        assert!(html.contains("data-status=\"passed\" data-tags=\"auth\">"));
        assert!(html.contains("Skipped: @strict: pass --strict"));
        assert!(html.contains("<pre class=\"reason\">features/auth/token.feature:9: boom</pre>"));
        assert!(html.contains("features/x.feature:3: does not parse"));
    }
}
