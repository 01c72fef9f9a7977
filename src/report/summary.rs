//! The one-screen summary printed after a run; its last line is `N passed, N failed`.

use super::{Redactor, RunResult, Status};
use std::fmt::Write as _;

/// Renders the summary: failures with their reasons, skips with theirs, then the totals.
pub fn render_summary(result: &RunResult, redactor: &Redactor) -> String {
    let totals = result.totals();
    let mut out = String::new();
    let _ = writeln!(out, "cxgate verify: {}", result.target);
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
    let mut skip_reasons: Vec<(String, usize)> = Vec::new();
    for scenario in result.features.iter().flat_map(|f| &f.scenarios) {
        if scenario.status == Status::Skipped {
            let reason = scenario.reason.clone().unwrap_or_else(|| "skipped".into());
            match skip_reasons.iter_mut().find(|(r, _)| *r == reason) {
                Some((_, n)) => *n += 1,
                None => skip_reasons.push((reason, 1)),
            }
        }
    }
    for (reason, n) in &skip_reasons {
        let _ = writeln!(out, "SKIP {n} scenario(s): {reason}");
    }
    for note in &result.notes {
        let _ = writeln!(out, "NOTE {note}");
    }
    let _ = writeln!(
        out,
        "{} features, {} scenarios in {:.2}s",
        result.features.len(),
        totals.passed + totals.failed + totals.skipped,
        result.duration.as_secs_f64()
    );
    if totals.skipped > 0 {
        let _ = writeln!(
            out,
            "{} passed, {} failed, {} skipped",
            totals.passed, totals.failed, totals.skipped
        );
    } else {
        let _ = writeln!(out, "{} passed, {} failed", totals.passed, totals.failed);
    }
    out
}
