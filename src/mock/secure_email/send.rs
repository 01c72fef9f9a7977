//! `POST /securemail` (reference 2102-2175): a consumer's secure email, "delivered
//! to Genesys as a web form and routed as a standard email" (2106).
//!
//! The body is untyped in the reference (`-d '{object}'`, 2112-2117, CATALOG 10
//! item 47); its table names `data` and `operationId`. Choice: the body is
//! `{"operationId"?: string, "data": {"from", "to"?, "subject"?, "text",
//! "userData"?}}`: `from` is the consumer's email address, `to` (optional) the
//! address written to, `text` the message body, `subject` a string (empty when
//! absent), and `userData` an object of interaction userdata that
//! `GET /securemail/{id}/userdata` gives back (2388). Other fields are ignored.
//! The email is the consumer's, on its way to Genesys (2105), so it goes unread
//! into the consumer's mailbox: the address of `from` (the list's `address` is
//! "the email address of the consumer", 2035) and the `securebox` query parameter. Anything else is a 400 INVALID_PARAMETER
//! whose `detail` names the field (`body`, `data.to`, ...), never a 500.
//! The answer is `createSecureMailResponse` with `secureMailId` and `selfUri`
//! `http://<Host>/nexus/v3/securemail/<id>` (2123-2135), and the body's
//! `operationId` echoed.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::RawQuery;
use axum::http::{header, HeaderMap};
use axum::response::Response;
use axum::Extension;
use serde_json::{json, Map, Value};

use super::envelope::{invalid_parameter, success};
use super::query;
use super::store::{NewMail, SecureMailStore};
use super::SECURE_EMAIL_PREFIX;

/// `POST /securemail?securebox=`.
pub async fn send(
    Extension(store): Extension<Arc<SecureMailStore>>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, Response> {
    let securebox = query::securebox(&query::parse(raw.as_deref())?)?;
    let bytes = body
        .map_err(|e| invalid_parameter("body", format!("request body could not be read: {e}")))?;
    let (operation_id, mail) = parse_body(&bytes, securebox)?;
    let stored = store.send(mail);
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("127.0.0.1");
    let self_uri = format!("http://{host}{SECURE_EMAIL_PREFIX}/{}", stored.id);
    // "routed as a standard email" (2106): a new email interaction, which the
    // Interactions Webhook reports as STARTED (1895). Its id and subtype are the
    // mock's choice: the secure email's id, and InboundNew (1949).
    store
        .events
        .started("email", "InboundNew", &stored.id, &self_uri);
    Ok(success(
        operation_id.as_deref(),
        json!({ "secureMailId": stored.id, "selfUri": self_uri }),
    ))
}

/// The body's `operationId` and the email it describes.
fn parse_body(
    bytes: &[u8],
    securebox: Option<String>,
) -> Result<(Option<String>, NewMail), Response> {
    let value: Value = serde_json::from_slice(bytes).map_err(|e| {
        invalid_parameter(
            "body",
            format!("request body is not JSON: {e}; send {{\"data\":{{\"from\",\"subject\",\"text\"}}}}"),
        )
    })?;
    let Value::Object(body) = value else {
        return Err(invalid_parameter(
            "body",
            "request body must be a JSON object",
        ));
    };
    let operation_id = match body.get("operationId") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if !s.is_empty() => Some(s.clone()),
        Some(_) => {
            return Err(invalid_parameter(
                "operationId",
                "operationId must be a non-empty string",
            ))
        }
    };
    let Some(Value::Object(data)) = body.get("data") else {
        return Err(invalid_parameter(
            "data",
            "request body needs a `data` object with from, subject and text",
        ));
    };
    let from = address_field(data, "from")?;
    let to = match string_field(data, "to")? {
        None => None,
        Some(_) => Some(address_field(data, "to")?),
    };
    let text = string_field(data, "text")?.ok_or_else(|| {
        invalid_parameter("data.text", "data.text is required: the body of the email")
    })?;
    let subject = string_field(data, "subject")?.unwrap_or_default();
    let user_data = match data.get("userData") {
        None | Some(Value::Null) => Value::Object(Map::new()),
        Some(Value::Object(map)) => Value::Object(map.clone()),
        Some(_) => {
            return Err(invalid_parameter(
                "data.userData",
                "data.userData must be a JSON object",
            ))
        }
    };
    Ok((
        operation_id,
        NewMail {
            from,
            to,
            subject,
            text,
            securebox,
            user_data,
        },
    ))
}

/// An optional string field of `data`; a non-string is a 400.
fn string_field(data: &Map<String, Value>, name: &str) -> Result<Option<String>, Response> {
    match data.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(invalid_parameter(
            &format!("data.{name}"),
            format!("data.{name} must be a string"),
        )),
    }
}

/// A required email-address field of `data`.
fn address_field(data: &Map<String, Value>, name: &str) -> Result<String, Response> {
    match string_field(data, name)? {
        Some(address) if query::is_address(&address) => Ok(address),
        Some(address) => Err(invalid_parameter(
            &format!("data.{name}"),
            format!("data.{name} is not an email address: `{address}`"),
        )),
        None => Err(invalid_parameter(
            &format!("data.{name}"),
            format!("data.{name} is required: an email address"),
        )),
    }
}
