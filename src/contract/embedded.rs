//! The contract built into the binary: `features/` and `schemas/` as they were when it
//! was built, so `cxgate` runs from any directory. cucumber reads feature files from
//! disk, so the first use in a process writes them out once to a private directory
//! named after the binary's version and the contract's content hash; processes that
//! share the hash share the directory, written atomically.

use super::ContractError;
use include_dir::{include_dir, Dir, DirEntry};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

static FEATURES: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/features");
static SCHEMAS: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/schemas");

/// Where a run's contract comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContractSource {
    /// The one built into the binary.
    Embedded,
    /// A directory holding `features/` and `schemas/` (`--contract-dir`).
    Dir(PathBuf),
}

impl ContractSource {
    /// The directory to load the contract from: the given one, after checking that it
    /// holds a catalog, or the built-in contract written out.
    pub fn root(&self) -> Result<PathBuf, ContractError> {
        match self {
            ContractSource::Dir(dir) => {
                let catalog = dir.join("schemas").join("catalog.json");
                if catalog.is_file() {
                    Ok(dir.clone())
                } else {
                    Err(ContractError::NotAContract { dir: dir.clone() })
                }
            }
            ContractSource::Embedded => embedded_root(),
        }
    }
}

/// Every file of the built-in contract: (path below the contract root, contents).
fn files() -> Vec<(PathBuf, &'static [u8])> {
    fn walk(dir: &'static Dir<'static>, base: &Path, out: &mut Vec<(PathBuf, &'static [u8])>) {
        for entry in dir.entries() {
            match entry {
                DirEntry::Dir(d) => walk(d, base, out),
                DirEntry::File(f) => out.push((base.join(f.path()), f.contents())),
            }
        }
    }
    let mut out = Vec::new();
    walk(&FEATURES, Path::new("features"), &mut out);
    walk(&SCHEMAS, Path::new("schemas"), &mut out);
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// The built-in contract on disk, written out on first use in this process.
pub fn embedded_root() -> Result<PathBuf, ContractError> {
    static ROOT: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    let root = ROOT.get_or_init(|| write_out(&std::env::temp_dir()).map_err(|e| e.to_string()));
    root.clone()
        .map_err(|message| ContractError::Embedded { message })
}

/// Writes the built-in contract below `parent` (unless a directory of the same content
/// is already there) and returns its root.
fn write_out(parent: &Path) -> Result<PathBuf, std::io::Error> {
    let files = files();
    let mut hash = Sha256::new();
    for (path, contents) in &files {
        hash.update(path.to_string_lossy().as_bytes());
        hash.update([0]);
        hash.update(contents);
        hash.update([0]);
    }
    let digest: String = hash.finalize()[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let root = parent.join(format!(
        "cxgate-contract-{}-{digest}",
        env!("CARGO_PKG_VERSION")
    ));
    // Written whole into a directory of this process, then renamed into place: another
    // process sees the contract complete or not at all.
    let staging = parent.join(format!(
        ".cxgate-contract-{digest}-{}-{}",
        std::process::id(),
        crate::ids::uuid_v4().simple()
    ));
    std::fs::create_dir_all(&staging)?;
    // A copy left by an earlier run is used only when it is this user's and nobody else
    // can write to it: the temp directory is shared, and features decide what is sent.
    if trusted(&root, &staging) {
        let _ = std::fs::remove_dir_all(&staging);
        return Ok(root);
    }
    for (path, contents) in &files {
        let target = staging.join(path);
        if let Some(dir) = target.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(target, contents)?;
    }
    match std::fs::rename(&staging, &root) {
        Ok(()) => Ok(root),
        // Another process of this user got there first, with the same content.
        Err(_) if trusted(&root, parent) => {
            let _ = std::fs::remove_dir_all(&staging);
            Ok(root)
        }
        // The name is taken by something this process does not trust: keep its own copy.
        Err(_) => Ok(staging),
    }
}

/// `root` holds a written-out contract owned by the owner of `mine`, and neither it nor
/// its `features/` and `schemas/` are writable by group or others.
#[cfg(unix)]
fn trusted(root: &Path, mine: &Path) -> bool {
    use std::os::unix::fs::MetadataExt as _;
    let (Ok(me), true) = (
        std::fs::metadata(mine),
        root.join("schemas").join("catalog.json").is_file(),
    ) else {
        return false;
    };
    [
        root.to_path_buf(),
        root.join("features"),
        root.join("schemas"),
    ]
    .iter()
    .all(|dir| {
        std::fs::symlink_metadata(dir)
            .is_ok_and(|m| m.is_dir() && m.uid() == me.uid() && m.mode() & 0o022 == 0)
    })
}

#[cfg(not(unix))]
fn trusted(root: &Path, _mine: &Path) -> bool {
    root.join("schemas").join("catalog.json").is_file()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_contract_is_the_checkout_s_and_is_written_out_once() {
        let files = files();
        assert!(files
            .iter()
            .any(|(p, _)| p == Path::new("schemas/catalog.json")));
        let on_disk =
            std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/catalog.json"))
                .expect("the checkout's catalog");
        let built_in = files
            .iter()
            .find(|(p, _)| p == Path::new("schemas/catalog.json"))
            .map(|(_, c)| *c);
        assert_eq!(built_in, Some(on_disk.as_slice()));
        let parent = std::env::temp_dir().join(format!("cxgate-embedded-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&parent);
        std::fs::create_dir_all(&parent).expect("scratch dir");
        let first = write_out(&parent).expect("written");
        let second = write_out(&parent).expect("reused");
        assert_eq!(first, second);
        let entries = std::fs::read_dir(&parent).expect("listed").count();
        assert_eq!(entries, 1, "no staging directory is left behind");
        // A copy that others may write to is not used: this process writes its own.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            std::fs::set_permissions(&first, std::fs::Permissions::from_mode(0o777))
                .expect("chmod");
            let own = write_out(&parent).expect("a private copy");
            assert_ne!(own, first);
            assert!(own.join("schemas/catalog.json").is_file());
        }
        let model = crate::contract::ContractModel::load(&first).expect("loads");
        assert_eq!(model.catalog.endpoints.len(), 119);
        let _ = std::fs::remove_dir_all(&parent);
    }

    #[test]
    fn a_directory_without_a_catalog_is_not_a_contract() {
        let err = ContractSource::Dir("/nonexistent/contract".into())
            .root()
            .expect_err("no catalog");
        let text = err.to_string();
        assert!(text.contains("/nonexistent/contract"), "{text}");
        assert!(text.contains("schemas/catalog.json"), "{text}");
    }
}
