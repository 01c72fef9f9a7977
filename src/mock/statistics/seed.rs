//! `[statistics]` of the seed: the value engine, CometD timings, the Stat Server
//! objects and the named statistics of the tenant.

use std::collections::HashSet;

use serde::Deserialize;

/// `[statistics]`: seed and timings of the Statistics API and its CometD server.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatisticsConfig {
    /// Seed of the value engine: same seed, same values at the same mock time.
    pub seed: u64,
    /// Values move once per period (milliseconds of mock time).
    pub change_period_ms: u64,
    /// Live subscriptions one user may hold; one more is the documented 403
    /// (reference line 3099).
    pub max_subscriptions: usize,
    /// How long a `/meta/connect` is held; sent as `advice.timeout`.
    pub cometd_timeout_ms: u64,
    /// A session without a connect for this long (none outstanding) is dropped.
    pub cometd_max_interval_ms: u64,
    /// Stat Server objects that exist (`objectType` + `objectId`).
    #[serde(default)]
    pub objects: Vec<StatObjectConfig>,
    /// Pre-configured statistics a request may name.
    #[serde(default)]
    pub named: Vec<NamedStatisticConfig>,
}

/// One Stat Server object, e.g. `{type = "Agent", id = "agent1"}`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatObjectConfig {
    /// `objectType`, e.g. `Agent`.
    #[serde(rename = "type")]
    pub object_type: String,
    /// `objectId`, e.g. `agent1`.
    pub id: String,
}

/// How Stat Server reports a statistic to a subscription (reference 2615).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
pub enum NotificationMode {
    /// On every change of the value.
    Immediate,
    /// Every `notification_frequency` seconds.
    Periodical,
    /// Never pushed (peek only).
    Reset,
    /// Never pushed.
    NoNotification,
}

impl NotificationMode {
    /// The mode named exactly `name` (`Immediate`, `Periodical`, `Reset`, `NoNotification`).
    pub fn parse(name: &str) -> Option<NotificationMode> {
        match name {
            "Immediate" => Some(NotificationMode::Immediate),
            "Periodical" => Some(NotificationMode::Periodical),
            "Reset" => Some(NotificationMode::Reset),
            "NoNotification" => Some(NotificationMode::NoNotification),
            _ => None,
        }
    }
}

/// `[[statistics.named]]`: one pre-configured statistic (e.g. `AverageHandlingTime`,
/// reference line 2675).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NamedStatisticConfig {
    /// The name a request uses.
    pub name: String,
    /// How subscriptions to it are notified.
    pub notification_mode: NotificationMode,
    /// Seconds between notifications; required for `Periodical`.
    #[serde(default)]
    pub notification_frequency: Option<u64>,
}

impl Default for StatisticsConfig {
    /// The built-in `[statistics]` seed; equal to the one in `targets/mock.toml`.
    fn default() -> StatisticsConfig {
        let object = |id: &str| StatObjectConfig {
            object_type: "Agent".to_owned(),
            id: id.to_owned(),
        };
        let named =
            |name: &str, mode: NotificationMode, frequency: Option<u64>| NamedStatisticConfig {
                name: name.to_owned(),
                notification_mode: mode,
                notification_frequency: frequency,
            };
        StatisticsConfig {
            seed: 20_260_101,
            change_period_ms: 1000,
            max_subscriptions: 20_000,
            cometd_timeout_ms: 20_000,
            cometd_max_interval_ms: 10_000,
            objects: vec![
                object("agent"),
                object("agent2"),
                object("agent1"),
                object("supervisor1"),
            ],
            named: vec![
                named("CurrentAgentState", NotificationMode::Immediate, None),
                named("TimeInCurrentState", NotificationMode::Periodical, Some(1)),
                named("AverageHandlingTime", NotificationMode::Periodical, Some(5)),
            ],
        }
    }
}

impl StatisticsConfig {
    /// The pre-configured statistic named exactly `name`.
    pub fn named(&self, name: &str) -> Option<&NamedStatisticConfig> {
        self.named.iter().find(|n| n.name == name)
    }

    /// Does the object `object_type`/`object_id` exist?
    pub fn has_object(&self, object_type: &str, object_id: &str) -> bool {
        self.objects
            .iter()
            .any(|o| o.object_type == object_type && o.id == object_id)
    }

    pub(crate) fn validate(&self) -> Result<(), String> {
        if self.change_period_ms == 0 {
            return Err("[statistics] change_period_ms must be at least 1".to_owned());
        }
        if self.cometd_timeout_ms == 0 || self.cometd_max_interval_ms == 0 {
            return Err(
                "[statistics] cometd_timeout_ms and cometd_max_interval_ms must be at least 1"
                    .to_owned(),
            );
        }
        let mut objects = HashSet::new();
        for (i, object) in self.objects.iter().enumerate() {
            if object.object_type.is_empty() || object.id.is_empty() {
                return Err(format!(
                    "[statistics] objects[{i}] needs a non-empty type and id"
                ));
            }
            if !objects.insert((object.object_type.as_str(), object.id.as_str())) {
                return Err(format!(
                    "[statistics] objects[{i}] {}/{} is declared twice",
                    object.object_type, object.id
                ));
            }
        }
        let mut names = HashSet::new();
        for (i, named) in self.named.iter().enumerate() {
            if named.name.is_empty() {
                return Err(format!(
                    "[[statistics.named]] entry {i} needs a non-empty name"
                ));
            }
            if !names.insert(named.name.as_str()) {
                return Err(format!(
                    "[[statistics.named]] `{}` is declared twice",
                    named.name
                ));
            }
            if named.notification_frequency == Some(0) {
                return Err(format!(
                    "[[statistics.named]] `{}` notification_frequency must be at least 1",
                    named.name
                ));
            }
            if named.notification_mode == NotificationMode::Periodical
                && named.notification_frequency.is_none()
            {
                return Err(format!(
                    "[[statistics.named]] `{}` is Periodical and needs notification_frequency",
                    named.name
                ));
            }
        }
        Ok(())
    }
}
