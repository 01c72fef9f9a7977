//! UDM and CDDS: only what `features/udm` cannot see (the cron catch-up bound and the
//! life cap of a job's runs, the checks of the `[udm]` seed, reset).

use reqwest::Method;
use serde_json::json;

use super::super::udm::{CATCH_UP_CAP, MAX_RUNS_PER_JOB};
use super::*;

const SEED_FILE: &str = include_str!("../../../targets/mock.toml");

/// A cron job on CDDS v4 (no bearer needed) firing every second; its id.
async fn every_second(mock: &Harness) -> u64 {
    let body = json!({
        "source": "UCS", "title": "Every second", "timeFrame": {},
        "schedulerParam": {"cron": "* * * * * *"},
        "jobParams": {"type": "interactions", "media": ["email"]},
        "suspended": "false",
    });
    let answer = mock
        .call(Method::POST, "/data-download/v4/export/jobs")
        .key()
        .json(&body)
        .send()
        .await;
    assert_eq!(answer.status, 202, "{}", answer.text);
    answer.json["id"].as_u64().unwrap()
}

async fn advance(mock: &Harness, seconds: u64) {
    let answer = mock
        .call(Method::POST, "/__cxgate/clock/advance")
        .json(&json!({ "seconds": seconds }))
        .send()
        .await;
    assert_eq!(answer.status, 200, "{}", answer.text);
}

/// `count` of the history list (0 when the answer is 204).
async fn runs(mock: &Harness) -> u64 {
    let answer = mock
        .call(Method::GET, "/data-download/v4/export/history")
        .key()
        .query(&[("size", "1")])
        .send()
        .await;
    match answer.status {
        204 => 0,
        200 => answer.json["count"].as_u64().unwrap(),
        other => panic!("{other}: {}", answer.text),
    }
}

#[tokio::test]
async fn a_read_fires_at_most_the_catch_up_cap_and_skips_the_missed_rest() {
    let mock = Harness::start().await;
    every_second(&mock).await;

    advance(&mock, 1000).await;
    let first = runs(&mock).await;
    let second = runs(&mock).await;
    advance(&mock, 3).await;
    let third = runs(&mock).await;

    assert_eq!(first, CATCH_UP_CAP as u64);
    assert!(second <= first + 1, "{first} then {second}");
    assert!(
        (first + 2..=first + 5).contains(&third),
        "{first} then {third}"
    );
}

#[tokio::test]
async fn a_job_fires_at_most_the_life_cap_of_runs() {
    let mock = Harness::start().await;
    every_second(&mock).await;

    let mut seen = 0;
    for _ in 0..(MAX_RUNS_PER_JOB as usize / CATCH_UP_CAP + 2) {
        advance(&mock, 200).await;
        seen = runs(&mock).await;
    }

    assert_eq!(seen, u64::from(MAX_RUNS_PER_JOB));
}

#[tokio::test]
async fn reset_empties_the_store_and_ids_start_at_one_again() {
    let mock = Harness::start().await;
    every_second(&mock).await;
    let second = every_second(&mock).await;

    let answer = mock.call(Method::POST, "/__cxgate/reset").send().await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    let jobs = mock
        .call(Method::GET, "/udm/v4/export/jobs")
        .key()
        .send()
        .await;
    let again = every_second(&mock).await;

    assert_eq!(second, 2);
    assert_eq!(jobs.status, 204, "{}", jobs.text);
    assert_eq!(again, 1);
}

#[test]
fn a_broken_udm_seed_is_refused_naming_the_problem() {
    // (the change to targets/mock.toml, a part of the message)
    let cases = [
        ("run_seconds = 20", "run_seconds = 0", "run_seconds"),
        ("file_split = 2", "file_split = 101", "file_split"),
        ("file_split = 2", "file_splits = 2", "file_splits"),
        (
            "{ label = \"Failed\", value = \"FAILED\" },",
            "",
            "`FAILED` is missing",
        ),
        (
            "{ name = \"contacts\", source = \"UCS\" }",
            "{ name = \"contacts\", source = \"CRM\" }",
            "source `CRM`",
        ),
        (
            "data_type = \"contacts\"",
            "data_type = \"calls\"",
            "data type `calls`",
        ),
    ];
    for (from, to, want) in cases {
        assert!(SEED_FILE.contains(from), "{from}");
        let text = SEED_FILE.replacen(from, to, 1);
        let error = MockConfig::from_toml_str(&text).unwrap_err().to_string();
        assert!(error.contains(want), "{to}: {error}");
        assert!(error.contains("[udm]"), "{to}: {error}");
    }
    assert!(MockConfig::from_toml_str(SEED_FILE).is_ok());
}
