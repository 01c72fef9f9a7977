//! JUnit XML: one testsuite per feature file, one testcase per scenario.

use super::{Redactor, RunResult, Status};
use std::fmt::Write as _;

/// Escapes text for an XML attribute or element.
fn xml(text: &str) -> String {
    crate::markup::escape(text, "&apos;", |c| {
        // Characters XML 1.0 cannot hold at all.
        if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') {
            '?'
        } else {
            c
        }
    })
}

/// Renders the run as JUnit XML.
pub fn render_junit(result: &RunResult, redactor: &Redactor) -> String {
    let totals = result.totals();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"{}\" tests=\"{}\" failures=\"{}\" skipped=\"{}\" time=\"{:.3}\">",
        result.command(),
        totals.passed + totals.failed + totals.skipped,
        totals.failed,
        totals.skipped,
        result.duration.as_secs_f64()
    );
    if !result.errors.is_empty() {
        let _ = writeln!(
            out,
            "  <testsuite name=\"run\" tests=\"{0}\" failures=\"{0}\" skipped=\"0\">",
            result.errors.len()
        );
        for (i, error) in result.errors.iter().enumerate() {
            let _ = writeln!(
                out,
                "    <testcase name=\"run error {}\" classname=\"run\"><failure message=\"{}\">{}</failure></testcase>",
                i + 1,
                xml(&redactor.redact(error.lines().next().unwrap_or(""))),
                xml(&redactor.redact(error))
            );
        }
        out.push_str("  </testsuite>\n");
    }
    for feature in &result.features {
        let failed = feature
            .scenarios
            .iter()
            .filter(|s| s.status == Status::Failed)
            .count();
        let skipped = feature
            .scenarios
            .iter()
            .filter(|s| s.status == Status::Skipped)
            .count();
        let time: f64 = feature
            .scenarios
            .iter()
            .map(|s| s.duration.as_secs_f64())
            .sum();
        let path = feature.path.display().to_string();
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" file=\"{}\" tests=\"{}\" failures=\"{}\" skipped=\"{}\" time=\"{:.3}\">",
            xml(&feature.name),
            xml(&path),
            feature.scenarios.len(),
            failed,
            skipped,
            time
        );
        for scenario in &feature.scenarios {
            let _ = write!(
                out,
                "    <testcase name=\"{}\" classname=\"{}\" file=\"{}\" line=\"{}\" time=\"{:.3}\">",
                xml(&scenario.name),
                xml(&feature.name),
                xml(&path),
                scenario.line,
                scenario.duration.as_secs_f64()
            );
            let reason = redactor.redact(scenario.reason.as_deref().unwrap_or(""));
            match scenario.status {
                Status::Passed => {}
                Status::Failed => {
                    let first = reason.lines().last().unwrap_or("");
                    let _ = write!(
                        out,
                        "<failure message=\"{}\">{}</failure>",
                        xml(first),
                        xml(&reason)
                    );
                }
                Status::Skipped => {
                    let _ = write!(out, "<skipped message=\"{}\"/>", xml(&reason));
                }
            }
            out.push_str("</testcase>\n");
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_and_control_characters_are_escaped() {
        assert_eq!(xml("a<b>&\"'\u{1}"), "a&lt;b&gt;&amp;&quot;&apos;?");
    }
}
