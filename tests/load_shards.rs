//! A run spread over shards, simulated here: three `cxgate load auth --shard I/3`
//! processes against one `cxgate mock`, started together with `--start-at`, merged with
//! `cxgate load merge`. The merged counts are the shards' sums, its percentiles those of
//! the shards' histograms added together, its gates judged on them (exit 1 when one
//! fails), and every file that cannot be merged is refused with exit 2 and the reason.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use base64::Engine as _;
use hdrhistogram::serialization::Deserializer;
use hdrhistogram::Histogram;
use serde_json::Value;
use std::io::{BufRead as _, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::OnceLock;

const SHARDS: usize = 3;
const USERS: usize = 4;

fn cxgate() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_cxgate"));
    command.current_dir(env!("CARGO_MANIFEST_DIR"));
    command
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// A `cxgate mock` on a free loopback port, stopped (by its pid) when dropped.
struct Mock {
    child: Child,
    url: String,
}

impl Mock {
    fn start() -> Mock {
        let mut child = cxgate()
            .args(["mock", "--listen", "127.0.0.1:0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start cxgate mock");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let url = line
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .unwrap_or_else(|| panic!("no URL in {line:?}"))
            .to_string();
        Mock { child, url }
    }
}

impl Drop for Mock {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// What the three shards left: their folders, metrics files and summaries.
struct Shards {
    dir: PathBuf,
    files: Vec<PathBuf>,
    summaries: Vec<Value>,
    metrics: Vec<Value>,
    /// The `--start-at` they were given.
    start_at: chrono::DateTime<chrono::Utc>,
}

/// Runs the three shards once for every test of this file.
fn shards() -> &'static Shards {
    static SHARDS_RUN: OnceLock<Shards> = OnceLock::new();
    SHARDS_RUN.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("cxgate-shards-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let mock = Mock::start();
        // Two seconds ahead: every shard has started and waits when the users begin.
        let start_at = chrono::Utc::now() + chrono::Duration::seconds(2);
        let start = start_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        // What the shards read back: whole seconds.
        let start_at = chrono::DateTime::parse_from_rfc3339(&start)
            .unwrap()
            .with_timezone(&chrono::Utc);
        let children: Vec<Child> = (0..SHARDS)
            .map(|i| {
                cxgate()
                    .args(["-q", "load", "auth", "--target", &mock.url])
                    .args(["--users", &USERS.to_string(), "--increase-rate", "4"])
                    .args(["--run-time", "2s", "--shard", &format!("{i}/{SHARDS}")])
                    .args(["--start-at", &start, "--metrics-out"])
                    .arg(dir.join(format!("shard-{i}.json")))
                    .arg("--report-dir")
                    .arg(dir.join(format!("shard-{i}")))
                    .stdout(Stdio::piped())
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for child in children {
            let output = child.wait_with_output().unwrap();
            assert_eq!(output.status.code(), Some(0), "{}", text(&output));
        }
        drop(mock);
        let read = |path: PathBuf| -> Value {
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
        };
        let files: Vec<PathBuf> = (0..SHARDS)
            .map(|i| dir.join(format!("shard-{i}.json")))
            .collect();
        Shards {
            summaries: (0..SHARDS)
                .map(|i| read(dir.join(format!("shard-{i}/load-summary.json"))))
                .collect(),
            metrics: files.iter().map(|f| read(f.clone())).collect(),
            files,
            dir,
            start_at,
        }
    })
}

fn merge(files: &[PathBuf], extra: &[&str], report_dir: &Path) -> Output {
    cxgate()
        .args(["load", "merge"])
        .args(files)
        .args(extra)
        .arg("--report-dir")
        .arg(report_dir)
        .output()
        .unwrap()
}

fn histogram(encoded: &str) -> Histogram<u64> {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(encoded)
        .unwrap();
    Deserializer::new()
        .deserialize(&mut bytes.as_slice())
        .unwrap()
}

#[test]
fn three_shards_merge_into_one_run_with_the_percentiles_of_their_combined_histograms() {
    let shards = shards();
    let out = shards.dir.join("merged");
    let output = merge(&shards.files, &["--threshold", "error-rate<=1%"], &out);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    let merged: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("load-summary.json")).unwrap())
            .unwrap();
    for report in ["load-report.html", "load-summary.md"] {
        assert!(out.join(report).exists(), "{report}");
    }

    // The users were shared out exactly, and every shard measured requests.
    let users: Vec<u64> = shards
        .metrics
        .iter()
        .map(|m| m["users"].as_u64().unwrap())
        .collect();
    assert_eq!(users, [2, 1, 1]);
    assert_eq!(merged["users"], USERS);
    let counts: Vec<u64> = shards
        .summaries
        .iter()
        .map(|s| s["overall"]["count"].as_u64().unwrap())
        .collect();
    assert!(counts.iter().all(|c| *c > 0), "{counts:?}");
    assert_eq!(
        merged["overall"]["count"].as_u64().unwrap(),
        counts.iter().sum::<u64>()
    );

    // Every operation's count is the shards' sum, and its percentiles are those of the
    // shards' histograms added together; so are the overall ones.
    let mut all: Histogram<u64> = Histogram::new_with_bounds(1, 3_600_000_000, 3).unwrap();
    let ms = |h: &Histogram<u64>, q: f64| h.value_at_quantile(q) as f64 / 1000.0;
    for op in merged["operations"].as_array().unwrap() {
        let name = op["name"].as_str().unwrap();
        let mut combined: Histogram<u64> = Histogram::new_with_bounds(1, 3_600_000_000, 3).unwrap();
        let mut count = 0;
        for m in &shards.metrics {
            if let Some(file) = m["operations"].get(name) {
                combined
                    .add(histogram(file["histogram"].as_str().unwrap()))
                    .unwrap();
                count += file["count"].as_u64().unwrap();
            }
        }
        assert_eq!(op["count"].as_u64().unwrap(), count, "{name}");
        assert_eq!(combined.len(), count, "{name}");
        for (field, q) in [("p50_ms", 0.5), ("p95_ms", 0.95), ("p99_ms", 0.99)] {
            assert_eq!(
                op[field].as_f64().unwrap(),
                ms(&combined, q),
                "{name} {field}"
            );
        }
        if !name.starts_with("EVENT") {
            all.add(&combined).unwrap();
        }
    }
    assert_eq!(all.len(), merged["overall"]["count"].as_u64().unwrap());
    for (field, q) in [("p50_ms", 0.5), ("p95_ms", 0.95), ("p99_ms", 0.99)] {
        assert_eq!(
            merged["overall"][field].as_f64().unwrap(),
            ms(&all, q),
            "{field}"
        );
    }
    assert_eq!(merged["thresholds"][0]["passed"], true, "{merged}");
    assert_eq!(merged["shards"], SHARDS);
    let markdown = std::fs::read_to_string(out.join("load-summary.md")).unwrap();
    assert!(markdown.contains("3 shards merged"), "{markdown}");
}

#[test]
fn a_threshold_the_merged_run_fails_exits_1() {
    let shards = shards();
    let output = merge(
        &shards.files,
        &["--threshold", "p50<1us"],
        &shards.dir.join("merged-fail"),
    );
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    assert!(
        text(&output).contains("FAIL `p50<1us`"),
        "{}",
        text(&output)
    );
}

#[test]
fn a_baseline_is_judged_on_the_merged_run() {
    let shards = shards();
    // A baseline a billion requests a second fast, with a p95 no run reaches: the merged
    // run's rate regresses, its p95 does not.
    let mut baseline = shards.summaries[0].clone();
    baseline["overall"]["rps"] = 1e9.into();
    baseline["overall"]["p95_ms"] = 1e9.into();
    baseline["operations"] = serde_json::json!([]);
    let path = shards.dir.join("fast-baseline.json");
    std::fs::write(&path, baseline.to_string()).unwrap();
    let output = merge(
        &shards.files,
        &["--baseline", path.to_str().unwrap()],
        &shards.dir.join("merged-baseline"),
    );
    let shown = text(&output);
    assert_eq!(output.status.code(), Some(1), "{shown}");
    assert!(shown.contains("- FAIL all requests rps"), "{shown}");
    assert!(shown.contains("- PASS all requests p95_ms"), "{shown}");
}

/// The shards' files with shard `index`'s changed by `change`, written beside them.
fn with_changed(index: usize, name: &str, change: impl Fn(&mut Value)) -> Vec<PathBuf> {
    let shards = shards();
    let mut files = shards.files.clone();
    let mut doc = shards.metrics[index].clone();
    change(&mut doc);
    let path = shards.dir.join(format!("{name}.json"));
    std::fs::write(&path, doc.to_string()).unwrap();
    files[index] = path;
    files
}

/// Merging `files` is refused with exit 2 and one line naming `culprit` and saying
/// `why`.
fn refused(files: &[PathBuf], culprit: &Path, why: &str) {
    let output = merge(files, &[], &shards().dir.join("refused"));
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(output.status.code(), Some(2), "{}", text(&output));
    let line = stderr
        .lines()
        .find(|l| l.starts_with("cxgate load merge: "))
        .unwrap_or_else(|| panic!("no error line in {stderr}"));
    assert!(line.contains(&culprit.display().to_string()), "{line}");
    assert!(line.contains(why), "{line}");
}

#[test]
fn a_shard_of_another_path_is_refused() {
    let files = with_changed(1, "other-path", |d| d["path"] = "statistics".into());
    refused(&files, &files[1], "a run of the path statistics, but");
}

#[test]
fn a_shard_of_another_cxgate_version_is_refused() {
    let files = with_changed(2, "other-version", |d| d["cxgate_version"] = "0.0.1".into());
    refused(&files, &files[2], "written by cxgate 0.0.1");
}

#[test]
fn a_file_of_another_format_version_is_refused() {
    let files = with_changed(2, "other-format", |d| d["format_version"] = 99.into());
    refused(&files, &files[2], "format version 99");
}

#[test]
fn a_shard_given_other_settings_is_refused() {
    let files = with_changed(1, "other-users", |d| d["settings"]["users"] = 40.into());
    refused(&files, &files[1], "settings");
}

#[test]
fn a_missing_shard_is_refused() {
    let shards = shards();
    let files = [shards.files[0].clone(), shards.files[2].clone()];
    refused(&files, &files[0], "no file was given for shard 1/3");
}

#[test]
fn a_shard_given_twice_is_refused() {
    let shards = shards();
    let copy = shards.dir.join("shard-1-copy.json");
    std::fs::copy(&shards.files[1], &copy).unwrap();
    let files = [
        shards.files[0].clone(),
        shards.files[1].clone(),
        copy.clone(),
        shards.files[2].clone(),
    ];
    refused(&files, &copy, "shard 1/3 again");
}

#[test]
fn a_shard_of_a_run_of_another_size_is_refused() {
    let files = with_changed(2, "other-count", |d| {
        d["shard"] = serde_json::json!({"index": 2, "count": 4})
    });
    refused(&files, &files[2], "a run of 4");
}

#[test]
fn a_file_that_is_not_json_is_refused() {
    let shards = shards();
    let path = shards.dir.join("truncated.json");
    let whole = std::fs::read_to_string(&shards.files[0]).unwrap();
    std::fs::write(&path, &whole[..whole.len() / 2]).unwrap();
    let files = [
        path.clone(),
        shards.files[1].clone(),
        shards.files[2].clone(),
    ];
    refused(&files, &path, "corrupted: not JSON");
}

/// The name of an operation every shard measured.
fn an_operation(doc: &Value) -> String {
    doc["operations"]
        .as_object()
        .unwrap()
        .keys()
        .next()
        .unwrap()
        .clone()
}

#[test]
fn a_histogram_that_is_not_base64_is_refused() {
    let files = with_changed(0, "bad-base64", |d| {
        let op = an_operation(d);
        d["operations"][&op]["histogram"] = "not base64 at all!".into();
    });
    refused(&files, &files[0], "is not base64");
}

#[test]
fn a_histogram_that_does_not_deserialise_is_refused() {
    let files = with_changed(0, "bad-histogram", |d| {
        let op = an_operation(d);
        d["operations"][&op]["histogram"] = base64::engine::general_purpose::STANDARD
            .encode(b"not a histogram")
            .into();
    });
    refused(&files, &files[0], "is not an HDR histogram");
}

#[test]
fn counts_that_disagree_with_the_histogram_are_refused() {
    let files = with_changed(1, "bad-count", |d| {
        let op = an_operation(d);
        let count = d["operations"][&op]["count"].as_u64().unwrap();
        d["operations"][&op]["count"] = (count + 1).into();
    });
    refused(&files, &files[1], "but its histogram holds");
}

#[test]
fn more_failures_than_requests_are_refused() {
    let files = with_changed(1, "bad-failures", |d| {
        let op = an_operation(d);
        let count = d["operations"][&op]["count"].as_u64().unwrap();
        d["operations"][&op]["failures"]["status"] = (count + 1).into();
    });
    refused(&files, &files[1], "failures among");
}

#[test]
fn an_unreadable_file_is_refused() {
    let shards = shards();
    let gone = shards.dir.join("no-such-shard.json");
    let files = [
        shards.files[0].clone(),
        gone.clone(),
        shards.files[2].clone(),
    ];
    refused(&files, &gone, "cannot be read");
    // A folder where a file should be.
    let files = [
        shards.files[0].clone(),
        shards.dir.clone(),
        shards.files[2].clone(),
    ];
    refused(&files, &shards.dir, "cannot be read");
}

#[test]
fn a_shard_outside_the_run_or_without_users_is_a_usage_error() {
    for (shard, users, why) in [
        ("3/3", "3", "does not exist in a run of 3"),
        ("0/0", "3", "at least one shard"),
        ("x/2", "3", "not two whole numbers"),
        ("0/4", "3", "4 shards for 3 users"),
    ] {
        let output = cxgate()
            .args([
                "load",
                "auth",
                "--shard",
                shard,
                "--users",
                users,
                "--run-time",
                "1s",
            ])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{shard}: {}", text(&output));
        assert!(text(&output).contains(why), "{shard}: {}", text(&output));
    }
}

#[test]
fn a_start_more_than_a_day_ahead_or_not_rfc3339_is_a_usage_error() {
    let far = (chrono::Utc::now() + chrono::Duration::hours(25))
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    for (at, why) in [
        (far.as_str(), "more than the 24 h"),
        ("tomorrow", "RFC 3339"),
    ] {
        let output = cxgate()
            .args(["load", "auth", "--start-at", at, "--run-time", "1s"])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{at}: {}", text(&output));
        assert!(text(&output).contains(why), "{at}: {}", text(&output));
    }
}

#[test]
fn every_shard_waited_for_the_common_start() {
    // --start-at lay 2 s ahead when the shards were launched: a shard that did not wait
    // would open its window before it.
    let shards = shards();
    for m in &shards.metrics {
        let start =
            chrono::DateTime::parse_from_rfc3339(m["window"]["start"].as_str().unwrap()).unwrap();
        assert!(
            start >= shards.start_at,
            "{start} before {}",
            shards.start_at
        );
    }
}
