//! `POST /notifications[/…]`: the CometD endpoint (reference 3319-3445), with the
//! API's credential checks in front of the Bayeux server.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use serde_json::Value;

use super::super::cometd::{malformed_body_reply, parse_body, CONTENT_TYPE};
use super::gate::{ticking_caller, Answer, Hub, Identity};
use super::subscriptions::SESSION_COOKIE;

/// Cookie the Bayeux spec recommends for spotting several clients in one browser;
/// the real server sends it (notes section 2).
const BROWSER_COOKIE: &str = "BAYEUX_BROWSER";

fn bayeux_response(status: StatusCode, body: &Value) -> Response {
    let mut response = (status, body.to_string()).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE));
    response
}

/// `Set-Cookie: NAME=VALUE; Path=/; HttpOnly`: `Path=/` so the cookie also
/// reaches `/statistics/v3/subscriptions`, no `Secure` because the mock speaks
/// plain http and a Secure cookie would never come back (notes section 7).
fn add_cookie(response: &mut Response, name: &str, value: &str) {
    if let Ok(v) = HeaderValue::from_str(&format!("{name}={value}; Path=/; HttpOnly")) {
        response.headers_mut().append(header::SET_COOKIE, v);
    }
}

/// Every one of the seven paths lands here; the suffix is only a hint (the Java
/// client appends the meta type, the JS client posts subscribes to
/// `/notifications/`, aiocometd posts everything to `/notifications`; notes
/// section 7), so each message is dispatched by its `channel`.
pub async fn notifications(
    State(state): Identity,
    Extension(hub): Hub,
    headers: HeaderMap,
    body: Bytes,
) -> Answer {
    let who = ticking_caller(&state, &hub, &headers)?;
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    let messages = parse_body(content_type, &body)
        .map_err(|why| bayeux_response(StatusCode::BAD_REQUEST, &malformed_body_reply(&why)))?;
    // A client that handshakes again keeps its BAYEUX_BROWSER cookie: the new session
    // is known to be the same client, and inherits what the reaped one had.
    let browser = super::gate::cookie(&headers, BROWSER_COOKIE)
        .filter(|b| !b.is_empty() && b.len() <= 64)
        .map_or_else(super::super::cometd::new_browser_id, str::to_owned);
    let exchange = hub
        .bayeux()
        .handle(&who.owner, &browser, messages, hub.as_ref())
        .await;
    let mut response = bayeux_response(StatusCode::OK, &Value::Array(exchange.messages));
    if let Some(client_id) = exchange.handshake {
        // The session cookie's value is the clientId itself, so a REST request
        // carrying it names the session directly (notes section 7).
        add_cookie(&mut response, SESSION_COOKIE, &client_id);
        add_cookie(&mut response, BROWSER_COOKIE, &browser);
    }
    Ok(response)
}
