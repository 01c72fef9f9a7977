//! What `cxgate load` is asked to do: the path, the target, the users and run time, the
//! gates (thresholds, baseline), and where the embedded mock runs. The doc comments of
//! the fields are the command line's help.

use super::registry::{Selection, SelectionParser};
use super::shard::Shard;
use crate::harness::Placement;
use std::path::PathBuf;
use std::time::Duration;

/// Where the embedded mock runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum MockMode {
    /// In this process, on a runtime thread of its own.
    Thread,
    /// As a child process (`cxgate mock`).
    Process,
}

impl From<MockMode> for Placement {
    fn from(mode: MockMode) -> Placement {
        match mode {
            MockMode::Thread => Placement::Thread,
            MockMode::Process => Placement::Process,
        }
    }
}

/// What `cxgate load` was asked to do.
#[derive(Debug, Clone, clap::Args)]
pub struct LoadOptions {
    /// The directory holding `features/` and `schemas/` (the built-in contract, or the
    /// command line's `--contract-dir`).
    #[arg(skip)]
    pub root: PathBuf,
    /// Which path: auth, statistics, messaging, export or all.
    #[arg(value_parser = SelectionParser)]
    pub path: Selection,
    /// `mock`, a base URL, or targets/NAME.toml.
    #[arg(long, default_value = "mock")]
    pub target: String,
    /// Concurrent users (of the whole run, when it is spread over shards).
    #[arg(long, default_value_t = 10)]
    pub users: usize,
    /// Users started per second (of the whole run, when it is spread over shards).
    #[arg(long, default_value = "10")]
    pub increase_rate: String,
    /// Run shard I of N (0-based: a Kubernetes Indexed Job's JOB_COMPLETION_INDEX): its
    /// share of --users and --increase-rate, with test data of its own; merge the
    /// shards' --metrics-out files with `cxgate load merge`.
    #[arg(long, value_name = "I/N", value_parser = parse_shard)]
    pub shard: Option<Shard>,
    /// Start the users at this time (RFC 3339, e.g. 2026-12-02T10:00:00Z), so every
    /// shard begins together; a time past starts now, one more than 24 h ahead is refused.
    #[arg(long, value_name = "RFC3339")]
    pub start_at: Option<String>,
    /// Also write the run's measurements (per-operation HDR histograms, counts, failures
    /// by kind, the window, the shard) to this file, for `cxgate load merge`.
    #[arg(long, value_name = "FILE")]
    pub metrics_out: Option<PathBuf>,
    /// How long to run, in whole seconds, e.g. 30s or 2m.
    #[arg(long, default_value = "30s", value_name = "DURATION", allow_hyphen_values = true,
          value_parser = crate::duration::parse_whole_seconds)]
    pub run_time: Duration,
    /// Stop after this many iterations of each user instead of after --run-time.
    #[arg(long)]
    pub iterations: Option<usize>,
    /// Where the HTML, JSON and markdown reports go.
    #[arg(long, default_value = "reports")]
    pub report_dir: PathBuf,
    /// A goose threshold, e.g. "p95<200ms", "error-rate<1%", "rps>100",
    /// "p99<300ms for POST token: password grant"; repeatable.
    #[arg(long = "threshold")]
    pub thresholds: Vec<String>,
    /// The run fails when more than this share of its requests fail, in percent
    /// (transport errors included); a --threshold on "error-rate" replaces it.
    #[arg(long = "max-error-rate", value_name = "PERCENT", default_value_t = 1.0)]
    pub max_error_rate_pct: f64,
    /// Run the paths that create test data (messaging, export) against a target that
    /// is not a cxgate mock; what they create they delete again.
    #[arg(long)]
    pub allow_writes: bool,
    /// An earlier load-summary.json to compare with.
    #[arg(long)]
    pub baseline: Option<PathBuf>,
    /// Allowed regression against the baseline, in percent (p95 up, rps down).
    #[arg(long = "tolerance", value_name = "TOLERANCE", default_value_t = 10.0)]
    pub tolerance_pct: f64,
    /// Check every Nth response against its schema (1 = every response).
    #[arg(long, default_value_t = 1)]
    pub sample_every: u64,
    /// Run the embedded mock as a child process (default: disturbs the generator
    /// least, measured) or in a thread of this process.
    #[arg(long, value_enum, default_value = "process")]
    pub mock_mode: MockMode,
    /// Access-token lifetime of the embedded mock, so tokens expire during a run.
    #[arg(skip = Some(20))]
    pub mock_token_lifetime: Option<u64>,
}

impl LoadOptions {
    /// Defaults: 10 users, 10 per second, 30 s, the embedded mock in a thread.
    pub fn new(root: impl Into<PathBuf>, path: Selection) -> LoadOptions {
        let root = root.into();
        LoadOptions {
            report_dir: root.join("reports"),
            root,
            path,
            target: "mock".into(),
            users: 10,
            increase_rate: "10".into(),
            shard: None,
            start_at: None,
            metrics_out: None,
            run_time: Duration::from_secs(30),
            iterations: None,
            thresholds: Vec::new(),
            max_error_rate_pct: 1.0,
            allow_writes: false,
            baseline: None,
            tolerance_pct: 10.0,
            sample_every: 1,
            mock_mode: MockMode::Thread,
            mock_token_lifetime: Some(20),
        }
    }
}

fn parse_shard(text: &str) -> Result<Shard, String> {
    text.parse()
}

/// What `cxgate load merge` is asked to do: the shards' metrics files, and the gates the
/// merged run is judged by, as for a single run.
#[derive(Debug, Clone, clap::Args)]
pub struct MergeOptions {
    /// The --metrics-out files of every shard of one run (each shard once).
    #[arg(required = true, value_name = "FILES")]
    pub files: Vec<PathBuf>,
    /// Where the HTML, JSON and markdown reports of the merged run go.
    #[arg(long, default_value = "reports")]
    pub report_dir: PathBuf,
    /// A goose threshold judged on the merged run, e.g. "p95<200ms"; repeatable.
    #[arg(long = "threshold")]
    pub thresholds: Vec<String>,
    /// The merged run fails when more than this share of its requests fail, in percent;
    /// a --threshold on "error-rate" replaces it.
    #[arg(long = "max-error-rate", value_name = "PERCENT", default_value_t = 1.0)]
    pub max_error_rate_pct: f64,
    /// An earlier load-summary.json to compare the merged run with.
    #[arg(long)]
    pub baseline: Option<PathBuf>,
    /// Allowed regression against the baseline, in percent (p95 up, rps down).
    #[arg(long = "tolerance", value_name = "TOLERANCE", default_value_t = 10.0)]
    pub tolerance_pct: f64,
}
