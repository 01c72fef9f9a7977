//! The family's refusals: the intro's status envelope (reference 236-269) with a
//! `detail` object naming what is wrong,
//! `{"status":{"code":<http status>,"message":..,"detail":{"field":..}}}`; a 404 names
//! the id instead, `"detail":{"id":"77"}`. The kernel's [`Refusal`] (a body that is no
//! JSON object) converts into one, so handlers use `?` on both.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Map, Value};

use super::super::kernel::refusal::Refusal;

/// A 4xx of the UDM family.
#[derive(Debug, Clone, PartialEq)]
pub struct Fault {
    /// The HTTP status (also `status.code`).
    pub status: StatusCode,
    /// `status.message`: the reference's reason phrase for a 404, a sentence for a 400.
    pub message: String,
    /// `status.detail`: `{"field": ..}` or `{"id": ..}`.
    pub detail: Map<String, Value>,
}

impl Fault {
    /// 400 naming the offending parameter or body field.
    pub fn bad(field: &str, message: impl Into<String>) -> Fault {
        Fault::with(StatusCode::BAD_REQUEST, message, "field", field)
    }

    /// 404 with the reference's `reason` and the unknown `key`/`value` in `detail`.
    pub fn not_found(reason: &str, key: &str, value: &str) -> Fault {
        Fault::with(StatusCode::NOT_FOUND, reason, key, value)
    }

    fn with(status: StatusCode, message: impl Into<String>, key: &str, value: &str) -> Fault {
        let mut detail = Map::new();
        detail.insert(key.to_owned(), Value::String(value.to_owned()));
        Fault {
            status,
            message: message.into(),
            detail,
        }
    }
}

impl From<Refusal> for Fault {
    fn from(refusal: Refusal) -> Fault {
        Fault::with(refusal.status, refusal.message, "field", "body")
    }
}

impl IntoResponse for Fault {
    fn into_response(self) -> Response {
        let body = json!({ "status": {
            "code": self.status.as_u16(),
            "message": self.message,
            "detail": self.detail,
        }});
        (self.status, Json(body)).into_response()
    }
}

/// The status envelope of a UDM v4 suspend or resume (6059, 6087).
pub fn successful() -> Response {
    Json(json!({ "status": { "code": 0, "detail": {}, "message": "successful" } })).into_response()
}
