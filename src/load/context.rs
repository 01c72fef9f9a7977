//! What every load-test user shares: the target, the compiled contract, counters of
//! contract violations by operation, and the latency samples that are not HTTP requests
//! (notification and webhook delivery).

use crate::client::TargetConfig;
use crate::contract::ContractModel;
use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// Shared by every user of a run.
#[derive(Debug)]
pub struct LoadContext {
    pub target: TargetConfig,
    pub contract: Arc<ContractModel>,
    /// Every `sample_every`-th response is checked against its schema (1 = all).
    pub sample_every: u64,
    /// True when the target has the mock's control plane (agent replies need it).
    pub control_plane: bool,
    /// URL of the run's webhook receiver, when agent replies are part of the run.
    pub receiver_url: Option<String>,
    /// The messaging channel created for the run.
    pub channel: String,
    checked: AtomicU64,
    violations: Mutex<BTreeMap<String, u64>>,
    /// Agent replies sent, by messageId, with when they were sent.
    pub replies: Mutex<HashMap<String, Instant>>,
    /// Statistics updates received by CometD users.
    pub updates_received: AtomicU64,
    /// The most recent agent reply, the one receipts report on.
    pub last_reply: Mutex<Option<String>>,
    /// The first errors met outside HTTP checks (CometD), for the summary.
    errors: Mutex<Vec<String>>,
}

impl LoadContext {
    /// A context for one run.
    pub fn new(
        target: TargetConfig,
        contract: Arc<ContractModel>,
        sample_every: u64,
        control_plane: bool,
    ) -> LoadContext {
        LoadContext {
            channel: target.sms_channel.clone(),
            target,
            contract,
            sample_every: sample_every.max(1),
            control_plane,
            receiver_url: None,
            checked: AtomicU64::new(0),
            violations: Mutex::new(BTreeMap::new()),
            replies: Mutex::new(HashMap::new()),
            updates_received: AtomicU64::new(0),
            last_reply: Mutex::new(None),
            errors: Mutex::new(Vec::new()),
        }
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

    /// Remembers an agent reply that was sent.
    pub fn reply_sent(&self, message_id: String) {
        *self.last_reply.lock().unwrap_or_else(|p| p.into_inner()) = Some(message_id.clone());
        self.replies
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(message_id, Instant::now());
    }

    /// Keeps an error for the summary (the first 20).
    pub fn error(&self, text: String) {
        let mut errors = self.errors.lock().unwrap_or_else(|p| p.into_inner());
        if errors.len() < 20 {
            errors.push(text);
        }
    }

    /// The errors kept.
    pub fn errors(&self) -> Vec<String> {
        self.errors
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }
}
