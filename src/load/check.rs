//! Checking load-test responses against the contract: the expected status, and (for the
//! sampled ones) the schema. A violation is a failed request in goose's metrics, named
//! by the operation, and counted in the run's summary.

use super::context::LoadContext;
use goose::goose::{GooseResponse, GooseUser, TransactionError};
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
    let http = match response.response {
        Ok(r) => r,
        Err(e) => {
            let why = format!("{operation}: no response: {e}");
            return user
                .set_failure(&why, &mut response.request, None, None)
                .map(|_| None);
        }
    };
    let code = http.status().as_u16();
    let body = match http.bytes().await {
        Ok(b) => b,
        Err(e) => {
            let why = format!("{operation}: body not read: {e}");
            return user
                .set_failure(&why, &mut response.request, None, None)
                .map(|_| None);
        }
    };
    let text = String::from_utf8_lossy(&body);
    if code != status {
        ctx.violation(operation);
        let why = format!("contract: {operation}: expected status {status}, actual {code}");
        return user
            .set_failure(&why, &mut response.request, None, Some(&text))
            .map(|_| None);
    }
    let json: Option<Value> = serde_json::from_slice(&body).ok();
    if let Some(name) = schema {
        if ctx.sampled() {
            let violations = match (ctx.contract.schemas.get(name), &json) {
                (Some(schema), Some(value)) => schema
                    .violations(value)
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>(),
                (Some(_), None) => vec!["body is not JSON".to_string()],
                (None, _) => vec![format!("unknown schema {name}")],
            };
            if !violations.is_empty() {
                ctx.violation(operation);
                let why = format!(
                    "contract: {operation}: does not match {name}: {}",
                    violations.join("; ")
                );
                return user
                    .set_failure(&why, &mut response.request, None, Some(&text))
                    .map(|_| None);
            }
        }
    }
    Ok(json)
}
