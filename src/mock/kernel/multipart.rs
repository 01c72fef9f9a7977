//! The `file` part of a `multipart/form-data` body, read the same way by every API that
//! takes an upload; each API words the refusal ([`PartError`]) in its own envelope.

use std::convert::Infallible;

use axum::body::Bytes;
use axum::http::{header, HeaderMap};

/// The first part named `file`.
#[derive(Debug)]
pub struct FilePart {
    /// Its `filename`, when it has one.
    pub filename: Option<String>,
    /// Its content type without parameters, in lower case, when it has one.
    pub content_type: Option<String>,
    /// Its bytes.
    pub bytes: Bytes,
}

/// Why a body has no readable `file` part.
#[derive(Debug)]
pub enum PartError {
    /// `Content-Type` is not `multipart/form-data` with a boundary.
    NoBoundary,
    /// The multipart framing is broken.
    Malformed(multer::Error),
    /// No part is named `file`.
    NoFilePart,
    /// The `file` part's own bytes could not be read.
    FileMalformed(multer::Error),
}

/// The first part named `file` of `body`, a multipart body by `headers`' content type.
pub async fn file_part(headers: &HeaderMap, body: Bytes) -> Result<FilePart, PartError> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let boundary = multer::parse_boundary(content_type).map_err(|_| PartError::NoBoundary)?;
    let stream = futures::stream::once(async move { Ok::<Bytes, Infallible>(body) });
    let mut multipart = multer::Multipart::new(stream, boundary);
    loop {
        let field = multipart
            .next_field()
            .await
            .map_err(PartError::Malformed)?
            .ok_or(PartError::NoFilePart)?;
        if field.name() != Some("file") {
            continue;
        }
        let filename = field.file_name().map(str::to_owned);
        let content_type = field
            .content_type()
            .map(|m| m.essence_str().to_ascii_lowercase());
        let bytes = field.bytes().await.map_err(PartError::FileMalformed)?;
        return Ok(FilePart {
            filename,
            content_type,
            bytes,
        });
    }
}
