//! The Kubernetes manifests of `deploy/kubernetes/` run what the README says: an Indexed
//! Job of N shards whose `JOB_COMPLETION_INDEX` is `--shard I/N`, the profile from a
//! ConfigMap, every variable it names from one Secret, a shared volume that both Jobs
//! mount, the Dockerfile's image, and a merge Job whose `cxgate load merge` names every
//! shard's file once. Every `cxgate` command of them is parsed by the binary itself.
//! `kubectl --dry-run=client` also runs when it is on PATH and a cluster answers.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_yaml_ng::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn manifests_dir() -> PathBuf {
    repo().join("deploy/kubernetes")
}

/// Every YAML document under deploy/kubernetes/, with its file.
fn documents() -> Vec<(PathBuf, Value)> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(manifests_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "yml"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no manifests");
    let mut out = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for doc in serde_yaml_ng::Deserializer::from_str(&text) {
            let value = serde::Deserialize::deserialize(doc)
                .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
            if value != Value::Null {
                out.push((file.clone(), value));
            }
        }
    }
    out
}

fn s(value: &Value) -> &str {
    value.as_str().unwrap_or_default()
}

fn seq(value: &Value) -> &[Value] {
    value.as_sequence().map(Vec::as_slice).unwrap_or_default()
}

/// The one object of `kind` for which `pick` holds.
fn one<'a>(docs: &'a [(PathBuf, Value)], kind: &str, pick: impl Fn(&Value) -> bool) -> &'a Value {
    let found: Vec<&Value> = docs
        .iter()
        .map(|(_, d)| d)
        .filter(|d| s(&d["kind"]) == kind && pick(d))
        .collect();
    assert_eq!(found.len(), 1, "{kind}: {} found", found.len());
    found[0]
}

/// The object of `kind` called `name`.
fn named<'a>(docs: &'a [(PathBuf, Value)], kind: &str, name: &str) -> &'a Value {
    one(docs, kind, |d| s(&d["metadata"]["name"]) == name)
}

fn container(job: &Value) -> &Value {
    let containers = seq(&job["spec"]["template"]["spec"]["containers"]);
    assert_eq!(containers.len(), 1, "one container");
    &containers[0]
}

fn args(job: &Value) -> Vec<String> {
    assert!(
        container(job)["command"].is_null(),
        "the image's ENTRYPOINT is cxgate: the Job gives args only"
    );
    seq(&container(job)["args"])
        .iter()
        .map(|a| s(a).to_string())
        .collect()
}

/// The value after `flag` in `args`.
fn flag<'a>(args: &'a [String], flag: &str) -> &'a str {
    let at = args
        .iter()
        .position(|a| a == flag)
        .unwrap_or_else(|| panic!("no {flag} in {args:?}"));
    &args[at + 1]
}

/// Where the container mounts the first volume for which `backed_by` holds.
fn mount_of(job: &Value, backed_by: impl Fn(&Value) -> bool) -> String {
    let volume = seq(&job["spec"]["template"]["spec"]["volumes"])
        .iter()
        .find(|v| backed_by(v))
        .unwrap_or_else(|| panic!("no such volume"));
    let mount = seq(&container(job)["volumeMounts"])
        .iter()
        .find(|m| m["name"] == volume["name"])
        .unwrap_or_else(|| panic!("volume {:?} not mounted", volume["name"]));
    s(&mount["mountPath"]).trim_end_matches('/').to_string()
}

/// The image name the Dockerfile says to build (`docker build -t NAME .`).
fn dockerfile_image() -> String {
    let text = std::fs::read_to_string(repo().join("Dockerfile")).unwrap();
    let words: Vec<&str> = text
        .lines()
        .find(|l| l.contains("docker build"))
        .expect("the Dockerfile says how to build it")
        .split_whitespace()
        .collect();
    let at = words
        .iter()
        .position(|w| *w == "-t")
        .expect("docker build -t NAME");
    words[at + 1].to_string()
}

/// `--help` of `cxgate <subcommand...>`.
fn help(subcommand: &[&str]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_cxgate"))
        .args(subcommand)
        .arg("--help")
        .output()
        .unwrap();
    assert!(output.status.success());
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The flags of `args` that `help` does not list.
fn unknown_flags(args: &[String], help: &str) -> Vec<String> {
    args.iter()
        .filter(|a| a.starts_with("--"))
        .filter(|a| {
            !help
                .split(|c: char| c.is_whitespace() || c == ',')
                .any(|w| w == a.as_str())
        })
        .cloned()
        .collect()
}

/// Replaces `$(NAME)` in `text` by `values[NAME]`.
fn expand(text: &str, values: &BTreeMap<&str, String>) -> String {
    let mut out = text.to_string();
    for (name, value) in values {
        out = out.replace(&format!("$({name})"), value);
    }
    out
}

struct Plan<'a> {
    docs: &'a [(PathBuf, Value)],
    shards: &'a Value,
    merge: &'a Value,
    count: usize,
}

fn plan(docs: &[(PathBuf, Value)]) -> Plan<'_> {
    let shards = one(docs, "Job", |d| {
        s(&d["spec"]["completionMode"]) == "Indexed"
    });
    let merge = one(docs, "Job", |d| {
        seq(&d["spec"]["template"]["spec"]["containers"])
            .iter()
            .any(|c| seq(&c["args"]).get(1).map(s) == Some("merge"))
    });
    let count = shards["spec"]["completions"].as_u64().unwrap() as usize;
    Plan {
        docs,
        shards,
        merge,
        count,
    }
}

#[test]
fn every_document_is_a_named_kubernetes_object() {
    let docs = documents();
    for (file, doc) in &docs {
        for field in ["apiVersion", "kind"] {
            assert!(doc[field].is_string(), "{}: no {field}", file.display());
        }
        assert!(
            doc["metadata"]["name"].is_string(),
            "{}: no metadata.name",
            file.display()
        );
    }
    let kinds: BTreeSet<&str> = docs.iter().map(|(_, d)| s(&d["kind"])).collect();
    for kind in ["ConfigMap", "Job", "PersistentVolumeClaim"] {
        assert!(kinds.contains(kind), "no {kind}: {kinds:?}");
    }
}

#[test]
fn the_indexed_job_runs_one_shard_per_completion_index() {
    let docs = documents();
    let p = plan(&docs);
    let spec = &p.shards["spec"];
    assert!(p.count >= 2, "a spread run");
    assert_eq!(
        spec["parallelism"].as_u64(),
        Some(p.count as u64),
        "every shard at once"
    );
    assert_eq!(s(&spec["template"]["spec"]["restartPolicy"]), "Never");
    let args = args(p.shards);
    assert_eq!(&args[..1], ["load"]);
    assert_eq!(
        flag(&args, "--shard"),
        format!("$(JOB_COMPLETION_INDEX)/{}", p.count)
    );
    assert!(flag(&args, "--metrics-out").contains("$(JOB_COMPLETION_INDEX)"));
    assert!(flag(&args, "--report-dir").contains("$(JOB_COMPLETION_INDEX)"));
    // $(NAME) expands only for a variable of the container's env.
    let env = seq(&container(p.shards)["env"]);
    let index = env
        .iter()
        .find(|e| s(&e["name"]) == "JOB_COMPLETION_INDEX")
        .expect("JOB_COMPLETION_INDEX in env");
    assert_eq!(
        s(&index["valueFrom"]["fieldRef"]["fieldPath"]),
        "metadata.annotations['batch.kubernetes.io/job-completion-index']"
    );
    let start = flag(&args, "--start-at");
    let variable = start.trim_start_matches("$(").trim_end_matches(')');
    let from = env
        .iter()
        .find(|e| s(&e["name"]) == variable)
        .unwrap_or_else(|| panic!("{variable} not in env"));
    let config_map = named(
        p.docs,
        "ConfigMap",
        s(&from["valueFrom"]["configMapKeyRef"]["name"]),
    );
    let at = s(&config_map["data"][s(&from["valueFrom"]["configMapKeyRef"]["key"])]);
    assert!(chrono::DateTime::parse_from_rfc3339(at).is_ok(), "{at}");
}

#[test]
fn the_profile_comes_from_a_config_map_and_every_variable_it_names_from_the_secret() {
    let docs = documents();
    let p = plan(&docs);
    let args = args(p.shards);
    let target = Path::new(flag(&args, "--target"));
    let dir = target.parent().unwrap().to_str().unwrap();
    let file = target.file_name().unwrap().to_str().unwrap();
    let config_map_name = seq(&p.shards["spec"]["template"]["spec"]["volumes"])
        .iter()
        .find_map(|v| v["configMap"]["name"].as_str())
        .expect("a ConfigMap volume")
        .to_string();
    let mount = mount_of(p.shards, |v| s(&v["configMap"]["name"]) == config_map_name);
    assert_eq!(mount, dir, "--target is in the ConfigMap's mount");
    let profile = s(&named(p.docs, "ConfigMap", &config_map_name)["data"][file]).to_string();
    assert!(!profile.is_empty(), "{config_map_name} has no {file}");

    // The variables the Job sets from a Secret, and which Secret.
    let mut from_secret = BTreeMap::new();
    for e in seq(&container(p.shards)["env"]) {
        let key = &e["valueFrom"]["secretKeyRef"];
        if key.is_mapping() {
            from_secret.insert(s(&e["name"]).to_string(), s(&key["name"]).to_string());
        }
    }
    let secrets: BTreeSet<&String> = from_secret.values().collect();
    assert_eq!(
        secrets.len(),
        1,
        "one Secret holds the credentials: {secrets:?}"
    );

    // cxgate reads the profile as the pod would: with only the Secret's variables set,
    // none it names is left unset.
    let temp = std::env::temp_dir().join(format!("cxgate-k8s-profile-{}.toml", std::process::id()));
    std::fs::write(&temp, &profile).unwrap();
    let lookup = |name: &str| from_secret.contains_key(name).then(|| "set".to_string());
    let config = cxgate::client::TargetConfig::resolve(temp.to_str().unwrap(), &lookup)
        .unwrap_or_else(|e| panic!("the ConfigMap's profile: {e}"));
    let unset: Vec<&str> = config.unset.iter().map(|u| u.variable.as_str()).collect();
    assert!(
        unset.is_empty(),
        "the profile names variables the Job does not set: {unset:?}"
    );
    let named_in_profile = profile.matches("= \"CXGATE_").count();
    assert!(named_in_profile > 0, "the profile names its variables");
    assert_eq!(
        named_in_profile,
        from_secret.len(),
        "every variable set is one the profile names"
    );
    let _ = std::fs::remove_file(temp);
}

#[test]
fn both_jobs_mount_the_shared_volume_and_the_merge_reads_every_shard_s_file_once() {
    let docs = documents();
    let p = plan(&docs);
    let claim = |job: &Value| -> String {
        let names: Vec<String> = seq(&job["spec"]["template"]["spec"]["volumes"])
            .iter()
            .filter_map(|v| {
                v["persistentVolumeClaim"]["claimName"]
                    .as_str()
                    .map(str::to_string)
            })
            .collect();
        assert_eq!(names.len(), 1, "one shared volume");
        names[0].clone()
    };
    let name = claim(p.shards);
    assert_eq!(claim(p.merge), name, "both Jobs mount one claim");
    let pvc = named(p.docs, "PersistentVolumeClaim", &name);
    assert!(
        seq(&pvc["spec"]["accessModes"])
            .iter()
            .any(|m| s(m) == "ReadWriteMany"),
        "pods on several nodes write it at once"
    );
    let is_claim = |v: &Value| s(&v["persistentVolumeClaim"]["claimName"]) == name;
    let shard_mount = mount_of(p.shards, is_claim);
    let merge_mount = mount_of(p.merge, is_claim);

    let shard_args = args(p.shards);
    let out = flag(&shard_args, "--metrics-out");
    assert!(
        out.starts_with(&format!("{shard_mount}/")),
        "{out} is on the shared volume"
    );
    // The merge's files: every shard's --metrics-out, on its own mount of the volume.
    let expected: Vec<String> = (0..p.count)
        .map(|i| {
            let values = BTreeMap::from([("JOB_COMPLETION_INDEX", i.to_string())]);
            format!(
                "{merge_mount}{}",
                &expand(out, &values)[shard_mount.len()..]
            )
        })
        .collect();
    let merge_args = args(p.merge);
    assert_eq!(&merge_args[..2], ["load", "merge"]);
    let files: Vec<String> = merge_args[2..]
        .iter()
        .take_while(|a| !a.starts_with("--"))
        .cloned()
        .collect();
    assert_eq!(files, expected);
    assert!(flag(&merge_args, "--report-dir").starts_with(&format!("{merge_mount}/")));
}

#[test]
fn both_jobs_run_the_dockerfile_s_image_as_its_user() {
    let docs = documents();
    let p = plan(&docs);
    let image = dockerfile_image();
    let dockerfile = std::fs::read_to_string(repo().join("Dockerfile")).unwrap();
    let user = dockerfile
        .lines()
        .rev()
        .find_map(|l| l.trim().strip_prefix("USER "))
        .unwrap();
    let uid: u64 = user.split(':').next().unwrap().parse().unwrap();
    for job in [p.shards, p.merge] {
        let named = s(&container(job)["image"]);
        let repository = named.rsplit_once(':').map_or(named, |(r, _)| r);
        assert_eq!(
            repository.rsplit('/').next(),
            Some(image.as_str()),
            "{named}"
        );
        let security = &job["spec"]["template"]["spec"]["securityContext"];
        assert_eq!(security["runAsUser"].as_u64(), Some(uid));
        assert_eq!(security["runAsNonRoot"].as_bool(), Some(true));
    }
}

#[test]
fn the_jobs_cxgate_commands_are_valid_for_this_binary() {
    let docs = documents();
    let p = plan(&docs);
    let shard_args = args(p.shards);
    let merge_args = args(p.merge);
    let unknown = unknown_flags(&shard_args, &help(&["load"]));
    assert!(unknown.is_empty(), "cxgate load: no flag {unknown:?}");
    let unknown = unknown_flags(&merge_args, &help(&["load", "merge"]));
    assert!(unknown.is_empty(), "cxgate load merge: no flag {unknown:?}");

    // The binary parses each command as the pod gives it. The shard's fails only at its
    // profile, which exists in the pod (so --shard, --start-at and the rest passed); the
    // merge's only at its first file (so its thresholds passed).
    let start = {
        let config_map = named(p.docs, "ConfigMap", "cxgate-run");
        s(&config_map["data"]["start-at"]).to_string()
    };
    let values = BTreeMap::from([
        ("JOB_COMPLETION_INDEX", (p.count - 1).to_string()),
        ("CXGATE_START_AT", start),
    ]);
    let shard: Vec<String> = shard_args.iter().map(|a| expand(a, &values)).collect();
    let output = Command::new(env!("CARGO_BIN_EXE_cxgate"))
        .args(&shard)
        .env_clear()
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{text}");
    assert!(text.contains(flag(&shard, "--target")), "{text}");

    let output = Command::new(env!("CARGO_BIN_EXE_cxgate"))
        .args(&merge_args)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{text}");
    assert!(
        text.contains(&format!("{}: cannot be read", merge_args[2])),
        "{text}"
    );
}

#[test]
fn kubectl_accepts_the_manifests_when_a_cluster_answers() {
    let Ok(output) = Command::new("kubectl")
        .args([
            "apply",
            "--dry-run=client",
            "--validate=false",
            "-o",
            "name",
            "-f",
        ])
        .arg(manifests_dir())
        .output()
    else {
        eprintln!("skipped: kubectl is not on PATH");
        return;
    };
    let text = String::from_utf8_lossy(&output.stderr);
    if !output.status.success()
        && (text.contains("connection refused")
            || text.contains("couldn't get current server API group list"))
    {
        eprintln!("skipped: kubectl --dry-run=client needs a cluster's API list, and none answers");
        return;
    }
    assert!(output.status.success(), "{text}");
    let names = String::from_utf8_lossy(&output.stdout);
    assert_eq!(names.lines().count(), documents().len(), "{names}");
}
