//! The contract suite on the embedded mock, as `cargo test` runs it (harness = false):
//! every feature file, reports in target/cxgate-reports, exit 1 on any failure.
//! `CXGATE_SUITE_TAGS` (a tag expression) narrows it while working on one API.

use cxgate::verify::{run, VerifyOptions};
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    let root = env!("CARGO_MANIFEST_DIR");
    let mut options = VerifyOptions::new(root);
    options.report_dir = std::path::Path::new(root)
        .join("target")
        .join("cxgate-reports");
    options.tags = std::env::var("CXGATE_SUITE_TAGS")
        .ok()
        .filter(|t| !t.is_empty());
    match run(&options).await {
        Ok(outcome) => {
            print!("{}", outcome.summary);
            if outcome.result.passed() {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        Err(e) => {
            eprintln!("contract suite could not run: {e}");
            ExitCode::from(2)
        }
    }
}
