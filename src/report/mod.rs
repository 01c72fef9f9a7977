//! Results of a contract run and their renderings: JUnit XML, Cucumber JSON, HTML, the
//! summary, coverage. Reports consume results and never feed back into the run.

mod collector;
mod coverage;
mod cucumber_json;
mod html;
mod junit;
pub mod load;
mod load_html;
mod progress;
mod redact;
mod summary;

pub(crate) use collector::feature_path;
pub use collector::Collector;
pub use coverage::{coverage_json, coverage_table, CoverageRow};
pub use cucumber_json::render_cucumber_json;
pub use html::{references, render_html};
pub use junit::render_junit;
pub use load_html::{render_load_html, Timeline};
pub use progress::Progress;
pub use redact::{issued_secrets, Redactor};
pub use summary::{render_summary, render_summary_brief, render_summary_json};

use std::path::{Path, PathBuf};
use std::time::Duration;

/// Outcome of a step or scenario.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Passed,
    Failed,
    /// Not run: an earlier step failed, or the scenario was left out (see the reason).
    Skipped,
}

impl Status {
    /// Lower-case name as used by Cucumber JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Passed => "passed",
            Status::Failed => "failed",
            Status::Skipped => "skipped",
        }
    }
}

/// One step as run.
#[derive(Debug, Clone)]
pub struct StepResult {
    pub keyword: String,
    pub text: String,
    pub line: usize,
    pub status: Status,
    pub error: Option<String>,
    pub duration: Duration,
}

/// One scenario as run, or left out with a reason.
#[derive(Debug, Clone)]
pub struct ScenarioResult {
    pub name: String,
    pub line: usize,
    pub tags: Vec<String>,
    pub steps: Vec<StepResult>,
    pub status: Status,
    /// Why the scenario failed or was skipped, with the feature file and line.
    pub reason: Option<String>,
    pub duration: Duration,
}

/// One feature file.
#[derive(Debug, Clone)]
pub struct FeatureResult {
    pub name: String,
    pub path: PathBuf,
    pub line: usize,
    pub tags: Vec<String>,
    pub scenarios: Vec<ScenarioResult>,
}

/// Everything a run produced.
#[derive(Debug, Clone, Default)]
pub struct RunResult {
    pub features: Vec<FeatureResult>,
    /// Errors that are not tied to one scenario (a feature that does not parse, ...).
    pub errors: Vec<String>,
    pub duration: Duration,
    /// Where the run went (shown in the summary): "embedded mock at http://...".
    pub target: String,
    /// Facts about the run for the summary (which deprecated APIs it exercised, ...).
    pub notes: Vec<String>,
    /// The command the reports name (`cxgate probe`); empty for `cxgate verify`.
    pub command: &'static str,
}

/// Scenario counts of a run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Totals {
    pub passed: usize,
    pub failed: usize,
    pub skipped: usize,
}

impl RunResult {
    /// The command that produced the run, for the reports' titles.
    pub fn command(&self) -> &'static str {
        if self.command.is_empty() {
            "cxgate verify"
        } else {
            self.command
        }
    }

    /// What its groups and cases are called in the reports: a probe's are endpoints and
    /// checks, a verify run's features and scenarios.
    pub fn nouns(&self) -> (&'static str, &'static str) {
        if self.command == "cxgate probe" {
            ("endpoints", "checks")
        } else {
            ("features", "scenarios")
        }
    }

    /// Counts scenarios by status; run-level errors count as failures.
    pub fn totals(&self) -> Totals {
        let mut totals = Totals {
            failed: self.errors.len(),
            ..Totals::default()
        };
        for scenario in self.features.iter().flat_map(|f| &f.scenarios) {
            match scenario.status {
                Status::Passed => totals.passed += 1,
                Status::Failed => totals.failed += 1,
                Status::Skipped => totals.skipped += 1,
            }
        }
        totals
    }

    /// True when nothing failed.
    pub fn passed(&self) -> bool {
        self.totals().failed == 0
    }

    /// The feature with this path, created on first use.
    pub fn feature_mut(
        &mut self,
        path: &Path,
        name: &str,
        line: usize,
        tags: &[String],
    ) -> &mut FeatureResult {
        let index = match self.features.iter().position(|f| f.path == path) {
            Some(i) => i,
            None => {
                self.features.push(FeatureResult {
                    name: name.to_string(),
                    path: path.to_path_buf(),
                    line,
                    tags: tags.to_vec(),
                    scenarios: Vec::new(),
                });
                self.features.len() - 1
            }
        };
        &mut self.features[index]
    }

    /// Sorts features by path and scenarios by line, so reports are stable.
    pub fn sort(&mut self) {
        self.features.sort_by(|a, b| a.path.cmp(&b.path));
        for feature in &mut self.features {
            feature.scenarios.sort_by_key(|s| s.line);
        }
    }
}

/// Writes `junit.xml`, `cucumber.json`, `summary.txt` and `report.html` into `dir`, all
/// redacted.
pub fn write_reports(
    dir: &Path,
    result: &RunResult,
    redactor: &Redactor,
) -> std::io::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir)?;
    let files = [
        ("junit.xml", render_junit(result, redactor)),
        ("cucumber.json", render_cucumber_json(result, redactor)),
        ("summary.txt", render_summary(result, redactor)),
        ("report.html", render_html(result, redactor)),
    ];
    let mut written = Vec::new();
    for (name, content) in files {
        let path = dir.join(name);
        std::fs::write(&path, content)?;
        written.push(path);
    }
    Ok(written)
}
