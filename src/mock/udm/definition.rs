//! The `Job` request body of create and update (v10 5015-5040 and 5323-5367, v4
//! 1493-1515 and 6141-6165), read into a [`JobDef`] or refused with a 400 naming the
//! field. Dates are ISO-8601 (RFC 3339, or `YYYY-MM-DDTHH:MM:SS` read as UTC, or
//! `YYYY-MM-DD`: the reference gives no format, map item 52); `cron` is a 5-field
//! Unix or 6/7-field (seconds, year) expression or an `@hourly`-style nickname, read by
//! `croner`, and must fire at least once; `runs` a decimal string of at least 1.

use chrono::{DateTime, NaiveDate, NaiveDateTime};
use croner::parser::CronParser;
use croner::Cron;
use serde_json::{json, Map, Value};

use super::super::kernel::body::json_object;
use super::super::kernel::envelope::Envelope;
use super::fault::Fault;
use super::seed::UdmSeed;

/// The values v10's top-level `type` takes (5034: "UCS or DataSync").
pub const V10_TYPES: [&str; 2] = ["UCS", "DataSync"];

/// How a base path reads a job body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BodyRules {
    /// v10: `suspended` is a boolean and `jobParams.exportAttachments` exists; legacy:
    /// `suspended` is the string "true" or "false" and a top-level `fileSplitSize` exists.
    pub v10: bool,
    /// The top-level `type` is required (v10 POST and PUT, UDM v4 PUT).
    pub needs_type: bool,
}

/// A validated job definition, with the raw strings kept for echoing.
#[derive(Debug, Clone)]
pub struct JobDef {
    /// `source`: a seed source value.
    pub source: String,
    /// The top-level `type` when sent.
    pub kind: Option<String>,
    /// `title`.
    pub title: String,
    /// `timeFrame.all`.
    pub all: Option<bool>,
    /// `timeFrame.dateFrom` as sent.
    pub date_from: Option<String>,
    /// `timeFrame.dateTo` as sent.
    pub date_to: Option<String>,
    /// The top-level `fileSplitSize` (v4).
    pub file_split_size: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// `schedulerParam.immediately`.
    pub immediately: Option<bool>,
    /// `schedulerParam.cron` as sent.
    pub cron_text: Option<String>,
    /// `schedulerParam.cron`, parsed.
    pub cron: Option<Cron>,
    /// `schedulerParam.runs` as sent.
    pub runs_text: Option<String>,
    /// `schedulerParam.runs`, parsed.
    pub runs: Option<u32>,
    /// `schedulerParam.startDate` as sent.
    pub start_date: Option<String>,
    /// `schedulerParam.startDate` in ms since the epoch (0 if before it).
    pub start_at_ms: Option<u64>,
    /// `jobParams.fileSplitSize`.
    pub params_file_split_size: Option<String>,
    /// `jobParams.type`.
    pub data_type: String,
    /// `jobParams.media`.
    pub media: Vec<String>,
    /// `jobParams.exportAttachments` (v10).
    pub export_attachments: Option<bool>,
    /// `suspended`.
    pub suspended: bool,
}

impl JobDef {
    /// `fileSplitSize` of JobInfo: `jobParams.fileSplitSize`, else the top-level one.
    pub fn split_size(&self) -> &str {
        self.params_file_split_size
            .as_deref()
            .or(self.file_split_size.as_deref())
            .unwrap_or("")
    }

    /// The schedule types the job has (`scheduleType` filter): `immediately`, `cron`,
    /// `startDate`.
    pub fn has_schedule_type(&self, kind: &str) -> bool {
        match kind {
            "immediately" => self.immediately == Some(true),
            "cron" => self.cron.is_some(),
            "startDate" => self.start_at_ms.is_some(),
            _ => false,
        }
    }

    /// The legacy `Job` shape (UDM v4 GET job, 6113-6116) with a string `id`.
    pub fn job_body(&self, id: u64) -> Value {
        let mut time_frame = Map::new();
        put_opt(&mut time_frame, "all", self.all.map(Value::Bool));
        put_str(&mut time_frame, "dateFrom", &self.date_from);
        put_str(&mut time_frame, "dateTo", &self.date_to);
        let mut scheduler = Map::new();
        put_opt(
            &mut scheduler,
            "immediately",
            self.immediately.map(Value::Bool),
        );
        put_str(&mut scheduler, "cron", &self.cron_text);
        put_str(&mut scheduler, "runs", &self.runs_text);
        put_str(&mut scheduler, "startDate", &self.start_date);
        let mut params = Map::new();
        put_str(&mut params, "fileSplitSize", &self.params_file_split_size);
        params.insert("type".into(), Value::String(self.data_type.clone()));
        params.insert("media".into(), json!(self.media));
        let mut body = Map::new();
        body.insert("id".into(), Value::String(id.to_string()));
        body.insert("source".into(), Value::String(self.source.clone()));
        put_str(&mut body, "type", &self.kind);
        body.insert("title".into(), Value::String(self.title.clone()));
        body.insert("timeFrame".into(), Value::Object(time_frame));
        put_str(&mut body, "fileSplitSize", &self.file_split_size);
        put_str(&mut body, "description", &self.description);
        body.insert("schedulerParam".into(), Value::Object(scheduler));
        body.insert("jobParams".into(), Value::Object(params));
        body.insert(
            "suspended".into(),
            Value::String(self.suspended.to_string()),
        );
        Value::Object(body)
    }
}

fn put_opt(map: &mut Map<String, Value>, name: &str, value: Option<Value>) {
    if let Some(value) = value {
        map.insert(name.to_owned(), value);
    }
}

fn put_str(map: &mut Map<String, Value>, name: &str, value: &Option<String>) {
    put_opt(map, name, value.clone().map(Value::String));
}

/// Milliseconds since the epoch of an ISO-8601 date or date-time (see the module
/// text), or `None` when it is none.
pub fn parse_instant(text: &str) -> Option<i64> {
    let text = text.trim();
    if let Ok(at) = DateTime::parse_from_rfc3339(text) {
        return Some(at.timestamp_millis());
    }
    for format in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f"] {
        if let Ok(at) = NaiveDateTime::parse_from_str(text, format) {
            return Some(at.and_utc().timestamp_millis());
        }
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|at| at.and_utc().timestamp_millis())
}

/// Parses a cron expression: 5 fields (minute first), 6 (seconds first) or 7 (and a
/// year).
pub fn parse_cron(text: &str) -> Result<Cron, String> {
    let fields = text.split_whitespace().count();
    if !text.trim_start().starts_with('@') && !(5..=7).contains(&fields) {
        return Err(format!(
            "a cron expression has 5, 6 or 7 fields; `{text}` has {fields}"
        ));
    }
    CronParser::builder()
        .build()
        .parse(text)
        .map_err(|e| format!("`{text}` is not a cron expression: {e}"))
}

/// The first fire time of `cron` strictly after `after_ms`, in ms.
pub fn next_fire(cron: &Cron, after_ms: u64) -> Option<u64> {
    let after = DateTime::from_timestamp_millis(i64::try_from(after_ms).ok()?)?;
    let next = cron.find_next_occurrence(&after, false).ok()?;
    u64::try_from(next.timestamp_millis()).ok()
}

/// `text`, a date or date-time in ms (see the module text), or a 400 naming `field`.
pub fn instant(field: &str, text: &str) -> Result<i64, Fault> {
    parse_instant(text).ok_or_else(|| {
        Fault::bad(
            field,
            format!("{field} `{text}` is not an ISO-8601 date or date-time"),
        )
    })
}

/// One JSON object of the body, read field by field; a refusal names the field by its
/// path from the body (`timeFrame.dateFrom`).
struct Fields<'m> {
    map: &'m Map<String, Value>,
    /// The path of the object, with a trailing dot (empty for the body itself).
    prefix: String,
}

impl<'m> Fields<'m> {
    fn path(&self, name: &str) -> String {
        format!("{}{name}", self.prefix)
    }

    /// A 400 naming field `name`: "<path> <what>".
    fn bad(&self, name: &str, what: &str) -> Fault {
        let field = self.path(name);
        Fault::bad(&field, format!("{field} {what}"))
    }

    /// Field `name` as `read` takes it (`None` when absent or null); a value `read`
    /// does not take must be `kind`.
    fn optional<T>(
        &self,
        name: &str,
        kind: &str,
        read: impl FnOnce(&'m Value) -> Option<T>,
    ) -> Result<Option<T>, Fault> {
        match self.map.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(value) => read(value)
                .map(Some)
                .ok_or_else(|| self.bad(name, &format!("must be {kind}"))),
        }
    }

    fn str(&self, name: &str) -> Result<Option<String>, Fault> {
        self.optional(name, "a string", |v| v.as_str().map(str::to_owned))
    }

    fn required_str(&self, name: &str) -> Result<String, Fault> {
        match self.str(name)? {
            Some(s) if !s.trim().is_empty() => Ok(s),
            Some(_) => Err(self.bad(name, "must not be empty")),
            None => Err(self.bad(name, "is required")),
        }
    }

    fn bool(&self, name: &str) -> Result<Option<bool>, Fault> {
        self.optional(name, "a boolean", Value::as_bool)
    }

    /// The required object `name`.
    fn object(&self, name: &str) -> Result<Fields<'m>, Fault> {
        let map = self
            .optional(name, "an object", Value::as_object)?
            .ok_or_else(|| self.bad(name, "is required"))?;
        Ok(Fields {
            map,
            prefix: format!("{}.", self.path(name)),
        })
    }

    /// `text`, the value of date field `name`, in ms.
    fn instant(&self, name: &str, text: &Option<String>) -> Result<Option<i64>, Fault> {
        text.as_deref()
            .map(|text| instant(&self.path(name), text))
            .transpose()
    }
}

/// Reads a job body for `rules`; `now_ms` checks that a cron expression fires at all.
pub fn parse_job(
    body: &[u8],
    rules: BodyRules,
    seed: &UdmSeed,
    now_ms: u64,
) -> Result<JobDef, Fault> {
    let map = json_object(body, Envelope::Status)?;
    let body = Fields {
        map: &map,
        prefix: String::new(),
    };
    let source = body.required_str("source")?;
    if !seed.has_source(&source) {
        let known: Vec<&str> = seed.sources.iter().map(|s| s.value.as_str()).collect();
        return Err(Fault::bad(
            "source",
            format!("source `{source}` is none of {}", known.join(", ")),
        ));
    }
    let kind = if rules.needs_type {
        let kind = body.required_str("type")?;
        if rules.v10 && !V10_TYPES.contains(&kind.as_str()) {
            return Err(Fault::bad(
                "type",
                format!("type `{kind}` is neither UCS nor DataSync (reference 5034)"),
            ));
        }
        Some(kind)
    } else {
        body.str("type")?
    };
    let title = body.required_str("title")?;

    let time_frame = body.object("timeFrame")?;
    let all = time_frame.bool("all")?;
    let date_from = time_frame.str("dateFrom")?;
    let date_to = time_frame.str("dateTo")?;
    let from_ms = time_frame.instant("dateFrom", &date_from)?;
    let to_ms = time_frame.instant("dateTo", &date_to)?;
    if let (Some(from), Some(to)) = (from_ms, to_ms) {
        if to < from {
            return Err(time_frame.bad("dateTo", "is before timeFrame.dateFrom"));
        }
    }

    let file_split_size = if rules.v10 {
        None
    } else {
        body.str("fileSplitSize")?
    };
    let description = body.str("description")?;

    let scheduler = body.object("schedulerParam")?;
    let immediately = scheduler.bool("immediately")?;
    let cron_text = scheduler.str("cron")?;
    let cron = cron_text
        .as_deref()
        .map(|text| firing_cron(text, now_ms))
        .transpose()?;
    let runs_text = scheduler.str("runs")?;
    let runs = match &runs_text {
        None => None,
        Some(text) => match text.trim().parse::<u32>() {
            Ok(n) if n >= 1 => Some(n),
            _ => {
                let what = format!("`{text}` is not a whole number of at least 1");
                return Err(scheduler.bad("runs", &what));
            }
        },
    };
    let start_date = scheduler.str("startDate")?;
    let start_at_ms = scheduler
        .instant("startDate", &start_date)?
        .map(|ms| u64::try_from(ms).unwrap_or(0));
    if immediately != Some(true) && cron.is_none() && start_at_ms.is_none() {
        return Err(Fault::bad(
            "schedulerParam",
            "schedulerParam needs immediately=true, a cron or a startDate",
        ));
    }

    let params = body.object("jobParams")?;
    let params_file_split_size = params.str("fileSplitSize")?;
    let data_type = params.required_str("type")?;
    let media = params
        .optional("media", "an array of strings", |v| {
            v.as_array()?
                .iter()
                .map(|item| item.as_str().map(str::to_owned))
                .collect::<Option<Vec<String>>>()
        })?
        .ok_or_else(|| params.bad("media", "is required: an array of strings"))?;
    let export_attachments = if rules.v10 {
        params.bool("exportAttachments")?
    } else {
        None
    };

    let suspended = match (rules.v10, map.get("suspended")) {
        (true, Some(Value::Bool(b))) => *b,
        (true, Some(_)) => {
            return Err(Fault::bad(
                "suspended",
                "suspended must be a boolean (reference 5040)",
            ))
        }
        (false, Some(Value::String(s))) if s.eq_ignore_ascii_case("true") => true,
        (false, Some(Value::String(s))) if s.eq_ignore_ascii_case("false") => false,
        (false, Some(_)) => {
            return Err(Fault::bad(
                "suspended",
                "suspended must be the string \"true\" or \"false\" (reference 1515)",
            ))
        }
        (_, None) => return Err(Fault::bad("suspended", "suspended is required")),
    };

    Ok(JobDef {
        source,
        kind,
        title,
        all,
        date_from,
        date_to,
        file_split_size,
        description,
        immediately,
        cron_text,
        cron,
        runs_text,
        runs,
        start_date,
        start_at_ms,
        params_file_split_size,
        data_type,
        media,
        export_attachments,
        suspended,
    })
}

/// `schedulerParam.cron`, parsed, that fires after `now_ms`.
fn firing_cron(text: &str, now_ms: u64) -> Result<Cron, Fault> {
    let cron = parse_cron(text).map_err(|why| Fault::bad("schedulerParam.cron", why))?;
    if next_fire(&cron, now_ms).is_none() {
        return Err(Fault::bad(
            "schedulerParam.cron",
            format!("`{text}` never fires"),
        ));
    }
    Ok(cron)
}
