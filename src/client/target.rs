//! Where a run goes and with which credentials: the embedded mock, a URL, or a profile.
//!
//! Credentials come from environment variables (a profile names which ones); each falls
//! back to the mock's seed value, so `--target http://127.0.0.1:8080` works against
//! `cxgate mock` with no set-up. [`TargetConfig::unset`] lists every fallback, and a run
//! refuses to send the seed's values to any target that is not a cxgate mock. A profile
//! never holds a secret.

use serde::Deserialize;
use std::path::{Path, PathBuf};
use url::Url;

/// A user's sign-in credentials.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credentials {
    pub username: String,
    pub password: String,
}

/// What kind of target a run goes to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TargetKind {
    /// The mock started in-process on an ephemeral loopback port.
    EmbeddedMock,
    /// A URL given on the command line.
    Url,
    /// A profile file.
    Profile(PathBuf),
}

/// Everything the steps need to talk to a target.
#[derive(Debug, Clone)]
pub struct TargetConfig {
    pub kind: TargetKind,
    /// Base URL without a trailing slash, e.g. `http://127.0.0.1:8080`.
    pub base_url: String,
    pub api_key: String,
    pub client_id: String,
    pub client_secret: String,
    /// A redirect URI registered for the client (authorization-code flow).
    pub redirect_uri: String,
    pub agent: Credentials,
    pub supervisor: Credentials,
    /// Third-Party Messaging: the contact center id sent as `x-ccid`.
    pub contact_center_id: String,
    /// The SMS-type and email-type messaging channels.
    pub sms_channel: String,
    pub email_channel: String,
    /// The secret that signs X-Hub-Signature for those channels.
    pub channel_secret: String,
    /// Values a tenant chooses (statistic objects and names, services, mailboxes):
    /// the profile's `[target.tenant]`, defaulting to the mock's seed.
    pub tenant: TenantData,
    /// The variables that were unset (or empty), so the mock's seed value stands in.
    pub unset: Vec<UnsetVariable>,
    /// `[target.urls]`: the base URL of an API family where it is not `base_url`, keyed
    /// by the first segment of the family's paths ([`API_SEGMENTS`]).
    pub urls: std::collections::BTreeMap<String, String>,
}

/// The first path segment of each API family of the reference: the keys of a profile's
/// `[target.urls]` (Authentication `/auth/v3`, Statistics `/statistics/v3`, the nexus
/// APIs `/nexus/v3`, User Data Management `/udm`, Cloud Data Download `/data-download`).
pub const API_SEGMENTS: [&str; 5] = ["auth", "statistics", "nexus", "udm", "data-download"];

/// A credential variable that was not set: which one, and the `[target.env]` key that
/// names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnsetVariable {
    /// The environment variable, e.g. `CXGATE_API_KEY`.
    pub variable: String,
    /// Its key in a profile's `[target.env]`, e.g. `api_key`.
    pub key: &'static str,
}

/// The tenant's own data that scenarios use: `[target.tenant]` of a profile.
///
/// Every key defaults to the value the mock's default seed (`targets/mock.toml`) holds,
/// so a profile for `cxgate mock` needs none of them. Scenarios read them as
/// `{tenant.KEY}` placeholders; none of them is a secret.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TenantData {
    /// A Stat Server object the agent's statistics are read for (reference 2512-2519).
    pub agent_object_id: String,
    /// Its object type, e.g. `Agent` (reference 2515).
    pub agent_object_type: String,
    /// A second object of the same type, for scenarios that need two.
    pub other_agent_object_id: String,
    /// A group object (e.g. an agent group) and its type.
    pub group_object_id: String,
    pub group_object_type: String,
    /// A statistic pre-configured for the contact center whose notification mode is
    /// Immediate (reference 2632: named statistics are the tenant's).
    pub immediate_statistic: String,
    /// A pre-configured statistic whose notification mode is Periodical.
    pub periodic_statistic: String,
    /// An open media service of the tenant (reference 3484).
    pub openmedia_service: String,
    /// A second open media service, for the scenarios that need two.
    pub other_openmedia_service: String,
    /// A consumer's email address whose Secure Email mailbox scenarios use
    /// (reference 2035).
    pub mailbox_address: String,
    /// A media type the tenant's messaging channels accept for uploads.
    pub media_type: String,
    /// A User Data Management source the tenant exports from: a `value` of
    /// `GET /udm/v10/data/sources` (reference 1009-1021, 4682-4698), sent as `Job.source`.
    pub udm_source: String,
    /// A data type of that source: a `name` of `GET .../data/types?source=` (reference
    /// 1068-1084), sent as `jobParams.type`.
    pub udm_data_type: String,
    /// An enabled sub-type (entity) of that data type: a `name` of
    /// `GET .../data/sub-types?source=&dataType=` (reference 1034-1055), sent in
    /// `jobParams.media`.
    pub udm_media: String,
    /// The `/data/job-statuses` value (reference 987-997) of a job that waits for its next run.
    pub udm_status_scheduled: String,
    /// The `/data/job-statuses` value (reference 987-997) of a suspended job.
    pub udm_status_suspended: String,
    /// The `/data/job-statuses` value (reference 987-997) of a job or run in progress.
    pub udm_status_in_progress: String,
    /// The `/data/job-statuses` value (reference 987-997) of a run that completed.
    pub udm_status_completed: String,
    /// The `/data/job-statuses` value (reference 987-997) of a run that failed.
    pub udm_status_failed: String,
    /// The `/data/job-statuses` value (reference 987-997) of a cancelled job or run.
    pub udm_status_cancelled: String,
    /// How long, in whole seconds, a webhook delivery may take to reach the run's
    /// receiver after what causes it (the reference gives no figure); `30` or `"30"`.
    #[serde(deserialize_with = "whole_seconds")]
    pub webhook_wait_seconds: String,
}

/// A whole number of seconds, written as a TOML integer or string, kept as its text.
fn whole_seconds<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Seconds {
        Number(u64),
        Text(String),
    }
    match Seconds::deserialize(d)? {
        Seconds::Number(n) => Ok(n.to_string()),
        Seconds::Text(t) if t.parse::<u64>().is_ok() => Ok(t),
        Seconds::Text(t) => Err(serde::de::Error::custom(format!(
            "{t:?} is not a whole number of seconds"
        ))),
    }
}

impl Default for TenantData {
    fn default() -> TenantData {
        TenantData {
            agent_object_id: seed::AGENT_OBJECT_ID.into(),
            agent_object_type: seed::AGENT_OBJECT_TYPE.into(),
            other_agent_object_id: seed::OTHER_AGENT_OBJECT_ID.into(),
            group_object_id: seed::GROUP_OBJECT_ID.into(),
            group_object_type: seed::GROUP_OBJECT_TYPE.into(),
            immediate_statistic: seed::IMMEDIATE_STATISTIC.into(),
            periodic_statistic: seed::PERIODIC_STATISTIC.into(),
            openmedia_service: seed::OPENMEDIA_SERVICE.into(),
            other_openmedia_service: seed::OTHER_OPENMEDIA_SERVICE.into(),
            mailbox_address: seed::MAILBOX_ADDRESS.into(),
            media_type: seed::MEDIA_TYPE.into(),
            udm_source: seed::UDM_SOURCE.into(),
            udm_data_type: seed::UDM_DATA_TYPE.into(),
            udm_media: seed::UDM_MEDIA.into(),
            udm_status_scheduled: seed::UDM_STATUS_SCHEDULED.into(),
            udm_status_suspended: seed::UDM_STATUS_SUSPENDED.into(),
            udm_status_in_progress: seed::UDM_STATUS_IN_PROGRESS.into(),
            udm_status_completed: seed::UDM_STATUS_COMPLETED.into(),
            udm_status_failed: seed::UDM_STATUS_FAILED.into(),
            udm_status_cancelled: seed::UDM_STATUS_CANCELLED.into(),
            webhook_wait_seconds: seed::WEBHOOK_WAIT_SECONDS.into(),
        }
    }
}

impl TenantData {
    /// The value of `[target.tenant]` key `key`, or `None` for a name that is no key.
    pub fn get(&self, key: &str) -> Option<&str> {
        Some(match key {
            "agent_object_id" => &self.agent_object_id,
            "agent_object_type" => &self.agent_object_type,
            "other_agent_object_id" => &self.other_agent_object_id,
            "group_object_id" => &self.group_object_id,
            "group_object_type" => &self.group_object_type,
            "immediate_statistic" => &self.immediate_statistic,
            "periodic_statistic" => &self.periodic_statistic,
            "openmedia_service" => &self.openmedia_service,
            "other_openmedia_service" => &self.other_openmedia_service,
            "mailbox_address" => &self.mailbox_address,
            "media_type" => &self.media_type,
            "udm_source" => &self.udm_source,
            "udm_data_type" => &self.udm_data_type,
            "udm_media" => &self.udm_media,
            "udm_status_scheduled" => &self.udm_status_scheduled,
            "udm_status_suspended" => &self.udm_status_suspended,
            "udm_status_in_progress" => &self.udm_status_in_progress,
            "udm_status_completed" => &self.udm_status_completed,
            "udm_status_failed" => &self.udm_status_failed,
            "udm_status_cancelled" => &self.udm_status_cancelled,
            "webhook_wait_seconds" => &self.webhook_wait_seconds,
            _ => return None,
        })
    }

    /// Every key of `[target.tenant]`, in the order the README lists them.
    pub const KEYS: [&'static str; 21] = [
        "agent_object_id",
        "agent_object_type",
        "other_agent_object_id",
        "group_object_id",
        "group_object_type",
        "immediate_statistic",
        "periodic_statistic",
        "openmedia_service",
        "other_openmedia_service",
        "mailbox_address",
        "media_type",
        "udm_source",
        "udm_data_type",
        "udm_media",
        "udm_status_scheduled",
        "udm_status_suspended",
        "udm_status_in_progress",
        "udm_status_completed",
        "udm_status_failed",
        "udm_status_cancelled",
        "webhook_wait_seconds",
    ];
}

/// Mistakes in `--target` or a profile.
#[derive(Debug, thiserror::Error)]
pub enum TargetError {
    /// Neither `mock`, a URL, nor an existing `.toml` file.
    #[error("--target {0:?}: expected `mock`, an http(s) URL, or a profile file such as targets/NAME.toml")]
    Unrecognised(String),
    /// The URL does not parse or is not http(s).
    #[error("--target {value:?}: not a usable http(s) URL: {reason}")]
    BadUrl { value: String, reason: String },
    /// The profile cannot be read.
    #[error("{path}: cannot read profile: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The profile is not valid TOML or has the wrong shape.
    #[error("{path}: bad profile: {message}")]
    Profile { path: PathBuf, message: String },
}

/// Names of the environment variables that hold each credential.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnvNames {
    #[serde(default = "env_api_key")]
    pub api_key: String,
    #[serde(default = "env_client_id")]
    pub client_id: String,
    #[serde(default = "env_client_secret")]
    pub client_secret: String,
    #[serde(default = "env_redirect_uri")]
    pub redirect_uri: String,
    #[serde(default = "env_username")]
    pub username: String,
    #[serde(default = "env_password")]
    pub password: String,
    #[serde(default = "env_supervisor_username")]
    pub supervisor_username: String,
    #[serde(default = "env_supervisor_password")]
    pub supervisor_password: String,
    #[serde(default = "env_ccid")]
    pub contact_center_id: String,
    #[serde(default = "env_sms_channel")]
    pub sms_channel: String,
    #[serde(default = "env_email_channel")]
    pub email_channel: String,
    #[serde(default = "env_channel_secret")]
    pub channel_secret: String,
}

fn env_ccid() -> String {
    "CXGATE_CCID".into()
}
fn env_sms_channel() -> String {
    "CXGATE_SMS_CHANNEL".into()
}
fn env_email_channel() -> String {
    "CXGATE_EMAIL_CHANNEL".into()
}
fn env_channel_secret() -> String {
    "CXGATE_CHANNEL_SECRET".into()
}

fn env_api_key() -> String {
    "CXGATE_API_KEY".into()
}
fn env_client_id() -> String {
    "CXGATE_CLIENT_ID".into()
}
fn env_client_secret() -> String {
    "CXGATE_CLIENT_SECRET".into()
}
fn env_redirect_uri() -> String {
    "CXGATE_REDIRECT_URI".into()
}
fn env_username() -> String {
    "CXGATE_USERNAME".into()
}
fn env_password() -> String {
    "CXGATE_PASSWORD".into()
}
fn env_supervisor_username() -> String {
    "CXGATE_SUPERVISOR_USERNAME".into()
}
fn env_supervisor_password() -> String {
    "CXGATE_SUPERVISOR_PASSWORD".into()
}

impl Default for EnvNames {
    fn default() -> Self {
        EnvNames {
            api_key: env_api_key(),
            client_id: env_client_id(),
            client_secret: env_client_secret(),
            redirect_uri: env_redirect_uri(),
            username: env_username(),
            password: env_password(),
            supervisor_username: env_supervisor_username(),
            supervisor_password: env_supervisor_password(),
            contact_center_id: env_ccid(),
            sms_channel: env_sms_channel(),
            email_channel: env_email_channel(),
            channel_secret: env_channel_secret(),
        }
    }
}

#[derive(Debug, Deserialize)]
struct ProfileFile {
    target: Option<ProfileTarget>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProfileTarget {
    base_url: String,
    /// A base URL per API family, keyed by the first segment of the API's paths.
    #[serde(default)]
    urls: std::collections::BTreeMap<String, String>,
    #[serde(default)]
    env: Option<EnvNames>,
    #[serde(default)]
    tenant: Option<TenantData>,
}

/// The mock's seed values, used where an environment variable is unset.
pub mod seed {
    pub const API_KEY: &str = "cxgate-api-key";
    pub const CLIENT_ID: &str = "cxgate-client";
    pub const CLIENT_SECRET: &str = "cxgate-secret";
    pub const REDIRECT_URI: &str = "http://127.0.0.1/callback";
    pub const AGENT_USERNAME: &str = "tenant1\\agent1";
    pub const AGENT_PASSWORD: &str = "agent1-password";
    pub const SUPERVISOR_USERNAME: &str = "tenant1\\supervisor1";
    pub const SUPERVISOR_PASSWORD: &str = "supervisor1-password";
    pub const CONTACT_CENTER_ID: &str = "0ff723ff-6c6f-44e0-9ce3-ce579337eadd";
    pub const SMS_CHANNEL: &str = "0123456789";
    pub const EMAIL_CHANNEL: &str = "company.com";
    pub const CHANNEL_SECRET: &str = "cxgate-channel-secret";
    pub const AGENT_OBJECT_ID: &str = "agent";
    pub const AGENT_OBJECT_TYPE: &str = "Agent";
    pub const OTHER_AGENT_OBJECT_ID: &str = "agent2";
    pub const GROUP_OBJECT_ID: &str = "group1";
    pub const GROUP_OBJECT_TYPE: &str = "GroupAgents";
    pub const IMMEDIATE_STATISTIC: &str = "CurrentAgentState";
    pub const PERIODIC_STATISTIC: &str = "TimeInCurrentState";
    pub const OPENMEDIA_SERVICE: &str = "workitem";
    pub const OTHER_OPENMEDIA_SERVICE: &str = "fax";
    pub const MAILBOX_ADDRESS: &str = "consumer@example.com";
    pub const MEDIA_TYPE: &str = "image/png";
    pub const UDM_SOURCE: &str = "UCS";
    pub const UDM_DATA_TYPE: &str = "interactions";
    pub const UDM_MEDIA: &str = "email";
    pub const UDM_STATUS_SCHEDULED: &str = "SCHEDULED";
    pub const UDM_STATUS_SUSPENDED: &str = "SUSPENDED";
    pub const UDM_STATUS_IN_PROGRESS: &str = "IN_PROGRESS";
    pub const UDM_STATUS_COMPLETED: &str = "COMPLETED";
    pub const UDM_STATUS_FAILED: &str = "FAILED";
    pub const UDM_STATUS_CANCELLED: &str = "CANCELLED";
    /// Generous for a deployment; the mock delivers within milliseconds.
    pub const WEBHOOK_WAIT_SECONDS: &str = "30";
}

impl TargetConfig {
    /// Resolves `--target`: `mock` (needs the mock's base URL, given later), a URL, or a
    /// profile path. `lookup` reads an environment variable (injected for tests).
    pub fn resolve(
        target: &str,
        lookup: &dyn Fn(&str) -> Option<String>,
    ) -> Result<TargetConfig, TargetError> {
        if target == "mock" {
            return Ok(Self::with_env(
                TargetKind::EmbeddedMock,
                String::new(),
                &EnvNames::default(),
                TenantData::default(),
                lookup,
            ));
        }
        if target.starts_with("http://") || target.starts_with("https://") {
            let base = parse_base_url(target)?;
            return Ok(Self::with_env(
                TargetKind::Url,
                base,
                &EnvNames::default(),
                TenantData::default(),
                lookup,
            ));
        }
        let path = Path::new(target);
        if path.extension().is_some_and(|e| e == "toml") || path.exists() {
            return Self::from_profile(path, lookup);
        }
        Err(TargetError::Unrecognised(target.to_string()))
    }

    fn from_profile(
        path: &Path,
        lookup: &dyn Fn(&str) -> Option<String>,
    ) -> Result<TargetConfig, TargetError> {
        let text = std::fs::read_to_string(path).map_err(|source| TargetError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        let file: ProfileFile = toml::from_str(&text).map_err(|e| TargetError::Profile {
            path: path.to_path_buf(),
            message: e.to_string(),
        })?;
        let target = file.target.ok_or_else(|| TargetError::Profile {
            path: path.to_path_buf(),
            message: "missing [target] table with base_url".into(),
        })?;
        let base = parse_base_url(&target.base_url).map_err(|e| TargetError::Profile {
            path: path.to_path_buf(),
            message: e.to_string(),
        })?;
        let mut urls = std::collections::BTreeMap::new();
        for (api, url) in &target.urls {
            if !API_SEGMENTS.contains(&api.as_str()) {
                return Err(TargetError::Profile {
                    path: path.to_path_buf(),
                    message: format!(
                        "[target.urls] {api}: no API family has paths under /{api}; the keys \
                         are {}",
                        API_SEGMENTS.join(", ")
                    ),
                });
            }
            let url = parse_base_url(url).map_err(|e| TargetError::Profile {
                path: path.to_path_buf(),
                message: format!("[target.urls] {api}: {e}"),
            })?;
            urls.insert(api.clone(), url);
        }
        let env = target.env.unwrap_or_default();
        let mut config = Self::with_env(
            TargetKind::Profile(path.to_path_buf()),
            base,
            &env,
            target.tenant.unwrap_or_default(),
            lookup,
        );
        config.urls = urls;
        Ok(config)
    }

    fn with_env(
        kind: TargetKind,
        base_url: String,
        env: &EnvNames,
        tenant: TenantData,
        lookup: &dyn Fn(&str) -> Option<String>,
    ) -> TargetConfig {
        let unset = std::cell::RefCell::new(Vec::new());
        let get = |key: &'static str, name: &str, default: &str| match lookup(name)
            .filter(|v| !v.is_empty())
        {
            Some(value) => value,
            None => {
                unset.borrow_mut().push(UnsetVariable {
                    variable: name.to_owned(),
                    key,
                });
                default.to_owned()
            }
        };
        TargetConfig {
            kind,
            base_url,
            api_key: get("api_key", &env.api_key, seed::API_KEY),
            client_id: get("client_id", &env.client_id, seed::CLIENT_ID),
            client_secret: get("client_secret", &env.client_secret, seed::CLIENT_SECRET),
            redirect_uri: get("redirect_uri", &env.redirect_uri, seed::REDIRECT_URI),
            agent: Credentials {
                username: get("username", &env.username, seed::AGENT_USERNAME),
                password: get("password", &env.password, seed::AGENT_PASSWORD),
            },
            supervisor: Credentials {
                username: get(
                    "supervisor_username",
                    &env.supervisor_username,
                    seed::SUPERVISOR_USERNAME,
                ),
                password: get(
                    "supervisor_password",
                    &env.supervisor_password,
                    seed::SUPERVISOR_PASSWORD,
                ),
            },
            contact_center_id: get(
                "contact_center_id",
                &env.contact_center_id,
                seed::CONTACT_CENTER_ID,
            ),
            sms_channel: get("sms_channel", &env.sms_channel, seed::SMS_CHANNEL),
            email_channel: get("email_channel", &env.email_channel, seed::EMAIL_CHANNEL),
            channel_secret: get("channel_secret", &env.channel_secret, seed::CHANNEL_SECRET),
            unset: unset.take(),
            urls: std::collections::BTreeMap::new(),
            tenant,
        }
    }

    /// The base URL that serves `path` (`/auth/v3/...`): its family's `[target.urls]`
    /// entry, or `base_url`.
    pub fn base_for(&self, path: &str) -> &str {
        let segment = path
            .trim_start_matches('/')
            .split(['/', '?'])
            .next()
            .unwrap_or("");
        self.urls
            .get(segment)
            .map_or(&self.base_url, String::as_str)
    }

    /// The absolute URL of `path` on this target.
    pub fn url_for(&self, path: &str) -> String {
        format!("{}{path}", self.base_for(path))
    }

    /// Every secret of this target, for redaction.
    pub fn secrets(&self) -> Vec<String> {
        vec![
            self.api_key.clone(),
            self.client_secret.clone(),
            self.agent.password.clone(),
            self.supervisor.password.clone(),
            self.channel_secret.clone(),
        ]
    }

    /// Describes the target for the summary (no secrets).
    pub fn describe(&self) -> String {
        match &self.kind {
            TargetKind::EmbeddedMock => format!("embedded mock at {}", self.base_url),
            TargetKind::Url => self.base_url.clone(),
            TargetKind::Profile(p) => format!("{} (profile {})", self.base_url, p.display()),
        }
    }
}

fn parse_base_url(value: &str) -> Result<String, TargetError> {
    let url = Url::parse(value).map_err(|e| TargetError::BadUrl {
        value: value.to_string(),
        reason: e.to_string(),
    })?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(TargetError::BadUrl {
            value: value.to_string(),
            reason: "scheme must be http or https, with a host".into(),
        });
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(TargetError::BadUrl {
            value: value.to_string(),
            reason: "a base URL has no query or fragment".into(),
        });
    }
    Ok(url.as_str().trim_end_matches('/').to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_env(_: &str) -> Option<String> {
        None
    }

    #[test]
    fn a_url_target_defaults_to_the_mock_seed_credentials() {
        let t = TargetConfig::resolve("http://127.0.0.1:8080/", &no_env).unwrap();
        assert_eq!(t.base_url, "http://127.0.0.1:8080");
        assert_eq!(t.api_key, seed::API_KEY);
        assert_eq!(t.agent.username, seed::AGENT_USERNAME);
    }

    #[test]
    fn environment_variables_override_the_seed() {
        let env = |name: &str| (name == "CXGATE_API_KEY").then(|| "real-key".to_string());
        let t = TargetConfig::resolve("https://gapi.example.com", &env).unwrap();
        assert_eq!(t.api_key, "real-key");
    }

    #[test]
    fn a_bad_target_names_what_was_expected() {
        let err = TargetConfig::resolve("ftp://x", &no_env)
            .unwrap_err()
            .to_string();
        assert!(err.contains("expected `mock`"), "{err}");
    }

    #[test]
    fn a_profile_names_env_vars_not_secrets() {
        let dir = std::env::temp_dir().join(format!("cxgate-profile-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("p.toml");
        std::fs::write(
            &path,
            "[target]\nbase_url = \"http://127.0.0.1:9\"\n[target.env]\napi_key = \"MY_KEY\"\n",
        )
        .unwrap();
        let env = |name: &str| (name == "MY_KEY").then(|| "from-env".to_string());
        let t = TargetConfig::resolve(path.to_str().unwrap(), &env).unwrap();
        assert_eq!(t.api_key, "from-env");
        assert_eq!(t.base_url, "http://127.0.0.1:9");
        std::fs::write(
            &path,
            "[target]\nbase_url = \"http://127.0.0.1:9\"\napi_key = \"secret\"\n",
        )
        .unwrap();
        let err = TargetConfig::resolve(path.to_str().unwrap(), &env)
            .unwrap_err()
            .to_string();
        assert!(err.contains("api_key"), "{err}");
    }

    #[test]
    fn the_tenant_table_replaces_the_seed_values_it_names() {
        let dir = std::env::temp_dir().join(format!("cxgate-tenant-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("t.toml");
        std::fs::write(
            &path,
            "[target]\nbase_url = \"http://127.0.0.1:9\"\n[target.tenant]\nagent_object_id = \"a-77\"\nopenmedia_service = \"claims\"\n",
        )
        .unwrap();
        let t = TargetConfig::resolve(path.to_str().unwrap(), &no_env).unwrap();
        assert_eq!(t.tenant.agent_object_id, "a-77");
        assert_eq!(t.tenant.get("openmedia_service"), Some("claims"));
        assert_eq!(t.tenant.immediate_statistic, seed::IMMEDIATE_STATISTIC);
        for key in TenantData::KEYS {
            assert!(t.tenant.get(key).is_some(), "{key} has a value");
        }
        assert_eq!(t.tenant.get("no_such_key"), None);
    }

    #[test]
    fn an_unknown_tenant_key_names_the_key_and_the_valid_ones() {
        let dir = std::env::temp_dir().join(format!("cxgate-tenant-bad-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("t.toml");
        std::fs::write(
            &path,
            "[target]\nbase_url = \"http://127.0.0.1:9\"\n[target.tenant]\nagent_objectid = \"x\"\n",
        )
        .unwrap();
        let err = TargetConfig::resolve(path.to_str().unwrap(), &no_env)
            .unwrap_err()
            .to_string();
        assert!(err.contains("agent_objectid"), "{err}");
        assert!(
            err.contains("agent_object_id") && err.contains("openmedia_service"),
            "{err}"
        );
        assert!(err.contains("t.toml"), "{err}");
    }
}
