//! The results of a probe run and their renderings: the summary, `probe.json`, the
//! coverage table endpoint x family, and the JUnit and HTML reports through `verify`'s
//! writers (one test case per endpoint and family). Every text is redacted.

use super::plan::{Case, Family};
use super::run::{CaseResult, Outcome};
use crate::contract::Catalog;
use crate::report::{FeatureResult, Redactor, RunResult, ScenarioResult, Status, StepResult};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Counts of one cell (or row, or the whole run).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub passed: usize,
    pub failed: usize,
    pub not_run: usize,
    pub not_judged: usize,
}

impl Counts {
    /// Cases that were sent and judged.
    pub fn run(&self) -> usize {
        self.passed + self.failed
    }

    fn add(&mut self, outcome: &Outcome) {
        match outcome {
            Outcome::Passed => self.passed += 1,
            Outcome::Failed { .. } => self.failed += 1,
            Outcome::NotRun(_) => self.not_run += 1,
            Outcome::NotJudged(_) => self.not_judged += 1,
        }
    }

    fn json(&self) -> Value {
        json!({"run": self.run(), "passed": self.passed, "failed": self.failed,
               "not_run": self.not_run, "not_judged": self.not_judged})
    }
}

/// A finished run.
#[derive(Debug, Clone)]
pub struct ProbeResult {
    pub target: String,
    pub seed: u64,
    /// True when no `--seed` was given and the seed was drawn.
    pub seed_drawn: bool,
    pub duration: Duration,
    pub requests_sent: u64,
    pub max_requests: Option<u64>,
    pub cases: Vec<Case>,
    /// By case, in the order of `cases`.
    pub results: Vec<CaseResult>,
    /// Errors of the run itself (an unreachable target).
    pub errors: Vec<String>,
    pub notes: Vec<String>,
}

impl ProbeResult {
    /// The whole run's counts.
    pub fn totals(&self) -> Counts {
        let mut c = Counts::default();
        for r in &self.results {
            c.add(&r.outcome);
        }
        c
    }

    /// True when nothing failed and the run itself had no error.
    pub fn passed(&self) -> bool {
        self.errors.is_empty() && self.totals().failed == 0
    }

    fn pairs(&self) -> impl Iterator<Item = (&Case, &CaseResult)> {
        self.cases.iter().zip(&self.results)
    }

    /// Counts per family.
    pub fn by_family(&self) -> BTreeMap<Family, Counts> {
        let mut map = BTreeMap::new();
        for (case, result) in self.pairs() {
            map.entry(case.family)
                .or_insert_with(Counts::default)
                .add(&result.outcome);
        }
        map
    }

    /// Counts per endpoint (in catalog order of first case) and family.
    pub fn by_endpoint(&self) -> Vec<(String, BTreeMap<Family, Counts>)> {
        let mut rows: Vec<(String, BTreeMap<Family, Counts>)> = Vec::new();
        for (case, result) in self.pairs() {
            if rows.last().is_none_or(|(e, _)| *e != case.endpoint) {
                match rows.iter().position(|(e, _)| *e == case.endpoint) {
                    Some(i) => {
                        let row = rows.remove(i);
                        rows.push(row);
                    }
                    None => rows.push((case.endpoint.clone(), BTreeMap::new())),
                }
            }
            if let Some((_, row)) = rows.last_mut() {
                row.entry(case.family)
                    .or_insert_with(Counts::default)
                    .add(&result.outcome);
            }
        }
        rows
    }

    /// Each reason a case did not run or was not judged, with its count, first seen
    /// first.
    pub fn not_run_reasons(&self) -> Vec<(String, usize)> {
        let mut reasons: Vec<(String, usize)> = Vec::new();
        for result in &self.results {
            let reason = match &result.outcome {
                Outcome::NotRun(r) | Outcome::NotJudged(r) => r,
                _ => continue,
            };
            match reasons.iter_mut().find(|(r, _)| r == reason) {
                Some((_, n)) => *n += 1,
                None => reasons.push((reason.clone(), 1)),
            }
        }
        reasons
    }
}

/// `FAIL GET /x [security] no x-api-key: rule gateway-key-required ...` with the curl.
fn failure_text(
    case: &Case,
    rule: &str,
    lines: &str,
    expects: &str,
    actual: &str,
    curl: &str,
) -> String {
    format!(
        "FAIL {} [{}] {}\n     rule {rule} ({lines})\n     expected {expects}\n     got {actual}\n     {curl}",
        case.endpoint,
        case.family.name(),
        case.check
    )
}

fn failure_of(case: &Case, outcome: &Outcome) -> Option<String> {
    match outcome {
        Outcome::Failed { rule, actual, curl } => Some(failure_text(
            case,
            rule.name(),
            rule.lines(),
            rule.expects(),
            actual,
            curl,
        )),
        _ => None,
    }
}

/// The summary printed after a run.
pub fn render_summary(result: &ProbeResult, redactor: &Redactor) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "cxgate probe: {}", result.target);
    if result.seed_drawn {
        let _ = writeln!(
            out,
            "seed {} (pass --seed {} to repeat this run)",
            result.seed, result.seed
        );
    } else {
        let _ = writeln!(out, "seed {}", result.seed);
    }
    brief(&mut out, result, redactor);
    for (family, counts) in result.by_family() {
        let _ = writeln!(
            out,
            "  {:<9} {:>5} run, {:>5} passed, {:>3} failed, {:>5} not run",
            family.name(),
            counts.run(),
            counts.passed,
            counts.failed,
            counts.not_run + counts.not_judged
        );
    }
    for (reason, n) in result.not_run_reasons() {
        let _ = writeln!(out, "NOT RUN {n} check(s): {}", redactor.redact(&reason));
    }
    for note in &result.notes {
        let _ = writeln!(out, "NOTE {}", redactor.redact(note));
    }
    let budget = result
        .max_requests
        .map_or(String::new(), |m| format!(" of --max-requests {m}"));
    let _ = writeln!(
        out,
        "{} endpoints, {} requests sent{budget} in {:.2}s",
        result.by_endpoint().len(),
        result.requests_sent,
        result.duration.as_secs_f64()
    );
    totals_line(&mut out, result);
    out
}

/// The failures and the totals line (`--quiet`).
pub fn render_brief(result: &ProbeResult, redactor: &Redactor) -> String {
    let mut out = String::new();
    brief(&mut out, result, redactor);
    totals_line(&mut out, result);
    out
}

fn brief(out: &mut String, result: &ProbeResult, redactor: &Redactor) {
    for error in &result.errors {
        let _ = writeln!(out, "ERROR {}", redactor.redact(error));
    }
    for (case, r) in result.pairs() {
        if let Some(text) = failure_of(case, &r.outcome) {
            let _ = writeln!(out, "{}", redactor.redact(&text));
        }
    }
}

fn totals_line(out: &mut String, result: &ProbeResult) {
    let t = result.totals();
    let _ = writeln!(
        out,
        "{} checks run: {} passed, {} failed; {} not run, {} not judged",
        t.run(),
        t.passed,
        t.failed,
        t.not_run,
        t.not_judged
    );
}

/// `probe.json`: the counts per family and per endpoint x family, every failure with
/// its rule, expectation, answer and curl, and the reasons for what did not run.
pub fn render_json(result: &ProbeResult, redactor: &Redactor, reports: &[PathBuf]) -> String {
    let totals = result.totals();
    let families: serde_json::Map<String, Value> = result
        .by_family()
        .into_iter()
        .map(|(f, c)| (f.name().to_owned(), c.json()))
        .collect();
    let endpoints: Vec<Value> = result
        .by_endpoint()
        .into_iter()
        .map(|(endpoint, row)| {
            let mut total = Counts::default();
            let cells: serde_json::Map<String, Value> = row
                .iter()
                .map(|(f, c)| {
                    total.passed += c.passed;
                    total.failed += c.failed;
                    total.not_run += c.not_run;
                    total.not_judged += c.not_judged;
                    (f.name().to_owned(), c.json())
                })
                .collect();
            json!({"endpoint": endpoint, "checks_run": total.run(), "passed": total.passed,
                   "failed": total.failed, "not_run": total.not_run + total.not_judged,
                   "families": cells})
        })
        .collect();
    let failures: Vec<Value> = result
        .pairs()
        .filter_map(|(case, r)| match &r.outcome {
            Outcome::Failed { rule, actual, curl } => Some(json!({
                "endpoint": case.endpoint,
                "family": case.family.name(),
                "check": case.check,
                "rule": rule.name(),
                "reference": rule.lines(),
                "expected": rule.expects(),
                "actual": redactor.redact(actual),
                "curl": redactor.redact(curl),
            })),
            _ => None,
        })
        .collect();
    let not_run: Vec<Value> = result
        .not_run_reasons()
        .into_iter()
        .map(|(reason, n)| json!({"reason": redactor.redact(&reason), "checks": n}))
        .collect();
    let value = json!({
        "target": redactor.redact(&result.target),
        "seed": result.seed,
        "checks_run": totals.run(),
        "passed": totals.passed,
        "failed": totals.failed,
        "not_run": totals.not_run,
        "not_judged": totals.not_judged,
        "requests_sent": result.requests_sent,
        "max_requests": result.max_requests,
        "duration_secs": result.duration.as_secs_f64(),
        "errors": result.errors.iter().map(|e| redactor.redact(e)).collect::<Vec<_>>(),
        "families": families,
        "endpoints": endpoints,
        "failures": failures,
        "not_run_reasons": not_run,
        "notes": result.notes.iter().map(|n| redactor.redact(n)).collect::<Vec<_>>(),
        "reports": reports.iter().map(|p| p.display().to_string()).collect::<Vec<_>>(),
    });
    let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
    text.push('\n');
    text
}

/// The coverage table endpoint x family: `run/passed/failed/not run` per cell.
pub fn coverage_rows(result: &ProbeResult) -> Vec<(String, Vec<String>)> {
    result
        .by_endpoint()
        .into_iter()
        .map(|(endpoint, row)| {
            let cells = Family::ALL
                .iter()
                .map(|f| match row.get(f) {
                    Some(c) => format!(
                        "{}/{}/{}/{}",
                        c.run(),
                        c.passed,
                        c.failed,
                        c.not_run + c.not_judged
                    ),
                    None => "-".into(),
                })
                .collect();
            (endpoint, cells)
        })
        .collect()
}

/// The coverage table as text.
pub fn render_coverage(result: &ProbeResult) -> String {
    let mut out =
        String::from("cells: run/passed/failed/not run; - means no check of that family applies\n");
    let _ = write!(out, "{:<80}", "endpoint");
    for f in Family::ALL {
        let _ = write!(out, " {:>13}", f.name());
    }
    out.push('\n');
    for (endpoint, cells) in coverage_rows(result) {
        let _ = write!(out, "{endpoint:<80}");
        for cell in cells {
            let _ = write!(out, " {cell:>13}");
        }
        out.push('\n');
    }
    out
}

fn coverage_html(result: &ProbeResult) -> String {
    let escape = |t: &str| crate::markup::escape(t, "&#39;", |c| c);
    let mut out = String::from(
        "<section class=\"run\" id=\"coverage\">\n<h2>Coverage: endpoint &times; check family (run/passed/failed/not run)</h2>\n<table>\n<tr><th>endpoint</th>",
    );
    for f in Family::ALL {
        let _ = write!(out, "<th>{}</th>", f.name());
    }
    out.push_str("</tr>\n");
    for (endpoint, cells) in coverage_rows(result) {
        let _ = write!(out, "<tr><td>{}</td>", escape(&endpoint));
        for cell in cells {
            let _ = write!(out, "<td>{}</td>", escape(&cell));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</table>\n</section>\n");
    out
}

/// The run as `verify`'s results: one feature per endpoint (its reference line), one
/// scenario per family, one step per case.
pub fn as_run_result(result: &ProbeResult, catalog: &Catalog) -> RunResult {
    let mut features: Vec<FeatureResult> = Vec::new();
    for (case, r) in result.pairs() {
        let endpoint = catalog.endpoints.iter().find(|e| e.id == case.endpoint);
        let line = endpoint.and_then(|e| e.source_line).unwrap_or(0) as usize;
        if features.last().is_none_or(|f| f.name != case.endpoint) {
            let api = endpoint.map_or("", |e| super::plan::api_key_of(e));
            features.push(FeatureResult {
                name: case.endpoint.clone(),
                path: PathBuf::from("genesys-web-api-reference.txt"),
                line,
                tags: vec![format!("@{api}")],
                scenarios: Vec::new(),
            });
        }
        let Some(feature) = features.last_mut() else {
            continue;
        };
        if feature
            .scenarios
            .last()
            .is_none_or(|s| s.name != case.family.name())
        {
            feature.scenarios.push(ScenarioResult {
                name: case.family.name().to_owned(),
                line,
                tags: vec![format!("@{}", case.family.name())],
                steps: Vec::new(),
                status: Status::Skipped,
                reason: None,
                duration: Duration::ZERO,
            });
        }
        let Some(scenario) = feature.scenarios.last_mut() else {
            continue;
        };
        let (status, error) = match &r.outcome {
            Outcome::Passed => (Status::Passed, None),
            Outcome::Failed { .. } => (Status::Failed, failure_of(case, &r.outcome)),
            Outcome::NotRun(why) => (Status::Skipped, Some(format!("not run: {why}"))),
            Outcome::NotJudged(why) => (Status::Skipped, Some(why.clone())),
        };
        let answered = r.status.map_or(String::new(), |s| format!(" -> {s}"));
        scenario.steps.push(StepResult {
            keyword: "Check ".into(),
            text: format!(
                "{} ({} {}{answered})",
                case.check, case.request.method, case.request.path
            ),
            line,
            status,
            error: error.clone(),
            duration: r.duration,
        });
        scenario.duration += r.duration;
        match status {
            Status::Failed => {
                scenario.status = Status::Failed;
                let reason = scenario.reason.get_or_insert_with(String::new);
                if !reason.is_empty() {
                    reason.push('\n');
                }
                reason.push_str(error.as_deref().unwrap_or(""));
            }
            Status::Passed if scenario.status == Status::Skipped => {
                scenario.status = Status::Passed;
                scenario.reason = None;
            }
            Status::Skipped if scenario.status == Status::Skipped && scenario.reason.is_none() => {
                scenario.reason = error;
            }
            _ => {}
        }
    }
    RunResult {
        features,
        errors: result.errors.clone(),
        duration: result.duration,
        target: result.target.clone(),
        notes: result.notes.clone(),
        command: "cxgate probe",
    }
}

/// Writes `probe-junit.xml`, `probe.json`, `probe.html`, `probe-coverage.txt` and
/// `probe-summary.txt` into `dir`, all redacted.
pub fn write(
    dir: &Path,
    result: &ProbeResult,
    catalog: &Catalog,
    redactor: &Redactor,
) -> std::io::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir)?;
    let run = as_run_result(result, catalog);
    let names = [
        "probe-junit.xml",
        "probe.json",
        "probe.html",
        "probe-coverage.txt",
        "probe-summary.txt",
    ];
    let paths: Vec<PathBuf> = names.iter().map(|n| dir.join(n)).collect();
    let html = crate::report::render_html(&run, redactor).replacen(
        "</main>",
        &format!("{}</main>", coverage_html(result)),
        1,
    );
    let contents = [
        crate::report::render_junit(&run, redactor),
        render_json(result, redactor, &paths),
        html,
        render_coverage(result),
        render_summary(result, redactor),
    ];
    for (path, content) in paths.iter().zip(contents) {
        std::fs::write(path, content)?;
    }
    Ok(paths)
}
