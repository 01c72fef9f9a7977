//! The mock's whole seed, read from TOML: the identity part (`kernel::seed`) and one
//! section per API family, each defined beside its family's code.

use std::collections::BTreeMap;
use std::fmt::Debug;
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
    /// [`MockConfig::section`] (so a new family needs no field here), one of the family
    /// list's `SEED_SECTIONS`. The harness's `[target]` profile is dropped when the seed
    /// is parsed; any other table is refused.
    #[serde(flatten)]
    pub sections: BTreeMap<String, toml::Value>,
}

impl MockConfig {
    /// The built-in seed; equal to `targets/mock.toml` (where a family's own table, absent
    /// here, equals that family's default).
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
        Self::parse_with(s, origin, super::SEED_SECTIONS)
    }

    /// Parses a seed whose family tables are `known`.
    fn parse_with(s: &str, origin: &str, known: &[SeedSection]) -> Result<MockConfig, MockError> {
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
        config.check_sections(known, origin)?;
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

    /// Every family table of the seed is one of `known` and reads as its family's type.
    fn check_sections(&self, known: &[SeedSection], origin: &str) -> Result<(), MockError> {
        for name in self.sections.keys() {
            if !known.iter().any(|section| section.name == name) {
                let mut tables = vec![
                    "auth",
                    "tenants",
                    "clients",
                    "users",
                    "statistics",
                    "messaging",
                    "interactions",
                    "openmedia",
                ];
                tables.extend(known.iter().map(|section| section.name));
                return Err(MockError::InvalidConfig {
                    origin: origin.to_owned(),
                    message: format!(
                        "unknown table [{name}]: a seed has only the tables {}; \
                         check the spelling, or remove it",
                        tables.join(", ")
                    ),
                });
            }
        }
        for section in known {
            (section.read)(self.sections.get(section.name))?;
        }
        Ok(())
    }

    /// The table `[T::SECTION]` of a family that reads its own, or its default when the
    /// seed has none; the error names the table and what is wrong in it.
    pub fn section<T: FamilySeed>(&self) -> Result<T, MockError> {
        read_section(self.sections.get(T::SECTION))
    }
}

/// A family's own seed table `[SECTION]`, defined beside the family's code and read with
/// [`MockConfig::section`]. Its `Default` is the built-in seed's table, so
/// `targets/mock.toml` holds exactly the default.
pub trait FamilySeed: DeserializeOwned + Default + PartialEq + Debug {
    /// The table's name in the seed file, e.g. `udm`.
    const SECTION: &'static str;
    /// What serde cannot check (references, ranges); the message names the field.
    fn validate(&self) -> Result<(), String> {
        Ok(())
    }
}

/// A family table the seed may hold: an entry of the family list's `SEED_SECTIONS`.
pub struct SeedSection {
    /// The table's name.
    pub name: &'static str,
    /// Reads and checks the table (absent means the default); `true` when it equals the
    /// default.
    pub read: fn(Option<&toml::Value>) -> Result<bool, MockError>,
}

impl SeedSection {
    /// The entry for the family seed `T`.
    pub const fn of<T: FamilySeed>() -> SeedSection {
        SeedSection {
            name: T::SECTION,
            read: is_default::<T>,
        }
    }
}

fn read_section<T: FamilySeed>(value: Option<&toml::Value>) -> Result<T, MockError> {
    let invalid = |message: String| MockError::InvalidConfig {
        origin: format!("[{}]", T::SECTION),
        message,
    };
    let seed: T = match value {
        None => T::default(),
        Some(value) => value
            .clone()
            .try_into()
            .map_err(|e: toml::de::Error| invalid(e.to_string().trim_end().to_owned()))?,
    };
    seed.validate().map_err(invalid)?;
    Ok(seed)
}

fn is_default<T: FamilySeed>(value: Option<&toml::Value>) -> Result<bool, MockError> {
    Ok(read_section::<T>(value)? == T::default())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[derive(Debug, Default, PartialEq, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Exports {
        #[serde(default)]
        services: Vec<String>,
    }

    impl FamilySeed for Exports {
        const SECTION: &'static str = "exports";
        fn validate(&self) -> Result<(), String> {
            match self.services.iter().any(String::is_empty) {
                true => Err("services: a name is empty".into()),
                false => Ok(()),
            }
        }
    }

    const AUTH: &str = "[auth]\ntoken_lifetime_secs = 60\ncode_lifetime_secs = 60\n\
                        api_keys = [\"k\"]\njwt_secret = \"s\"\n";

    fn parse(tables: &str) -> Result<MockConfig, MockError> {
        let text = format!("{AUTH}{tables}");
        MockConfig::parse_with(&text, "seed.toml", &[SeedSection::of::<Exports>()])
    }

    #[test]
    fn a_family_section_is_read_by_its_family_or_defaults() {
        let config = parse("[target]\nbase_url = \"http://x\"\n").unwrap();
        assert!(config.sections.is_empty(), "[target] is the harness's");
        assert_eq!(config.section::<Exports>().unwrap(), Exports::default());
        let config = parse("[exports]\nservices = [\"a\", \"b\"]\n").unwrap();
        let read: Exports = config.section().unwrap();
        assert_eq!(read.services, vec!["a".to_string(), "b".to_string()]);
    }

    #[test]
    fn a_misspelt_or_broken_family_section_is_refused_when_the_seed_is_read() {
        // (the tables, a part of the message)
        let cases = [
            ("[export]\nservices = []\n", "unknown table [export]"),
            ("[exports]\nservices = 3\n", "services"),
            ("[exports]\nservice = []\n", "service"),
            ("[exports]\nservices = [\"\"]\n", "a name is empty"),
        ];
        for (tables, want) in cases {
            let error = parse(tables).unwrap_err().to_string();
            assert!(error.contains(want), "{tables}: {error}");
        }
    }
}
