//! The contract as data: the endpoint catalog, the compiled JSON Schemas and an index of
//! the feature files, loaded and checked once at start-up. No network.

mod catalog;
mod embedded;
mod features;
mod schemas;

pub use catalog::{Catalog, Endpoint, EndpointParam, EndpointResponse};
pub use embedded::{embedded_root, ContractSource};
pub use features::{gherkin_error, FeatureIndex, RequestRef, SchemaRef};
pub use schemas::{SchemaSet, Violation};

use std::path::{Path, PathBuf};

/// Everything that can be wrong with the contract files. Each variant names the file.
#[derive(Debug, thiserror::Error)]
pub enum ContractError {
    /// A file or folder could not be read.
    #[error("{path}: cannot read: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A JSON file is not valid JSON.
    #[error("{path}: invalid JSON at line {line}, column {column}: {message}")]
    Json {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    /// The catalog has the wrong shape.
    #[error("{path}: bad catalog: {message}")]
    Catalog { path: PathBuf, message: String },
    /// A schema file is not a usable JSON Schema 2020-12 document.
    #[error("{path}: bad schema: {message}")]
    Schema { path: PathBuf, message: String },
    /// A feature file or the catalog names a schema that does not exist.
    #[error("{path}:{line}: unknown schema \"{name}\" (no file schemas/{name}.schema.json)")]
    UnknownSchema {
        path: PathBuf,
        line: usize,
        name: String,
    },
    /// `--contract-dir` names a directory that holds no contract.
    #[error(
        "--contract-dir {dir}: not a contract directory: it must hold schemas/catalog.json, \
         schemas/<api>/*.schema.json and features/<api>/*.feature (without the flag, the \
         contract built into cxgate is used)"
    )]
    NotAContract { dir: PathBuf },
    /// The contract built into the binary could not be written out for cucumber.
    #[error("cannot write the built-in contract to the temp directory ({message}); set TMPDIR to a writable directory, or pass --contract-dir")]
    Embedded { message: String },
    /// A feature file cannot be parsed as Gherkin; the message starts with its file, line
    /// and column.
    #[error("{message}")]
    Feature { path: PathBuf, message: String },
}

/// The loaded contract: catalog, compiled schemas and the feature index.
#[derive(Debug)]
pub struct ContractModel {
    pub catalog: Catalog,
    pub schemas: SchemaSet,
    pub features: FeatureIndex,
    pub features_dir: PathBuf,
    /// The directory holding `features/` and `schemas/`; reports show feature files
    /// relative to it.
    pub root: PathBuf,
}

impl ContractModel {
    /// Loads `schemas/catalog.json`, every `schemas/**/*.schema.json` and the feature
    /// files under `features/`, all relative to `root`, and checks that every schema the
    /// catalog or a feature names exists.
    pub fn load(root: &Path) -> Result<ContractModel, ContractError> {
        let schemas_dir = root.join("schemas");
        let features_dir = root.join("features");
        let catalog = Catalog::load(&schemas_dir.join("catalog.json"))?;
        let schemas = SchemaSet::load(&schemas_dir)?;
        let features = FeatureIndex::load(&features_dir)?;
        let catalog_path = schemas_dir.join("catalog.json");
        for endpoint in &catalog.endpoints {
            for response in &endpoint.responses {
                if let Some(name) = &response.contract_schema {
                    if !schemas.contains(name) {
                        return Err(ContractError::UnknownSchema {
                            path: catalog_path.clone(),
                            line: 0,
                            name: name.clone(),
                        });
                    }
                }
            }
        }
        for reference in &features.schema_refs {
            if !schemas.contains(&reference.name) {
                return Err(ContractError::UnknownSchema {
                    path: reference.file.clone(),
                    line: reference.line,
                    name: reference.name.clone(),
                });
            }
        }
        Ok(ContractModel {
            catalog,
            schemas,
            features,
            features_dir,
            root: root.to_path_buf(),
        })
    }
}

pub(crate) fn read_json(path: &Path) -> Result<serde_json::Value, ContractError> {
    let text = std::fs::read_to_string(path).map_err(|source| ContractError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    serde_json::from_str(&text).map_err(|e| ContractError::Json {
        path: path.to_path_buf(),
        line: e.line(),
        column: e.column(),
        message: e.to_string(),
    })
}

/// Every file below `dir` (recursively) for which `wanted` is true.
pub(crate) fn collect_files(
    dir: &Path,
    wanted: &dyn Fn(&Path) -> bool,
    out: &mut Vec<PathBuf>,
) -> Result<(), ContractError> {
    let io = |source| ContractError::Io {
        path: dir.to_path_buf(),
        source,
    };
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let path = entry.map_err(io)?.path();
        if path.is_dir() {
            collect_files(&path, wanted, out)?;
        } else if wanted(&path) {
            out.push(path);
        }
    }
    Ok(())
}
