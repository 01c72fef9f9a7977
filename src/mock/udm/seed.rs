//! `[udm]` of the seed: the reference data of the User Data Management and Cloud Data
//! Download Service APIs (version, job statuses, sources, types, sub-types, attributes,
//! labels) and the timings of the mock's export runs.

use std::collections::{BTreeMap, HashSet};
use std::hash::Hash;

use serde::Deserialize;

use super::super::config::FamilySeed;

/// The six status values every job and run takes (the mock's; the reference lists none
/// and points to `/data/job-statuses`, 987 and 4653).
pub const STATUS_VALUES: [&str; 6] = [
    "SCHEDULED",
    "SUSPENDED",
    "IN_PROGRESS",
    "COMPLETED",
    "FAILED",
    "CANCELLED",
];

/// Files per completed run at most (`file_split`).
pub const MAX_FILE_SPLIT: u32 = 100;

/// `[udm]`: what the five base paths `/udm/v10`, `/udm/v4`, `/udm/v3`,
/// `/data-download/v4` and `/data-download/v3` serve.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UdmSeed {
    /// `VersionInfo` of `GET /version` (1263-1269).
    pub version: VersionSeed,
    /// `GET /data/job-statuses`: label/value pairs; the values are [`STATUS_VALUES`].
    pub job_statuses: Vec<KeyValue>,
    /// `GET /data/sources`: label/value pairs; a job's `source` is one of the values.
    pub sources: Vec<KeyValue>,
    /// `GET /data/types`: the data types of each source.
    pub types: Vec<DataTypeSeed>,
    /// `GET /data/sub-types`: the entities of each source and data type.
    pub sub_types: Vec<SubTypeSeed>,
    /// `GET /data/attributes` (v10): attribute names per entity.
    pub attributes: BTreeMap<String, Vec<String>>,
    /// `GET /resources/labels` (v10): label key to display text.
    pub labels: BTreeMap<String, String>,
    /// Mock seconds a run takes from progress 0 to 100.
    pub run_seconds: u64,
    /// Mock seconds a pre-signed download URL works.
    pub url_lifetime_secs: u64,
    /// Files each completed run produces.
    pub file_split: u32,
    /// `CertificateInfo.ccid`: the contact center the certificate belongs to.
    pub ccid: String,
}

/// `VersionInfo`: `{version, buildNumber, changeset, name}`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VersionSeed {
    /// `version`.
    pub version: String,
    /// `buildNumber`.
    pub build_number: String,
    /// `changeset`.
    pub changeset: String,
    /// `name`.
    pub name: String,
}

/// `KeyValueItem`: `{label, value}` (994-997).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyValue {
    /// What a person reads.
    pub label: String,
    /// What a client sends and matches.
    pub value: String,
}

/// `DataType`: `{name, source}` (1080-1083).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataTypeSeed {
    /// The type's name (a job's `jobParams.type`).
    pub name: String,
    /// The source it belongs to (a value of `sources`).
    pub source: String,
}

/// `SubType`: `{name, displayName, source, dataType, enabled}` (1047-1053).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubTypeSeed {
    /// The entity name (a job's `jobParams.media` item).
    pub name: String,
    /// `displayName`.
    pub display_name: String,
    /// The source (a value of `sources`).
    pub source: String,
    /// `dataType`: a type `name` of that source.
    pub data_type: String,
    /// Whether it can be exported.
    pub enabled: bool,
}

fn kv(label: &str, value: &str) -> KeyValue {
    KeyValue {
        label: label.to_owned(),
        value: value.to_owned(),
    }
}

fn sub_type(name: &str, display: &str, data_type: &str, enabled: bool) -> SubTypeSeed {
    SubTypeSeed {
        name: name.to_owned(),
        display_name: display.to_owned(),
        source: "UCS".to_owned(),
        data_type: data_type.to_owned(),
        enabled,
    }
}

impl Default for UdmSeed {
    /// The built-in `[udm]`; equal to the one in `targets/mock.toml`.
    fn default() -> UdmSeed {
        let strings = |items: &[&str]| items.iter().map(|s| (*s).to_owned()).collect();
        UdmSeed {
            version: VersionSeed {
                version: "10.0.000.27".to_owned(),
                build_number: "27".to_owned(),
                changeset: "c0ffee1".to_owned(),
                name: "udm".to_owned(),
            },
            job_statuses: vec![
                kv("Scheduled", "SCHEDULED"),
                kv("Suspended", "SUSPENDED"),
                kv("In progress", "IN_PROGRESS"),
                kv("Completed", "COMPLETED"),
                kv("Failed", "FAILED"),
                kv("Cancelled", "CANCELLED"),
            ],
            sources: vec![kv("Universal Contact Server", "UCS")],
            types: vec![
                DataTypeSeed {
                    name: "interactions".to_owned(),
                    source: "UCS".to_owned(),
                },
                DataTypeSeed {
                    name: "contacts".to_owned(),
                    source: "UCS".to_owned(),
                },
            ],
            sub_types: vec![
                sub_type("email", "Email", "interactions", true),
                sub_type("chat", "Chat", "interactions", true),
                sub_type("sms", "SMS", "interactions", false),
                sub_type("contact", "Contact", "contacts", true),
            ],
            attributes: BTreeMap::from([
                ("chat".to_owned(), strings(&["nickname", "transcript"])),
                ("contact".to_owned(), strings(&["firstName", "lastName"])),
                ("email".to_owned(), strings(&["subject", "fromAddress"])),
                ("sms".to_owned(), strings(&["phoneNumber"])),
            ]),
            labels: BTreeMap::from([
                ("CANCELLED".to_owned(), "Cancelled".to_owned()),
                ("COMPLETED".to_owned(), "Completed".to_owned()),
                ("FAILED".to_owned(), "Failed".to_owned()),
                ("IN_PROGRESS".to_owned(), "In progress".to_owned()),
                ("SCHEDULED".to_owned(), "Scheduled".to_owned()),
                ("SUSPENDED".to_owned(), "Suspended".to_owned()),
            ]),
            run_seconds: 20,
            url_lifetime_secs: 300,
            file_split: 2,
            ccid: "0ff723ff-6c6f-44e0-9ce3-ce579337eadd".to_owned(),
        }
    }
}

impl UdmSeed {
    /// True when `value` is the value of a seed source.
    pub fn has_source(&self, value: &str) -> bool {
        self.sources.iter().any(|s| s.value == value)
    }
}

/// Adds `key` to `seen`, or says that `list` names `shown` twice.
fn once<K: Eq + Hash>(
    seen: &mut HashSet<K>,
    key: K,
    list: &str,
    shown: &str,
) -> Result<(), String> {
    if seen.insert(key) {
        Ok(())
    } else {
        Err(format!("{list}: `{shown}` is listed twice"))
    }
}

impl FamilySeed for UdmSeed {
    const SECTION: &'static str = "udm";

    fn validate(&self) -> Result<(), String> {
        let v = &self.version;
        for (name, value) in [
            ("version", &v.version),
            ("build_number", &v.build_number),
            ("changeset", &v.changeset),
            ("name", &v.name),
        ] {
            if value.is_empty() {
                return Err(format!("version.{name} must not be empty"));
            }
        }
        let mut statuses = HashSet::new();
        for (i, item) in self.job_statuses.iter().enumerate() {
            if !STATUS_VALUES.contains(&item.value.as_str()) {
                return Err(format!(
                    "job_statuses[{i}] value `{}` is none of {}",
                    item.value,
                    STATUS_VALUES.join(", ")
                ));
            }
            once(
                &mut statuses,
                item.value.as_str(),
                "job_statuses",
                &item.value,
            )?;
        }
        if let Some(missing) = STATUS_VALUES.iter().find(|s| !statuses.contains(*s)) {
            return Err(format!(
                "job_statuses must list all of {}; `{missing}` is missing",
                STATUS_VALUES.join(", ")
            ));
        }
        let mut sources = HashSet::new();
        for (i, item) in self.sources.iter().enumerate() {
            if item.value.is_empty() || item.value.contains(',') {
                return Err(format!(
                    "sources[{i}] needs a non-empty value without a comma"
                ));
            }
            once(&mut sources, item.value.as_str(), "sources", &item.value)?;
        }
        let mut types = HashSet::new();
        for (i, item) in self.types.iter().enumerate() {
            if item.name.is_empty() {
                return Err(format!("types[{i}] needs a non-empty name"));
            }
            if !sources.contains(item.source.as_str()) {
                return Err(format!(
                    "types[{i}] `{}` names source `{}`, which is not in sources",
                    item.name, item.source
                ));
            }
            let key = (item.source.as_str(), item.name.as_str());
            once(&mut types, key, "types", &item.name)?;
        }
        for (i, item) in self.sub_types.iter().enumerate() {
            if item.name.is_empty() {
                return Err(format!("sub_types[{i}] needs a non-empty name"));
            }
            if !types.contains(&(item.source.as_str(), item.data_type.as_str())) {
                return Err(format!(
                    "sub_types[{i}] `{}` names data type `{}` of source `{}`, which is not in types",
                    item.name, item.data_type, item.source
                ));
            }
        }
        if self.run_seconds == 0 || self.run_seconds > 86_400 {
            return Err("run_seconds must be between 1 and 86400".to_owned());
        }
        if self.url_lifetime_secs == 0 {
            return Err("url_lifetime_secs must be at least 1".to_owned());
        }
        if self.file_split == 0 || self.file_split > MAX_FILE_SPLIT {
            return Err(format!("file_split must be between 1 and {MAX_FILE_SPLIT}"));
        }
        if self.ccid.is_empty() {
            return Err("ccid must not be empty".to_owned());
        }
        Ok(())
    }
}
