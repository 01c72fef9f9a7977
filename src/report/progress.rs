//! The live progress line of `verify` on a terminal: scenarios done of the total,
//! failures so far, elapsed time. Drawn on stderr only when stderr is a terminal; cleared
//! when the run ends, so the summary stands alone.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal as _;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// A handle on the progress line; clones share it.
#[derive(Debug, Clone)]
pub struct Progress {
    bar: ProgressBar,
    failed: Arc<AtomicUsize>,
}

impl Progress {
    /// A line for `total` scenarios, drawn when `wanted` and stderr is a terminal.
    pub fn new(total: usize, wanted: bool) -> Progress {
        let target = if wanted && std::io::stderr().is_terminal() {
            ProgressDrawTarget::stderr()
        } else {
            ProgressDrawTarget::hidden()
        };
        let bar = ProgressBar::with_draw_target(Some(total as u64), target);
        if let Ok(style) =
            ProgressStyle::with_template("{pos}/{len} scenarios, {msg}, {elapsed_precise}")
        {
            bar.set_style(style);
        }
        bar.set_message("0 failed");
        if !bar.is_hidden() {
            bar.enable_steady_tick(Duration::from_millis(250));
        }
        Progress {
            bar,
            failed: Arc::new(AtomicUsize::new(0)),
        }
    }

    /// A line that is never drawn.
    pub fn hidden() -> Progress {
        Progress::new(0, false)
    }

    /// One more scenario finished (or was skipped).
    pub fn scenario_done(&self, failed: bool) {
        if failed {
            let n = self.failed.fetch_add(1, Ordering::Relaxed) + 1;
            self.bar.set_message(format!("{n} failed"));
        }
        self.bar.inc(1);
    }

    /// Scenarios done so far.
    pub fn done(&self) -> usize {
        usize::try_from(self.bar.position()).unwrap_or(usize::MAX)
    }

    /// Removes the line.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

#[cfg(test)]
mod tests {
    use super::Progress;

    #[test]
    fn counts_scenarios_and_failures_without_a_terminal() {
        let p = Progress::new(3, true);
        p.scenario_done(false);
        p.scenario_done(true);
        assert_eq!(p.done(), 2);
        assert_eq!(p.failed.load(std::sync::atomic::Ordering::Relaxed), 1);
        p.finish();
    }
}
