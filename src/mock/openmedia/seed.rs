//! `[openmedia]` of the seed: the open media services that exist.

use std::collections::HashSet;

use serde::Deserialize;

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
    pub(crate) fn validate(&self) -> Result<(), String> {
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
