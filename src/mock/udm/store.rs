//! The one store of the five base paths: export jobs, their runs (history records),
//! the files runs produce, pre-signed download tokens and the certificate, on the
//! kernel's one clock.
//!
//! Nothing runs in the background: every access first *settles* the store at the
//! current mock time. Due triggers fire (at their own fire times: `immediately` when the
//! job is created or resumed, `startDate` when reached, each cron fire time), at most
//! [`CATCH_UP_CAP`] per job and access (missed cron fires beyond that are skipped), and
//! at most [`MAX_RUNS_PER_JOB`] in a job's life; runs whose `run_seconds` have passed
//! complete at their end time and produce their files. So `/__cxgate/clock/advance`
//! moves progress, cron fires and URL expiry together.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, MutexGuard};

use serde_json::{json, Value};
use time::format_description::well_known::Rfc3339;

use super::super::kernel::clock::MockClock;
use super::definition::JobDef;
use super::fault::Fault;
use super::filter::{FileFilter, Filter};
use super::schedule::Schedule;
use super::seed::UdmSeed;

/// Runs one read may fire for one job (the cron catch-up bound).
pub const CATCH_UP_CAP: usize = 100;
/// Runs a job fires in its life at most (also the default `runs` of a cron job).
pub const MAX_RUNS_PER_JOB: u32 = 1000;

/// A job's or run's status; its text is a value of the seed's `job_statuses`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Scheduled,
    Suspended,
    InProgress,
    Completed,
    Failed,
    Cancelled,
}

impl Status {
    /// The value of `/data/job-statuses`.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Scheduled => "SCHEDULED",
            Status::Suspended => "SUSPENDED",
            Status::InProgress => "IN_PROGRESS",
            Status::Completed => "COMPLETED",
            Status::Failed => "FAILED",
            Status::Cancelled => "CANCELLED",
        }
    }

    fn finished(self) -> bool {
        matches!(self, Status::Completed | Status::Failed | Status::Cancelled)
    }
}

/// What JobInfo looks like on a base path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    /// v10: with `exportAttachments`.
    V10,
    /// v4: without.
    V4,
}

/// The RFC 3339 UTC text of `ms` (to the second).
pub fn rfc3339(ms: u64) -> String {
    let secs = i64::try_from(ms / 1000).unwrap_or(i64::MAX);
    time::OffsetDateTime::from_unix_timestamp(secs)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
        .format(&Rfc3339)
        .unwrap_or_default()
}

#[derive(Debug)]
struct Job {
    id: u64,
    def: Arc<JobDef>,
    created_ms: u64,
    suspended: bool,
    cancelled: bool,
    schedule: Schedule,
    /// Runs fired so far (a job with any may no longer be updated).
    fired: u32,
    /// Its runs still in history, oldest first.
    runs: Vec<u64>,
    /// The status of the run that ended last.
    last_outcome: Option<Status>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RunState {
    Running,
    Ended(Status),
}

#[derive(Debug)]
struct Run {
    id: u64,
    job_id: u64,
    def: Arc<JobDef>,
    started_ms: u64,
    state: RunState,
    /// Progress when it failed or was cancelled.
    frozen: u64,
    files: Vec<String>,
    file_size: u64,
}

#[derive(Debug)]
struct StoredFile {
    name: String,
    job_id: u64,
    run_id: u64,
    job_title: String,
    source: String,
    uploaded_ms: u64,
    content: String,
}

#[derive(Debug)]
struct Download {
    file: String,
    issued_ms: u64,
}

#[derive(Debug, Clone)]
struct Certificate {
    name: String,
    size: usize,
    uploaded_ms: u64,
}

#[derive(Debug)]
struct Inner {
    jobs: BTreeMap<u64, Job>,
    runs: BTreeMap<u64, Run>,
    files: BTreeMap<String, StoredFile>,
    downloads: HashMap<String, Download>,
    certificate: Option<Certificate>,
    next_job: u64,
    next_run: u64,
}

impl Default for Inner {
    fn default() -> Inner {
        Inner {
            jobs: BTreeMap::new(),
            runs: BTreeMap::new(),
            files: BTreeMap::new(),
            downloads: HashMap::new(),
            certificate: None,
            next_job: 1,
            next_run: 1,
        }
    }
}

/// What a pre-signed URL answers.
#[derive(Debug, PartialEq, Eq)]
pub enum Fetched {
    /// The file's name and bytes.
    File(String, String),
    /// Older than `url_lifetime_secs`.
    Expired,
    /// No such token, or its file is gone.
    Unknown,
}

/// The two records of `/export/...`: jobs, and their runs (history records).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Record {
    Job,
    Run,
}

impl Record {
    /// The 404 reason of an unknown id in a `DELETE` (1592, 1333).
    pub fn unknown_on_delete(self) -> &'static str {
        match self {
            Record::Job => "Job Not Found",
            Record::Run => "Not Found",
        }
    }
}

/// Why a control-plane request on a run is refused.
#[derive(Debug, PartialEq, Eq)]
pub enum ControlRefusal {
    Unknown,
    NotRunning(&'static str),
}

/// The UDM and CDDS store.
#[derive(Debug)]
pub struct UdmStore {
    clock: MockClock,
    seed: UdmSeed,
    inner: Mutex<Inner>,
}

/// The record looked up by `id`, or the 404 with `reason` naming the id.
fn found<T>(record: Option<T>, reason: &str, id: u64) -> Result<T, Fault> {
    record.ok_or_else(|| Fault::not_found(reason, "id", &id.to_string()))
}

impl Inner {
    /// Fires what is due and completes what has run long enough.
    fn settle(&mut self, now: u64, seed: &UdmSeed) {
        let mut fires: Vec<(u64, Arc<JobDef>, u64)> = Vec::new();
        for job in self.jobs.values_mut() {
            if job.suspended || job.cancelled {
                continue;
            }
            let mut fired = 0;
            while fired < CATCH_UP_CAP {
                let Some((at, trigger)) = job.schedule.due(now) else {
                    break;
                };
                job.schedule.consume(trigger, at);
                job.fired = job.fired.saturating_add(1);
                fires.push((job.id, job.def.clone(), at));
                fired += 1;
            }
            if fired == CATCH_UP_CAP {
                job.schedule.skip_to(now);
            }
        }
        for (job_id, def, at) in fires {
            let id = self.next_run;
            self.next_run += 1;
            self.runs.insert(
                id,
                Run {
                    id,
                    job_id,
                    def,
                    started_ms: at,
                    state: RunState::Running,
                    frozen: 0,
                    files: Vec::new(),
                    file_size: 0,
                },
            );
            if let Some(job) = self.jobs.get_mut(&job_id) {
                job.runs.push(id);
            }
        }
        let run_ms = seed.run_seconds.saturating_mul(1000);
        let done: Vec<(u64, u64)> = self
            .runs
            .values()
            .filter(|run| run.state == RunState::Running)
            .filter_map(|run| {
                let end = run.started_ms.saturating_add(run_ms);
                (end <= now).then_some((run.id, end))
            })
            .collect();
        for (id, end) in done {
            self.complete(id, end, seed);
        }
    }

    /// Ends run `id` COMPLETED at `at`, with its files.
    fn complete(&mut self, id: u64, at: u64, seed: &UdmSeed) {
        let Some(run) = self.runs.get_mut(&id) else {
            return;
        };
        let slug = slug(&run.def.title);
        let mut names = Vec::new();
        let mut total = 0u64;
        for part in 1..=seed.file_split {
            let name = format!("{slug}-{id}-{part}.csv");
            let content = csv(&run.def, run.job_id, id, part, &name);
            total += content.len() as u64;
            names.push(name.clone());
            self.files.insert(
                name.clone(),
                StoredFile {
                    name,
                    job_id: run.job_id,
                    run_id: id,
                    job_title: run.def.title.clone(),
                    source: run.def.source.clone(),
                    uploaded_ms: at,
                    content,
                },
            );
        }
        run.state = RunState::Ended(Status::Completed);
        run.frozen = 100;
        run.files = names;
        run.file_size = total;
        let job_id = run.job_id;
        self.outcome(job_id, Status::Completed);
    }

    /// Ends run `id` FAILED or CANCELLED now, its progress frozen.
    fn stop(&mut self, id: u64, status: Status, now: u64, seed: &UdmSeed) {
        let Some(run) = self.runs.get_mut(&id) else {
            return;
        };
        run.frozen = run_progress(run, now, seed);
        run.state = RunState::Ended(status);
        let job_id = run.job_id;
        self.outcome(job_id, status);
    }

    /// Job `job_id`'s run that ended last ended `status`.
    fn outcome(&mut self, job_id: u64, status: Status) {
        if let Some(job) = self.jobs.get_mut(&job_id) {
            job.last_outcome = Some(status);
        }
    }

    fn running(&self, job: &Job) -> Option<&Run> {
        job.runs
            .iter()
            .rev()
            .filter_map(|id| self.runs.get(id))
            .find(|run| run.state == RunState::Running)
    }

    fn job_status(&self, job: &Job) -> Status {
        if job.cancelled {
            Status::Cancelled
        } else if job.suspended {
            Status::Suspended
        } else if self.running(job).is_some() {
            Status::InProgress
        } else if job.schedule.pending() {
            Status::Scheduled
        } else {
            job.last_outcome.unwrap_or(Status::Scheduled)
        }
    }

    fn job_info(&self, job: &Job, now: u64, seed: &UdmSeed, variant: Variant) -> Value {
        let latest = job.runs.last().and_then(|id| self.runs.get(id));
        let progress = self
            .running(job)
            .or(latest)
            .map_or(0, |run| run_progress(run, now, seed));
        let produced = job
            .runs
            .iter()
            .rev()
            .filter_map(|id| self.runs.get(id))
            .find(|run| !run.files.is_empty());
        let (file_name, file_size) =
            produced.map_or((String::new(), 0), |run| (first(&run.files), run.file_size));
        info(
            &job.def,
            job.id,
            0,
            self.job_status(job),
            job.created_ms,
            progress,
            file_name,
            file_size,
            variant,
        )
    }
}

fn first(names: &[String]) -> String {
    names.first().cloned().unwrap_or_default()
}

fn run_status(run: &Run) -> Status {
    match run.state {
        RunState::Running => Status::InProgress,
        RunState::Ended(status) => status,
    }
}

fn run_progress(run: &Run, now: u64, seed: &UdmSeed) -> u64 {
    match run.state {
        RunState::Running => {
            let run_ms = seed.run_seconds.saturating_mul(1000).max(1);
            (now.saturating_sub(run.started_ms).saturating_mul(100) / run_ms).min(99)
        }
        RunState::Ended(_) => run.frozen,
    }
}

fn run_info(run: &Run, now: u64, seed: &UdmSeed, variant: Variant) -> Value {
    info(
        &run.def,
        run.id,
        run.job_id,
        run_status(run),
        run.started_ms,
        run_progress(run, now, seed),
        first(&run.files),
        run.file_size,
        variant,
    )
}

/// `JobInfo` (1521-1537; v10 5046-5065 adds `exportAttachments`). Its `type` is
/// `jobParams.type` (JobInfo v4 has a `type` although Job v4 has no top-level one);
/// a job has no `parentId`, a run's is the id of its job.
#[allow(clippy::too_many_arguments)]
fn info(
    def: &JobDef,
    id: u64,
    parent: u64,
    status: Status,
    created_ms: u64,
    progress: u64,
    file_name: String,
    file_size: u64,
    variant: Variant,
) -> Value {
    let mut value = json!({
        "id": id,
        "type": def.data_type,
        "source": def.source,
        "title": def.title,
        "fileSplitSize": def.split_size(),
        "fileName": file_name,
        "fileSize": file_size,
        "status": status.as_str(),
        "createdDate": rfc3339(created_ms),
        "dateFrom": def.date_from.clone().unwrap_or_default(),
        "dateTo": def.date_to.clone().unwrap_or_default(),
        "description": def.description.clone().unwrap_or_default(),
        "media": def.media,
        "progress": progress,
    });
    if parent > 0 {
        value["parentId"] = json!(parent);
    }
    if variant == Variant::V10 {
        value["exportAttachments"] = Value::Bool(def.export_attachments.unwrap_or(false));
    }
    value
}

/// `title` in lower case with every run of other characters than ASCII letters and
/// digits made one `-` (trimmed; `job` when nothing is left).
pub fn slug(title: &str) -> String {
    let mut out = String::new();
    for c in title.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let trimmed = out.trim_matches('-');
    if trimmed.is_empty() {
        "job".to_owned()
    } else {
        trimmed.to_owned()
    }
}

/// The deterministic CSV text of one file of a run.
fn csv(def: &JobDef, job_id: u64, run_id: u64, part: u32, name: &str) -> String {
    let from = def.date_from.as_deref().unwrap_or("");
    let to = def.date_to.as_deref().unwrap_or("");
    let mut text = String::from("file,part,jobId,historyId,source,type,media,dateFrom,dateTo\n");
    let media: Vec<&str> = if def.media.is_empty() {
        vec![""]
    } else {
        def.media.iter().map(String::as_str).collect()
    };
    for medium in media {
        text.push_str(&format!(
            "{name},{part},{job_id},{run_id},{},{},{medium},{from},{to}\n",
            def.source, def.data_type
        ));
    }
    text
}

/// A list of ids as sent (`jobIDs=1,2`): each with its number.
pub type Ids = Vec<(String, u64)>;

/// The 400 of an action on job `id` in a state that does not allow it:
/// "job {id} {is}: only {only}".
fn not_now(id: u64, is: &str, only: &str) -> Fault {
    Fault::bad("id", format!("job {id} {is}: only {only}"))
}

impl Inner {
    /// JobInfo of job `id`, after a change to it.
    fn info_of(&self, id: u64, now: u64, seed: &UdmSeed, variant: Variant) -> Result<Value, Fault> {
        let job = found(self.jobs.get(&id), "Job Not Found", id)?;
        Ok(self.job_info(job, now, seed, variant))
    }

    /// Removes a record not in progress: a job with its runs, or a run; a run goes with
    /// its files.
    fn remove(&mut self, record: Record, id: u64) -> Result<(), Fault> {
        let reason = record.unknown_on_delete();
        let (running, what, line) = match record {
            Record::Job => {
                let job = found(self.jobs.get(&id), reason, id)?;
                (self.running(job).is_some(), "job", 1862)
            }
            Record::Run => {
                let run = found(self.runs.get(&id), reason, id)?;
                (run.state == RunState::Running, "history record", 1393)
            }
        };
        if running {
            return Err(Fault::bad(
                "id",
                format!("{what} {id} is in progress: a job in progress can not be deleted (reference {line})"),
            ));
        }
        let runs = match record {
            Record::Job => self.jobs.remove(&id).map_or_else(Vec::new, |job| job.runs),
            Record::Run => vec![id],
        };
        for run in runs {
            self.drop_run(run);
        }
        Ok(())
    }

    fn drop_run(&mut self, id: u64) {
        if let Some(run) = self.runs.remove(&id) {
            for name in run.files {
                self.files.remove(&name);
            }
            if let Some(job) = self.jobs.get_mut(&run.job_id) {
                job.runs.retain(|r| *r != id);
            }
        }
    }

    fn remove_file(&mut self, name: &str) -> bool {
        match self.files.remove(name) {
            Some(file) => {
                if let Some(run) = self.runs.get_mut(&file.run_id) {
                    run.files.retain(|n| n != name);
                }
                true
            }
            None => false,
        }
    }
}

impl UdmStore {
    /// An empty store on `clock` serving `seed`.
    pub fn new(seed: UdmSeed, clock: MockClock) -> Arc<UdmStore> {
        Arc::new(UdmStore {
            clock,
            seed,
            inner: Mutex::new(Inner::default()),
        })
    }

    /// The seed it serves.
    pub fn seed(&self) -> &UdmSeed {
        &self.seed
    }

    /// Current mock time in ms.
    pub fn now(&self) -> u64 {
        self.clock.now_ms()
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The store settled at the current mock time, and that time.
    fn settled(&self) -> (MutexGuard<'_, Inner>, u64) {
        let now = self.clock.now_ms();
        let mut inner = self.lock();
        inner.settle(now, &self.seed);
        (inner, now)
    }

    /// Back to empty, ids from 1 again.
    pub fn reset(&self) {
        *self.lock() = Inner::default();
    }

    /// `POST /export/jobs`: the new job's JobInfo (an `immediately` run starts now).
    pub fn create(&self, def: JobDef, variant: Variant) -> Value {
        let (mut inner, now) = self.settled();
        let id = inner.next_job;
        inner.next_job += 1;
        let job = Job {
            id,
            schedule: Schedule::new(&def, now),
            suspended: def.suspended,
            def: Arc::new(def),
            created_ms: now,
            cancelled: false,
            fired: 0,
            runs: Vec::new(),
            last_outcome: None,
        };
        inner.jobs.insert(id, job);
        inner.settle(now, &self.seed);
        let job = inner.jobs.get(&id);
        job.map_or(Value::Null, |job| {
            inner.job_info(job, now, &self.seed, variant)
        })
    }

    /// `GET /export/jobs/{id}` (JobInfo, or with `definition` the Job shape of UDM v4)
    /// and `GET /export/history/{id}` (JobInfo).
    pub fn get(
        &self,
        record: Record,
        id: u64,
        variant: Variant,
        definition: bool,
    ) -> Result<Value, Fault> {
        const UNKNOWN: &str = "ManualJob Not Found";
        let (inner, now) = self.settled();
        match record {
            Record::Job => {
                let job = found(inner.jobs.get(&id), UNKNOWN, id)?;
                if definition {
                    let mut def = (*job.def).clone();
                    def.suspended = job.suspended;
                    return Ok(def.job_body(id));
                }
                Ok(inner.job_info(job, now, &self.seed, variant))
            }
            Record::Run => found(inner.runs.get(&id), UNKNOWN, id)
                .map(|run| run_info(run, now, &self.seed, variant)),
        }
    }

    /// `PUT /export/jobs/{id}`: replaces a job that has not run yet.
    pub fn update(&self, id: u64, def: JobDef, variant: Variant) -> Result<Value, Fault> {
        let (mut inner, now) = self.settled();
        let job = found(inner.jobs.get_mut(&id), "Job Not Found", id)?;
        if job.fired > 0 || job.cancelled {
            return Err(not_now(
                id,
                "has started",
                "a job that has not started can be updated",
            ));
        }
        job.schedule = Schedule::new(&def, now);
        job.suspended = def.suspended;
        job.def = Arc::new(def);
        inner.settle(now, &self.seed);
        inner.info_of(id, now, &self.seed, variant)
    }

    /// `GET /export/jobs` and `GET /export/history`: the jobs or the runs matching
    /// `filter`, as JobInfo, by id.
    pub fn list(&self, filter: &Filter, variant: Variant) -> Vec<Value> {
        let (inner, now) = self.settled();
        match filter {
            Filter::Jobs(filter) => inner
                .jobs
                .values()
                .filter(|job| filter.matches(&job.def, job.suspended))
                .map(|job| inner.job_info(job, now, &self.seed, variant))
                .collect(),
            Filter::Runs(filter) => inner
                .runs
                .values()
                .filter(|run| {
                    let status = run_status(run).as_str();
                    filter.matches(&run.def, run.job_id, &first(&run.files), status)
                })
                .map(|run| run_info(run, now, &self.seed, variant))
                .collect(),
        }
    }

    /// `DELETE /export/jobs/{id}` and `DELETE /export/history/{id}`: the record, with
    /// what it made.
    pub fn delete(&self, record: Record, id: u64) -> Result<(), Fault> {
        let (mut inner, _) = self.settled();
        inner.remove(record, id)
    }

    /// `DELETE /export/jobs?jobIDs=` and `DELETE /export/history?jobIDs=`: the ids (as
    /// sent) that were not deleted.
    pub fn delete_many(&self, record: Record, ids: &Ids) -> Vec<String> {
        let (mut inner, _) = self.settled();
        ids.iter()
            .filter(|(_, id)| inner.remove(record, *id).is_err())
            .map(|(text, _)| text.clone())
            .collect()
    }

    /// `POST /export/jobs/cancel/{id}`: an unfinished job is cancelled, its running
    /// runs too.
    pub fn cancel(&self, id: u64) -> Result<(), Fault> {
        let (mut inner, now) = self.settled();
        let job = found(inner.jobs.get(&id), "Not Found", id)?;
        let status = inner.job_status(job);
        if status.finished() {
            let is = format!("is {}", status.as_str());
            return Err(not_now(id, &is, "an unfinished job can be cancelled"));
        }
        let running: Vec<u64> = job
            .runs
            .iter()
            .copied()
            .filter(|r| {
                inner
                    .runs
                    .get(r)
                    .is_some_and(|run| run.state == RunState::Running)
            })
            .collect();
        for run in running {
            inner.stop(run, Status::Cancelled, now, &self.seed);
        }
        if let Some(job) = inner.jobs.get_mut(&id) {
            job.cancelled = true;
            job.suspended = false;
            job.schedule.clear();
        }
        Ok(())
    }

    /// `POST /export/jobs/suspend/{id}`: a scheduled or running job stops firing.
    pub fn suspend(&self, id: u64, variant: Variant) -> Result<Value, Fault> {
        let (mut inner, now) = self.settled();
        let job = found(inner.jobs.get(&id), "Job Not Found", id)?;
        let status = inner.job_status(job);
        if !matches!(status, Status::Scheduled | Status::InProgress) {
            let is = format!("is {}", status.as_str());
            return Err(not_now(
                id,
                &is,
                "a scheduled or running job can be suspended",
            ));
        }
        if let Some(job) = inner.jobs.get_mut(&id) {
            job.suspended = true;
        }
        inner.info_of(id, now, &self.seed, variant)
    }

    /// `POST /export/jobs/resume/{id}`: a suspended job fires again (a pending
    /// `immediately` or passed `startDate` now; cron fires missed meanwhile are skipped).
    pub fn resume(&self, id: u64, variant: Variant) -> Result<Value, Fault> {
        let (mut inner, now) = self.settled();
        let job = found(inner.jobs.get_mut(&id), "Job Not Found", id)?;
        if !job.suspended {
            return Err(not_now(
                id,
                "is not suspended",
                "a suspended job can be resumed",
            ));
        }
        job.suspended = false;
        job.schedule.activated_ms = now;
        job.schedule.skip_to(now);
        inner.settle(now, &self.seed);
        inner.info_of(id, now, &self.seed, variant)
    }

    /// `GET /export/history/{id}/progress`: `JobProgress` (1429-1434).
    pub fn progress(&self, id: u64) -> Result<Value, Fault> {
        let (inner, now) = self.settled();
        let run = found(inner.runs.get(&id), "Not Found", id)?;
        Ok(json!({
            "progress": run_progress(run, now, &self.seed),
            "status": run_status(run).as_str(),
        }))
    }

    /// The file-metadata items matching `filter`, by name.
    pub fn files(&self, filter: &FileFilter) -> Vec<Value> {
        let (inner, _) = self.settled();
        inner
            .files
            .values()
            .filter(|file| {
                filter.matches(
                    &file.name,
                    &file.job_title,
                    &file.source,
                    file.run_id,
                    file.uploaded_ms,
                )
            })
            .map(|file| {
                json!({
                    "name": file.name,
                    "type": "csv",
                    "size": file.content.len(),
                    "uploadDate": rfc3339(file.uploaded_ms),
                    "jobTitle": file.job_title,
                    "jobId": file.job_id,
                    "historyId": file.run_id,
                    "source": file.source,
                })
            })
            .collect()
    }

    /// Pre-signed download tokens for `names`, or the names that are no file.
    pub fn presign(&self, names: &[String]) -> Result<Vec<String>, Vec<String>> {
        let (mut inner, now) = self.settled();
        let unknown: Vec<String> = names
            .iter()
            .filter(|name| !inner.files.contains_key(*name))
            .cloned()
            .collect();
        if !unknown.is_empty() {
            return Err(unknown);
        }
        let lifetime = self.seed.url_lifetime_secs.saturating_mul(1000);
        inner
            .downloads
            .retain(|_, d| d.issued_ms.saturating_add(lifetime) > now);
        Ok(names
            .iter()
            .map(|name| {
                let token = crate::ids::uuid_v4().simple().to_string();
                inner.downloads.insert(
                    token.clone(),
                    Download {
                        file: name.clone(),
                        issued_ms: now,
                    },
                );
                token
            })
            .collect())
    }

    /// What the pre-signed URL with `token` answers now.
    pub fn fetch(&self, token: &str) -> Fetched {
        let (inner, now) = self.settled();
        let Some(download) = inner.downloads.get(token) else {
            return Fetched::Unknown;
        };
        let lifetime = self.seed.url_lifetime_secs.saturating_mul(1000);
        if now >= download.issued_ms.saturating_add(lifetime) {
            return Fetched::Expired;
        }
        match inner.files.get(&download.file) {
            Some(file) => Fetched::File(file.name.clone(), file.content.clone()),
            None => Fetched::Unknown,
        }
    }

    /// `DELETE /files/{filename}`: false when there is no such file.
    pub fn delete_file(&self, name: &str) -> bool {
        let (mut inner, _) = self.settled();
        inner.remove_file(name)
    }

    /// `DELETE /files?filename=`: the names that were not deleted.
    pub fn delete_files(&self, names: &[String]) -> Vec<String> {
        let (mut inner, _) = self.settled();
        names
            .iter()
            .filter(|name| !inner.remove_file(name))
            .cloned()
            .collect()
    }

    /// `POST /cipher/{name}`: the certificate replaces the one before.
    pub fn upload_certificate(&self, name: &str, size: usize) {
        let (mut inner, now) = self.settled();
        inner.certificate = Some(Certificate {
            name: name.to_owned(),
            size,
            uploaded_ms: now,
        });
    }

    /// `GET /cipher`: `CertificateInfo` (943-948), if one was uploaded.
    pub fn certificate(&self) -> Option<Value> {
        let (inner, _) = self.settled();
        inner.certificate.as_ref().map(|c| {
            json!({
                "ccid": self.seed.ccid,
                "name": c.name,
                "size": c.size,
                "lastModified": rfc3339(c.uploaded_ms),
            })
        })
    }

    /// Control plane: run `id` completes (with its files) or fails now.
    pub fn end_run(&self, id: u64, complete: bool) -> Result<Value, ControlRefusal> {
        let (mut inner, now) = self.settled();
        let run = inner.runs.get(&id).ok_or(ControlRefusal::Unknown)?;
        if let RunState::Ended(status) = run.state {
            return Err(ControlRefusal::NotRunning(status.as_str()));
        }
        if complete {
            inner.complete(id, now, &self.seed);
        } else {
            inner.stop(id, Status::Failed, now, &self.seed);
        }
        inner
            .runs
            .get(&id)
            .map(|run| run_info(run, now, &self.seed, Variant::V10))
            .ok_or(ControlRefusal::Unknown)
    }
}
