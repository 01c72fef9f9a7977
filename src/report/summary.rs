//! The one-screen summary printed after a run; its last line is `N passed, N failed`.

use super::{Redactor, RunResult, Status};
use std::fmt::Write as _;

/// Renders the summary: failures with their reasons, skips with theirs, then the totals.
pub fn render_summary(result: &RunResult, redactor: &Redactor) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "cxgate verify: {}", result.target);
    failures(&mut out, result, redactor);
    skips(&mut out, result);
    for note in &result.notes {
        let _ = writeln!(out, "NOTE {note}");
    }
    let _ = writeln!(
        out,
        "{} features, {} scenarios in {:.2}s",
        result.features.len(),
        {
            let t = result.totals();
            t.passed + t.failed + t.skipped
        },
        result.duration.as_secs_f64()
    );
    totals_line(&mut out, result);
    out
}

/// The summary of `--quiet`: the run errors and failures, then the totals line.
pub fn render_summary_brief(result: &RunResult, redactor: &Redactor) -> String {
    let mut out = String::new();
    failures(&mut out, result, redactor);
    totals_line(&mut out, result);
    out
}

/// The summary as one JSON document (`--format json`): the counts, every failure with
/// its file, line and reason, the skip reasons with their counts, the notes and the
/// reports written.
pub fn render_summary_json(
    result: &RunResult,
    redactor: &Redactor,
    reports: &[std::path::PathBuf],
) -> String {
    let totals = result.totals();
    let failures: Vec<serde_json::Value> = result
        .features
        .iter()
        .flat_map(|f| f.scenarios.iter().map(move |s| (f, s)))
        .filter(|(_, s)| s.status == Status::Failed)
        .map(|(f, s)| {
            serde_json::json!({
                "path": f.path.display().to_string(),
                "line": s.line,
                "scenario": redactor.redact_known(&s.name),
                "reason": s.reason.as_deref().map(|r| redactor.redact(r)),
            })
        })
        .collect();
    let skips: Vec<serde_json::Value> = skip_reasons(result)
        .into_iter()
        .map(|(reason, n)| serde_json::json!({ "reason": reason, "scenarios": n }))
        .collect();
    let value = serde_json::json!({
        "target": result.target,
        "passed": totals.passed,
        "failed": totals.failed,
        "skipped": totals.skipped,
        "features": result.features.len(),
        "duration_secs": result.duration.as_secs_f64(),
        "errors": result.errors.iter().map(|e| redactor.redact(e)).collect::<Vec<_>>(),
        "failures": failures,
        "skips": skips,
        "notes": result.notes,
        "reports": reports.iter().map(|p| p.display().to_string()).collect::<Vec<_>>(),
    });
    let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
    text.push('\n');
    text
}

fn failures(out: &mut String, result: &RunResult, redactor: &Redactor) {
    for error in &result.errors {
        let _ = writeln!(out, "ERROR {}", redactor.redact(error));
    }
    for feature in &result.features {
        for scenario in feature
            .scenarios
            .iter()
            .filter(|s| s.status == Status::Failed)
        {
            let _ = writeln!(
                out,
                "FAIL {}:{} {}",
                feature.path.display(),
                scenario.line,
                scenario.name
            );
            if let Some(reason) = &scenario.reason {
                for line in redactor.redact(reason).lines() {
                    let _ = writeln!(out, "     {line}");
                }
            }
        }
    }
}

/// Each skip reason with how many scenarios it left out, in the order first seen.
fn skip_reasons(result: &RunResult) -> Vec<(String, usize)> {
    let mut reasons: Vec<(String, usize)> = Vec::new();
    for scenario in result.features.iter().flat_map(|f| &f.scenarios) {
        if scenario.status == Status::Skipped {
            let reason = scenario.reason.clone().unwrap_or_else(|| "skipped".into());
            match reasons.iter_mut().find(|(r, _)| *r == reason) {
                Some((_, n)) => *n += 1,
                None => reasons.push((reason, 1)),
            }
        }
    }
    reasons
}

fn skips(out: &mut String, result: &RunResult) {
    for (reason, n) in skip_reasons(result) {
        let _ = writeln!(out, "SKIP {n} scenario(s): {reason}");
    }
}

fn totals_line(out: &mut String, result: &RunResult) {
    let totals = result.totals();
    if totals.skipped > 0 {
        let _ = writeln!(
            out,
            "{} passed, {} failed, {} skipped",
            totals.passed, totals.failed, totals.skipped
        );
    } else {
        let _ = writeln!(out, "{} passed, {} failed", totals.passed, totals.failed);
    }
}
