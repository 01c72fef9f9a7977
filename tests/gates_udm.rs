//! The UDM and CDDS gates: for each of the 28 operation shapes, a server that breaks the
//! behaviour a scenario names fails that scenario; and the honest mock behind the same
//! proxy passes every `@udm` scenario, `--strict` included.
//!
//! Each test puts a fault proxy in front of the cxgate mock. Portable scenarios run with
//! the control plane hidden (`/__cxgate/*` is 404), so the run treats the proxy as a
//! foreign deployment; scenarios that need runs to end (`@mock`) run with it passed
//! through. The pre-signed URLs the mock builds from the request's Host name the mock
//! itself (the proxy does not forward Host), so downloads go around the proxy.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/fault_proxy.rs"]
mod fault_proxy;

use cxgate::mock::{MockConfig, MockServer};
use cxgate::report::{RunResult, ScenarioResult, Status};
use cxgate::verify::{run, VerifyOptions};
use fault_proxy::{Before, FaultProxy, ProxiedRequest, ProxiedResponse, Rewrite};
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::Duration;

struct Deployment {
    _mock: MockServer,
    proxy: FaultProxy,
    /// Whether the proxy passes the control plane through.
    control: bool,
}

/// The mock behind a proxy; `control` passes `/__cxgate` through, `before` may answer a
/// request itself, `rewrite` changes every answer.
async fn deployment(control: bool, before: Before, rewrite: Rewrite) -> Deployment {
    let mock = MockServer::start(MockConfig::default_seed(), "127.0.0.1:0".parse().unwrap())
        .await
        .expect("the mock starts");
    let hook: Before = Arc::new(move |request: &mut ProxiedRequest| {
        if !control && request.path().starts_with("/__cxgate") {
            return Some(ProxiedResponse::json(404, &json!({"message": "Not Found"})));
        }
        before(request)
    });
    let proxy = FaultProxy::start_with(&mock.base_url(), hook, rewrite).await;
    Deployment {
        _mock: mock,
        proxy,
        control,
    }
}

/// A foreign deployment (no control plane) whose answers `rewrite` changes.
async fn foreign(rewrite: Rewrite) -> Deployment {
    deployment(false, Arc::new(|_| None), rewrite).await
}

/// The mock's default seed credentials, under the variables a URL target reads: the
/// proxy is no cxgate mock, and a run never sends the seed's values to one unless told.
fn seed_env() -> std::collections::HashMap<String, String> {
    [
        ("CXGATE_API_KEY", "cxgate-api-key"),
        ("CXGATE_CLIENT_ID", "cxgate-client"),
        ("CXGATE_CLIENT_SECRET", "cxgate-secret"),
        ("CXGATE_REDIRECT_URI", "http://127.0.0.1/callback"),
        ("CXGATE_USERNAME", "tenant1\\agent1"),
        ("CXGATE_PASSWORD", "agent1-password"),
        ("CXGATE_SUPERVISOR_USERNAME", "tenant1\\supervisor1"),
        ("CXGATE_SUPERVISOR_PASSWORD", "supervisor1-password"),
        ("CXGATE_CCID", "0ff723ff-6c6f-44e0-9ce3-ce579337eadd"),
        ("CXGATE_SMS_CHANNEL", "0123456789"),
        ("CXGATE_EMAIL_CHANNEL", "company.com"),
        ("CXGATE_CHANNEL_SECRET", "cxgate-channel-secret"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

fn options(deployment: &Deployment, name: Option<String>, strict: bool) -> VerifyOptions {
    let mut options = VerifyOptions::new(env!("CARGO_MANIFEST_DIR"));
    options.target = deployment.proxy.uri();
    options.tags = Some("@udm".into());
    options.name = name;
    options.strict = strict;
    options.env = seed_env();
    // The scenarios under test create export jobs and try certificate uploads (refused
    // by an honest server): the user opts in.
    options.allow_destructive = true;
    options.timeout = Duration::from_secs(10);
    options.report_dir = std::env::temp_dir().join(format!(
        "cxgate-gates-udm-{}-{}",
        std::process::id(),
        cxgate::ids::uuid_v4().simple()
    ));
    options
}

/// Runs the one scenario named `scenario` (an outline row is named as it expands).
async fn one(deployment: &Deployment, scenario: &str) -> RunResult {
    let name = format!("^{}$", regex::escape(scenario));
    let options = options(deployment, Some(name), false);
    run(&options).await.expect("the run starts").result
}

fn scenarios(result: &RunResult) -> Vec<&ScenarioResult> {
    result.features.iter().flat_map(|f| &f.scenarios).collect()
}

/// The scenario ran once and failed; its reason must contain every one of `expected`.
fn fails_with(result: &RunResult, scenario: &str, expected: &[&str]) {
    let ran: Vec<_> = scenarios(result)
        .into_iter()
        .filter(|s| s.status != Status::Skipped)
        .collect();
    assert_eq!(
        ran.len(),
        1,
        "{scenario:?}: expected one scenario to run: {ran:#?}"
    );
    assert_eq!(ran[0].name, scenario);
    assert_eq!(
        ran[0].status,
        Status::Failed,
        "{scenario:?} should fail against this wrong server"
    );
    let reason = ran[0].reason.clone().unwrap_or_default();
    for needle in expected {
        assert!(
            reason.contains(needle),
            "{scenario:?}: {needle:?} not in {reason}"
        );
    }
}

/// A rewrite for one method and a path test.
fn on(
    method: &'static str,
    path: impl Fn(&str) -> bool + Send + Sync + 'static,
    change: impl Fn(&ProxiedRequest, &mut ProxiedResponse) + Send + Sync + 'static,
) -> Rewrite {
    Arc::new(
        move |request: &ProxiedRequest, response: &mut ProxiedResponse| {
            if request.method == method && path(request.path()) {
                change(request, response);
            }
        },
    )
}

/// The last path segment of a request.
fn last_segment(request: &ProxiedRequest) -> String {
    request
        .path()
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .to_string()
}

/// Sets `pointer` in a JSON answer.
fn set(response: &mut ProxiedResponse, pointer: &str, value: Value) {
    let mut body = response.json_body().expect("a JSON answer");
    *body.pointer_mut(pointer).expect("the field exists") = value;
    response.set_json_body(&body);
}

// ------------------------------------------------------------------ the honest proxy

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_honest_mock_behind_the_same_proxy_passes_every_udm_scenario_under_strict() {
    let deployment = deployment(true, Arc::new(|_| None), Arc::new(|_, _| {})).await;
    assert!(deployment.control);
    let result = run(&options(&deployment, None, true))
        .await
        .expect("the run starts")
        .result;
    let bad: Vec<_> = scenarios(&result)
        .iter()
        .filter(|s| s.status != Status::Passed)
        .map(|s| format!("{} {:?}: {:?}", s.name, s.status, s.reason))
        .collect();
    assert!(bad.is_empty(), "{bad:#?}");
    assert!(
        scenarios(&result).len() >= 250,
        "{}",
        scenarios(&result).len()
    );
}

#[tokio::test]
async fn without_the_control_plane_only_mock_scenarios_are_skipped_and_the_portable_ones_pass() {
    let deployment = foreign(Arc::new(|_, _| {})).await;
    let result = run(&options(&deployment, None, false))
        .await
        .expect("the run starts")
        .result;
    let all = scenarios(&result);
    let failed: Vec<_> = all
        .iter()
        .filter(|s| s.status == Status::Failed)
        .map(|s| format!("{}: {:?}", s.name, s.reason))
        .collect();
    assert!(failed.is_empty(), "{failed:#?}");
    let tagged =
        |s: &ScenarioResult, tag: &str| s.tags.iter().any(|t| t.trim_start_matches('@') == tag);
    for s in all.iter().filter(|s| s.status == Status::Skipped) {
        assert!(
            tagged(s, "mock") || tagged(s, "strict"),
            "{} was skipped though it is portable",
            s.name
        );
    }
    let passed = all.iter().filter(|s| s.status == Status::Passed).count();
    assert!(
        passed >= 150,
        "only {passed} portable @udm scenarios passed"
    );
}

// ------------------------------------------------------------------ reference data

#[tokio::test]
async fn version_without_its_version_fails() {
    let d = foreign(on(
        "GET",
        |p| p.ends_with("/version"),
        |_, r| {
            r.set_json_body(&json!({"buildNumber": "1"}));
        },
    ))
    .await;
    let s = "GET /udm/v3/version answers the service's VersionInfo";
    fails_with(&one(&d, s).await, s, &["udm/VersionInfo", "version"]);
}

#[tokio::test]
async fn job_statuses_as_an_object_fail() {
    let d = foreign(on(
        "GET",
        |p| p.ends_with("/data/job-statuses"),
        |_, r| {
            r.set_json_body(&json!({"statuses": []}));
        },
    ))
    .await;
    let s = "GET /data-download/v3/data/job-statuses lists the job statuses as label and value";
    fails_with(&one(&d, s).await, s, &["udm/KeyValueItemList"]);
}

#[tokio::test]
async fn sources_without_the_tenants_source_fail() {
    let d = foreign(on(
        "GET",
        |p| p.ends_with("/data/sources"),
        |_, r| {
            r.set_json_body(&json!([{"label": "Other", "value": "OTHER"}]));
        },
    ))
    .await;
    let s = "GET /udm/v3/data/sources lists the tenant's source";
    fails_with(&one(&d, s).await, s, &["/value", "UCS"]);
}

#[tokio::test]
async fn types_that_ignore_the_source_filter_fail() {
    let d = foreign(on(
        "GET",
        |p| p.ends_with("/data/types"),
        |_, r| {
            if let Some(Value::Array(mut items)) = r.json_body() {
                items.push(json!({"name": "recordings", "source": "ARCHIVE"}));
                r.set_json_body(&Value::Array(items));
            }
        },
    ))
    .await;
    let s = "GET /data-download/v3/data/types?source= lists the data types of that source";
    fails_with(&one(&d, s).await, s, &["every item", "/source", "ARCHIVE"]);
}

#[tokio::test]
async fn sub_types_with_enabled_as_text_fail() {
    let d = foreign(on(
        "GET",
        |p| p.ends_with("/data/sub-types"),
        |_, r| {
            if let Some(Value::Array(mut items)) = r.json_body() {
                for item in &mut items {
                    item["enabled"] = json!("true");
                }
                r.set_json_body(&Value::Array(items));
            }
        },
    ))
    .await;
    let s = "GET /udm/v3/data/sub-types?source=&dataType= lists the sub-types of that data type";
    fails_with(&one(&d, s).await, s, &["udm/SubTypeList", "enabled"]);
}

#[tokio::test]
async fn attributes_as_an_array_fail() {
    let d = foreign(on(
        "GET",
        |p| p.ends_with("/data/attributes"),
        |_, r| {
            r.set_json_body(&json!(["subject"]));
        },
    ))
    .await;
    let s = "GET /udm/v10/data/attributes answers a JSON object";
    fails_with(&one(&d, s).await, s, &["udm/Attributes"]);
}

#[tokio::test]
async fn labels_as_a_string_fail() {
    let d = foreign(on(
        "GET",
        |p| p.ends_with("/resources/labels"),
        |_, r| {
            r.set_json_body(&json!("labels"));
        },
    ))
    .await;
    let s = "GET /udm/v10/resources/labels answers 200 with labels and their values";
    fails_with(&one(&d, s).await, s, &["udm/Labels"]);
}

// ------------------------------------------------------------------ jobs

#[tokio::test]
async fn a_job_list_whose_items_is_an_object_fails() {
    let d = foreign(on(
        "GET",
        |p| p.ends_with("/export/jobs"),
        |_, r| {
            if r.status == 200 {
                set(r, "/items", json!({"0": {}}));
            }
        },
    ))
    .await;
    let s = "POST /udm/v10/export/jobs accepts a suspended job with 202 and its JobInfo";
    fails_with(&one(&d, s).await, s, &["udm/JobInfoPageV10", "/items"]);
}

#[tokio::test]
async fn a_202_without_an_id_fails() {
    let d = foreign(on(
        "POST",
        |p| p.ends_with("/export/jobs"),
        |_, r| {
            if r.status == 202 {
                let mut body = r.json_body().unwrap();
                body.as_object_mut().unwrap().remove("id");
                r.set_json_body(&body);
            }
        },
    ))
    .await;
    let s = "POST /data-download/v4/export/jobs accepts a suspended job with 202 and its JobInfo";
    fails_with(&one(&d, s).await, s, &["udm/JobInfo", "id"]);
}

#[tokio::test]
async fn a_v4_job_with_suspended_as_a_boolean_fails() {
    let d = foreign(on(
        "GET",
        |p| p.starts_with("/udm/v4/export/jobs/"),
        |_, r| {
            if r.status == 200 {
                set(r, "/suspended", json!(true));
            }
        },
    ))
    .await;
    let s = "GET /udm/v4/export/jobs/{id} answers the Job as it was sent, with a string id";
    fails_with(&one(&d, s).await, s, &["udm/JobWithId", "suspended"]);
}

#[tokio::test]
async fn an_update_that_changes_nothing_fails() {
    // The server answers every PUT itself, 200 with the job as it was.
    let before: Before = Arc::new(|request: &mut ProxiedRequest| {
        (request.method == "PUT").then(|| {
            let id: i64 = last_segment(request).parse().unwrap_or(0);
            ProxiedResponse::json(200, &json!({"id": id, "title": "unchanged"}))
        })
    });
    let d = deployment(false, before, Arc::new(|_, _| {})).await;
    let s = "PUT /udm/v4/export/jobs/{id} replaces a job that has not started";
    fails_with(&one(&d, s).await, s, &["/title", "renamed"]);
}

#[tokio::test]
async fn a_delete_that_keeps_the_job_fails() {
    let before: Before = Arc::new(|request: &mut ProxiedRequest| {
        (request.method == "DELETE" && request.path().contains("/export/jobs/")).then(|| {
            ProxiedResponse {
                status: 204,
                headers: vec![],
                body: vec![],
            }
        })
    });
    let d = deployment(false, before, Arc::new(|_, _| {})).await;
    let s = "A deleted job is not found by GET /udm/v10/export/jobs/{id}";
    fails_with(&one(&d, s).await, s, &["expected status 404, actual 200"]);
}

#[tokio::test]
async fn a_bulk_delete_answering_204_although_a_job_was_in_progress_fails() {
    let d = deployment(
        true,
        Arc::new(|_| None),
        on(
            "DELETE",
            |p| p.ends_with("/export/jobs"),
            |_, r| {
                if r.status == 500 {
                    *r = ProxiedResponse {
                        status: 204,
                        headers: vec![],
                        body: vec![],
                    };
                }
            },
        ),
    )
    .await;
    let s = "A bulk delete of /udm/v10/export/jobs that names a running job answers 500 with it and deletes the rest";
    fails_with(&one(&d, s).await, s, &["expected status 500, actual 204"]);
}

#[tokio::test]
async fn a_cancel_that_refuses_an_unfinished_job_fails() {
    let d = foreign(on(
        "POST",
        |p| p.contains("/export/jobs/cancel/"),
        |_, r| *r = ProxiedResponse::json(400, &json!({"status": {"code": 400}})),
    ))
    .await;
    let s = "POST /udm/v4/export/jobs/cancel/{id} cancels an unfinished job with 200";
    fails_with(&one(&d, s).await, s, &["expected status 200, actual 400"]);
}

#[tokio::test]
async fn a_udm_v4_resume_answering_job_info_instead_of_the_status_envelope_fails() {
    let d = foreign(on(
        "POST",
        |p| p.starts_with("/udm/v4/export/jobs/resume/"),
        |request, r| {
            let id: i64 = last_segment(request).parse().unwrap_or(0);
            r.set_json_body(&json!({"id": id, "status": "SCHEDULED"}));
        },
    ))
    .await;
    let s = "POST /udm/v4/export/jobs/resume/{id} resumes a suspended job with 200";
    fails_with(&one(&d, s).await, s, &["udm/StatusEnvelope"]);
}

#[tokio::test]
async fn a_v10_suspend_answering_the_status_envelope_instead_of_job_info_fails() {
    let d = foreign(on(
        "POST",
        |p| p.starts_with("/udm/v10/export/jobs/suspend/"),
        |_, r| {
            r.set_json_body(&json!({"status": {"code": 0, "detail": {}, "message": "successful"}}));
        },
    ))
    .await;
    let s = "On /udm/v10 resume and suspend answer the job's JobInfo";
    fails_with(&one(&d, s).await, s, &["udm/JobInfoV10", "id"]);
}

#[tokio::test]
async fn a_missing_401_on_v10_without_a_bearer_token_fails() {
    let d = foreign(on(
        "GET",
        |p| p == "/udm/v10/export/jobs",
        |request, r| {
            if request.header("authorization").is_none() && r.status == 401 {
                *r = ProxiedResponse::json(
                    200,
                    &json!({"count": 0, "from": 0, "items": [], "size": 0}),
                );
            }
        },
    ))
    .await;
    let s = "GET /udm/v10/export/jobs without a bearer token is 401";
    fails_with(&one(&d, s).await, s, &["expected status 401, actual 200"]);
}

// ------------------------------------------------------------------ history

#[tokio::test]
async fn an_empty_history_answered_200_instead_of_204_fails() {
    let d = foreign(on(
        "GET",
        |p| p.ends_with("/export/history"),
        |_, r| {
            if r.status == 204 {
                *r = ProxiedResponse::json(
                    200,
                    &json!({"count": 0, "from": 0, "items": [], "size": 0}),
                );
            }
        },
    ))
    .await;
    let s = "GET /udm/v4/export/history with a title nobody used is 204 with no body";
    fails_with(&one(&d, s).await, s, &["expected status 204, actual 200"]);
}

#[tokio::test]
async fn an_unknown_history_record_answered_200_fails() {
    let d = foreign(on(
        "GET",
        |p| p.contains("/export/history/") && !p.ends_with("/progress"),
        |_, r| {
            if r.status == 404 {
                *r = ProxiedResponse::json(200, &json!({"id": 999999999}));
            }
        },
    ))
    .await;
    let s = "GET /data-download/v4/export/history/{id} of a record nobody has is 404";
    fails_with(&one(&d, s).await, s, &["expected status 404, actual 200"]);
}

#[tokio::test]
async fn deleting_a_running_history_record_with_204_fails() {
    let d = deployment(
        true,
        Arc::new(|_| None),
        on(
            "DELETE",
            |p| p.contains("/export/history/"),
            |_, r| {
                if r.status == 400 {
                    *r = ProxiedResponse {
                        status: 204,
                        headers: vec![],
                        body: vec![],
                    };
                }
            },
        ),
    )
    .await;
    let s = "A run of an immediate job on /udm/v10 is a history record with progress, kept until it ends";
    fails_with(&one(&d, s).await, s, &["expected status 400, actual 204"]);
}

#[tokio::test]
async fn a_history_bulk_delete_without_job_ids_answered_204_fails() {
    let d = foreign(on(
        "DELETE",
        |p| p.ends_with("/export/history"),
        |_, r| {
            if r.status == 400 {
                *r = ProxiedResponse {
                    status: 204,
                    headers: vec![],
                    body: vec![],
                };
            }
        },
    ))
    .await;
    let s = "DELETE /udm/v10/export/history without jobIDs is 400";
    fails_with(&one(&d, s).await, s, &["expected status 400, actual 204"]);
}

#[tokio::test]
async fn progress_over_100_fails() {
    let d = deployment(
        true,
        Arc::new(|_| None),
        on(
            "GET",
            |p| p.ends_with("/progress"),
            |_, r| {
                if r.status == 200 {
                    set(r, "/progress", json!(150));
                }
            },
        ),
    )
    .await;
    let s = "A run of an immediate job on /udm/v4 is a history record with progress, kept until it ends";
    fails_with(&one(&d, s).await, s, &["udm/JobProgress", "150"]);
}

// ------------------------------------------------------------------ files

#[tokio::test]
async fn file_metadata_whose_items_is_an_object_fails() {
    let d = foreign(on(
        "GET",
        |p| p.ends_with("/file-metadatas"),
        |_, r| {
            if r.status == 200 {
                set(r, "/items", json!({}));
            }
        },
    ))
    .await;
    let s = "GET /udm/v3/file-metadatas with a name nobody used is an empty page";
    fails_with(&one(&d, s).await, s, &["udm/PagedResponse", "/items"]);
}

#[tokio::test]
async fn presigned_urls_for_101_names_fail() {
    let d = foreign(on(
        "GET",
        |p| p.ends_with("/files"),
        |request, r| {
            if r.status == 400 && request.path_and_query.contains("filename=") {
                *r = ProxiedResponse::json(404, &json!([{"path": "x"}]));
            }
        },
    ))
    .await;
    let s = "GET /data-download/v3/files takes 100 file names but refuses 101 with 400";
    fails_with(&one(&d, s).await, s, &["expected status 400, actual 404"]);
}

#[tokio::test]
async fn a_200_instead_of_303_for_a_file_fails() {
    let d = deployment(
        true,
        Arc::new(|_| None),
        on(
            "GET",
            |p| p.contains("/files/"),
            |_, r| {
                if r.status == 303 {
                    *r = ProxiedResponse {
                        status: 200,
                        headers: vec![("content-type".into(), "text/csv".into())],
                        body: b"id,subject\n1,hello\n".to_vec(),
                    };
                }
            },
        ),
    )
    .await;
    let s = "A run completed on /udm/v10 leaves a file that /udm/v10 lists, redirects to with 303, and serves without credentials";
    fails_with(&one(&d, s).await, s, &["expected status 303, actual 200"]);
}

#[tokio::test]
async fn a_file_delete_that_keeps_the_file_fails() {
    let before: Before = Arc::new(|request: &mut ProxiedRequest| {
        (request.method == "DELETE" && request.path().contains("/files/")).then(|| {
            ProxiedResponse {
                status: 204,
                headers: vec![],
                body: vec![],
            }
        })
    });
    let d = deployment(true, before, Arc::new(|_, _| {})).await;
    let s = "A run completed on /udm/v4 leaves a file that /udm/v3 lists, redirects to with 303, and serves without credentials";
    fails_with(&one(&d, s).await, s, &["expected status 404, actual 303"]);
}

#[tokio::test]
async fn a_bulk_file_delete_that_keeps_the_files_fails() {
    let before: Before = Arc::new(|request: &mut ProxiedRequest| {
        (request.method == "DELETE" && request.path().ends_with("/files")).then(|| {
            ProxiedResponse {
                status: 204,
                headers: vec![],
                body: vec![],
            }
        })
    });
    let d = deployment(true, before, Arc::new(|_, _| {})).await;
    let s = "The mock's files of a run on /data-download/v4 are listed by /data-download/v3 with their metadata and served as CSV";
    fails_with(&one(&d, s).await, s, &["expected no item", "/name"]);
}

// ------------------------------------------------------------------ certificate

#[tokio::test]
async fn an_upload_without_a_file_part_accepted_with_201_fails() {
    let d = foreign(on(
        "POST",
        |p| p.contains("/cipher/"),
        |_, r| {
            if r.status == 400 {
                *r = ProxiedResponse::json(201, &json!("certificate uploaded"));
            }
        },
    ))
    .await;
    let s = "POST /udm/v3/cipher/{certificatefilename} without a file part is 400";
    fails_with(&one(&d, s).await, s, &["expected status 400, actual 201"]);
}

#[tokio::test]
async fn certificate_info_with_a_text_size_fails() {
    let d = deployment(
        true,
        Arc::new(|_| None),
        on(
            "GET",
            |p| p.ends_with("/cipher"),
            |_, r| {
                if r.status == 200 {
                    set(r, "/size", json!("512"));
                }
            },
        ),
    )
    .await;
    let s = "A certificate uploaded to /data-download/v3 is answered with 201 and described by GET /data-download/v3/cipher";
    fails_with(&one(&d, s).await, s, &["udm/CertificateInfo", "size"]);
}
