//! The mock's seed data: API keys, tenants, OAuth clients and users, read from TOML.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use serde::Deserialize;

use super::error::MockError;

/// Origin shown in errors for configuration given as a string.
const STRING_ORIGIN: &str = "<string>";

/// The whole seed of the mock deployment. `targets/mock.toml` holds the default;
/// `cxgate mock --config FILE` replaces all of it.
///
/// Unknown top-level tables (such as the harness's `[target]` profile) are
/// ignored, while every table below is strict so that a typo is reported.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct MockConfig {
    /// Keys, lifetimes and the JWT secret.
    pub auth: AuthConfig,
    /// Contact centers; every user belongs to one.
    #[serde(default)]
    pub tenants: Vec<TenantConfig>,
    /// Registered OAuth clients.
    #[serde(default)]
    pub clients: Vec<ClientConfig>,
    /// Users who can sign in.
    #[serde(default)]
    pub users: Vec<UserConfig>,
    /// `[statistics]`: the Statistics API's value engine and CometD timings.
    /// Absent means [`StatisticsConfig::default`].
    #[serde(default)]
    pub statistics: StatisticsConfig,
    /// `[messaging]` and `[[messaging.channels]]`: the Third-Party Messaging API,
    /// its media store and its outgoing webhook. Absent means
    /// [`MessagingConfig::default`].
    #[serde(default)]
    pub messaging: MessagingConfig,
    /// `[interactions]`: where and how the Interactions Webhook is sent.
    /// Absent means [`InteractionsConfig::default`].
    #[serde(default)]
    pub interactions: InteractionsConfig,
    /// `[openmedia]`: the open media services of the Openmedia API.
    /// Absent means [`OpenmediaConfig::default`].
    #[serde(default)]
    pub openmedia: OpenmediaConfig,
}

/// `[messaging]`: limits of the Third-Party Messaging API (`/nexus/v3/channels`)
/// and the delivery policy of its outgoing webhook.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MessagingConfig {
    /// Largest accepted media file in bytes; one more is a 400 (the reference
    /// documents no 413 for `POST /channels/{channelId}/media`, lines 4099-4161).
    pub max_media_bytes: u64,
    /// Accepted media content types; any other is the documented 415.
    pub media_types: Vec<String>,
    /// How long one webhook attempt may take (reference line 3802: "within 10 seconds").
    pub webhook_timeout_ms: u64,
    /// Total delivery attempts per webhook, the first one included.
    pub retry_attempts: u32,
    /// Wait before the first retry; doubles for every further retry.
    pub retry_backoff_ms: u64,
    /// `[[messaging.channels]]`: the channels that exist at start and after a reset.
    #[serde(default)]
    pub channels: Vec<ChannelConfig>,
}

/// The kind of a Third-Party Messaging channel; it decides the webhook payload
/// (`OutgoingSmsMessage` or `OutgoingEmailMessage`, reference line 4468).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ChannelType {
    /// SMS: text replies to one consumer (reference 3878-3892).
    Sms,
    /// Email: replies with subject and text/html parts (reference 3966-4009).
    Email,
}

impl ChannelType {
    /// `sms` or `email`, as in the webhook's `channel.type`.
    pub fn as_str(self) -> &'static str {
        match self {
            ChannelType::Sms => "sms",
            ChannelType::Email => "email",
        }
    }

    /// The type named exactly `sms` or `email`.
    pub fn parse(name: &str) -> Option<ChannelType> {
        match name {
            "sms" => Some(ChannelType::Sms),
            "email" => Some(ChannelType::Email),
            _ => None,
        }
    }
}

/// `[[messaging.channels]]`: one channel, e.g. the SMS number `0123456789`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChannelConfig {
    /// The `{channelId}` path segment.
    pub id: String,
    /// `sms` or `email`.
    #[serde(rename = "type")]
    pub channel_type: ChannelType,
    /// The `x-ccid` every request on this channel must carry.
    pub contact_center_id: String,
    /// HMAC-SHA1 key of `X-Hub-Signature`, both directions.
    pub secret: String,
    /// Where agent replies are posted; empty means none configured.
    #[serde(default)]
    pub webhook_url: String,
}

/// `[interactions]`: the Interactions Webhook (reference 1885-2010).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InteractionsConfig {
    /// HMAC-SHA1 key of its `X-Hub-Signature` (reference line 1907).
    pub secret: String,
    /// Where events are posted; empty means none configured.
    #[serde(default)]
    pub webhook_url: String,
}

impl Default for MessagingConfig {
    /// The built-in `[messaging]` seed; equal to the one in `targets/mock.toml`.
    fn default() -> MessagingConfig {
        let channel = |id: &str, channel_type: ChannelType| ChannelConfig {
            id: id.to_owned(),
            channel_type,
            contact_center_id: "0ff723ff-6c6f-44e0-9ce3-ce579337eadd".to_owned(),
            secret: "cxgate-channel-secret".to_owned(),
            webhook_url: String::new(),
        };
        MessagingConfig {
            max_media_bytes: 5_242_880,
            media_types: [
                "image/jpeg",
                "image/png",
                "image/gif",
                "application/pdf",
                "text/plain",
                "video/mp4",
                "audio/mpeg",
            ]
            .iter()
            .map(|s| (*s).to_owned())
            .collect(),
            webhook_timeout_ms: 10_000,
            retry_attempts: 5,
            retry_backoff_ms: 200,
            channels: vec![
                channel("0123456789", ChannelType::Sms),
                channel("company.com", ChannelType::Email),
            ],
        }
    }
}

impl Default for InteractionsConfig {
    /// The built-in `[interactions]` seed; equal to the one in `targets/mock.toml`.
    fn default() -> InteractionsConfig {
        InteractionsConfig {
            secret: "cxgate-channel-secret".to_owned(),
            webhook_url: String::new(),
        }
    }
}

/// An empty string, or an absolute `http`/`https` URL.
pub(crate) fn check_webhook_url(url: &str) -> Result<(), String> {
    if url.is_empty() {
        return Ok(());
    }
    match url::Url::parse(url) {
        Ok(parsed) if matches!(parsed.scheme(), "http" | "https") => Ok(()),
        Ok(parsed) => Err(format!(
            "webhook URL `{url}` has scheme `{}`; use http or https",
            parsed.scheme()
        )),
        Err(e) => Err(format!("webhook URL `{url}` is not an absolute URL: {e}")),
    }
}

impl MessagingConfig {
    /// The channel with ID exactly `id`.
    pub fn channel(&self, id: &str) -> Option<&ChannelConfig> {
        self.channels.iter().find(|c| c.id == id)
    }

    fn validate(&self) -> Result<(), String> {
        if self.max_media_bytes == 0 {
            return Err("[messaging] max_media_bytes must be at least 1".to_owned());
        }
        if self.webhook_timeout_ms == 0 {
            return Err("[messaging] webhook_timeout_ms must be at least 1".to_owned());
        }
        if self.retry_attempts == 0 {
            return Err(
                "[messaging] retry_attempts counts every attempt and must be at least 1".to_owned(),
            );
        }
        if let Some(bad) = self.media_types.iter().find(|t| !t.contains('/')) {
            return Err(format!(
                "[messaging] media_types entry `{bad}` is not a `type/subtype` content type"
            ));
        }
        let mut ids = HashSet::new();
        for (i, channel) in self.channels.iter().enumerate() {
            if channel.id.is_empty() || channel.id.contains('/') {
                return Err(format!(
                    "[[messaging.channels]] entry {i} needs a non-empty id without `/`"
                ));
            }
            if !ids.insert(channel.id.as_str()) {
                return Err(format!(
                    "[[messaging.channels]] `{}` is declared twice",
                    channel.id
                ));
            }
            if channel.contact_center_id.is_empty() || channel.secret.is_empty() {
                return Err(format!(
                    "[[messaging.channels]] `{}` needs a non-empty contact_center_id and secret",
                    channel.id
                ));
            }
            check_webhook_url(&channel.webhook_url)
                .map_err(|why| format!("[[messaging.channels]] `{}` {why}", channel.id))?;
        }
        Ok(())
    }
}

impl InteractionsConfig {
    fn validate(&self) -> Result<(), String> {
        if self.secret.is_empty() {
            return Err("[interactions] secret must not be empty".to_owned());
        }
        check_webhook_url(&self.webhook_url).map_err(|why| format!("[interactions] {why}"))
    }
}

/// `[openmedia]`: the Openmedia API (`/nexus/v3/openmedia`, reference 3440-3770).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OpenmediaConfig {
    /// The open media services that exist (the `{openMediaService}` path
    /// segment); any other name is a 404.
    pub services: Vec<String>,
}

impl Default for OpenmediaConfig {
    /// The built-in `[openmedia]` seed; equal to the one in `targets/mock.toml`.
    fn default() -> OpenmediaConfig {
        OpenmediaConfig {
            services: vec!["workitem".to_owned(), "fax".to_owned()],
        }
    }
}

impl OpenmediaConfig {
    fn validate(&self) -> Result<(), String> {
        let mut names = HashSet::new();
        for (i, name) in self.services.iter().enumerate() {
            if name.is_empty() || name.contains('/') {
                return Err(format!(
                    "[openmedia] services[{i}] needs a non-empty name without `/`"
                ));
            }
            if !names.insert(name.as_str()) {
                return Err(format!("[openmedia] service `{name}` is declared twice"));
            }
        }
        Ok(())
    }
}

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

    fn validate(&self) -> Result<(), String> {
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

/// `[auth]`: what every deployment-wide check uses.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuthConfig {
    /// Lifetime of an access token, in seconds.
    pub token_lifetime_secs: u64,
    /// Lifetime of an authorization code, in seconds.
    pub code_lifetime_secs: u64,
    /// Values accepted in the `x-api-key` header (reference line 322).
    pub api_keys: Vec<String>,
    /// HS256 secret that signs the `X-GWS-User` JWT of `/jwt-userinfo`.
    pub jwt_secret: String,
}

/// `[[tenants]]`: one contact center.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TenantConfig {
    /// The part of a username before the backslash (`tenant1\agent1`).
    pub name: String,
    /// `contactCenterId` / `contact_center_id` of its users.
    pub contact_center_id: String,
    /// `environmentId` / `environment_id` of its users.
    pub environment_id: String,
}

/// `[[clients]]`: one registered OAuth client application.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClientConfig {
    /// The client ID.
    pub id: String,
    /// The client password.
    pub secret: String,
    /// Allowed redirect URIs, compared exactly (reference line 328).
    #[serde(default)]
    pub redirect_uris: Vec<String>,
}

/// `[[users]]`: one user of a tenant.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserConfig {
    /// Full name, `tenant\user`; the tenant must be declared.
    pub username: String,
    /// Initial password; `/change-password` may change it until `/__cxgate/reset`.
    pub password: String,
    /// DBID of the user record in Configuration Server.
    pub dbid: i64,
    /// OpenID `given_name`.
    pub given_name: String,
    /// OpenID `family_name`.
    pub family_name: String,
    /// OpenID `email`.
    pub email: String,
    /// Roles reported as `authorities`.
    #[serde(default)]
    pub roles: Vec<RoleConfig>,
    /// The user's `properties` map (reference line 872: string to string).
    #[serde(default)]
    pub properties: BTreeMap<String, String>,
}

/// One `UserRole`: a role name and its privileges.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleConfig {
    /// Role name, e.g. `ROLE_AGENT`.
    pub name: String,
    /// Privilege names; the reference (lines 859-860) names none, so these are ours.
    #[serde(default)]
    pub privileges: Vec<String>,
}

impl UserConfig {
    /// The tenant part of `tenant\user`.
    pub fn tenant(&self) -> &str {
        self.username
            .split_once('\\')
            .map_or("", |(tenant, _)| tenant)
    }

    /// The Configuration Server user name: the part after the backslash.
    pub fn cme_user_name(&self) -> &str {
        self.username
            .split_once('\\')
            .map_or(self.username.as_str(), |(_, name)| name)
    }
}

impl MockConfig {
    /// The built-in seed; equal to `targets/mock.toml`.
    pub fn default_seed() -> MockConfig {
        let strings = |items: &[&str]| items.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        MockConfig {
            auth: AuthConfig {
                token_lifetime_secs: 43_200,
                code_lifetime_secs: 300,
                api_keys: strings(&["cxgate-api-key"]),
                jwt_secret: "cxgate-jwt-secret".to_owned(),
            },
            tenants: vec![TenantConfig {
                name: "tenant1".to_owned(),
                contact_center_id: "0ff723ff-6c6f-44e0-9ce3-ce579337eadd".to_owned(),
                environment_id: "6c5b8e3a-1d2f-4e7a-9b0c-3f4d5e6a7b8c".to_owned(),
            }],
            clients: vec![ClientConfig {
                id: "cxgate-client".to_owned(),
                secret: "cxgate-secret".to_owned(),
                redirect_uris: strings(&["http://127.0.0.1/callback"]),
            }],
            users: vec![
                UserConfig {
                    username: "tenant1\\agent1".to_owned(),
                    password: "agent1-password".to_owned(),
                    dbid: 101,
                    given_name: "Agent".to_owned(),
                    family_name: "One".to_owned(),
                    email: "agent1@tenant1.example.com".to_owned(),
                    roles: vec![RoleConfig {
                        name: "ROLE_AGENT".to_owned(),
                        privileges: strings(&["statistics:read", "messaging:send", "email:send"]),
                    }],
                    properties: BTreeMap::new(),
                },
                UserConfig {
                    username: "tenant1\\supervisor1".to_owned(),
                    password: "supervisor1-password".to_owned(),
                    dbid: 102,
                    given_name: "Supervisor".to_owned(),
                    family_name: "One".to_owned(),
                    email: "supervisor1@tenant1.example.com".to_owned(),
                    roles: vec![
                        RoleConfig {
                            name: "ROLE_SUPERVISOR".to_owned(),
                            privileges: strings(&[
                                "statistics:read",
                                "statistics:subscribe",
                                "udm:export",
                            ]),
                        },
                        RoleConfig {
                            name: "ROLE_AGENT".to_owned(),
                            privileges: strings(&[
                                "statistics:read",
                                "messaging:send",
                                "email:send",
                            ]),
                        },
                    ],
                    properties: BTreeMap::new(),
                },
            ],
            statistics: StatisticsConfig::default(),
            messaging: MessagingConfig::default(),
            interactions: InteractionsConfig::default(),
            openmedia: OpenmediaConfig::default(),
        }
    }

    /// Parses and checks a configuration given as TOML text.
    ///
    /// The error says which field or entry is wrong (with line and column for
    /// syntax and shape errors).
    pub fn from_toml_str(s: &str) -> Result<MockConfig, MockError> {
        Self::parse(s, STRING_ORIGIN)
    }

    /// Reads, parses and checks a configuration file; errors name the file.
    pub fn from_file(path: &Path) -> Result<MockConfig, MockError> {
        let text = std::fs::read_to_string(path).map_err(|source| MockError::ReadConfig {
            path: path.to_path_buf(),
            source,
        })?;
        Self::parse(&text, &path.display().to_string())
    }

    fn parse(s: &str, origin: &str) -> Result<MockConfig, MockError> {
        let config: MockConfig = toml::from_str(s).map_err(|e| MockError::ParseConfig {
            origin: origin.to_owned(),
            message: e.to_string().trim_end().to_owned(),
        })?;
        config
            .validate()
            .map_err(|message| MockError::InvalidConfig {
                origin: origin.to_owned(),
                message,
            })?;
        Ok(config)
    }

    /// Checks what serde cannot: uniqueness, references and non-empty secrets.
    fn validate(&self) -> Result<(), String> {
        let auth = &self.auth;
        if auth.token_lifetime_secs == 0 {
            return Err("[auth] token_lifetime_secs must be at least 1".to_owned());
        }
        if auth.code_lifetime_secs == 0 {
            return Err("[auth] code_lifetime_secs must be at least 1".to_owned());
        }
        if auth.api_keys.is_empty() || auth.api_keys.iter().any(String::is_empty) {
            return Err("[auth] api_keys must list at least one non-empty key".to_owned());
        }
        if auth.jwt_secret.is_empty() {
            return Err("[auth] jwt_secret must not be empty".to_owned());
        }

        let mut tenants = HashSet::new();
        for (i, tenant) in self.tenants.iter().enumerate() {
            if tenant.name.is_empty() || tenant.name.contains('\\') {
                return Err(format!(
                    "tenants[{i}] name `{}` must be non-empty and contain no backslash",
                    tenant.name
                ));
            }
            if !tenants.insert(tenant.name.as_str()) {
                return Err(format!("tenants[{i}] `{}` is declared twice", tenant.name));
            }
        }

        let mut clients = HashSet::new();
        for (i, client) in self.clients.iter().enumerate() {
            if client.id.is_empty() || client.secret.is_empty() {
                return Err(format!(
                    "clients[{i}] `{}` needs a non-empty id and secret",
                    client.id
                ));
            }
            if !clients.insert(client.id.as_str()) {
                return Err(format!("clients[{i}] `{}` is declared twice", client.id));
            }
            for uri in &client.redirect_uris {
                check_redirect_uri(uri).map_err(|why| {
                    format!("clients[{i}] `{}` redirect URI `{uri}` {why}", client.id)
                })?;
            }
        }

        let mut users = HashSet::new();
        let mut dbids = HashSet::new();
        for (i, user) in self.users.iter().enumerate() {
            let Some((tenant, name)) = user.username.split_once('\\') else {
                return Err(format!(
                    "users[{i}] username `{}` must be `tenant\\user` (one backslash)",
                    user.username
                ));
            };
            if name.is_empty() || name.contains('\\') {
                return Err(format!(
                    "users[{i}] username `{}` must be `tenant\\user` with a non-empty user part",
                    user.username
                ));
            }
            if !tenants.contains(tenant) {
                return Err(format!(
                    "users[{i}] `{}` names tenant `{tenant}`, which is not declared in [[tenants]]",
                    user.username
                ));
            }
            if user.password.is_empty() {
                return Err(format!(
                    "users[{i}] `{}` needs a non-empty password",
                    user.username
                ));
            }
            if !users.insert(user.username.as_str()) {
                return Err(format!("users[{i}] `{}` is declared twice", user.username));
            }
            if !dbids.insert((tenant, user.dbid)) {
                return Err(format!(
                    "users[{i}] `{}` reuses dbid {} within tenant `{tenant}`",
                    user.username, user.dbid
                ));
            }
        }
        self.statistics.validate()?;
        self.messaging.validate()?;
        self.interactions.validate()?;
        self.openmedia.validate()?;
        Ok(())
    }

    /// The tenant named `name`.
    pub fn tenant(&self, name: &str) -> Option<&TenantConfig> {
        self.tenants.iter().find(|t| t.name == name)
    }

    /// The client with ID `id`.
    pub fn client(&self, id: &str) -> Option<&ClientConfig> {
        self.clients.iter().find(|c| c.id == id)
    }

    /// The user whose full name is exactly `username`.
    pub fn user(&self, username: &str) -> Option<&UserConfig> {
        self.users.iter().find(|u| u.username == username)
    }
}

/// A redirect URI must be absolute and carry no fragment (reference line 328,
/// RFC 6749 section 3.1.2).
fn check_redirect_uri(uri: &str) -> Result<(), &'static str> {
    let parsed = url::Url::parse(uri).map_err(|_| "is not an absolute URI")?;
    if parsed.fragment().is_some() {
        return Err("must not contain a fragment (reference line 328)");
    }
    Ok(())
}
