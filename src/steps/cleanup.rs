//! Automatic undo of what a scenario creates on the target: every request goes through
//! [`after_exchange`], which registers the matching cleanup when a request created
//! something that outlives the scenario.
//!
//! | request that succeeded | undo (run by the after-hook, also when the scenario failed) |
//! |---|---|
//! | `POST /nexus/v3/openmedia/{service}/interactions` | `POST .../interactions/ext_{externalId}/stop` (or `{id}/stop`), reference 3562-3590, 3690-3712 |
//! | `POST /statistics/v3/subscriptions` | `DELETE /statistics/v3/subscriptions/{id}` with the same bearer, reference 3160-3182 |
//! | `POST /nexus/v3/securemail` | `DELETE /nexus/v3/securemail/{secureMailId}?remove=purge`, reference 2310-2347 |
//! | `POST /{udm/v10,udm/v4,data-download/v4}/export/jobs` (202) | `DELETE .../export/jobs/{id}` with the same bearer, reference 1859-1872, 5435-5451, 6227-6241; a job in progress cannot be deleted (1862), so a 400 is followed by `POST .../export/jobs/cancel/{id}` (1606-1619) and the DELETE again |
//!
//! An undo that the target answers with a 4xx (the scenario already stopped or deleted
//! the thing) counts as done; a 5xx or a transport failure fails the scenario.

use super::world::CxWorld;
use crate::client::{Exchange, RequestSpec};
use serde_json::Value;

/// Registers the undo of `spec` when `exchange` shows that it created something.
pub fn after_exchange(world: &mut CxWorld, spec: &RequestSpec, exchange: &Exchange) {
    if spec.method != "POST" || !(200..300).contains(&exchange.status) {
        return;
    }
    let segments: Vec<&str> = spec.path.trim_matches('/').split('/').collect();
    let request_body = spec
        .body
        .as_deref()
        .and_then(|b| serde_json::from_slice::<Value>(b).ok());
    let answer = exchange.json().ok();
    match segments.as_slice() {
        ["nexus", "v3", "openmedia", service, "interactions"] => {
            let external = request_body
                .as_ref()
                .and_then(|b| text_at(b, "/externalId").or_else(|| text_at(b, "/data/externalId")));
            let target = match external {
                Some(ext) => format!("ext_{ext}"),
                None => match answer.as_ref().and_then(|a| {
                    text_at(a, "/data/interaction/id").or_else(|| text_at(a, "/data/id"))
                }) {
                    Some(id) => id,
                    None => return,
                },
            };
            let path = format!("/nexus/v3/openmedia/{service}/interactions/{target}/stop");
            register(
                world,
                format!("stop the open media interaction {target}"),
                path,
                "POST",
                None,
            );
        }
        ["statistics", "v3", "subscriptions"] => {
            let id = answer
                .as_ref()
                .and_then(|a| text_at(a, "/data/subscriptionId"))
                .or_else(|| {
                    request_body
                        .as_ref()
                        .and_then(|b| text_at(b, "/data/operationId"))
                });
            let Some(id) = id else { return };
            let bearer = authorization_of(spec);
            let path = format!("/statistics/v3/subscriptions/{id}");
            register(
                world,
                format!("delete the subscription {id}"),
                path,
                "DELETE",
                bearer,
            );
        }
        ["nexus", "v3", "securemail"] => {
            let Some(id) = answer.as_ref().and_then(|a| text_at(a, "/secureMailId")) else {
                return;
            };
            let path = format!("/nexus/v3/securemail/{id}?remove=purge");
            register(
                world,
                format!("purge the secure email {id}"),
                path,
                "DELETE",
                None,
            );
        }
        [family, version, "export", "jobs"]
            if matches!(
                (*family, *version),
                ("udm", "v10") | ("udm", "v4") | ("data-download", "v4")
            ) =>
        {
            let Some(id) = answer.as_ref().and_then(|a| id_at(a, "/id")) else {
                return;
            };
            let base = format!("/{family}/{version}/export/jobs");
            let bearer = authorization_of(spec);
            world.on_cleanup(
                format!("delete the export job {id} ({base})"),
                Box::new(move |w| Box::pin(delete_export_job(w, base, id, bearer))),
            );
        }
        _ => {}
    }
}

/// Deletes an export job a scenario created; a job in progress is cancelled first.
async fn delete_export_job(
    world: &mut CxWorld,
    base: String,
    id: String,
    authorization: Option<String>,
) -> Result<(), String> {
    let request = |method: &str, path: String| {
        let mut spec = RequestSpec {
            method: method.to_string(),
            path,
            ..RequestSpec::default()
        };
        if let Some(value) = &authorization {
            spec.headers.push(("Authorization".into(), value.clone()));
        }
        spec
    };
    let delete = request("DELETE", format!("{base}/{id}"));
    let mut exchange = world.side_request(delete.clone()).await?;
    if exchange.status == 400 {
        let cancel = request("POST", format!("{base}/cancel/{id}"));
        let cancelled = world.side_request(cancel).await?;
        if cancelled.status >= 500 {
            return Err(format!(
                "{}: the target answered {}",
                cancelled.describe(),
                cancelled.status
            ));
        }
        exchange = world.side_request(delete).await?;
    }
    // A 4xx now means the scenario deleted the job itself (or the target keeps it
    // running, which no retry here can change).
    if exchange.status >= 500 {
        return Err(format!(
            "{}: the target answered {}",
            exchange.describe(),
            exchange.status
        ));
    }
    Ok(())
}

/// The `Authorization` header a request carried.
fn authorization_of(spec: &RequestSpec) -> Option<String> {
    spec.headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("authorization"))
        .map(|(_, v)| v.clone())
}

/// A JSON string or integer id at `pointer`, as text.
fn id_at(doc: &Value, pointer: &str) -> Option<String> {
    match doc.pointer(pointer)? {
        Value::Number(n) => Some(n.to_string()),
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        _ => None,
    }
}

fn text_at(doc: &Value, pointer: &str) -> Option<String> {
    doc.pointer(pointer)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

fn register(
    world: &mut CxWorld,
    what: String,
    path_and_query: String,
    method: &'static str,
    authorization: Option<String>,
) {
    world.on_cleanup(
        what,
        Box::new(move |w| {
            Box::pin(async move {
                let (path, query) = match path_and_query.split_once('?') {
                    Some((p, q)) => (p.to_string(), parse_query(q)),
                    None => (path_and_query.clone(), Vec::new()),
                };
                let mut spec = RequestSpec {
                    method: method.to_string(),
                    path,
                    query,
                    ..RequestSpec::default()
                };
                if let Some(value) = authorization {
                    spec.headers.push(("Authorization".into(), value));
                }
                let exchange = w.side_request(spec).await?;
                if exchange.status >= 500 {
                    return Err(format!(
                        "{}: the target answered {}",
                        exchange.describe(),
                        exchange.status
                    ));
                }
                Ok(())
            })
        }),
    );
}

fn parse_query(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_query_string_becomes_pairs() {
        assert_eq!(
            parse_query("remove=purge&x=1"),
            vec![("remove".into(), "purge".into()), ("x".into(), "1".into())]
        );
    }
}
