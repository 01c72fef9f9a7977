//! The answer envelopes the reference documents, built in one place: the status
//! envelope `{"status":{"code","message"}}`, the nexus `genericResponse`
//! `{"referenceId","operationId","status":{"code","message","detail"}}`, the OAuth
//! error, the gateway's 403, and the mock's own plain `{"error"}` for paths that belong
//! to no API. [`Envelope`] names one of them, so shared code (the 404/405 fallback,
//! [`super::refusal::Refusal`]) answers in the shape of the API it serves.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Map, Value};

/// Content type of the token response (reference line 369).
pub const JSON_UTF8: &str = "application/json; charset=utf-8";

/// `ApiResponse` success: `{"status":{"code":0,"message":"OK"},"path":..}`
/// (reference lines 725-736; CATALOG section 3, code 0 = synchronous success).
pub fn api_ok(path: &str) -> Value {
    json!({ "status": { "code": 0, "message": "OK" }, "path": path })
}

/// `ErrorResponse`: `{"status":{"code":N,"message":..}}` with HTTP status N.
pub fn status_error(status: StatusCode, message: impl Into<String>) -> Response {
    let body = json!({ "status": { "code": status.as_u16(), "message": message.into() } });
    (status, Json(body)).into_response()
}

/// The API gateway's answer to a missing or wrong `x-api-key` (reference 400-405).
pub fn forbidden() -> Response {
    (
        StatusCode::FORBIDDEN,
        Json(json!({ "message": "Forbidden" })),
    )
        .into_response()
}

/// An OAuth error body `{"error":..,"error_description":..}` (reference 407-419),
/// marked not cacheable like every token endpoint answer (RFC 6749 section 5.1).
pub fn oauth_error(status: StatusCode, error: &str, description: impl Into<String>) -> Response {
    let body = json!({ "error": error, "error_description": description.into() });
    no_store(json_body(status, &body))
}

/// `body` as JSON with the reference's `application/json; charset=utf-8`, written
/// straight from the value (line 369).
pub fn json_body<T: serde::Serialize>(status: StatusCode, body: &T) -> Response {
    match serde_json::to_vec(body) {
        Ok(bytes) => {
            let mut response = (status, bytes).into_response();
            response
                .headers_mut()
                .insert(header::CONTENT_TYPE, HeaderValue::from_static(JSON_UTF8));
            response
        }
        // Only a map with non-string keys fails to serialise; none is built here.
        Err(e) => status_error(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("cannot write the answer: {e}"),
        ),
    }
}

/// Adds `Cache-Control: no-store` and `Pragma: no-cache` (reference 370-371).
pub fn no_store(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
    response
}

/// A 302 to `location`, not cacheable. A location that is not a valid header
/// value (it came from registered config, so this is unexpected) becomes a 500
/// status error rather than a panic.
pub fn found(location: &str) -> Response {
    match HeaderValue::from_str(location) {
        Ok(value) => {
            let mut response = StatusCode::FOUND.into_response();
            response.headers_mut().insert(header::LOCATION, value);
            no_store(response)
        }
        Err(_) => status_error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "redirect location is not a valid header value",
        ),
    }
}

/// The shape of every error answer under one mount.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Envelope {
    /// `{"status":{"code":<http status>,"message":..}}`: Authentication, Statistics and
    /// Third-Party Messaging (reference 725-736, 2829-2900, 4139-4169).
    Status,
    /// The nexus `genericResponse` with a string `status.code` (reference 2052-2067):
    /// Secure Email and Openmedia. `path_in_detail` puts the path into `detail` of the
    /// 404/405 INVALID_ENDPOINT answers (Secure Email does, Openmedia does not).
    Nexus { path_in_detail: bool },
    /// The mock's own `{"error":..}` for the control plane and unknown paths.
    Plain,
}

/// `status.code` of a nexus answer for a path or method that is not an endpoint (2061).
pub const INVALID_ENDPOINT: &str = "INVALID_ENDPOINT";

/// The nexus `genericResponse` frame: fresh UUIDs as `referenceId` and (unless the
/// request named one) `operationId`, around `status`.
pub fn nexus_frame(operation_id: Option<&str>, status: Value) -> Map<String, Value> {
    let mut body = Map::new();
    body.insert(
        "referenceId".into(),
        Value::String(crate::ids::uuid_v4().to_string()),
    );
    let operation_id =
        operation_id.map_or_else(|| crate::ids::uuid_v4().to_string(), str::to_owned);
    body.insert("operationId".into(), Value::String(operation_id));
    body.insert("status".into(), status);
    body
}

impl Envelope {
    /// An error answer: HTTP `status` with `code` (nexus string code or OAuth error;
    /// the status envelope uses the HTTP status), `message`, and `detail` if any.
    pub fn error(
        self,
        status: StatusCode,
        code: &str,
        message: impl Into<String>,
        detail: Option<&str>,
    ) -> Response {
        let message = message.into();
        match self {
            Envelope::Status => status_error(status, message),
            Envelope::Nexus { .. } => {
                let mut inner = json!({ "code": code, "message": message });
                if let Some(detail) = detail {
                    inner["detail"] = Value::String(detail.to_owned());
                }
                (status, Json(Value::Object(nexus_frame(None, inner)))).into_response()
            }
            Envelope::Plain => {
                let mut body = json!({ "error": message });
                if let Some(detail) = detail {
                    body["detail"] = Value::String(detail.to_owned());
                }
                (status, Json(body)).into_response()
            }
        }
    }

    /// 404 for a path that is no endpoint of the mount.
    pub fn not_found(self, path: &str) -> Response {
        match self {
            Envelope::Plain => self.error(
                StatusCode::NOT_FOUND,
                "",
                format!("not found: {path}"),
                Some("no such mock endpoint"),
            ),
            _ => self.no_endpoint(
                StatusCode::NOT_FOUND,
                "not_found",
                format!("Not found: {path}"),
                path,
            ),
        }
    }

    /// 405 for a method the path does not take (the caller keeps axum's `Allow`).
    pub fn method_not_allowed(self, method: &str, path: &str) -> Response {
        self.no_endpoint(
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
            format!("Method not allowed: {method} {path}"),
            path,
        )
    }

    /// A 404 or 405 for `path`: nexus `INVALID_ENDPOINT` (the path in `detail` where the
    /// mount wants it), else `code`, with `message`.
    fn no_endpoint(self, status: StatusCode, code: &str, message: String, path: &str) -> Response {
        match self {
            Envelope::Nexus { path_in_detail } => self.error(
                status,
                INVALID_ENDPOINT,
                message,
                path_in_detail.then_some(path),
            ),
            _ => self.error(status, code, message, None),
        }
    }
}
