//! Automatic undo of what a scenario creates on the target: every request goes through
//! [`after_exchange`], which registers the matching cleanup when a request created
//! something that outlives the scenario.
//!
//! | request that succeeded | undo (run by the after-hook, also when the scenario failed) |
//! |---|---|
//! | `POST /nexus/v3/openmedia/{service}/interactions` | `POST .../interactions/ext_{externalId}/stop` (or `{id}/stop`), reference 3562-3590, 3690-3712 |
//! | `POST /statistics/v3/subscriptions` | `DELETE /statistics/v3/subscriptions/{id}` with the same bearer, reference 3160-3182 |
//! | `POST /nexus/v3/securemail` | `DELETE /nexus/v3/securemail/{secureMailId}?remove=purge`, reference 2310-2347 |
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
            let bearer = spec
                .headers
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case("authorization"))
                .map(|(_, v)| v.clone());
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
        _ => {}
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
