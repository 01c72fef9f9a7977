//! The value engine: a statistic's value is a pure function of (seed, statistic,
//! object, mock-time bucket), so two mocks with the same seed agree at the same time.

use serde_json::{json, Value};
use sha2::{Digest, Sha256};

/// Agent states a `CurrentAgentState` cycles through, with the mock's codes.
///
/// The reference gives no layout for this value beyond "reflects the structure
/// of the Stat Server message" (line 2839; notes section 6), so the codes are
/// the mock's own. Neighbours differ (the last wraps to the first), so every
/// step of the cycle is a real change.
const AGENT_CYCLE: [(&str, i64); 10] = [
    ("Ready", 1),
    ("Busy", 3),
    ("AfterCallWork", 4),
    ("Ready", 1),
    ("NotReady", 2),
    ("Ready", 1),
    ("Busy", 3),
    ("AfterCallWork", 4),
    ("NotReady", 2),
    ("LoggedOut", 0),
];

/// How a statistic's value is derived.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StatKind {
    /// `CurrentAgentState`: a state name and its code.
    AgentState,
    /// `TimeInCurrentState`: whole seconds since the agent state began.
    TimeInState,
    /// An integer in `lo..=hi`, drawn anew every bucket.
    Integer {
        /// Smallest value.
        lo: i64,
        /// Largest value.
        hi: i64,
    },
}

/// A statistic the engine can evaluate: its kind and the key that seeds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatKey {
    /// How the value is derived.
    pub kind: StatKind,
    /// `named:<name>` or `defined:<canonical definition>`.
    pub key: String,
}

impl StatKey {
    /// The key of a pre-configured statistic. `AverageHandlingTime` lies in
    /// 60..600 seconds; other names the mock does not model are 0..999.
    pub fn named(name: &str) -> StatKey {
        let kind = match name {
            "CurrentAgentState" => StatKind::AgentState,
            "TimeInCurrentState" => StatKind::TimeInState,
            "AverageHandlingTime" => StatKind::Integer { lo: 60, hi: 600 },
            _ => StatKind::Integer { lo: 0, hi: 999 },
        };
        StatKey {
            kind,
            key: format!("named:{name}"),
        }
    }

    /// The key of a statistic given by definition (its canonical text).
    pub fn defined(canonical: &str) -> StatKey {
        StatKey {
            kind: StatKind::Integer { lo: 0, hi: 999 },
            key: format!("defined:{canonical}"),
        }
    }
}

/// One evaluated value: the Stat Server shape (notes section 2) and its time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sample {
    /// `intValue`.
    pub int_value: i64,
    /// `stringValue`.
    pub string_value: String,
    /// Start of the bucket, Unix milliseconds (mock time).
    pub timestamp: u64,
}

impl Sample {
    /// `{"intValue","stringValue","tag":-1,"intervalLength":0,"timestamp"}`, the
    /// shape Genesys's own simulator emits (notes section 2).
    pub fn value(&self) -> Value {
        json!({
            "intValue": self.int_value,
            "stringValue": self.string_value,
            "tag": -1,
            "intervalLength": 0,
            "timestamp": self.timestamp,
        })
    }

    /// What "the value changed" compares (not the timestamp).
    pub fn same_as(&self, other: &Sample) -> bool {
        self.int_value == other.int_value && self.string_value == other.string_value
    }
}

/// Evaluates statistics from a seed and a bucket length.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Engine {
    seed: u64,
    period_ms: u64,
}

impl Engine {
    /// An engine; `period_ms` 0 is treated as 1.
    pub fn new(seed: u64, period_ms: u64) -> Engine {
        Engine {
            seed,
            period_ms: period_ms.max(1),
        }
    }

    fn hash(&self, parts: &[&str], n: u64) -> u64 {
        let mut hasher = Sha256::new();
        hasher.update(self.seed.to_le_bytes());
        for part in parts {
            hasher.update((part.len() as u64).to_le_bytes());
            hasher.update(part.as_bytes());
        }
        hasher.update(n.to_le_bytes());
        let digest = hasher.finalize();
        let mut first = [0u8; 8];
        first.copy_from_slice(&digest[..8]);
        u64::from_le_bytes(first)
    }

    /// The agent state of an object at `bucket`, and the bucket it began in.
    /// Each object has its own dwell time (3..=8 buckets), phase and start in the cycle.
    fn agent_state(&self, object_type: &str, object_id: &str, bucket: u64) -> (usize, u64) {
        let h = self.hash(&["agent-state", object_type, object_id], 0);
        let dwell = 3 + h % 6;
        let phase = (h >> 8) % dwell;
        let offset = (h >> 16) % AGENT_CYCLE.len() as u64;
        let epoch = (bucket + phase) / dwell;
        let began = (epoch * dwell).saturating_sub(phase);
        let index = usize::try_from((epoch + offset) % AGENT_CYCLE.len() as u64).unwrap_or(0);
        (index, began)
    }

    /// The value of `stat` for the object at mock time `now_ms`.
    pub fn sample(
        &self,
        stat: &StatKey,
        object_type: &str,
        object_id: &str,
        now_ms: u64,
    ) -> Sample {
        let bucket = now_ms / self.period_ms;
        let timestamp = bucket * self.period_ms;
        let (int_value, string_value) = match &stat.kind {
            StatKind::AgentState => {
                let (index, _) = self.agent_state(object_type, object_id, bucket);
                let (name, code) = AGENT_CYCLE[index % AGENT_CYCLE.len()];
                (code, name.to_owned())
            }
            StatKind::TimeInState => {
                let (_, began) = self.agent_state(object_type, object_id, bucket);
                let secs = (bucket - began.min(bucket)) * self.period_ms / 1000;
                let secs = i64::try_from(secs).unwrap_or(i64::MAX);
                (secs, secs.to_string())
            }
            StatKind::Integer { lo, hi } => {
                let span = u64::try_from(hi - lo + 1).unwrap_or(1).max(1);
                let draw = self.hash(&[&stat.key, object_type, object_id], bucket) % span;
                let v = lo + i64::try_from(draw).unwrap_or(0);
                (v, v.to_string())
            }
        };
        Sample {
            int_value,
            string_value,
            timestamp,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: u64 = 1_767_225_600_000; // 2026-01-01T00:00:00Z

    #[test]
    fn the_same_seed_gives_the_same_values_and_another_seed_differs_somewhere() {
        let a = Engine::new(7, 1000);
        let b = Engine::new(7, 1000);
        let c = Engine::new(8, 1000);
        let aht = StatKey::named("AverageHandlingTime");
        let mut differs = false;
        for i in 0..50 {
            let t = T + i * 1000;
            assert_eq!(
                a.sample(&aht, "Agent", "agent", t),
                b.sample(&aht, "Agent", "agent", t)
            );
            differs |= a.sample(&aht, "Agent", "agent", t) != c.sample(&aht, "Agent", "agent", t);
        }
        assert!(differs);
    }

    #[test]
    fn values_hold_within_a_bucket_and_average_handling_time_stays_in_range() {
        let engine = Engine::new(1, 1000);
        let aht = StatKey::named("AverageHandlingTime");
        assert_eq!(
            engine.sample(&aht, "Agent", "a", T + 10),
            Sample {
                timestamp: T,
                ..engine.sample(&aht, "Agent", "a", T + 999)
            }
        );
        for i in 0..200 {
            let v = engine.sample(&aht, "Agent", "a", T + i * 1000).int_value;
            assert!((60..=600).contains(&v), "{v}");
        }
    }

    #[test]
    fn the_agent_state_changes_every_few_buckets_and_time_in_state_counts_from_the_change() {
        let engine = Engine::new(20_260_101, 1000);
        let state = StatKey::named("CurrentAgentState");
        let time = StatKey::named("TimeInCurrentState");
        let mut changes = 0;
        let mut previous = engine.sample(&state, "Agent", "agent1", T);
        for i in 1..60 {
            let t = T + i * 1000;
            let now = engine.sample(&state, "Agent", "agent1", t);
            let secs = engine.sample(&time, "Agent", "agent1", t).int_value;
            if now.same_as(&previous) {
                assert!(secs > 0);
            } else {
                changes += 1;
                assert_eq!(secs, 0);
            }
            assert!(secs < 8);
            previous = now;
        }
        assert!((7..=20).contains(&changes), "{changes}");
    }
}
