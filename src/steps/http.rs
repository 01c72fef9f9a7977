//! Generic HTTP steps: build a request, send it, check status, headers, body and schema.

use super::placeholders::{expand, expand_json};
use super::world::{ApiKeyChoice, CxWorld};
use crate::client::http_excerpt as excerpt;
use crate::client::Exchange;
use crate::contract::Violation;
use cucumber::gherkin::{Step, Table};
use cucumber::{given, then, when};
use serde_json::Value;

type StepResult = Result<(), String>;

#[given("I send no API key")]
fn no_api_key(world: &mut CxWorld) {
    world.api_key = ApiKeyChoice::Absent;
}

#[given(expr = "I send the API key {string}")]
fn api_key_value(world: &mut CxWorld, value: String) -> StepResult {
    world.api_key = ApiKeyChoice::Value(expand(world, &value)?);
    Ok(())
}

#[given("I send no bearer token")]
fn no_bearer(world: &mut CxWorld) {
    world.bearer = None;
}

#[given(expr = "I use the bearer token {string}")]
fn bearer_value(world: &mut CxWorld, value: String) -> StepResult {
    world.bearer = Some(expand(world, &value)?);
    Ok(())
}

#[given(expr = "the request header {string} is {string}")]
fn request_header(world: &mut CxWorld, name: String, value: String) -> StepResult {
    let value = expand(world, &value)?;
    // A later step overrides an earlier one (and a Background's) for the same header.
    world
        .pending
        .headers
        .retain(|(n, _)| !n.eq_ignore_ascii_case(&name));
    world.pending.headers.push((name, value));
    Ok(())
}

#[given(expr = "the query parameter {string} is {string}")]
fn query_parameter(world: &mut CxWorld, name: String, value: String) -> StepResult {
    let value = expand(world, &value)?;
    world.pending.query.push((name, value));
    Ok(())
}

/// The `| name | value |` table of `step`, which must have one.
pub(crate) fn table_of(step: &Step) -> Result<&Table, String> {
    step.table
        .as_ref()
        .ok_or_else(|| "this step needs a table of | name | value | rows".to_string())
}

/// Table rows are `| name | value |`; values may hold placeholders.
#[given("the form body is:")]
fn form_body(world: &mut CxWorld, step: &Step) -> StepResult {
    let table = table_of(step)?;
    let mut form = url::form_urlencoded::Serializer::new(String::new());
    for row in &table.rows {
        if row.len() != 2 {
            return Err(format!(
                "form rows need two cells (name, value), got {row:?}"
            ));
        }
        form.append_pair(&row[0], &expand(world, &row[1])?);
    }
    world.pending.body = Some((
        form.finish().into_bytes(),
        "application/x-www-form-urlencoded".into(),
    ));
    Ok(())
}

#[given("the JSON body is:")]
fn json_body(world: &mut CxWorld, step: &Step) -> StepResult {
    let text = step
        .docstring
        .as_ref()
        .ok_or("this step needs a \"\"\" doc string with the JSON body")?;
    let text = expand_json(world, text)?;
    serde_json::from_str::<Value>(&text)
        .map_err(|e| format!("the JSON body in the feature file is not JSON: {e}"))?;
    world.pending.body = Some((text.into_bytes(), "application/json".into()));
    Ok(())
}

#[given(expr = "the raw body is {string} with content type {string}")]
fn raw_body(world: &mut CxWorld, body: String, content_type: String) -> StepResult {
    let body = expand(world, &body)?;
    world.pending.body = Some((body.into_bytes(), content_type));
    Ok(())
}

#[when(regex = r#"^I send an? (GET|POST|PUT|DELETE|PATCH) request to "([^"]*)"$"#)]
async fn send_request(world: &mut CxWorld, method: String, path: String) -> StepResult {
    let path = expand(world, &path)?;
    world.send(&method, &path).await?;
    Ok(())
}

#[then(expr = "the response status is {int}")]
fn status_is(world: &mut CxWorld, expected: u16) -> StepResult {
    let last = world.last()?;
    if last.status == expected {
        return Ok(());
    }
    Err(format!(
        "{}: expected status {expected}, actual {}; body: {}",
        last.describe(),
        last.status,
        body_excerpt(last)
    ))
}

/// Passes when the last response status is a 4xx; `body` shows the body in the failure.
pub(crate) fn client_error(world: &CxWorld, body: impl Fn(&Exchange) -> String) -> StepResult {
    let last = world.last()?;
    if (400..500).contains(&last.status) {
        return Ok(());
    }
    Err(format!(
        "{}: expected a client error (4xx), actual {}; body: {}",
        last.describe(),
        last.status,
        body(last)
    ))
}

/// Schema `name` of the contract, as the check that lists a value's violations.
pub(crate) fn schema<'a>(
    world: &'a CxWorld,
    name: &str,
) -> Result<impl Fn(&Value) -> Vec<Violation> + 'a, String> {
    let schema = world
        .ctx()?
        .contract
        .schemas
        .get(name)
        .ok_or_else(|| format!("unknown schema \"{name}\""))?;
    Ok(move |value: &Value| schema.violations(value))
}

/// The violations of schema `name` by the value `pick` takes out of the last response,
/// with that response and the value (looked up in this order: the last response, the
/// schema, the value).
fn schema_violations<'a>(
    world: &'a CxWorld,
    name: &str,
    pick: impl FnOnce(&Exchange) -> Result<Value, String>,
) -> Result<(&'a Exchange, Value, Vec<Violation>), String> {
    let last = world.last()?;
    let violations_of = schema(world, name)?;
    let value = pick(last)?;
    let violations = violations_of(&value);
    Ok((last, value, violations))
}

#[then(expr = "the response body matches the schema {string}")]
fn matches_schema(world: &mut CxWorld, name: String) -> StepResult {
    let (last, _, violations) = schema_violations(world, &name, Exchange::json)?;
    if violations.is_empty() {
        return Ok(());
    }
    let list: Vec<String> = violations.iter().map(|v| format!("  - {v}")).collect();
    Err(format!(
        "{}: body does not match schema \"{name}\" ({} violation(s)):\n{}\nbody: {}",
        last.describe(),
        violations.len(),
        list.join("\n"),
        body_excerpt(last)
    ))
}

#[then(expr = "the JSON at {string} matches the schema {string}")]
fn part_matches_schema(world: &mut CxWorld, pointer: String, name: String) -> StepResult {
    let (last, part, violations) = schema_violations(world, &name, |last| {
        json_at(last, &pointer)?.ok_or_else(|| {
            format!(
                "{}: nothing at {pointer}; body: {}",
                last.describe(),
                body_excerpt(last)
            )
        })
    })?;
    if violations.is_empty() {
        return Ok(());
    }
    let list: Vec<String> = violations
        .iter()
        .map(|v| format!("  - {pointer}{v}"))
        .collect();
    Err(format!(
        "{}: {pointer} does not match schema \"{name}\" ({} violation(s)):\n{}\nvalue: {part}",
        last.describe(),
        violations.len(),
        list.join("\n")
    ))
}

#[then(expr = "the response sets the cookie {string} with path {string}")]
fn sets_cookie(world: &mut CxWorld, name: String, path: String) -> StepResult {
    let last = world.last()?;
    let cookies: Vec<&str> = last
        .headers
        .iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case("set-cookie"))
        .map(|(_, v)| v.as_str())
        .collect();
    let cookie = cookies
        .iter()
        .find(|c| {
            c.split(';')
                .next()
                .is_some_and(|kv| kv.trim().starts_with(&format!("{name}=")))
        })
        .ok_or_else(|| {
            format!(
                "{}: no Set-Cookie for {name}; cookies set: {}",
                last.describe(),
                cookies.len()
            )
        })?;
    let attributes: Vec<String> = cookie
        .split(';')
        .skip(1)
        .map(|a| a.trim().to_ascii_lowercase())
        .collect();
    if !attributes.contains(&format!("path={}", path.to_ascii_lowercase())) {
        return Err(format!("{}: cookie {name} must have Path={path} so REST requests carry it; attributes: {attributes:?}", last.describe()));
    }
    if attributes.iter().any(|a| a == "secure")
        && world.ctx()?.target.base_url.starts_with("http://")
    {
        return Err(format!(
            "{}: cookie {name} is Secure over plain http, so no client sends it back",
            last.describe()
        ));
    }
    Ok(())
}

/// The value at a JSON pointer of the last body, or why there is none.
pub(crate) fn json_at(last: &Exchange, pointer: &str) -> Result<Option<Value>, String> {
    let body = last.json()?;
    Ok(body.pointer(pointer).cloned())
}

#[then(regex = r#"^the JSON at "([^"]*)" equals (.+)$"#)]
fn json_equals(world: &mut CxWorld, pointer: String, expected: String) -> StepResult {
    let expected_text = expand(world, &expected)?;
    let expected: Value = serde_json::from_str(&expected_text).map_err(|e| {
        format!("the expected value {expected_text} in the feature is not a JSON literal: {e}")
    })?;
    let last = world.last()?;
    match json_at(last, &pointer)? {
        Some(actual) if actual == expected => Ok(()),
        Some(actual) => Err(format!(
            "{}: at {pointer}: expected {} <{expected}>, actual {} <{actual}>",
            last.describe(),
            type_name(&expected),
            type_name(&actual)
        )),
        None => Err(format!(
            "{}: at {pointer}: expected <{expected}>, but there is no such field; body: {}",
            last.describe(),
            body_excerpt(last)
        )),
    }
}

#[then(
    regex = r#"^the JSON at "([^"]*)" (exists|is absent|is a non-empty string|is an integer|is an array|is an object)$"#
)]
fn json_kind(world: &mut CxWorld, pointer: String, kind: String) -> StepResult {
    let last = world.last()?;
    let value = json_at(last, &pointer)?;
    let ok = match (kind.as_str(), &value) {
        ("exists", v) => v.is_some(),
        ("is absent", v) => v.is_none(),
        ("is a non-empty string", Some(Value::String(s))) => !s.is_empty(),
        ("is an integer", Some(Value::Number(n))) => n.is_i64() || n.is_u64(),
        ("is an array", Some(Value::Array(_))) => true,
        ("is an object", Some(Value::Object(_))) => true,
        _ => false,
    };
    if ok {
        return Ok(());
    }
    let actual = match &value {
        Some(v) => format!("{} <{v}>", type_name(v)),
        None => "no such field".to_string(),
    };
    Err(format!(
        "{}: at {pointer}: expected it {kind}, actual {actual}",
        last.describe()
    ))
}

#[then(expr = "I save the JSON at {string} as {string}")]
fn save_json(world: &mut CxWorld, pointer: String, name: String) -> StepResult {
    let last = world.last()?;
    let value = json_at(last, &pointer)?
        .ok_or_else(|| format!("{}: nothing at {pointer} to save", last.describe()))?;
    let text = match value {
        Value::String(s) => s,
        other => other.to_string(),
    };
    world.saved.insert(name, text);
    Ok(())
}

#[then(expr = "the response header {string} is present")]
fn header_present(world: &mut CxWorld, name: String) -> StepResult {
    let last = world.last()?;
    match last.header(&name) {
        Some(_) => Ok(()),
        None => Err(format!(
            "{}: expected header {name}, it is missing; headers: {:?}",
            last.describe(),
            last.headers
                .iter()
                .map(|(n, _)| n.as_str())
                .collect::<Vec<_>>()
        )),
    }
}

#[then(expr = "the response header {string} matches {string}")]
fn header_matches(world: &mut CxWorld, name: String, pattern: String) -> StepResult {
    let pattern = expand(world, &pattern)?;
    let re = regex::Regex::new(&pattern)
        .map_err(|e| format!("bad regex {pattern:?} in the feature: {e}"))?;
    let last = world.last()?;
    match last.header(&name) {
        Some(v) if re.is_match(v) => Ok(()),
        Some(v) => Err(format!(
            "{}: header {name}: expected to match /{pattern}/, actual {v:?}",
            last.describe()
        )),
        None => Err(format!(
            "{}: expected header {name} matching /{pattern}/, it is missing",
            last.describe()
        )),
    }
}

#[then(expr = "the response is HTML containing {string}")]
fn html_containing(world: &mut CxWorld, needle: String) -> StepResult {
    let last = world.last()?;
    let content_type = last.header("content-type").unwrap_or("(none)");
    if !content_type.starts_with("text/html") {
        return Err(format!(
            "{}: expected content-type text/html, actual {content_type}",
            last.describe()
        ));
    }
    let text = last.text()?;
    if text.contains(&needle) {
        Ok(())
    } else {
        Err(format!(
            "{}: expected the HTML to contain {needle:?}; body: {}",
            last.describe(),
            excerpt(text, 200)
        ))
    }
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// A short view of the body for failure messages.
pub(crate) fn body_excerpt(last: &Exchange) -> String {
    match std::str::from_utf8(&last.body) {
        Ok("") => "(empty)".to_string(),
        Ok(text) => excerpt(text, 300),
        Err(_) => format!("({} bytes, not UTF-8)", last.body.len()),
    }
}
