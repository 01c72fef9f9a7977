//! The filters of the three lists, `GET /export/jobs` (1452-1460, 4965-4976),
//! `GET /export/history` (1286-1294, 4778-4790) and `GET /file-metadatas` (1101-1112,
//! 5470-5486): read from the query string (a 400 names the parameter), then matched
//! against each record. A text filter is a case-insensitive "contains"; only v10 has
//! the `source`, `jobId` and `historyId` filters.

use super::super::kernel::form::Form;
use super::definition::JobDef;
use super::fault::Fault;
use super::query;
use super::store::Record;

/// Case-insensitive "contains"; no filter matches everything.
fn contains(value: &str, filter: &Option<String>) -> bool {
    filter
        .as_ref()
        .is_none_or(|f| value.to_lowercase().contains(&f.to_lowercase()))
}

/// An optional whole-number parameter that only v10 reads.
fn v10_number(form: &Form, v10: bool, name: &str) -> Result<Option<u64>, Fault> {
    if v10 {
        query::number(form, name)
    } else {
        Ok(None)
    }
}

/// The filters of a JobInfo list: of jobs, or of runs.
#[derive(Debug)]
pub enum Filter {
    Jobs(JobFilter),
    Runs(RunFilter),
}

impl Filter {
    /// The filters of the list of `record`s.
    pub fn read(record: Record, form: &Form, v10: bool) -> Result<Filter, Fault> {
        Ok(match record {
            Record::Job => Filter::Jobs(JobFilter::read(form, v10)?),
            Record::Run => Filter::Runs(RunFilter::read(form, v10)?),
        })
    }
}

/// What every list filters on: the job's title, its data type and (v10) its source.
#[derive(Debug, Default)]
pub struct Texts {
    title: Option<String>,
    kind: Option<String>,
    source: Option<String>,
}

impl Texts {
    /// `title` (the parameter that names the job's title), `type` and, on v10, `source`.
    fn read(form: &Form, v10: bool, title: &str) -> Texts {
        Texts {
            title: query::text(form, title),
            kind: query::text(form, "type"),
            source: query::text(form, "source").filter(|_| v10),
        }
    }

    fn matches(&self, title: &str, kind: &str, source: &str) -> bool {
        contains(title, &self.title) && contains(kind, &self.kind) && contains(source, &self.source)
    }

    /// The texts of a job's definition.
    fn matches_def(&self, def: &JobDef) -> bool {
        self.matches(&def.title, &def.data_type, &def.source)
    }
}

/// The filters of `GET /export/jobs`.
#[derive(Debug, Default)]
pub struct JobFilter {
    texts: Texts,
    suspend: Option<bool>,
    schedule_type: Option<String>,
}

impl JobFilter {
    /// `title`, `type`, `source` (v10), `suspend` and `scheduleType`.
    fn read(form: &Form, v10: bool) -> Result<JobFilter, Fault> {
        let schedule_type = query::text(form, "scheduleType");
        if let Some(kind) = &schedule_type {
            if !["immediately", "cron", "startDate"].contains(&kind.as_str()) {
                return Err(Fault::bad(
                    "scheduleType",
                    format!("scheduleType `{kind}` is none of immediately, cron, startDate"),
                ));
            }
        }
        Ok(JobFilter {
            texts: Texts::read(form, v10, "title"),
            suspend: query::boolean(form, "suspend")?,
            schedule_type,
        })
    }

    /// True for a job of `def`, suspended or not.
    pub fn matches(&self, def: &JobDef, suspended: bool) -> bool {
        self.texts.matches_def(def)
            && self.suspend.is_none_or(|s| s == suspended)
            && self
                .schedule_type
                .as_ref()
                .is_none_or(|t| def.has_schedule_type(t))
    }
}

/// The filters of `GET /export/history`.
#[derive(Debug, Default)]
pub struct RunFilter {
    texts: Texts,
    file_name: Option<String>,
    status: Option<String>,
    job_id: Option<u64>,
}

impl RunFilter {
    /// `title`, `fileName`, `type`, `status`, `jobId` (v10) and `source` (v10).
    fn read(form: &Form, v10: bool) -> Result<RunFilter, Fault> {
        Ok(RunFilter {
            file_name: query::text(form, "fileName"),
            status: query::text(form, "status"),
            job_id: v10_number(form, v10, "jobId")?,
            texts: Texts::read(form, v10, "title"),
        })
    }

    /// True for a run of job `job_id` and `def`, with its first file and status.
    pub fn matches(&self, def: &JobDef, job_id: u64, file_name: &str, status: &str) -> bool {
        self.texts.matches_def(def)
            && contains(file_name, &self.file_name)
            && self.status.as_ref().is_none_or(|s| s == status)
            && self.job_id.is_none_or(|j| j == job_id)
    }
}

/// The filters of `GET /file-metadatas`.
#[derive(Debug, Default)]
pub struct FileFilter {
    texts: Texts,
    name: Option<String>,
    history_id: Option<u64>,
    from_ms: Option<i64>,
    to_ms: Option<i64>,
}

impl FileFilter {
    /// `name`, `jobTitle`, `type`, `historyId` (v10), `source` (v10), and the upload
    /// dates from `startDate` to `endDate`.
    pub fn read(form: &Form, v10: bool) -> Result<FileFilter, Fault> {
        let from_ms = query::date(form, "startDate")?;
        let to_ms = query::date(form, "endDate")?;
        if let (Some(from), Some(to)) = (from_ms, to_ms) {
            if to < from {
                return Err(Fault::bad("endDate", "endDate is before startDate"));
            }
        }
        Ok(FileFilter {
            texts: Texts::read(form, v10, "jobTitle"),
            name: query::text(form, "name"),
            history_id: v10_number(form, v10, "historyId")?,
            from_ms,
            to_ms,
        })
    }

    /// True for file `name` (a CSV) of run `run_id` of job `job_title` from `source`,
    /// uploaded at `uploaded_ms`.
    pub fn matches(
        &self,
        name: &str,
        job_title: &str,
        source: &str,
        run_id: u64,
        uploaded_ms: u64,
    ) -> bool {
        let at = i64::try_from(uploaded_ms).unwrap_or(i64::MAX);
        self.texts.matches(job_title, "csv", source)
            && contains(name, &self.name)
            && self.history_id.is_none_or(|h| h == run_id)
            && self.from_ms.is_none_or(|from| at >= from)
            && self.to_ms.is_none_or(|to| at <= to)
    }
}
