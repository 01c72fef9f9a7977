//! Checking load-test responses against the contract: the expected status, and (for the
//! sampled ones) the schema. A violation is a failed request in goose's metrics, named
//! by the operation, and counted in the run's summary.

use super::context::LoadContext;
use goose::goose::{GooseResponse, GooseUser, TransactionError};
use goose::metrics::GooseRequestMetric;
use serde_json::Value;

/// What a checked response gave back.
pub type Checked = Result<Option<Value>, Box<TransactionError>>;

/// Checks `response` of `operation`: status `status`, body matching `schema` when the
/// response is sampled. Returns the body as JSON when it is JSON.
pub async fn expect(
    user: &mut GooseUser,
    ctx: &LoadContext,
    mut response: GooseResponse,
    operation: &str,
    status: u16,
    schema: Option<&str>,
) -> Checked {
    let request = &mut response.request;
    let http = match response.response {
        Ok(r) => r,
        Err(e) => {
            return fail(
                user,
                request,
                &format!("{operation}: no response: {e}"),
                None,
            )
        }
    };
    let code = http.status().as_u16();
    let body = match http.bytes().await {
        Ok(b) => b,
        Err(e) => {
            return fail(
                user,
                request,
                &format!("{operation}: body not read: {e}"),
                None,
            )
        }
    };
    let text = String::from_utf8_lossy(&body);
    if code != status {
        ctx.violation(operation);
        let why = format!("contract: {operation}: expected status {status}, actual {code}");
        return fail(user, request, &why, Some(&text));
    }
    let json: Option<Value> = serde_json::from_slice(&body).ok();
    let Some(name) = schema.filter(|_| ctx.sampled()) else {
        return Ok(json);
    };
    let violations = match (ctx.contract.schemas.get(name), &json) {
        (Some(schema), Some(value)) => schema
            .violations(value)
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>(),
        (Some(_), None) => vec!["body is not JSON".to_string()],
        (None, _) => vec![format!("unknown schema {name}")],
    };
    if violations.is_empty() {
        return Ok(json);
    }
    ctx.violation(operation);
    let why = format!(
        "contract: {operation}: does not match {name}: {}",
        violations.join("; ")
    );
    fail(user, request, &why, Some(&text))
}

/// Records a failed request in goose's metrics, with `why` and the body received.
fn fail(
    user: &mut GooseUser,
    request: &mut GooseRequestMetric,
    why: &str,
    body: Option<&str>,
) -> Checked {
    user.set_failure(why, request, None, body).map(|_| None)
}
