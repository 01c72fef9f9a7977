//! When a job fires next: its pending `immediately` run, its `startDate` (without
//! cron), its next cron fire time, and how many runs it has left.

use croner::Cron;

use super::definition::{next_fire, JobDef};
use super::store::MAX_RUNS_PER_JOB;

/// What made a run start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trigger {
    /// `immediately=true`.
    Immediate,
    /// `startDate` without cron.
    Once,
    /// A cron fire time.
    Cron,
}

/// When a job fires next.
#[derive(Debug, Clone)]
pub struct Schedule {
    /// `immediately=true` not fired yet: fires at `activated_ms`.
    immediate: bool,
    /// `startDate` of a job without cron, not fired yet.
    once_at: Option<u64>,
    cron: Option<Cron>,
    /// Cron fires are searched strictly after this.
    cron_from: u64,
    next_cron: Option<u64>,
    /// Runs left.
    budget: u32,
    /// When the job was created, updated or last resumed.
    pub activated_ms: u64,
}

impl Schedule {
    pub fn new(def: &JobDef, now: u64) -> Schedule {
        let budget = match (def.runs, &def.cron) {
            (Some(n), _) => n.min(MAX_RUNS_PER_JOB),
            (None, Some(_)) => MAX_RUNS_PER_JOB,
            (None, None) => 1,
        };
        let mut schedule = Schedule {
            immediate: def.immediately == Some(true),
            once_at: if def.cron.is_none() {
                def.start_at_ms
            } else {
                None
            },
            cron: def.cron.clone(),
            cron_from: now.max(def.start_at_ms.unwrap_or(0)),
            next_cron: None,
            budget,
            activated_ms: now,
        };
        schedule.recompute();
        schedule
    }

    fn recompute(&mut self) {
        self.next_cron = self
            .cron
            .as_ref()
            .and_then(|cron| next_fire(cron, self.cron_from));
    }

    /// A run is still to come.
    pub fn pending(&self) -> bool {
        self.budget > 0 && (self.immediate || self.once_at.is_some() || self.next_cron.is_some())
    }

    /// The earliest trigger due at `now`, with its fire time.
    pub fn due(&self, now: u64) -> Option<(u64, Trigger)> {
        if self.budget == 0 {
            return None;
        }
        let candidates = [
            self.immediate
                .then_some((self.activated_ms, Trigger::Immediate)),
            self.once_at
                .map(|at| (at.max(self.activated_ms), Trigger::Once)),
            self.next_cron.map(|at| (at, Trigger::Cron)),
        ];
        candidates
            .into_iter()
            .flatten()
            .filter(|(at, _)| *at <= now)
            .min_by_key(|(at, _)| *at)
    }

    pub fn consume(&mut self, trigger: Trigger, at: u64) {
        self.budget = self.budget.saturating_sub(1);
        match trigger {
            Trigger::Immediate => self.immediate = false,
            Trigger::Once => self.once_at = None,
            Trigger::Cron => {
                self.cron_from = at;
                self.recompute();
            }
        }
        if self.budget == 0 {
            self.clear();
        }
    }

    /// Cron fires missed while the job could not run are skipped.
    pub fn skip_to(&mut self, now: u64) {
        if self.cron.is_some() && self.cron_from < now {
            self.cron_from = now;
            self.recompute();
        }
    }

    pub fn clear(&mut self) {
        self.immediate = false;
        self.once_at = None;
        self.cron = None;
        self.next_cron = None;
        self.budget = 0;
    }
}
