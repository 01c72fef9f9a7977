//! A typed refusal that renders itself in the envelope of the API that refuses, so a
//! handler returns `Result<_, Refusal>` and uses `?`.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use super::envelope::Envelope;

/// Why a request is refused, and in which envelope the answer goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// The HTTP status of the answer.
    pub status: StatusCode,
    /// The envelope of the API that refuses.
    pub envelope: Envelope,
    /// The nexus string code (unused by the status and plain envelopes).
    pub code: &'static str,
    /// A sentence for the reader.
    pub message: String,
    /// `status.detail` (nexus) or `detail` (plain), when there is one.
    pub detail: Option<String>,
}

impl Refusal {
    /// A refusal with `status`, `code` and `message` in `envelope`.
    pub fn new(
        envelope: Envelope,
        status: StatusCode,
        code: &'static str,
        message: impl Into<String>,
    ) -> Refusal {
        Refusal {
            status,
            envelope,
            code,
            message: message.into(),
            detail: None,
        }
    }

    /// 400 with `message` (nexus code `INVALID_PARAMETER`).
    pub fn bad_request(envelope: Envelope, message: impl Into<String>) -> Refusal {
        Refusal::new(
            envelope,
            StatusCode::BAD_REQUEST,
            "INVALID_PARAMETER",
            message,
        )
    }
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        self.envelope
            .error(self.status, self.code, self.message, self.detail.as_deref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refusal_answers_in_its_envelope() {
        let response = Refusal::bad_request(Envelope::Status, "no").into_response();
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
        let mut refusal = Refusal::new(
            Envelope::Nexus {
                path_in_detail: false,
            },
            StatusCode::NOT_FOUND,
            "INVALID_PARAMETER",
            "gone",
        );
        refusal.detail = Some("id".into());
        let response = refusal.into_response();
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
    }
}
