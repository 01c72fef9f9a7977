//! The export path under load: User Data Management v10 (`/udm/v10`, reference
//! 4561-5688). One iteration of a user is an export's whole life:
//!
//! 1. create a job that runs immediately (`POST export/jobs`, 202 JobInfo, 5045);
//! 2. find its run in `GET export/history?jobId=` (a page, or 204 while empty);
//! 3. poll `GET export/history/{id}/progress` (JobProgress, 0..100) until the run is
//!    COMPLETED. On the cxgate mock a run takes `run_seconds` of mock time, so after
//!    the first poll the mock's control plane completes that one run
//!    (`POST /__cxgate/udm/runs/{id}/complete`; moving the shared clock instead would
//!    expire every user's tokens). On any other target the polls wait, bounded;
//! 4. read the run (`GET export/history/{id}`) and a page of the whole history;
//! 5. list the run's files (`GET file-metadatas?historyId=`), ask each one's
//!    pre-signed URL (`GET files?filename=`, PreSignedUri) and download it through
//!    that URL with no API key and no token;
//! 6. clean up what it made, also after a failed step: a run still going is
//!    cancelled, then its files, its history record and the job are deleted.
//!
//! Every loop is bounded in count and time. A job that could not be deleted is named in
//! the summary's errors. Every response with a body is checked against its portable
//! `udm/` schema, on every target (as the other paths check theirs).

use super::call::Call;
use super::context::{with_ctx, LoadContext};
use super::registry::{Counters, LoadPath};
use super::session::{api_headers, send_signed_in, signed_in_scenario};
use crate::report::load::LoadSummary;
use goose::goose::{GooseUser, Scenario, TransactionError, TransactionResult};
use serde_json::{json, Value};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// `cxgate load export`.
pub const PATH: LoadPath = LoadPath::counting::<Exports>("export", scenarios)
    .writing("creates UDM export jobs and runs, then deletes them");

const BASE: &str = "/udm/v10";

/// Looks for the new job's run in its history, at most this many times...
const FIND_TRIES: u32 = 10;
/// ...this far apart.
const FIND_PAUSE: Duration = Duration::from_millis(250);
/// Progress polls after the mock completed the run (it answers 100 at once).
const MOCK_POLLS: u32 = 5;
const MOCK_PAUSE: Duration = Duration::from_millis(20);
/// On a target without the control plane, polls this far apart...
const POLL_PAUSE: Duration = Duration::from_secs(2);
/// ...for at most this long.
const RUN_WAIT: Duration = Duration::from_secs(60);
/// After a cancel, waits this many polls (POLL_PAUSE apart) for the run to stop.
const CANCEL_POLLS: u32 = 5;
/// Files fetched and downloaded per run, at most (the mock makes `file_split` = 2).
const FILES_MAX: usize = 5;
/// The page size of the history and file lists.
const PAGE: u32 = 10;

/// The run's export counts, for the summary.
#[derive(Debug, Default)]
struct Exports {
    /// Iterations whose every step passed: created, completed, downloaded, deleted.
    completed: AtomicU64,
    /// Runs that did not complete within the wait, and were cancelled.
    unfinished: AtomicU64,
}

impl Counters for Exports {
    fn account(&self, summary: &mut LoadSummary) {
        summary.exports_completed = self.completed.load(Ordering::Relaxed);
        summary.exports_unfinished = self.unfinished.load(Ordering::Relaxed);
    }
}

type Step<T> = Result<T, Box<TransactionError>>;

/// What an iteration made, so that its clean-up removes exactly that.
#[derive(Debug, Default)]
struct Made {
    job: i64,
    run: Option<i64>,
    /// The run was seen to end (completed, failed or cancelled).
    ended: bool,
    /// The run was still going when the wait ended.
    timed_out: bool,
    /// Every step passed up to the downloads.
    finished: bool,
    files: Vec<String>,
}

/// A date-time as RFC 3339, in whole seconds.
fn rfc3339(at: time::OffsetDateTime) -> String {
    at.replace_nanosecond(0)
        .unwrap_or(at)
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

/// A job that runs once, now, over the last hour (a small export on a real target).
fn job_body(ctx: &LoadContext) -> Value {
    let tenant = &ctx.target.tenant;
    let now = time::OffsetDateTime::now_utc();
    // The shard is part of the title: shards never share a job's name.
    let id = ctx.ids.next("export");
    json!({
        "source": tenant.udm_source,
        // "UCS or DataSync" (reference 5034).
        "type": "UCS",
        "title": format!("cxgate load {id}"),
        "timeFrame": {"all": false, "dateFrom": rfc3339(now - time::Duration::hours(1)), "dateTo": rfc3339(now)},
        "description": "cxgate load export path; deleted at the end of its iteration",
        "schedulerParam": {"immediately": true},
        "jobParams": {"type": tenant.udm_data_type, "media": [tenant.udm_media], "exportAttachments": false},
        "suspended": false
    })
}

fn items(page: Option<&Value>) -> Vec<Value> {
    page.and_then(|p| p.get("items"))
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
}

/// Records a step that is not one HTTP request (the run's completion, from the job's
/// creation), as `EVENT name`; a failure carries `why`.
async fn event(
    user: &mut GooseUser,
    ctx: &LoadContext,
    name: &str,
    started: Instant,
    why: Option<&str>,
) -> Step<()> {
    let outcome = why.map_or(Ok(None), Err);
    super::check::custom(user, ctx, "EVENT", name, started.elapsed(), outcome).await
}

async fn create(user: &mut GooseUser, ctx: &LoadContext) -> Step<Option<i64>> {
    let call = Call::post(format!("{BASE}/export/jobs"))
        .named("export job create")
        .json(&job_body(ctx))
        .expect(202, Some("udm/JobInfoV10"));
    let job = send_signed_in(call, user, ctx).await?;
    Ok(job
        .as_ref()
        .and_then(|j| j.get("id"))
        .and_then(Value::as_i64))
}

/// The job's run, from its history (bounded looks).
async fn find_run(user: &mut GooseUser, ctx: &LoadContext, job: i64) -> Step<Option<i64>> {
    for look in 0..FIND_TRIES {
        if look > 0 {
            tokio::time::sleep(FIND_PAUSE).await;
        }
        let call = Call::get(format!(
            "{BASE}/export/history?jobId={job}&from=0&size={PAGE}"
        ))
        .named("export history of the job")
        .expect(200, Some("udm/JobInfoPageV10"))
        .or_no_content();
        let page = send_signed_in(call, user, ctx).await?;
        let runs = items(page.as_ref());
        let run = runs
            .iter()
            .find(|r| r.get("parentId").and_then(Value::as_i64) == Some(job))
            .or_else(|| runs.first())
            .and_then(|r| r.get("id"))
            .and_then(Value::as_i64);
        if run.is_some() {
            return Ok(run);
        }
    }
    Ok(None)
}

/// One progress poll: `(progress, status)`.
async fn progress(user: &mut GooseUser, ctx: &LoadContext, run: i64) -> Step<(i64, String)> {
    let call = Call::get(format!("{BASE}/export/history/{run}/progress"))
        .named("export progress")
        .expect(200, Some("udm/JobProgress"));
    let body = send_signed_in(call, user, ctx).await?;
    let body = body.unwrap_or_default();
    Ok((
        body.get("progress").and_then(Value::as_i64).unwrap_or(0),
        body.get("status")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string(),
    ))
}

/// A run's status once it has ended, or `None` while it goes on. A run at 100 with no
/// status has completed.
fn ended(progress: i64, status: &str) -> Option<&str> {
    match status {
        "COMPLETED" | "FAILED" | "CANCELLED" => Some(status),
        "" if progress >= 100 => Some("COMPLETED"),
        _ => None,
    }
}

/// Polls the run until it ends: on the mock after completing it through the control
/// plane, elsewhere for at most [`RUN_WAIT`]. Returns how it ended (`None`: still
/// going). A progress that goes back is a contract violation.
async fn wait_for_run(user: &mut GooseUser, ctx: &LoadContext, run: i64) -> Step<Option<String>> {
    let (mut last, status) = progress(user, ctx, run).await?;
    if let Some(end) = ended(last, &status) {
        return Ok(Some(end.to_string()));
    }
    let (polls, pause) = if ctx.control_plane {
        Call::post(format!("/__cxgate/udm/runs/{run}/complete"))
            .named("export run complete (mock control)")
            .send(user, ctx)
            .await?;
        (MOCK_POLLS, MOCK_PAUSE)
    } else {
        (
            RUN_WAIT.as_secs() as u32 / POLL_PAUSE.as_secs() as u32,
            POLL_PAUSE,
        )
    };
    let deadline = Instant::now() + RUN_WAIT;
    for _ in 0..polls {
        if Instant::now() >= deadline {
            break;
        }
        let (now, status) = progress(user, ctx, run).await?;
        if now < last {
            ctx.violation("export progress");
            ctx.error(format!(
                "export progress: run {run} went back from {last} to {now}"
            ));
        }
        last = now;
        if let Some(end) = ended(now, &status) {
            return Ok(Some(end.to_string()));
        }
        tokio::time::sleep(pause).await;
    }
    Ok(None)
}

/// The files of the run (names from its file metadata, else the run's `fileName`),
/// each one's pre-signed URL, and the file downloaded through it without credentials.
async fn download(
    user: &mut GooseUser,
    ctx: &LoadContext,
    made: &mut Made,
    run: i64,
    file_name: Option<String>,
) -> Step<()> {
    let call = Call::get(format!(
        "{BASE}/file-metadatas?historyId={run}&from=0&size={PAGE}"
    ))
    .named("export file metadata")
    .expect(200, Some("udm/PagedResponse"));
    let page = send_signed_in(call, user, ctx).await?;
    let mut names: Vec<String> = items(page.as_ref())
        .iter()
        .filter_map(|f| f.get("name").and_then(Value::as_str).map(str::to_string))
        .take(FILES_MAX)
        .collect();
    if names.is_empty() {
        names.extend(file_name);
    }
    made.files.clone_from(&names);
    for name in names {
        let query: String = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("filename", &name)
            .finish();
        let call = Call::get(format!("{BASE}/files?{query}"))
            .named("export pre-signed url")
            .expect(200, Some("udm/PreSignedUri"));
        let uri = send_signed_in(call, user, ctx).await?;
        let Some(url) = uri
            .as_ref()
            .and_then(|u| u.get("path"))
            .and_then(Value::as_str)
        else {
            continue;
        };
        Call::get(url)
            .named("export download (pre-signed)")
            .non_empty()
            .send(user, ctx)
            .await?;
    }
    Ok(())
}

/// The iteration's steps after the job was created; `made` records what exists.
async fn life(
    user: &mut GooseUser,
    ctx: &LoadContext,
    made: &mut Made,
    started: Instant,
) -> Step<()> {
    let Some(run) = find_run(user, ctx, made.job).await? else {
        let why = format!(
            "no run of job {} in its history after {FIND_TRIES} looks",
            made.job
        );
        return event(user, ctx, "export run completion", started, Some(&why)).await;
    };
    made.run = Some(run);
    let Some(end) = wait_for_run(user, ctx, run).await? else {
        made.timed_out = true;
        let why = format!("run {run} not COMPLETED within {} s", RUN_WAIT.as_secs());
        return event(user, ctx, "export run completion", started, Some(&why)).await;
    };
    made.ended = true;
    if end != "COMPLETED" {
        let why = format!("run {run} ended {end}");
        return event(user, ctx, "export run completion", started, Some(&why)).await;
    }
    event(user, ctx, "export run completion", started, None).await?;
    let call = Call::get(format!("{BASE}/export/history/{run}"))
        .named("export history record")
        .expect(200, Some("udm/JobInfoV10"));
    let record = send_signed_in(call, user, ctx).await?;
    let file_name = record
        .as_ref()
        .and_then(|r| r.get("fileName"))
        .and_then(Value::as_str)
        .map(str::to_string);
    let call = Call::get(format!(
        "{BASE}/export/history?from=0&size={PAGE}&orderField=id&descAsc=true"
    ))
    .named("export history list")
    .expect(200, Some("udm/JobInfoPageV10"))
    .or_no_content();
    send_signed_in(call, user, ctx).await?;
    download(user, ctx, made, run, file_name).await?;
    made.finished = true;
    Ok(())
}

/// `call` sent with the user's credentials ([`api_headers`]): the outer error is a
/// failure to get them, the inner one the call's own.
async fn signed(
    call: Call<'_>,
    user: &mut GooseUser,
    ctx: &LoadContext,
) -> Step<Step<Option<Value>>> {
    let headers = api_headers(user, ctx).await?;
    Ok(call.headers(headers).send(user, ctx).await)
}

/// A `DELETE` of `path` as the request `name`, answered 204.
fn deletion(path: String, name: &str) -> Call<'_> {
    Call::delete(path).named(name).expect(204, None)
}

/// Removes what the iteration made: cancels a run not seen to end (it timed out, or a
/// step failed while it ran) and waits, bounded, for it to stop; deletes its files, its
/// history record and the job. Every step is tried;
/// the first failure is returned, and a job left behind is named in the summary.
async fn clean_up(user: &mut GooseUser, ctx: &LoadContext, made: &Made) -> Step<()> {
    let mut outcome = Ok(());
    let mut keep = |result: Step<Option<Value>>| {
        if let Err(e) = result {
            if outcome.is_ok() {
                outcome = Err(e);
            }
            false
        } else {
            true
        }
    };
    let job = made.job;
    if made.run.is_some() && !made.ended {
        let cancel =
            Call::post(format!("{BASE}/export/jobs/cancel/{job}")).named("export job cancel");
        if keep(signed(cancel, user, ctx).await?) {
            if let Some(run) = made.run {
                for _ in 0..CANCEL_POLLS {
                    match progress(user, ctx, run).await {
                        Ok((p, s)) if ended(p, &s).is_some() => break,
                        Ok(_) => tokio::time::sleep(POLL_PAUSE).await,
                        Err(e) => {
                            keep(Err(e));
                            break;
                        }
                    }
                }
            }
        }
    }
    for name in &made.files {
        let path: String = url::form_urlencoded::byte_serialize(name.as_bytes()).collect();
        let delete = deletion(format!("{BASE}/files/{path}"), "export file delete");
        keep(signed(delete, user, ctx).await?);
    }
    if let Some(run) = made.run {
        let delete = deletion(
            format!("{BASE}/export/history/{run}"),
            "export history delete",
        );
        keep(signed(delete, user, ctx).await?);
    }
    let delete = deletion(format!("{BASE}/export/jobs/{job}"), "export job delete");
    if !keep(signed(delete, user, ctx).await?) {
        ctx.error(format!(
            "export: job {job} could not be deleted and is left on {}",
            ctx.target.base_url
        ));
    }
    outcome
}

/// One export's life (module doc), cleaned up whatever happened.
async fn export_life(user: &mut GooseUser, ctx: Arc<LoadContext>) -> TransactionResult {
    let Some(exports) = ctx.part::<Exports>() else {
        return Ok(());
    };
    let started = Instant::now();
    let Some(job) = create(user, &ctx).await? else {
        // A 202 without an id, in a response the schema sample skipped: nothing to find
        // or delete.
        ctx.error("export job create: a 202 without an integer id".into());
        return Ok(());
    };
    let mut made = Made {
        job,
        ..Made::default()
    };
    let outcome = life(user, &ctx, &mut made, started).await;
    let cleaned = clean_up(user, &ctx, &made).await;
    if made.timed_out {
        exports.unfinished.fetch_add(1, Ordering::Relaxed);
    }
    if made.finished && outcome.is_ok() && cleaned.is_ok() {
        exports.completed.fetch_add(1, Ordering::Relaxed);
    }
    outcome.and(cleaned)
}

/// The export scenario.
fn scenarios(ctx: &Arc<LoadContext>) -> Result<Vec<Scenario>, goose::GooseError> {
    let export = signed_in_scenario("export", ctx)
        .register_transaction(with_ctx!(ctx, export_life).set_name("export life"))
        .set_weight(1)?;
    Ok(vec![export])
}
