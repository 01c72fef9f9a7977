//! One checked request of a load scenario, built step by step:
//! `Call::post(path).named("…").headers(..).json(&body).expect(200, Some("schema"))
//! .send(user, ctx)`. The response is checked against the contract ([`super::check`]).

use super::check::{expect, Checked, Expected, Sent};
use super::context::LoadContext;
use goose::goose::{GooseMethod, GooseRequest, GooseUser};
use serde_json::Value;

/// A request of a load scenario and what its response must be.
#[derive(Debug)]
#[must_use = "a call does nothing until it is sent"]
pub struct Call<'a> {
    method: GooseMethod,
    path: String,
    name: Option<&'a str>,
    headers: Vec<(&'a str, String)>,
    body: Option<(Vec<u8>, String)>,
    status: u16,
    schema: Option<&'a str>,
    no_content: bool,
    non_empty: bool,
}

impl<'a> Call<'a> {
    /// `method path`, expecting a 200 with no schema until told otherwise.
    pub fn new(method: GooseMethod, path: impl Into<String>) -> Call<'a> {
        Call {
            method,
            path: path.into(),
            name: None,
            headers: Vec::new(),
            body: None,
            status: 200,
            schema: None,
            no_content: false,
            non_empty: false,
        }
    }

    /// `GET path`.
    pub fn get(path: impl Into<String>) -> Call<'a> {
        Call::new(GooseMethod::Get, path)
    }

    /// `POST path`.
    pub fn post(path: impl Into<String>) -> Call<'a> {
        Call::new(GooseMethod::Post, path)
    }

    /// `DELETE path`.
    pub fn delete(path: impl Into<String>) -> Call<'a> {
        Call::new(GooseMethod::Delete, path)
    }

    /// The operation's name in goose's metrics and in contract violations (default:
    /// the path).
    pub fn named(mut self, name: &'a str) -> Call<'a> {
        self.name = Some(name);
        self
    }

    /// Adds one header.
    pub fn header(mut self, name: &'a str, value: impl Into<String>) -> Call<'a> {
        self.headers.push((name, value.into()));
        self
    }

    /// Adds headers.
    pub fn headers(mut self, headers: impl IntoIterator<Item = (&'a str, String)>) -> Call<'a> {
        self.headers.extend(headers);
        self
    }

    /// The body, with its content type.
    pub fn body(mut self, bytes: Vec<u8>, content_type: impl Into<String>) -> Call<'a> {
        self.body = Some((bytes, content_type.into()));
        self
    }

    /// A JSON body.
    pub fn json(self, value: &Value) -> Call<'a> {
        self.body(value.to_string().into_bytes(), "application/json")
    }

    /// An `application/x-www-form-urlencoded` body of `pairs`.
    pub fn form(self, pairs: &[(&str, &str)]) -> Call<'a> {
        let mut serializer = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in pairs {
            serializer.append_pair(k, v);
        }
        self.body(
            serializer.finish().into_bytes(),
            "application/x-www-form-urlencoded",
        )
    }

    /// The status the contract expects, and the schema a sampled body must match.
    pub fn expect(mut self, status: u16, schema: Option<&'a str>) -> Call<'a> {
        self.status = status;
        self.schema = schema;
        self
    }

    /// Also accepts a 204 with an empty body (a list's empty page); `send` gives `None`.
    pub fn or_no_content(mut self) -> Call<'a> {
        self.no_content = true;
        self
    }

    /// The body may not be empty (a downloaded file).
    pub fn non_empty(mut self) -> Call<'a> {
        self.non_empty = true;
        self
    }

    /// Sends the request as `user` and checks the response; returns its body as JSON
    /// when it is JSON and passed.
    pub async fn send(self, user: &mut GooseUser, ctx: &LoadContext) -> Checked {
        let name = self.name.unwrap_or(&self.path);
        // An absolute URL: the profile's `[target.urls]` may give this API its own host.
        // A URL the target gave (a pre-signed download) is used as it is.
        let url = if self.path.starts_with('/') {
            ctx.target.url_for(&self.path)
        } else {
            self.path.clone()
        };
        let mut builder = user.get_request_builder(&self.method, &url)?;
        for (header, value) in &self.headers {
            builder = builder.header(*header, value.as_str());
        }
        if let Some((bytes, content_type)) = self.body {
            builder = builder.header("content-type", content_type).body(bytes);
        }
        let key = super::recorder::key(method_name(&self.method), name);
        let request = GooseRequest::builder()
            .method(self.method)
            .path(self.path.as_str())
            .name(name)
            .set_request_builder(builder)
            .build();
        let at = std::time::Instant::now();
        let response = user.request(request).await?;
        let expected = Expected {
            status: self.status,
            schema: self.schema,
            no_content: self.no_content,
            non_empty: self.non_empty,
        };
        let sent = Sent {
            operation: name,
            key: &key,
            at,
        };
        expect(user, ctx, response, sent, expected).await
    }
}

/// The method as goose's metrics name it.
fn method_name(method: &GooseMethod) -> &'static str {
    match method {
        GooseMethod::Delete => "DELETE",
        GooseMethod::Get => "GET",
        GooseMethod::Head => "HEAD",
        GooseMethod::Patch => "PATCH",
        GooseMethod::Post => "POST",
        GooseMethod::Put => "PUT",
        GooseMethod::Custom => "CUSTOM",
    }
}
