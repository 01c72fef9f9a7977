//! Building goose requests with our headers and bodies.

use goose::goose::{GooseMethod, GooseRequest, GooseResponse, GooseUser, TransactionError};

/// Sends `method path` as the request named `name`, with `headers` and an optional
/// `(body, content type)`.
pub async fn send(
    user: &mut GooseUser,
    method: GooseMethod,
    path: &str,
    name: &str,
    headers: &[(&str, String)],
    body: Option<(Vec<u8>, &str)>,
) -> Result<GooseResponse, Box<TransactionError>> {
    let mut builder = user.get_request_builder(&method, path)?;
    for (header, value) in headers {
        builder = builder.header(*header, value.as_str());
    }
    if let Some((bytes, content_type)) = body {
        builder = builder.header("content-type", content_type).body(bytes);
    }
    let request = GooseRequest::builder()
        .method(method)
        .path(path)
        .name(name)
        .set_request_builder(builder)
        .build();
    user.request(request).await
}

/// `application/x-www-form-urlencoded` bytes of `pairs`.
pub fn form(pairs: &[(&str, &str)]) -> Vec<u8> {
    let mut serializer = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        serializer.append_pair(k, v);
    }
    serializer.finish().into_bytes()
}
