//! JSON Schemas (draft 2020-12) under `schemas/`, each compiled once into a validator.

use super::{read_json, ContractError};
use jsonschema::{Draft, Registry, Validator};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const DRAFT_2020_12: &str = "https://json-schema.org/draft/2020-12/schema";

/// One reason why a document does not match a schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// JSON pointer into the document (`""` is the whole document).
    pub pointer: String,
    /// What is wrong there.
    pub message: String,
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let pointer = if self.pointer.is_empty() {
            "(root)"
        } else {
            &self.pointer
        };
        write!(f, "at {pointer}: {}", self.message)
    }
}

/// A compiled schema with the document it came from.
#[derive(Debug)]
pub struct CompiledSchema {
    pub name: String,
    pub path: PathBuf,
    pub document: Value,
    validator: Validator,
}

impl CompiledSchema {
    /// Every violation of this schema by `instance`, in document order.
    pub fn violations(&self, instance: &Value) -> Vec<Violation> {
        self.validator
            .iter_errors(instance)
            .map(|e| Violation {
                pointer: e.instance_path().to_string(),
                message: e.to_string(),
            })
            .collect()
    }
}

/// All schemas, by name (`auth/DefaultOAuth2AccessToken` for
/// `schemas/auth/DefaultOAuth2AccessToken.schema.json`).
#[derive(Debug, Default)]
pub struct SchemaSet {
    schemas: BTreeMap<String, CompiledSchema>,
}

impl SchemaSet {
    /// Reads every `*.schema.json` under `dir`, registers them so relative `$ref`s resolve,
    /// and compiles each with format checking on.
    pub fn load(dir: &Path) -> Result<SchemaSet, ContractError> {
        let mut files = Vec::new();
        super::collect_files(
            dir,
            &|p| p.to_string_lossy().ends_with(".schema.json"),
            &mut files,
        )?;
        files.sort();
        let mut documents = Vec::new();
        for path in files {
            let document = read_json(&path)?;
            let name = schema_name(dir, &path);
            let bad = |message: String| ContractError::Schema {
                path: path.clone(),
                message,
            };
            if document.get("$schema").and_then(Value::as_str) != Some(DRAFT_2020_12) {
                return Err(bad(format!("\"$schema\" must be \"{DRAFT_2020_12}\"")));
            }
            let id = document
                .get("$id")
                .and_then(Value::as_str)
                .ok_or_else(|| bad("missing \"$id\"".into()))?
                .to_string();
            let expected_suffix = format!("/schemas/{name}.schema.json");
            if !id.ends_with(&expected_suffix) {
                return Err(bad(format!(
                    "\"$id\" is \"{id}\" but must end with \"{expected_suffix}\" so relative $refs resolve"
                )));
            }
            if let Err(e) = jsonschema::meta::validate(&document) {
                return Err(bad(format!(
                    "not a valid 2020-12 schema at {}: {e}",
                    e.instance_path()
                )));
            }
            documents.push((name, path, id, document));
        }
        let registry = Registry::new()
            .extend(documents.iter().map(|(_, _, id, doc)| (id.as_str(), doc)))
            .and_then(|b| b.prepare())
            .map_err(|e| ContractError::Schema {
                path: dir.to_path_buf(),
                message: format!("cannot register schemas: {e}"),
            })?;
        let mut schemas = BTreeMap::new();
        for (name, path, id, document) in &documents {
            let validator = jsonschema::options()
                .with_draft(Draft::Draft202012)
                .should_validate_formats(true)
                .with_registry(&registry)
                .with_base_uri(id.clone())
                .build(document)
                .map_err(|e| ContractError::Schema {
                    path: path.clone(),
                    message: e.to_string(),
                })?;
            schemas.insert(
                name.clone(),
                CompiledSchema {
                    name: name.clone(),
                    path: path.clone(),
                    document: document.clone(),
                    validator,
                },
            );
        }
        Ok(SchemaSet { schemas })
    }

    /// True when a schema of that name exists.
    pub fn contains(&self, name: &str) -> bool {
        self.schemas.contains_key(name)
    }

    /// The compiled schema of that name.
    pub fn get(&self, name: &str) -> Option<&CompiledSchema> {
        self.schemas.get(name)
    }

    /// All schemas in name order.
    pub fn iter(&self) -> impl Iterator<Item = &CompiledSchema> {
        self.schemas.values()
    }

    /// Number of schemas.
    pub fn len(&self) -> usize {
        self.schemas.len()
    }

    /// True when there are no schemas.
    pub fn is_empty(&self) -> bool {
        self.schemas.is_empty()
    }
}

fn schema_name(dir: &Path, path: &Path) -> String {
    let relative = path.strip_prefix(dir).unwrap_or(path);
    let text = relative.to_string_lossy().replace('\\', "/");
    text.trim_end_matches(".schema.json").to_string()
}
