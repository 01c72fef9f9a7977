//! User Data Management and Cloud Data Download steps: export-job bodies in the shape
//! each base path documents (suspended and due in 2099, so nothing runs on a real
//! deployment), editing the pending JSON body, checks on JSON arrays (paged lists and
//! lookups), empty bodies, following a 303 to a pre-signed URL without credentials,
//! long file-name lists, and the mock's control of export runs.

use super::control::control;
use super::http::{body_excerpt, json_at};
use super::placeholders::{expand, expand_json};
use super::world::CxWorld;
use crate::client::{HttpClient, RequestSpec};
use cucumber::{given, then, when};
use serde_json::{json, Map, Value};

type StepResult = Result<(), String>;

/// The start date of every job a portable scenario creates: far enough ahead that a
/// resumed job never runs while the scenario lives.
const FAR_FUTURE: &str = "2099-01-01T00:00:00Z";

/// The base paths that serve `/export/...` (reference 1281-1884, 4772-5461, 5696-6250).
const EXPORT_PREFIXES: [&str; 3] = ["/udm/v10", "/udm/v4", "/data-download/v4"];

/// The body of an export job as the base path documents it:
/// - `/udm/v10` (5032-5040, usage 5075-5099): `source`, `type` ("UCS or DataSync", 5034),
///   `title`, `timeFrame`, `description`, `schedulerParam`, `jobParams` and `suspended`
///   as a boolean (5040);
/// - `/udm/v4` and `/data-download/v4` (1507-1515, 5920-5928): the same without the
///   top-level `type` and with `suspended` as a string (1515); a PUT on `/udm/v4` adds
///   the required top-level `type` (6141, 6159).
///
/// `suspended`: suspended, not immediate, starting in 2099. `immediate`: not suspended,
/// `schedulerParam.immediately` true, so a run starts at once (only `@mock` scenarios).
fn job_body(
    world: &CxWorld,
    kind: &str,
    method: &str,
    prefix: &str,
    title: &str,
) -> Result<Value, String> {
    if !EXPORT_PREFIXES.contains(&prefix) {
        return Err(format!(
            "{prefix:?} serves no export jobs; the base paths are {EXPORT_PREFIXES:?}"
        ));
    }
    let tenant = &world.ctx()?.target.tenant;
    let v10 = prefix == "/udm/v10";
    let immediate = kind == "immediate";
    let scheduler = if immediate {
        json!({"immediately": true})
    } else {
        json!({"immediately": false, "startDate": FAR_FUTURE})
    };
    let suspended = if v10 {
        json!(!immediate)
    } else {
        json!((!immediate).to_string())
    };
    let mut body = Map::new();
    body.insert("source".into(), json!(tenant.udm_source));
    if v10 || (prefix == "/udm/v4" && method == "PUT") {
        body.insert("type".into(), json!("UCS"));
    }
    body.insert("title".into(), json!(title));
    body.insert(
        "timeFrame".into(),
        json!({"all": false, "dateFrom": "2025-01-01T00:00:00Z", "dateTo": "2025-01-31T23:59:59Z"}),
    );
    body.insert(
        "description".into(),
        json!("cxgate contract test: deleted after the scenario"),
    );
    body.insert("schedulerParam".into(), scheduler);
    body.insert(
        "jobParams".into(),
        json!({"type": tenant.udm_data_type, "media": [tenant.udm_media]}),
    );
    body.insert("suspended".into(), suspended);
    Ok(Value::Object(body))
}

#[given(
    regex = r#"^the body of an? (suspended|immediate) export job for (POST|PUT) on "([^"]*)" titled "([^"]*)"$"#
)]
fn export_job_body(
    world: &mut CxWorld,
    kind: String,
    method: String,
    prefix: String,
    title: String,
) -> StepResult {
    let prefix = expand(world, &prefix)?;
    let title = expand(world, &title)?;
    let body = job_body(world, &kind, &method, &prefix, &title)?;
    world.pending.body = Some((body.to_string().into_bytes(), "application/json".into()));
    Ok(())
}

/// The pending body as JSON, or why it is not.
fn pending_json(world: &CxWorld) -> Result<Value, String> {
    let (bytes, _) =
        world.pending.body.as_ref().ok_or(
            "no JSON body yet: give one first (\"the JSON body is:\" or an export job body)",
        )?;
    serde_json::from_slice(bytes).map_err(|e| format!("the pending body is not JSON: {e}"))
}

fn set_pending_json(world: &mut CxWorld, body: &Value) {
    world.pending.body = Some((body.to_string().into_bytes(), "application/json".into()));
}

/// Splits a JSON pointer into its unescaped tokens.
fn pointer_tokens(pointer: &str) -> Result<Vec<String>, String> {
    if pointer.is_empty() {
        return Err("a field pointer cannot be the whole body (\"\")".into());
    }
    let rest = pointer
        .strip_prefix('/')
        .ok_or_else(|| format!("{pointer:?} is not a JSON pointer (it starts with /)"))?;
    Ok(rest
        .split('/')
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
        .collect())
}

/// Sets the field at `pointer`, creating objects on the way.
fn set_at(doc: &mut Value, pointer: &str, value: Value) -> Result<(), String> {
    let tokens = pointer_tokens(pointer)?;
    let (last, parents) = tokens.split_last().ok_or("empty pointer")?;
    let mut node = doc;
    for token in parents {
        let map = node.as_object_mut().ok_or_else(|| {
            format!("{pointer}: {token:?} is inside something that is not an object")
        })?;
        node = map.entry(token.clone()).or_insert_with(|| json!({}));
    }
    node.as_object_mut()
        .ok_or_else(|| format!("{pointer}: the parent is not an object"))?
        .insert(last.clone(), value);
    Ok(())
}

/// Changes one field of the pending JSON body; the value is a JSON literal.
#[given(regex = r#"^the JSON body field "([^"]*)" is (.+)$"#)]
fn body_field(world: &mut CxWorld, pointer: String, value: String) -> StepResult {
    let text = expand_json(world, &value)?;
    let value: Value = serde_json::from_str(&text)
        .map_err(|e| format!("the value {text} in the feature is not a JSON literal: {e}"))?;
    let mut body = pending_json(world)?;
    set_at(&mut body, &pointer, value)?;
    set_pending_json(world, &body);
    Ok(())
}

/// Leaves one field out of the pending JSON body; it must be there.
#[given(expr = "the JSON body has no field {string}")]
fn body_without_field(world: &mut CxWorld, pointer: String) -> StepResult {
    let tokens = pointer_tokens(&pointer)?;
    let (last, parents) = tokens.split_last().ok_or("empty pointer")?;
    let mut body = pending_json(world)?;
    let mut node = &mut body;
    for token in parents {
        node = node
            .get_mut(token.as_str())
            .ok_or_else(|| format!("the pending body has no {pointer}"))?;
    }
    node.as_object_mut()
        .and_then(|m| m.remove(last.as_str()))
        .ok_or_else(|| format!("the pending body has no {pointer} to leave out"))?;
    set_pending_json(world, &body);
    Ok(())
}

/// The array at `pointer` of the last body, or why there is none.
fn array_at(world: &CxWorld, pointer: &str) -> Result<Vec<Value>, String> {
    let last = world.last()?;
    match json_at(last, pointer)? {
        Some(Value::Array(items)) => Ok(items),
        Some(other) => Err(format!(
            "{}: expected an array at {pointer:?}, actual {other}",
            last.describe()
        )),
        None => Err(format!(
            "{}: nothing at {pointer:?}; body: {}",
            last.describe(),
            body_excerpt(last)
        )),
    }
}

fn literal(world: &mut CxWorld, text: &str) -> Result<Value, String> {
    let text = expand(world, text)?;
    serde_json::from_str(&text)
        .map_err(|e| format!("the expected value {text} in the feature is not a JSON literal: {e}"))
}

/// A short list of what `pointer` holds in each item, for failure messages.
fn values_in(items: &[Value], pointer: &str) -> String {
    let values: Vec<String> = items
        .iter()
        .take(20)
        .map(|i| i.pointer(pointer).map_or("(none)".into(), Value::to_string))
        .collect();
    format!(
        "[{}]{}",
        values.join(", "),
        if items.len() > 20 { ", …" } else { "" }
    )
}

#[then(regex = r#"^the array at "([^"]*)" has (an|no) item whose "([^"]*)" equals (.+)$"#)]
fn array_has_item(
    world: &mut CxWorld,
    pointer: String,
    quantifier: String,
    field: String,
    expected: String,
) -> StepResult {
    let expected = literal(world, &expected)?;
    let items = array_at(world, &pointer)?;
    let found = items.iter().any(|i| i.pointer(&field) == Some(&expected));
    if found == (quantifier == "an") {
        return Ok(());
    }
    Err(format!(
        "{}: expected {quantifier} item of {pointer:?} with {field:?} = {expected}; the items have {}",
        world.last()?.describe(),
        values_in(&items, &field)
    ))
}

#[then(regex = r#"^every item of the array at "([^"]*)" has "([^"]*)" equal to (.+)$"#)]
fn every_item_has(
    world: &mut CxWorld,
    pointer: String,
    field: String,
    expected: String,
) -> StepResult {
    let expected = literal(world, &expected)?;
    let items = array_at(world, &pointer)?;
    if items.is_empty() {
        return Err(format!(
            "{}: {pointer:?} is empty, so nothing shows the filter",
            world.last()?.describe()
        ));
    }
    if items.iter().all(|i| i.pointer(&field) == Some(&expected)) {
        return Ok(());
    }
    Err(format!(
        "{}: expected every item of {pointer:?} to have {field:?} = {expected}; they have {}",
        world.last()?.describe(),
        values_in(&items, &field)
    ))
}

#[then(regex = r#"^the array at "([^"]*)" has (\d+) items?$"#)]
fn array_length(world: &mut CxWorld, pointer: String, expected: usize) -> StepResult {
    let items = array_at(world, &pointer)?;
    if items.len() == expected {
        return Ok(());
    }
    Err(format!(
        "{}: expected {expected} item(s) at {pointer:?}, actual {}",
        world.last()?.describe(),
        items.len()
    ))
}

/// Numbers compare as numbers, strings as strings; anything else cannot be ordered.
fn compare(a: &Value, b: &Value) -> Option<std::cmp::Ordering> {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64()?.partial_cmp(&y.as_f64()?),
        (Value::String(x), Value::String(y)) => Some(x.cmp(y)),
        _ => None,
    }
}

#[then(regex = r#"^the array at "([^"]*)" is in (ascending|descending) order of "([^"]*)"$"#)]
fn array_ordered(
    world: &mut CxWorld,
    pointer: String,
    direction: String,
    field: String,
) -> StepResult {
    let items = array_at(world, &pointer)?;
    if items.len() < 2 {
        return Err(format!(
            "{}: {} item(s) at {pointer:?} show no order; the scenario needs two or more",
            world.last()?.describe(),
            items.len()
        ));
    }
    let wanted = if direction == "ascending" {
        std::cmp::Ordering::Less
    } else {
        std::cmp::Ordering::Greater
    };
    for pair in items.windows(2) {
        let (a, b) = (pair[0].pointer(&field), pair[1].pointer(&field));
        let ordered = match (a, b) {
            (Some(a), Some(b)) => compare(a, b).is_some_and(|o| o == wanted || o.is_eq()),
            _ => false,
        };
        if !ordered {
            return Err(format!(
                "{}: {pointer:?} is not in {direction} order of {field:?}: {}",
                world.last()?.describe(),
                values_in(&items, &field)
            ));
        }
    }
    Ok(())
}

#[then(regex = r#"^the JSON object at "([^"]*)" has (the|no) key "([^"]*)"$"#)]
fn object_has_key(world: &mut CxWorld, pointer: String, which: String, key: String) -> StepResult {
    let key = expand(world, &key)?;
    let last = world.last()?;
    match json_at(last, &pointer)? {
        Some(Value::Object(map)) if map.contains_key(&key) == (which == "the") => Ok(()),
        Some(Value::Object(map)) => Err(format!(
            "{}: expected the object at {pointer:?} to have {which} key {key:?}; its keys: {:?}",
            last.describe(),
            map.keys().collect::<Vec<_>>()
        )),
        other => Err(format!(
            "{}: expected an object at {pointer:?}, actual {other:?}",
            last.describe()
        )),
    }
}

#[then(regex = r#"^the JSON at "([^"]*)" is an integer from (-?\d+) to (-?\d+)$"#)]
fn integer_in_range(world: &mut CxWorld, pointer: String, low: i64, high: i64) -> StepResult {
    let last = world.last()?;
    match json_at(last, &pointer)? {
        Some(Value::Number(n)) if n.as_i64().is_some_and(|v| (low..=high).contains(&v)) => Ok(()),
        Some(other) => Err(format!(
            "{}: at {pointer}: expected an integer from {low} to {high}, actual {other}",
            last.describe()
        )),
        None => Err(format!(
            "{}: at {pointer}: expected an integer from {low} to {high}, there is no such field; body: {}",
            last.describe(),
            body_excerpt(last)
        )),
    }
}

#[then(regex = r"^the response body is (empty|not empty)$")]
fn body_emptiness(world: &mut CxWorld, expected: String) -> StepResult {
    let last = world.last()?;
    let empty = last.body.iter().all(u8::is_ascii_whitespace);
    if empty == (expected == "empty") {
        return Ok(());
    }
    Err(format!(
        "{}: expected the body {expected}, actual {}",
        last.describe(),
        body_excerpt(last)
    ))
}

#[then(expr = "the response status is not {int}")]
fn status_is_not(world: &mut CxWorld, refused: u16) -> StepResult {
    let last = world.last()?;
    if last.status != refused {
        return Ok(());
    }
    Err(format!(
        "{}: expected any status but {refused}; body: {}",
        last.describe(),
        body_excerpt(last)
    ))
}

/// GETs `location` (absolute, or relative to the target) as a plain HTTP client would
/// follow a pre-signed URL: no API key, no bearer, no cookies of the scenario. The
/// answer becomes the last response. A query string (an object store's signature) is
/// kept out of reports.
async fn fetch_without_credentials(world: &mut CxWorld, location: &str) -> StepResult {
    let ctx = world.ctx()?.clone();
    let base = url::Url::parse(&format!("{}/", ctx.target.base_url))
        .map_err(|e| format!("the target's base URL does not parse: {e}"))?;
    let url = base
        .join(location)
        .map_err(|e| format!("{location:?} is not a URL: {e}"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!("{url} is not an http(s) URL"));
    }
    if let Some(query) = url.query() {
        world.secret(query);
    }
    let origin = url.origin().ascii_serialization();
    let mut path = url.path().to_string();
    if let Some(query) = url.query() {
        path = format!("{path}?{query}");
    }
    let client = HttpClient::new(&origin, ctx.timeout)?;
    let spec = RequestSpec {
        method: "GET".into(),
        path,
        ..RequestSpec::default()
    };
    let exchange = client.send(&spec).await.map_err(|e| e.to_string())?;
    world.last = Some(exchange);
    Ok(())
}

#[when("I follow the Location of the response without credentials")]
async fn follow_location(world: &mut CxWorld) -> StepResult {
    let last = world.last()?;
    if !(300..400).contains(&last.status) {
        return Err(format!(
            "{}: expected a redirect (3xx) to follow; body: {}",
            last.describe(),
            body_excerpt(last)
        ));
    }
    let location = last
        .header("location")
        .map(str::to_string)
        .ok_or_else(|| format!("{}: a redirect without a Location header", last.describe()))?;
    fetch_without_credentials(world, &location).await
}

#[when(expr = "I follow the URL at {string} without credentials")]
async fn follow_url_at(world: &mut CxWorld, pointer: String) -> StepResult {
    let last = world.last()?;
    let url = match json_at(last, &pointer)? {
        Some(Value::String(s)) if !s.is_empty() => s,
        other => {
            return Err(format!(
                "{}: expected a URL string at {pointer}, actual {other:?}",
                last.describe()
            ))
        }
    };
    fetch_without_credentials(world, &url).await
}

#[when(expr = "I fetch {string} without credentials")]
async fn fetch_url(world: &mut CxWorld, url: String) -> StepResult {
    let url = expand(world, &url)?;
    fetch_without_credentials(world, &url).await
}

#[then(expr = "I save the response header {string} as {string}")]
fn save_header(world: &mut CxWorld, header: String, name: String) -> StepResult {
    let last = world.last()?;
    let value = last
        .header(&header)
        .map(str::to_string)
        .ok_or_else(|| format!("{}: no {header} header to save", last.describe()))?;
    world.saved.insert(name, value);
    Ok(())
}

/// A comma-separated list of `count` file names that no run produced (reference 1152:
/// at most 100 names per request).
#[given(regex = r#"^the query parameter "([^"]*)" lists (\d+) file names nobody uploaded$"#)]
fn many_file_names(world: &mut CxWorld, name: String, count: usize) -> StepResult {
    if count == 0 {
        return Err("a list of file names needs at least one".into());
    }
    let batch = crate::ids::uuid_v4().simple().to_string();
    let names: Vec<String> = (1..=count)
        .map(|n| format!("cxgate-missing-{batch}-{n}.csv"))
        .collect();
    world.pending.query.push((name, names.join(",")));
    Ok(())
}

/// Ends an export run now through the mock's control plane (`@mock` scenarios only):
/// `completes` gives it progress 100 and its files, `fails` marks it FAILED with none.
#[given(regex = r#"^the mock (completes|fails) the export run "([^"]*)"$"#)]
async fn end_run(world: &mut CxWorld, how: String, run: String) -> StepResult {
    let run = expand(world, &run)?;
    if run.is_empty() || !run.chars().all(|c| c.is_ascii_digit()) {
        return Err(format!("{run:?} is not a history record id"));
    }
    let action = if how == "completes" {
        "complete"
    } else {
        "fail"
    };
    control(
        world,
        "POST",
        &format!("/__cxgate/udm/runs/{run}/{action}"),
        None,
    )
    .await
    .map(|_| ())
}

/// Puts the whole mock back to its seed (`@mock @serial` scenarios only): every family's
/// state, tokens included, so sign in afterwards.
#[given("the mock is back to its seed")]
async fn reset_mock(world: &mut CxWorld) -> StepResult {
    control(world, "POST", "/__cxgate/reset", None)
        .await
        .map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_field_is_set_through_new_objects() {
        let mut doc = json!({"a": {"b": 1}});
        set_at(&mut doc, "/a/c/d", json!("x")).unwrap_or_default();
        assert_eq!(doc, json!({"a": {"b": 1, "c": {"d": "x"}}}));
        assert!(set_at(&mut doc, "/a/b/e", json!(1)).is_err());
        assert!(set_at(&mut doc, "", json!(1)).is_err());
    }

    #[test]
    fn values_order_only_when_alike() {
        assert_eq!(
            compare(&json!(1), &json!(2)),
            Some(std::cmp::Ordering::Less)
        );
        assert_eq!(
            compare(&json!("b"), &json!("a")),
            Some(std::cmp::Ordering::Greater)
        );
        assert_eq!(compare(&json!(1), &json!("a")), None);
    }
}
