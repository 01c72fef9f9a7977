//! Negative bodies of one endpoint: malformed JSON, form or multipart, a missing or
//! oversized body, the wrong content type, and mutations of the valid document its
//! request schema gives (each required field missing, each field of the wrong type, a
//! value out of its enum or format), plus the schema's own counter-examples.

use super::{base, case, rejected, Context};
use crate::contract::{ContractModel, Endpoint};
use crate::probe::plan::{Case, Family, Scope};
use rand::rngs::StdRng;
use rand::Rng as _;
use serde_json::{json, Value};

/// How a body travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Json,
    /// `application/x-www-form-urlencoded`, from an object of strings.
    Form,
    /// `multipart/form-data` with one `file` part.
    Multipart,
}

/// The boundary of every multipart body the probe sends.
const BOUNDARY: &str = "cxgate-probe-boundary";

/// The size of an oversized body: above every limit a gateway is likely to set for
/// JSON, and above the mock's 5 MiB upload limit.
pub const OVERSIZED: usize = 6 * 1024 * 1024;

/// What an oversized body holds in the plan, in place of its [`OVERSIZED`] bytes of
/// padding: they are made when the case is sent (see [`pad`]), so a plan stays small.
pub const PADDING: &str = "cxgate-probe-padding-5f3c9a1e";

/// `body` with its [`PADDING`] replaced by [`OVERSIZED`] bytes of `x`.
pub fn pad(body: &mut Vec<u8>) {
    let needle = PADDING.as_bytes();
    if let Some(at) = body.windows(needle.len()).position(|w| w == needle) {
        let tail = body.split_off(at + needle.len());
        body.truncate(at);
        body.resize(at + OVERSIZED, b'x');
        body.extend_from_slice(&tail);
    }
}

/// The request body of an endpoint: its encoding and a valid document.
#[derive(Debug, Clone)]
pub struct Template {
    /// The request schema (`dir/Name`), if the contract has one.
    pub schema: Option<&'static str>,
    pub encoding: Encoding,
    pub document: Value,
}

impl Template {
    /// The `Content-Type` it is sent with.
    pub fn content_type(&self) -> &'static str {
        match self.encoding {
            Encoding::Json => "application/json",
            Encoding::Form => "application/x-www-form-urlencoded",
            Encoding::Multipart => "multipart/form-data; boundary=cxgate-probe-boundary",
        }
    }

    /// `document` as bytes in this encoding.
    pub fn encode(&self, document: &Value) -> Vec<u8> {
        match self.encoding {
            Encoding::Json => serde_json::to_vec(document).unwrap_or_default(),
            Encoding::Form => {
                let mut form = url::form_urlencoded::Serializer::new(String::new());
                if let Some(map) = document.as_object() {
                    for (k, v) in map {
                        let text = v.as_str().map_or_else(|| v.to_string(), str::to_owned);
                        form.append_pair(k, &text);
                    }
                }
                form.finish().into_bytes()
            }
            Encoding::Multipart => {
                let name = document["filename"].as_str().unwrap_or("probe.bin");
                let kind = document["type"]
                    .as_str()
                    .unwrap_or("application/octet-stream");
                let content = document["content"].as_str().unwrap_or("");
                format!(
                    "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: {kind}\r\n\r\n{content}\r\n--{BOUNDARY}--\r\n"
                )
                .into_bytes()
            }
        }
    }
}

/// Which request schema and encoding each endpoint with a body takes (reference lines in
/// each schema's description), and where mutations of its fields are judged: everywhere
/// when the reference has a table or model of the body (change-password 449-462, token
/// 603-609, Job 1493-1515 and 5015-5040), on the mock only when the body is untyped or
/// known only from samples (Statistics 2508-2523 and 2600-2629, Bayeux, Secure Email
/// 2112-2117, Openmedia 3497, messages 4380).
const BODIES: &[(&str, &str, Encoding)] = &[
    (
        "POST /auth/v3/change-password",
        "auth/ApiRequestOfChangePasswordOperation",
        Encoding::Json,
    ),
    (
        "POST /auth/v3/oauth/token",
        "auth/OAuthTokenRequest",
        Encoding::Form,
    ),
    (
        "POST /statistics/v3/operations/get-statistic-ex",
        "statistics/StatisticsPeekRequest",
        Encoding::Json,
    ),
    (
        "POST /statistics/v3/subscriptions",
        "statistics/SubscriptionRequest",
        Encoding::Json,
    ),
    (
        "POST /statistics/v3/notifications",
        "statistics/BayeuxHandshakeRequest",
        Encoding::Json,
    ),
    (
        "POST /statistics/v3/notifications/handshake",
        "statistics/BayeuxHandshakeRequest",
        Encoding::Json,
    ),
    (
        "POST /statistics/v3/notifications/connect",
        "statistics/BayeuxConnectRequest",
        Encoding::Json,
    ),
    (
        "POST /statistics/v3/notifications/disconnect",
        "statistics/BayeuxDisconnectRequest",
        Encoding::Json,
    ),
    (
        "POST /statistics/v3/notifications/subscribe",
        "statistics/BayeuxSubscribeRequest",
        Encoding::Json,
    ),
    (
        "POST /statistics/v3/notifications/unsubscribe",
        "statistics/BayeuxUnsubscribeRequest",
        Encoding::Json,
    ),
    (
        "POST /nexus/v3/securemail",
        "secure-email/SecureMailRequest",
        Encoding::Json,
    ),
    (
        "POST /nexus/v3/openmedia/{openMediaService}/interactions",
        "openmedia/CreateInteractionRequest",
        Encoding::Json,
    ),
    (
        "POST /nexus/v3/openmedia/{openMediaService}/interactions/ext_{externalId}/stop",
        "openmedia/StopInteractionRequest",
        Encoding::Json,
    ),
    (
        "POST /nexus/v3/openmedia/{openMediaService}/interactions/{interactionId}/stop",
        "openmedia/StopInteractionRequest",
        Encoding::Json,
    ),
    (
        "POST /nexus/v3/openmedia/{openMediaService}/interactions/ext_{externalId}/update",
        "openmedia/ChangePropertiesRequest",
        Encoding::Json,
    ),
    (
        "POST /nexus/v3/openmedia/{openMediaService}/interactions/{interactionId}/update",
        "openmedia/ChangePropertiesRequest",
        Encoding::Json,
    ),
    (
        "POST /nexus/v3/channels/{channelId}/messages",
        "messaging/InboundMessageRequest",
        Encoding::Json,
    ),
    (
        "POST /nexus/v3/channels/{channelId}/media",
        "",
        Encoding::Multipart,
    ),
    (
        "POST /nexus/v3/some/interactions/webhook/path",
        "webhooks/EventsPayload",
        Encoding::Json,
    ),
    (
        "POST /nexus/v3/some/webhook/path",
        "webhooks/OutgoingMessage",
        Encoding::Json,
    ),
    ("POST /udm/v10/export/jobs", "udm/JobV10", Encoding::Json),
    (
        "PUT /udm/v10/export/jobs/{id}",
        "udm/JobV10",
        Encoding::Json,
    ),
    ("POST /udm/v4/export/jobs", "udm/Job", Encoding::Json),
    (
        "PUT /udm/v4/export/jobs/{id}",
        "udm/JobWithType",
        Encoding::Json,
    ),
    (
        "POST /data-download/v4/export/jobs",
        "udm/Job",
        Encoding::Json,
    ),
    (
        "PUT /data-download/v4/export/jobs/{id}",
        "udm/Job",
        Encoding::Json,
    ),
    (
        "POST /udm/v10/cipher/{certificatefilename}",
        "",
        Encoding::Multipart,
    ),
    (
        "POST /udm/v3/cipher/{certificatefilename}",
        "",
        Encoding::Multipart,
    ),
    (
        "POST /data-download/v3/cipher/{certificatefilename}",
        "",
        Encoding::Multipart,
    ),
];

/// The request schemas whose field rules the reference states (see [`BODIES`]).
const TYPED_BY_REFERENCE: [&str; 6] = [
    "auth/ApiRequestOfChangePasswordOperation",
    "auth/OAuthTokenRequest",
    "udm/Job",
    "udm/JobV10",
    "udm/JobWithType",
    "udm/JobWithId",
];

/// The body of a valid request of `endpoint`: the first example of its request schema
/// (the messaging one addressed to the tenant's channel), or a small file to upload.
pub fn template(endpoint: &Endpoint, contract: &ContractModel, ctx: &Context) -> Option<Template> {
    let (_, schema, encoding) = BODIES.iter().find(|(id, _, _)| *id == endpoint.id)?;
    let document = if *encoding == Encoding::Multipart {
        let (filename, kind) = if endpoint.full_path.contains("/cipher/") {
            ("cxgate-probe.pem", "application/x-pem-file")
        } else {
            ("cxgate-probe.png", ctx.tenant.media_type.as_str())
        };
        json!({"filename": filename, "type": kind, "content": "cxgate probe file"})
    } else {
        let mut doc = contract
            .schemas
            .get(schema)?
            .document
            .get("examples")?
            .get(0)?
            .clone();
        if let Some(to) = doc.pointer_mut("/messages/0/channel/to/id") {
            *to = Value::String(ctx.sms_channel.clone());
        }
        doc
    };
    Some(Template {
        schema: (!schema.is_empty()).then_some(*schema),
        encoding: *encoding,
        document,
    })
}

/// The schema `reference` points to from the schema `current` (`dir/Name`): another
/// file of the same folder, or a `$defs` entry.
fn resolve<'a>(
    contract: &'a ContractModel,
    current: &str,
    schema: &'a Value,
) -> Option<(String, &'a Value)> {
    let Some(reference) = schema.get("$ref").and_then(Value::as_str) else {
        return Some((current.to_owned(), schema));
    };
    if let Some(pointer) = reference.strip_prefix('#') {
        let document = &contract.schemas.get(current)?.document;
        return Some((current.to_owned(), document.pointer(pointer)?));
    }
    let dir = current.rsplit_once('/').map_or("", |(d, _)| d);
    let name = format!("{dir}/{}", reference.trim_end_matches(".schema.json"));
    let document = &contract.schemas.get(&name)?.document;
    Some((name, document))
}

/// The required names and the properties of `schema`, with those of its `allOf` parts.
fn merged(
    contract: &ContractModel,
    current: &str,
    schema: &Value,
) -> (Vec<String>, serde_json::Map<String, Value>) {
    let mut required: Vec<String> = schema
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect();
    let mut properties = schema
        .get("properties")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    for part in schema
        .get("allOf")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if let Some((name, part)) = resolve(contract, current, part) {
            let (r, p) = merged(contract, &name, part);
            for n in r {
                if !required.contains(&n) {
                    required.push(n);
                }
            }
            for (k, v) in p {
                properties.entry(k).or_insert(v);
            }
        }
    }
    (required, properties)
}

/// One mutation of the valid document: what it is, the changed document, its scope.
struct Mutation {
    check: String,
    document: Value,
    scope: Scope,
}

/// A value of another type than `kind`.
fn other_type(kind: &str, rng: &mut StdRng) -> Value {
    match kind {
        "string" => json!(rng.random_range(1000..100_000)),
        "integer" | "number" => json!(format!("not-a-number-{}", rng.random::<u16>())),
        "boolean" => json!(format!("maybe-{}", rng.random::<u16>())),
        "object" => json!([format!("not-an-object-{}", rng.random::<u16>())]),
        "array" => json!({"not": "an array"}),
        _ => Value::Null,
    }
}

/// A value that breaks `format`.
fn bad_format(format: &str) -> Option<&'static str> {
    match format {
        "date-time" => Some("30/02/2026 25:61"),
        "email" => Some("not an address"),
        "uuid" => Some("not-a-uuid"),
        "uri" => Some("::not a uri::"),
        _ => None,
    }
}

/// Mutations of the object at `pointer` in `document`, described by `schema` (from
/// `current`), and of the objects below it down to `depth` levels.
#[allow(clippy::too_many_arguments)]
fn mutate(
    contract: &ContractModel,
    current: &str,
    schema: &Value,
    document: &Value,
    pointer: &str,
    depth: usize,
    scope: Scope,
    rng: &mut StdRng,
    out: &mut Vec<Mutation>,
) {
    let Some((current, schema)) = resolve(contract, current, schema) else {
        return;
    };
    let Some(object) = document.pointer(pointer).and_then(Value::as_object) else {
        return;
    };
    let (required, properties) = merged(contract, &current, schema);
    let at = |name: &str| format!("{pointer}/{name}");
    let shown = |name: &str| at(name).trim_start_matches('/').replace('/', ".");
    let changed = |name: &str, value: Option<Value>| {
        let mut doc = document.clone();
        if let Some(parent) = doc.pointer_mut(pointer).and_then(Value::as_object_mut) {
            match value {
                Some(v) => {
                    parent.insert(name.to_owned(), v);
                }
                None => {
                    parent.remove(name);
                }
            }
        }
        doc
    };
    for name in required.iter().map(String::as_str) {
        if object.contains_key(name) {
            out.push(Mutation {
                check: format!("required field \"{}\" missing", shown(name)),
                document: changed(name, None),
                scope,
            });
        }
    }
    for (name, property) in &properties {
        if !object.contains_key(name) {
            continue;
        }
        let Some((_, property)) = resolve(contract, &current, property) else {
            continue;
        };
        // An optional field a server does not read may be ignored (a tolerant reader):
        // only required ones must be of their type.
        let kind = property.get("type").and_then(Value::as_str);
        if let (Some(kind), true) = (kind, required.contains(name)) {
            out.push(Mutation {
                check: format!("field \"{}\" of the wrong type (not {kind})", shown(name)),
                document: changed(name, Some(other_type(kind, rng))),
                scope,
            });
        }
        if property.get("enum").is_some_and(Value::is_array) {
            out.push(Mutation {
                check: format!("field \"{}\" out of its enum", shown(name)),
                document: changed(
                    name,
                    Some(json!(format!("cxgate-probe-{}", rng.random::<u16>()))),
                ),
                scope,
            });
        }
        if let Some(bad) = property
            .get("format")
            .and_then(Value::as_str)
            .and_then(bad_format)
        {
            out.push(Mutation {
                check: format!("field \"{}\" not of its format", shown(name)),
                document: changed(name, Some(json!(bad))),
                scope: Scope::Strict,
            });
        }
        if depth > 0 && property.get("type").and_then(Value::as_str) == Some("object") {
            mutate(
                contract,
                &current,
                property,
                document,
                &at(name),
                depth - 1,
                scope,
                rng,
                out,
            );
        }
    }
}

/// The negative-body cases of `endpoint`.
pub fn cases(
    endpoint: &Endpoint,
    contract: &ContractModel,
    ctx: &Context,
    rng: &mut StdRng,
) -> Vec<Case> {
    if super::is_outbound(endpoint) {
        // A webhook's body is judged by the third party; the probe's receiver checks
        // only its signature.
        return Vec::new();
    }
    let Some(template) = template(endpoint, contract, ctx) else {
        return Vec::new();
    };
    let valid = base(endpoint, contract, ctx, rng);
    let sending = |bytes: Vec<u8>, content_type: Option<&str>| {
        let mut request = valid.clone().with_body(Some(bytes));
        if let Some(kind) = content_type {
            request.set_header("content-type", Some(kind));
        }
        request
    };
    let mut out = Vec::new();
    let mut push = |check: String, request, scope| {
        out.push(case(
            endpoint,
            Family::Body,
            check,
            request,
            rejected(scope),
        ));
    };
    match template.encoding {
        Encoding::Json => {
            let text = String::from_utf8_lossy(&template.encode(&template.document)).into_owned();
            let cut: String = text.chars().take(text.chars().count() / 2).collect();
            push(
                "malformed JSON (cut in half)".into(),
                sending(cut.into_bytes(), None),
                Scope::Portable,
            );
        }
        Encoding::Form => {
            push(
                "malformed form (a broken %-escape)".into(),
                sending(b"grant_type=%zz&scope=*".to_vec(), None),
                Scope::Strict,
            );
        }
        Encoding::Multipart => {
            push(
                "malformed multipart (no boundary in the body)".into(),
                sending(b"this is not multipart".to_vec(), None),
                Scope::Portable,
            );
            push(
                "multipart without its boundary parameter".into(),
                sending(
                    template.encode(&template.document),
                    Some("multipart/form-data"),
                ),
                Scope::Portable,
            );
        }
    }
    let required = endpoint
        .params
        .iter()
        .any(|p| (p.location == "body" || p.location == "formData") && p.required)
        && template.encoding != Encoding::Multipart;
    if required {
        push(
            "no body at all".into(),
            valid.clone().with_body(None),
            Scope::Portable,
        );
    }
    let mut big = template.document.clone();
    let padding = PADDING;
    match template.encoding {
        Encoding::Multipart => big["content"] = json!(padding),
        _ => {
            if let Some(map) = big.as_object_mut() {
                map.insert("cxgateProbePadding".into(), json!(padding));
            }
        }
    }
    push(
        format!("an oversized body ({} MiB)", OVERSIZED / (1024 * 1024)),
        sending(template.encode(&big), None),
        Scope::Strict,
    );
    if let Some(name) = template.schema {
        let mut mutations = Vec::new();
        if let Some(schema) = contract.schemas.get(name) {
            let scope = if TYPED_BY_REFERENCE.contains(&name) {
                Scope::Portable
            } else {
                Scope::Strict
            };
            mutate(
                contract,
                name,
                &schema.document,
                &template.document,
                "",
                1,
                scope,
                rng,
                &mut mutations,
            );
            let counter = schema
                .document
                .get("x-counter-examples")
                .and_then(Value::as_array)
                // A form carries strings only: a counter-example of another JSON type
                // cannot be sent as one.
                .filter(|_| template.encoding != Encoding::Form);
            for example in counter.into_iter().flatten() {
                if let (Some(why), Some(doc)) = (
                    example.get("why").and_then(Value::as_str),
                    example.get("document"),
                ) {
                    mutations.push(Mutation {
                        check: format!("counter-example of {name}: {why}"),
                        document: doc.clone(),
                        scope: Scope::Strict,
                    });
                }
            }
        }
        for m in mutations {
            if template.encoding == Encoding::Form && m.check.contains("wrong type") {
                // A form field is always a string.
                continue;
            }
            push(
                m.check,
                sending(template.encode(&m.document), None),
                m.scope,
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    fn cases_of(id: &str) -> Vec<Case> {
        crate::probe::cases::testing::cases_of(cases, id, 9)
    }

    fn body(case: &Case) -> Value {
        serde_json::from_slice(case.request.body.as_deref().unwrap()).unwrap()
    }

    #[test]
    fn an_oversized_body_is_small_in_the_plan_and_full_size_when_sent() {
        for id in [
            "POST /auth/v3/oauth/token",
            "POST /udm/v10/export/jobs",
            "POST /udm/v10/cipher/{certificatefilename}",
        ] {
            let cases = cases_of(id);
            let big = cases
                .iter()
                .find(|c| c.check.starts_with("an oversized body"))
                .unwrap();
            let mut body = big.request.body.clone().unwrap();
            assert!(
                body.len() < 4096,
                "{id}: the plan holds {} bytes",
                body.len()
            );
            pad(&mut body);
            assert!(body.len() > OVERSIZED, "{id}: sent {} bytes", body.len());
            assert!(!String::from_utf8_lossy(&body).contains(PADDING));
        }
    }

    #[test]
    fn each_required_field_goes_missing_in_its_own_case() {
        let cases = cases_of("POST /nexus/v3/securemail");
        let missing = cases
            .iter()
            .find(|c| c.check == "required field \"data\" missing")
            .expect("data missing");
        assert!(body(missing).get("data").is_none());
        assert!(
            body(missing).get("operationId").is_some(),
            "only data is removed"
        );
    }

    #[test]
    fn a_field_of_the_wrong_type_gets_a_value_of_another_type() {
        let cases = cases_of("POST /udm/v10/export/jobs");
        let wrong = cases
            .iter()
            .find(|c| c.check == "field \"title\" of the wrong type (not string)")
            .expect("title of the wrong type");
        assert!(body(wrong)["title"].is_number());
        let nested = cases
            .iter()
            .any(|c| c.check.starts_with("field \"jobParams."));
        assert!(nested, "one level down too");
    }

    #[test]
    fn an_enum_field_gets_a_value_out_of_it() {
        let cases = cases_of("POST /udm/v10/export/jobs");
        let out = cases
            .iter()
            .find(|c| c.check == "field \"type\" out of its enum")
            .expect("type out of its enum");
        let value = body(out)["type"].as_str().unwrap().to_owned();
        assert!(value.starts_with("cxgate-probe-"));
    }

    #[test]
    fn a_format_field_gets_a_bad_value_judged_on_the_mock_only() {
        let cases = cases_of("POST /nexus/v3/openmedia/{openMediaService}/interactions");
        let malformed = cases
            .iter()
            .find(|c| c.check.contains("malformed JSON"))
            .unwrap();
        assert!(
            serde_json::from_slice::<Value>(malformed.request.body.as_deref().unwrap()).is_err()
        );
        let counter = cases
            .iter()
            .filter(|c| c.check.starts_with("counter-example"))
            .count();
        assert!(counter > 0);
        assert!(cases
            .iter()
            .filter(|c| c.check.starts_with("counter-example"))
            .all(|c| c.rules[0].1 == Scope::Strict));
    }
}
