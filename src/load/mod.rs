//! `cxgate load`: goose scenarios for the auth, statistics, messaging and export
//! paths, driven in-process, with every response checked against the contract,
//! thresholds and a baseline gating the exit code, and reports a person can read.
//!
//! A path is a module that exports a [`LoadPath`] (name, scenarios, optional prepare
//! and account steps), listed in [`registry::PATHS`]. Its transactions send
//! [`call::Call`]s, which check each response against the contract.

mod attack;
mod auth;
mod call;
mod check;
mod context;
mod error;
mod export;
mod messaging;
mod options;
pub mod registry;
mod session;
mod statistics;
mod summary;

pub use context::LoadContext;
pub use error::LoadError;
pub use options::{LoadOptions, MockMode};
pub use registry::{LoadPath, Selection};

use crate::client::{TargetConfig, TargetKind};
use crate::contract::ContractModel;
use crate::harness::{probe_control_plane, require_credentials, EmbeddedMock};
use crate::mock::MockConfig;
use crate::report::load::LoadSummary;
use std::path::PathBuf;
use std::sync::Arc;

/// A finished load run.
#[derive(Debug)]
pub struct LoadOutcome {
    pub summary: LoadSummary,
    pub reports: Vec<PathBuf>,
}

impl LoadOutcome {
    /// True when every gate passed (exit code 0; otherwise 1).
    pub fn passed(&self) -> bool {
        self.summary.passed()
    }
}

/// Checks the options a run cannot start without, and reads the baseline.
fn check_options(options: &LoadOptions) -> Result<Option<LoadSummary>, LoadError> {
    if options.users == 0 {
        return Err(LoadError::usage("--users must be at least 1"));
    }
    for rule in &options.thresholds {
        rule.parse::<goose::threshold::Threshold>().map_err(|e| {
            LoadError::usage(format!("--threshold {rule:?}: {}", error::goose_detail(&e)))
        })?;
    }
    let Some(path) = &options.baseline else {
        return Ok(None);
    };
    let text = std::fs::read_to_string(path).map_err(LoadError::file(path))?;
    serde_json::from_str::<LoadSummary>(&text)
        .map(Some)
        .map_err(|source| LoadError::Baseline {
            path: path.clone(),
            source,
        })
}

/// Runs the load test and writes its reports.
pub async fn run(options: &LoadOptions) -> Result<LoadOutcome, LoadError> {
    let baseline = check_options(options)?;
    let contract = Arc::new(ContractModel::load(&options.root)?);
    let mut target = TargetConfig::resolve(&options.target, &|name| std::env::var(name).ok())?;
    let mut config = MockConfig::default_seed();
    if let Some(lifetime) = options.mock_token_lifetime {
        config.auth.token_lifetime_secs = lifetime;
    }
    let _mock = EmbeddedMock::start_for(&mut target, options.mock_mode.into(), config).await?;
    let control_plane = probe_control_plane(&target.base_url).await;
    require_credentials(&target, control_plane)?;
    let mock_target = control_plane || target.kind == TargetKind::EmbeddedMock;
    if !mock_target && !options.allow_writes {
        let writing: Vec<String> = options
            .path
            .paths()
            .iter()
            .filter_map(|p| p.writes.map(|what| format!("{} ({what})", p.name)))
            .collect();
        if !writing.is_empty() {
            return Err(LoadError::usage(format!(
                "{} is not a cxgate mock, and the load path {} writes to it; pass \
                 --allow-writes to let it, or load auth or statistics, which only read and \
                 hold their own sessions",
                target.base_url,
                writing.join(" and ")
            )));
        }
    }
    let mut ctx = LoadContext::new(
        target.clone(),
        contract,
        options.sample_every,
        control_plane,
    );
    for path in options.path.paths() {
        if let Some(prepare) = path.prepare {
            prepare(&mut ctx).await?;
        }
    }
    let ctx = Arc::new(ctx);

    std::fs::create_dir_all(&options.report_dir).map_err(LoadError::file(&options.report_dir))?;
    let (metrics, elapsed) = attack::execute(options, &ctx).await?;
    let mut summary = summary::summarise(options, &target, &metrics, &ctx, elapsed);
    for path in options.path.paths() {
        if let Some(account) = path.account {
            account(&ctx, &mut summary).await;
        }
    }
    if let Some(base) = &baseline {
        summary.compare(base, options.tolerance_pct);
    }
    let md = options.report_dir.join("load-summary.md");
    let summary_json = options.report_dir.join("load-summary.json");
    std::fs::write(&md, summary.markdown()).map_err(LoadError::file(&md))?;
    std::fs::write(
        &summary_json,
        serde_json::to_string_pretty(&summary).unwrap_or_default(),
    )
    .map_err(LoadError::file(&summary_json))?;
    let [html, json] = attack::report_files(&options.report_dir);
    let redactor = crate::report::Redactor::new();
    target
        .secrets()
        .iter()
        .for_each(|secret| redactor.add(secret));
    let page = crate::report::render_load_html(&summary, &attack::timeline(&json), &redactor);
    std::fs::write(&html, page).map_err(LoadError::file(&html))?;
    Ok(LoadOutcome {
        summary,
        reports: vec![html, json, md, summary_json],
    })
}
