//! The live Openmedia state: the configured open media services and the
//! interactions created in each, found by id or by `ext_{externalId}`.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};

use serde_json::{json, Map, Value};

use super::super::kernel::clock::MockClock;
use super::request::{ChangeProperties, CreateInteraction, StopInteraction};
use super::seed::OpenmediaConfig;
use super::timestamp;

/// Interactions kept per service; the oldest go first, so a long load run
/// keeps the mock's memory bounded.
const MAX_KEPT: usize = 100_000;

/// Why an operation was refused; the handler turns it into the envelope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// 400 `INVALID_PARAMETER`: a bad body or path value, or a rule of the
    /// interaction's life (a stopped interaction cannot change).
    BadRequest(String),
    /// 404: no such open media service or interaction.
    NotFound(String),
    /// 409: the externalId is taken in that service (reference 3508).
    Conflict(String),
}

/// `active` until stopped; a stopped interaction stays readable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InteractionState {
    /// Created, not stopped.
    Active,
    /// Stopped by `POST .../stop`.
    Stopped,
}

impl InteractionState {
    /// `active` or `stopped`, as in `data.interaction.state`.
    pub fn as_str(self) -> &'static str {
        match self {
            InteractionState::Active => "active",
            InteractionState::Stopped => "stopped",
        }
    }
}

/// One open media interaction.
#[derive(Debug, Clone, PartialEq)]
pub struct Interaction {
    /// UUID v4, the `{interactionId}` path segment.
    pub id: String,
    /// The open media service it was created in.
    pub service: String,
    /// `externalId`, unique within the service.
    pub external_id: Option<String>,
    /// `parentInteractionId`, as given.
    pub parent_interaction_id: Option<String>,
    /// `receivedAt`, as given, or the creation time.
    pub received_at: String,
    /// `active` or `stopped`.
    pub state: InteractionState,
    /// `userData`, changed by update.
    pub user_data: Map<String, Value>,
    /// When it was stopped (RFC 3339).
    pub stopped_at: Option<String>,
    /// The stop request's reason, when it gave one.
    pub stop_reason: Option<StopInteraction>,
}

impl Interaction {
    /// Applies a change to userData, all or nothing: changed keys must exist,
    /// added keys must not, deleted keys must exist.
    pub fn update(&mut self, change: ChangeProperties) -> Result<(), Refusal> {
        let data = &self.user_data;
        let missing = change
            .changed
            .keys()
            .chain(change.deleted.iter())
            .find(|key| !data.contains_key(key.as_str()));
        if let Some(key) = missing {
            return Err(Refusal::BadRequest(format!(
                "userData has no key `{key}` to change or delete; add it with addedProperties"
            )));
        }
        if let Some(key) = change
            .added
            .keys()
            .find(|key| data.contains_key(key.as_str()))
        {
            return Err(Refusal::BadRequest(format!(
                "userData already has the key `{key}`; change it with changedProperties"
            )));
        }
        for key in &change.deleted {
            self.user_data.remove(key);
        }
        self.user_data.extend(change.changed);
        self.user_data.extend(change.added);
        Ok(())
    }

    /// Stops it now (by `clock`), keeping the reason when the request gave one.
    pub fn stop(&mut self, reason: StopInteraction, clock: &MockClock) {
        self.state = InteractionState::Stopped;
        self.stopped_at = Some(timestamp::now(clock));
        let given = reason.reason_system_name.is_some() || reason.reason_description.is_some();
        self.stop_reason = given.then_some(reason);
    }

    /// `data.interaction` of an InteractionResponse. Absent values are left
    /// out, never `null`.
    pub fn to_json(&self) -> Value {
        let mut out = json!({
            "id": self.id,
            "service": self.service,
            "state": self.state.as_str(),
            "receivedAt": self.received_at,
            "userData": self.user_data,
        });
        let Value::Object(map) = &mut out else {
            return out;
        };
        let mut put = |name: &str, value: Option<Value>| {
            if let Some(value) = value {
                map.insert(name.to_owned(), value);
            }
        };
        put("externalId", self.external_id.clone().map(Value::String));
        put(
            "parentInteractionId",
            self.parent_interaction_id.clone().map(Value::String),
        );
        put("stoppedAt", self.stopped_at.clone().map(Value::String));
        put(
            "stopReason",
            self.stop_reason.as_ref().map(|reason| {
                let mut r = Map::new();
                if let Some(name) = &reason.reason_system_name {
                    r.insert("reasonSystemName".into(), Value::String(name.clone()));
                }
                if let Some(text) = &reason.reason_description {
                    r.insert("reasonDescription".into(), Value::String(text.clone()));
                }
                Value::Object(r)
            }),
        );
        out
    }
}

/// How the path names an interaction: `{interactionId}` or `ext_{externalId}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Key {
    /// The mock's UUID.
    Id(String),
    /// The caller's externalId.
    External(String),
}

impl Key {
    /// `ext_X` is the externalId `X` (which must not be empty); anything else
    /// is an interaction id. Ids are UUIDs, so they never start with `ext_`.
    pub fn parse(segment: &str) -> Result<Key, Refusal> {
        match segment.strip_prefix("ext_") {
            Some("") => Err(Refusal::BadRequest(
                "ext_ needs an externalId after it: .../interactions/ext_{externalId}".to_owned(),
            )),
            Some(external) => Ok(Key::External(external.to_owned())),
            None => Ok(Key::Id(segment.to_owned())),
        }
    }
}

#[derive(Debug, Default)]
struct Service {
    interactions: HashMap<String, Interaction>,
    by_external: HashMap<String, String>,
    order: VecDeque<String>,
}

impl Service {
    fn id_of(&self, key: &Key) -> Option<String> {
        match key {
            Key::Id(id) => self.interactions.contains_key(id).then(|| id.clone()),
            Key::External(external) => self.by_external.get(external).cloned(),
        }
    }

    fn insert(&mut self, interaction: Interaction) {
        while self.order.len() >= MAX_KEPT {
            let Some(oldest) = self.order.pop_front() else {
                break;
            };
            if let Some(gone) = self.interactions.remove(&oldest) {
                if let Some(external) = gone.external_id {
                    self.by_external.remove(&external);
                }
            }
        }
        if let Some(external) = &interaction.external_id {
            self.by_external
                .insert(external.clone(), interaction.id.clone());
        }
        self.order.push_back(interaction.id.clone());
        self.interactions
            .insert(interaction.id.clone(), interaction);
    }
}

/// Shared by the Openmedia handlers and `/__cxgate/reset`.
#[derive(Debug)]
pub struct OpenmediaHub {
    services: Vec<String>,
    inner: Mutex<HashMap<String, Service>>,
    /// The one mock clock: `receivedAt` and `stoppedAt` follow `/__cxgate/clock/advance`.
    clock: MockClock,
}

fn not_found(service: &str, key: &Key) -> Refusal {
    Refusal::NotFound(match key {
        Key::Id(id) => format!("interaction {id} not found in open media service `{service}`"),
        Key::External(external) => {
            format!("no interaction with externalId `{external}` in open media service `{service}`")
        }
    })
}

fn stopped(interaction: &Interaction) -> Refusal {
    Refusal::BadRequest(format!(
        "interaction {} is stopped; a stopped interaction cannot be updated or stopped again",
        interaction.id
    ))
}

impl OpenmediaHub {
    /// Empty services, one per `[openmedia] services` entry of the seed.
    pub fn new(seed: &OpenmediaConfig, clock: MockClock) -> Arc<OpenmediaHub> {
        let services = seed.services.clone();
        let hub = OpenmediaHub {
            inner: Mutex::new(HashMap::new()),
            services,
            clock,
        };
        hub.reset();
        Arc::new(hub)
    }

    /// Back to the seed: the configured services, no interactions.
    pub fn reset(&self) {
        let mut inner = self.lock();
        *inner = self
            .services
            .iter()
            .map(|name| (name.clone(), Service::default()))
            .collect();
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<String, Service>> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// 404 unless `service` is configured.
    pub fn check_service(&self, service: &str) -> Result<(), Refusal> {
        if self.lock().contains_key(service) {
            Ok(())
        } else {
            Err(unknown_service(service))
        }
    }

    /// Creates an interaction: the parent must exist (in any service; ids are
    /// UUIDs), and the externalId must be free in `service` (else 409).
    pub fn create(
        &self,
        service: &str,
        request: CreateInteraction,
    ) -> Result<Interaction, Refusal> {
        let mut inner = self.lock();
        if !inner.contains_key(service) {
            return Err(unknown_service(service));
        }
        if let Some(parent) = &request.parent_interaction_id {
            if !inner.values().any(|s| s.interactions.contains_key(parent)) {
                return Err(Refusal::BadRequest(format!(
                    "parentInteractionId {parent} names no interaction"
                )));
            }
        }
        let store = inner
            .get_mut(service)
            .ok_or_else(|| unknown_service(service))?;
        if let Some(external) = &request.external_id {
            if let Some(id) = store.by_external.get(external) {
                return Err(Refusal::Conflict(format!(
                    "an interaction with externalId `{external}` already exists in open media service `{service}`: {id}"
                )));
            }
        }
        let interaction = Interaction {
            id: crate::ids::uuid_v4().to_string(),
            service: service.to_owned(),
            external_id: request.external_id,
            parent_interaction_id: request.parent_interaction_id,
            received_at: request
                .received_at
                .unwrap_or_else(|| timestamp::now(&self.clock)),
            state: InteractionState::Active,
            user_data: request.user_data,
            stopped_at: None,
            stop_reason: None,
        };
        store.insert(interaction.clone());
        Ok(interaction)
    }

    /// The interaction that `segment` (`{interactionId}` or `ext_{externalId}`)
    /// names in `service`.
    pub fn get(&self, service: &str, segment: &str) -> Result<Interaction, Refusal> {
        self.with(service, segment, |interaction| Ok(interaction.clone()))
    }

    /// Changes an active interaction with `f` (which gets the mock clock) and answers
    /// it as it is then; a stopped interaction is 400. The checks of [`Self::with`] first.
    pub fn change(
        &self,
        service: &str,
        segment: &str,
        f: impl FnOnce(&mut Interaction, &MockClock) -> Result<(), Refusal>,
    ) -> Result<Interaction, Refusal> {
        self.with(service, segment, |interaction| {
            if interaction.state == InteractionState::Stopped {
                return Err(stopped(interaction));
            }
            f(interaction, &self.clock)?;
            Ok(interaction.clone())
        })
    }

    /// Runs `f` on the interaction, after the checks in the documented order:
    /// service (404), path segment (400), interaction (404).
    fn with<T>(
        &self,
        service: &str,
        segment: &str,
        f: impl FnOnce(&mut Interaction) -> Result<T, Refusal>,
    ) -> Result<T, Refusal> {
        let mut inner = self.lock();
        let store = inner
            .get_mut(service)
            .ok_or_else(|| unknown_service(service))?;
        let key = Key::parse(segment)?;
        let interaction = store
            .id_of(&key)
            .and_then(|id| store.interactions.get_mut(&id))
            .ok_or_else(|| not_found(service, &key))?;
        f(interaction)
    }
}

fn unknown_service(service: &str) -> Refusal {
    Refusal::NotFound(format!("open media service `{service}` not found"))
}
