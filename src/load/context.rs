//! What every load-test user shares: the target, the compiled contract, the run's own
//! measurements (per-operation histograms), counters of contract violations by
//! operation, the first errors (failed checks and others), the shard and the identifiers
//! it gives test data, and each path's own per-run state (typed, set by the path's
//! prepare step).

use super::recorder::Recorder;
use super::shard::{Ids, Shard};
use crate::client::TargetConfig;
use crate::contract::ContractModel;
use std::any::{Any, TypeId};
use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// Shared by every user of a run.
#[derive(Debug)]
pub struct LoadContext {
    pub target: TargetConfig,
    pub contract: Arc<ContractModel>,
    /// Every `sample_every`-th response is checked against its schema (1 = all).
    pub sample_every: u64,
    /// True when the target has the mock's control plane (agent replies need it).
    pub control_plane: bool,
    /// Every request's latency and outcome, by operation.
    pub recorder: Recorder,
    /// The identifiers of the test data this shard creates.
    pub ids: Ids,
    /// The global number of this shard's first user (0 for a run that is not spread).
    pub first_user: usize,
    checked: AtomicU64,
    violations: Mutex<BTreeMap<String, u64>>,
    rate_limited: Mutex<BTreeMap<String, u64>>,
    /// The first distinct errors (failed checks, and errors outside them), for the
    /// summary.
    /// Each as (why, why with the body's start).
    errors: Mutex<Vec<(String, String)>>,
    /// Each path's own state, by type.
    parts: HashMap<TypeId, Box<dyn Any + Send + Sync>>,
}

impl LoadContext {
    /// A context for one run: shard 0 of 1 until [`LoadContext::sharded`].
    pub fn new(
        target: TargetConfig,
        contract: Arc<ContractModel>,
        sample_every: u64,
        control_plane: bool,
    ) -> LoadContext {
        LoadContext {
            target,
            contract,
            sample_every: sample_every.max(1),
            control_plane,
            recorder: Recorder::default(),
            ids: Ids::new(Shard::default()),
            first_user: 0,
            checked: AtomicU64::new(0),
            violations: Mutex::new(BTreeMap::new()),
            rate_limited: Mutex::new(BTreeMap::new()),
            errors: Mutex::new(Vec::new()),
            parts: HashMap::new(),
        }
    }

    /// The context of `shard` of a run of `total_users`.
    pub fn sharded(self, shard: Shard, total_users: usize) -> LoadContext {
        LoadContext {
            ids: Ids::new(shard),
            first_user: shard.first_user(total_users),
            ..self
        }
    }

    /// The global number of a goose user of this shard (`weighted_users_index`).
    pub fn global_user(&self, local: usize) -> usize {
        self.first_user + local
    }

    /// Keeps a path's per-run state (one value per type), before the run starts.
    pub fn insert<T: Any + Send + Sync>(&mut self, part: T) {
        self.parts.insert(TypeId::of::<T>(), Box::new(part));
    }

    /// A path's per-run state, when its prepare step kept one.
    pub fn part<T: Any + Send + Sync>(&self) -> Option<&T> {
        self.parts
            .get(&TypeId::of::<T>())
            .and_then(|p| p.downcast_ref())
    }

    /// True when this response is in the schema-checking sample.
    pub fn sampled(&self) -> bool {
        self.checked
            .fetch_add(1, Ordering::Relaxed)
            .is_multiple_of(self.sample_every)
    }

    /// Counts a contract violation of `operation`.
    pub fn violation(&self, operation: &str) {
        let mut map = self.violations.lock().unwrap_or_else(|p| p.into_inner());
        *map.entry(operation.to_string()).or_default() += 1;
    }

    /// Contract violations by operation.
    pub fn violations(&self) -> BTreeMap<String, u64> {
        self.violations
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Counts a 429 answer to `operation`: the target's rate limit, not a contract
    /// violation.
    pub fn rate_limited(&self, operation: &str) {
        let mut map = self.rate_limited.lock().unwrap_or_else(|p| p.into_inner());
        *map.entry(operation.to_string()).or_default() += 1;
    }

    /// 429 answers by operation.
    pub fn rate_limits(&self) -> BTreeMap<String, u64> {
        self.rate_limited
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Keeps an error for the summary (the first 20 distinct ones).
    pub fn error(&self, text: String) {
        self.error_with(&text, None);
    }

    /// Keeps `why`, with the start of the body received, for the summary, unless the
    /// same `why` is kept already (with any body) or 20 are.
    pub fn error_with(&self, why: &str, body: Option<&str>) {
        let mut errors = self.errors.lock().unwrap_or_else(|p| p.into_inner());
        if errors.len() >= 20 || errors.iter().any(|(w, _)| w == why) {
            return;
        }
        let text = match body.filter(|b| !b.is_empty()) {
            Some(b) => format!("{why} (body: {})", b.chars().take(200).collect::<String>()),
            None => why.to_string(),
        };
        errors.push((why.to_string(), text));
    }

    /// The errors kept.
    pub fn errors(&self) -> Vec<String> {
        self.errors
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .iter()
            .map(|(_, text)| text.clone())
            .collect()
    }
}

/// A goose transaction from an `async fn(&mut GooseUser, Arc<LoadContext>)`.
macro_rules! with_ctx {
    ($ctx:expr, $f:path) => {{
        let ctx = ::std::sync::Arc::clone($ctx);
        ::goose::goose::Transaction::new(::std::sync::Arc::new(move |user| {
            Box::pin($f(user, ctx.clone()))
        }))
    }};
}
pub(crate) use with_ctx;
