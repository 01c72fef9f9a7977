//! The mock's whole seed, read from TOML: the identity part (`kernel::seed`) and one
//! section per API family, each defined beside its family's code.

use std::collections::BTreeMap;
use std::path::Path;

use serde::de::DeserializeOwned;
use serde::Deserialize;

use super::error::MockError;
pub use super::kernel::seed::{
    AuthConfig, ClientConfig, IdentitySeed, RoleConfig, TenantConfig, UserConfig,
};
pub use super::messaging::seed::{ChannelConfig, ChannelType, InteractionsConfig, MessagingConfig};
pub use super::openmedia::seed::OpenmediaConfig;
pub use super::statistics::seed::{
    NamedStatisticConfig, NotificationMode, StatObjectConfig, StatisticsConfig,
};

/// Origin shown in errors for configuration given as a string.
const STRING_ORIGIN: &str = "<string>";

/// The whole seed of the mock deployment. `targets/mock.toml` holds the default;
/// `cxgate mock --config FILE` replaces all of it.
///
/// Unknown top-level tables (such as the harness's `[target]` profile) are
/// ignored, while every table below is strict so that a typo is reported.
#[derive(Debug, Clone, PartialEq, Deserialize)]
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
    /// Every other top-level table: the section of a family that reads its own with
    /// [`MockConfig::section`] (so a new family needs no field here). The harness's
    /// `[target]` profile is dropped when the seed is parsed.
    #[serde(flatten)]
    pub sections: BTreeMap<String, toml::Value>,
}

impl MockConfig {
    /// The built-in seed; equal to `targets/mock.toml`.
    pub fn default_seed() -> MockConfig {
        let identity = IdentitySeed::default_seed();
        MockConfig {
            auth: identity.auth,
            tenants: identity.tenants,
            clients: identity.clients,
            users: identity.users,
            statistics: StatisticsConfig::default(),
            messaging: MessagingConfig::default(),
            interactions: InteractionsConfig::default(),
            openmedia: OpenmediaConfig::default(),
            sections: BTreeMap::new(),
        }
    }

    /// The identity part, for the kernel's identity store.
    pub fn identity(&self) -> IdentitySeed {
        IdentitySeed {
            auth: self.auth.clone(),
            tenants: self.tenants.clone(),
            clients: self.clients.clone(),
            users: self.users.clone(),
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
        let mut config: MockConfig = toml::from_str(s).map_err(|e| MockError::ParseConfig {
            origin: origin.to_owned(),
            message: e.to_string().trim_end().to_owned(),
        })?;
        config.sections.remove("target");
        config
            .validate()
            .map_err(|message| MockError::InvalidConfig {
                origin: origin.to_owned(),
                message,
            })?;
        Ok(config)
    }

    /// Checks what serde cannot: uniqueness, references and non-empty secrets.
    /// Checks what serde cannot, section by section.
    fn validate(&self) -> Result<(), String> {
        self.identity().validate()?;
        self.statistics.validate()?;
        self.messaging.validate()?;
        self.interactions.validate()?;
        self.openmedia.validate()?;
        Ok(())
    }

    /// The section `[name]` of a family that reads its own, or its default when the
    /// seed has none; the error names the section and what is wrong in it.
    pub fn section<T: DeserializeOwned + Default>(&self, name: &str) -> Result<T, MockError> {
        match self.sections.get(name) {
            None => Ok(T::default()),
            Some(value) => {
                value
                    .clone()
                    .try_into()
                    .map_err(|e: toml::de::Error| MockError::InvalidConfig {
                        origin: format!("[{name}]"),
                        message: e.to_string().trim_end().to_owned(),
                    })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_family_section_is_read_by_its_family_or_defaults() {
        let config = MockConfig::from_toml_str(
            "[auth]\ntoken_lifetime_secs = 60\ncode_lifetime_secs = 60\napi_keys = [\"k\"]\njwt_secret = \"s\"\n\
             [exports]\nservices = [\"a\", \"b\"]\n[target]\nbase_url = \"http://x\"\n",
        )
        .unwrap();
        assert!(
            !config.sections.contains_key("target"),
            "[target] is the harness's"
        );
        let read: OpenmediaConfig = config.section("exports").unwrap();
        assert_eq!(read.services, vec!["a".to_string(), "b".to_string()]);
        let absent: OpenmediaConfig = config.section("nothing").unwrap();
        assert_eq!(absent, OpenmediaConfig::default());
        let bad = MockConfig::from_toml_str(
            "[auth]\ntoken_lifetime_secs = 60\ncode_lifetime_secs = 60\napi_keys = [\"k\"]\njwt_secret = \"s\"\n\
             [exports]\nservices = 3\n",
        )
        .unwrap()
        .section::<OpenmediaConfig>("exports")
        .unwrap_err()
        .to_string();
        assert!(
            bad.contains("[exports]") && bad.contains("services"),
            "{bad}"
        );
    }
}
