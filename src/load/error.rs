//! Why a load run could not start or finish (exit code 2); a run that finished but
//! failed its gates is a [`LoadSummary`](crate::report::load::LoadSummary) instead.

use crate::harness::{from_setup_errors, SetupError};
use std::path::PathBuf;

/// Why a load run could not start or finish.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The contract, the target or the command line is wrong, or the embedded mock,
    /// the webhook receiver or the run's channel did not start (as for `verify`).
    #[error(transparent)]
    Setup(#[from] SetupError),
    /// goose refused the configuration or failed.
    #[error("goose: {}", goose_detail(.0))]
    Goose(#[from] goose::GooseError),
    /// A report could not be written, or the baseline read.
    #[error("{}: {source}", path.display())]
    File {
        /// The file or directory.
        path: PathBuf,
        /// What the file system said.
        #[source]
        source: std::io::Error,
    },
    /// A metrics file cannot be merged (unreadable, corrupted, of another run, a shard
    /// missing or given twice).
    #[error(transparent)]
    Merge(#[from] super::metrics::Refusal),
    /// The baseline is not a load summary.
    #[error("{}: not a cxgate load summary (load-summary.json): {source}", path.display())]
    Baseline {
        /// The `--baseline` file.
        path: PathBuf,
        /// Where its JSON differs from a summary.
        #[source]
        source: serde_json::Error,
    },
}

/// goose's error with the option, value and detail it carries (its own message is only
/// "invalid option or value specified").
pub(crate) fn goose_detail(error: &goose::GooseError) -> String {
    match error {
        goose::GooseError::InvalidOption {
            option,
            value,
            detail,
        } => format!("{option} = {value:?}: {detail}"),
        other => other.to_string(),
    }
}

impl LoadError {
    /// A command-line mistake.
    pub fn usage(text: impl Into<String>) -> LoadError {
        LoadError::Setup(SetupError::Usage(text.into()))
    }

    /// `path` could not be read or written.
    pub fn file(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> LoadError {
        let path = path.into();
        move |source| LoadError::File { path, source }
    }
}

from_setup_errors!(LoadError);
