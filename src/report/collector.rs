//! A cucumber writer that turns the run's events into a [`RunResult`].

use super::{Progress, Redactor, RunResult, ScenarioResult, Status, StepResult};
use cucumber::event::{self, Cucumber, Feature, RetryableScenario, Rule, Scenario, StepError};
use cucumber::gherkin;
use cucumber::{parser, writer, Event, Writer};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

/// Collects events; clone it to keep a handle on the result after the run.
#[derive(Debug, Clone)]
pub struct Collector {
    inner: Arc<Mutex<State>>,
    redactor: Redactor,
    progress: Progress,
    /// The contract's root: feature files are shown relative to it.
    base: PathBuf,
}

#[derive(Debug, Default)]
struct State {
    result: RunResult,
    scenario_started: HashMap<(PathBuf, usize), SystemTime>,
    step_started: HashMap<(PathBuf, usize, usize), SystemTime>,
}

impl Collector {
    /// An empty collector; failure messages pass through `redactor`.
    pub fn new(redactor: Redactor) -> Collector {
        Collector {
            inner: Arc::new(Mutex::new(State::default())),
            redactor,
            progress: Progress::hidden(),
            base: PathBuf::new(),
        }
    }

    /// The same, showing feature files relative to `base` (the contract's root).
    pub fn with_base(self, base: &Path) -> Collector {
        Collector {
            base: base.to_path_buf(),
            ..self
        }
    }

    /// The same, ticking `progress` as scenarios finish or are skipped.
    pub fn with_progress(self, progress: Progress) -> Collector {
        Collector { progress, ..self }
    }

    /// The result so far (after the run: the whole result).
    pub fn result(&self) -> RunResult {
        let state = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        let mut result = state.result.clone();
        result.sort();
        result
    }

    /// Records a scenario that was left out of the run, with the reason.
    pub fn skip(&self, feature: &gherkin::Feature, scenario: &gherkin::Scenario, reason: &str) {
        let mut state = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        let path = feature_path(feature, &self.base);
        let steps = scenario
            .steps
            .iter()
            .map(|s| StepResult {
                keyword: s.keyword.clone(),
                text: s.value.clone(),
                line: s.position.line,
                status: Status::Skipped,
                error: None,
                duration: Duration::ZERO,
            })
            .collect();
        let skipped = scenario_result(scenario, steps, Status::Skipped, Some(reason.to_string()));
        scenarios_of(&mut state.result, &path, feature).push(skipped);
        self.progress.scenario_done(false);
    }

    fn handle(&self, event: parser::Result<Event<Cucumber<impl std::fmt::Debug>>>) {
        let mut state = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        let Event { at, value, .. } = match event {
            Ok(ev) => ev,
            Err(e) => {
                let message = self.redactor.redact(&e.to_string());
                state.result.errors.push(message);
                return;
            }
        };
        if let Cucumber::Feature(
            feature,
            Feature::Scenario(scenario, RetryableScenario { event, .. })
            | Feature::Rule(_, Rule::Scenario(scenario, RetryableScenario { event, .. })),
        ) = value
        {
            self.on_scenario(&mut state, &feature, &scenario, event, at);
        }
    }

    fn on_scenario<W>(
        &self,
        state: &mut State,
        feature: &gherkin::Feature,
        scenario: &gherkin::Scenario,
        event: Scenario<W>,
        at: SystemTime,
    ) {
        let path = feature_path(feature, &self.base);
        let key = (path.clone(), scenario.position.line);
        match event {
            Scenario::Started => {
                state.scenario_started.insert(key, at);
                let started = scenario_result(scenario, Vec::new(), Status::Passed, None);
                scenarios_of(&mut state.result, &path, feature).push(started);
            }
            Scenario::Step(step, ev) | Scenario::Background(step, ev) => {
                let step_key = (path.clone(), scenario.position.line, step.position.line);
                let outcome = match ev {
                    event::Step::Started => {
                        state.step_started.insert(step_key, at);
                        return;
                    }
                    event::Step::Passed(..) => (Status::Passed, None),
                    event::Step::Skipped => (
                        Status::Failed,
                        Some(format!(
                            "{}:{}: undefined step: no step definition matches \"{}{}\"",
                            path.display(),
                            step.position.line,
                            step.keyword,
                            step.value
                        )),
                    ),
                    event::Step::Failed(_, _, _, err) => (
                        Status::Failed,
                        Some(format!(
                            "{}:{}: {}{}\n{}",
                            path.display(),
                            step.position.line,
                            step.keyword,
                            step.value,
                            self.redactor.redact(&step_error_text(&err))
                        )),
                    ),
                };
                let started = state.step_started.remove(&step_key).unwrap_or(at);
                let duration = at.duration_since(started).unwrap_or_default();
                if let Some(sc) = find_scenario(state, &path, scenario.position.line) {
                    if outcome.0 == Status::Failed {
                        sc.status = Status::Failed;
                        if sc.reason.is_none() {
                            sc.reason.clone_from(&outcome.1);
                        }
                    }
                    sc.steps.push(StepResult {
                        keyword: step.keyword.clone(),
                        text: step.value.clone(),
                        line: step.position.line,
                        status: outcome.0,
                        error: outcome.1,
                        duration,
                    });
                }
            }
            Scenario::Hook(_, event::Hook::Failed(_, info)) => {
                if let Some(sc) = find_scenario(state, &path, scenario.position.line) {
                    sc.status = Status::Failed;
                    let text = format!(
                        "{}:{}: hook failed: {}",
                        path.display(),
                        scenario.position.line,
                        self.redactor.redact(&panic_text(&info))
                    );
                    // A failed step keeps its reason first; the hook's is added after it.
                    sc.reason = Some(match sc.reason.take() {
                        Some(step) => format!("{step}\n{text}"),
                        None => text,
                    });
                }
            }
            Scenario::Finished => {
                let started = state.scenario_started.remove(&key).unwrap_or(at);
                let duration = at.duration_since(started).unwrap_or_default();
                if let Some(sc) = find_scenario(state, &path, scenario.position.line) {
                    self.progress.scenario_done(sc.status == Status::Failed);
                    sc.duration = duration;
                    // Steps after a failure never ran: list them as skipped.
                    let ran: Vec<usize> = sc.steps.iter().map(|s| s.line).collect();
                    for step in feature
                        .background
                        .iter()
                        .flat_map(|b| &b.steps)
                        .chain(&scenario.steps)
                    {
                        if !ran.contains(&step.position.line) {
                            sc.steps.push(StepResult {
                                keyword: step.keyword.clone(),
                                text: step.value.clone(),
                                line: step.position.line,
                                status: Status::Skipped,
                                error: None,
                                duration: Duration::ZERO,
                            });
                        }
                    }
                }
            }
            _ => {}
        }
    }
}

/// The result of `scenario` so far: `steps`, `status` and `reason`, no duration yet.
fn scenario_result(
    scenario: &gherkin::Scenario,
    steps: Vec<StepResult>,
    status: Status,
    reason: Option<String>,
) -> ScenarioResult {
    ScenarioResult {
        name: scenario.name.clone(),
        line: scenario.position.line,
        tags: scenario.tags.clone(),
        steps,
        status,
        reason,
        duration: Duration::ZERO,
    }
}

/// The scenarios of `feature` (at `path`) in `result`, the feature added if new.
fn scenarios_of<'a>(
    result: &'a mut RunResult,
    path: &Path,
    feature: &gherkin::Feature,
) -> &'a mut Vec<ScenarioResult> {
    &mut result
        .feature_mut(path, &feature.name, feature.position.line, &feature.tags)
        .scenarios
}

fn find_scenario<'a>(
    state: &'a mut State,
    path: &Path,
    line: usize,
) -> Option<&'a mut ScenarioResult> {
    state
        .result
        .features
        .iter_mut()
        .filter(|f| f.path == path)
        .flat_map(|f| f.scenarios.iter_mut())
        .rev()
        .find(|s| s.line == line)
}

/// The feature's path relative to `base` (the contract's root) when it lies below it,
/// else relative to the working directory when possible.
pub(crate) fn feature_path(feature: &gherkin::Feature, base: &Path) -> PathBuf {
    let path = feature
        .path
        .clone()
        .unwrap_or_else(|| PathBuf::from(&feature.name));
    if !base.as_os_str().is_empty() {
        if let Ok(relative) = path.strip_prefix(base) {
            return relative.to_path_buf();
        }
    }
    match std::env::current_dir() {
        Ok(cwd) => path
            .strip_prefix(&cwd)
            .map(Path::to_path_buf)
            .unwrap_or(path),
        Err(_) => path,
    }
}

fn step_error_text(err: &StepError) -> String {
    match err {
        StepError::Panic(info) => panic_text(info),
        other => other.to_string(),
    }
}

fn panic_text(info: &event::Info) -> String {
    if let Some(s) = info.downcast_ref::<String>() {
        s.clone()
    } else if let Some(s) = info.downcast_ref::<&str>() {
        (*s).to_string()
    } else {
        "step panicked with a non-text payload".to_string()
    }
}

impl<W: std::fmt::Debug> Writer<W> for Collector {
    type Cli = cucumber::cli::Empty;

    async fn handle_event(&mut self, event: parser::Result<Event<Cucumber<W>>>, _cli: &Self::Cli) {
        self.handle(event);
    }
}

impl writer::Normalized for Collector {}
