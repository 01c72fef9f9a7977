//! Tests of the mock deployment over real HTTP: a server on 127.0.0.1:0, reqwest as client.
//!
//! They test only what the feature files cannot see (seed handling, caps, reset, the
//! control plane, timing, encodings); the behaviour a client sees is specified by the
//! features, which the contract suite runs against this same mock. Every request goes
//! through one helper, [`Harness::call`]:
//!
//! ```ignore
//! let answer = mock.call(Method::POST, "/nexus/v3/openmedia/workitem/interactions")
//!     .key()
//!     .json(&json!({"externalId": "x"}))
//!     .send()
//!     .await;
//! assert_eq!(answer.status, 200, "{}", answer.text);
//! ```

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

use std::collections::HashMap;

use reqwest::header::{HeaderMap, AUTHORIZATION, CONTENT_TYPE};
use reqwest::redirect::Policy;
use reqwest::{Method, RequestBuilder, Response};
use serde_json::Value;

use super::{MockConfig, MockServer};

mod authorize;
mod cometd;
mod config;
mod control;
mod malformed;
mod messaging;
mod openmedia;
mod secure_email;
mod session;
mod statistics;
mod token;
mod udm;

pub const API_KEY: &str = "cxgate-api-key";
pub const CLIENT_ID: &str = "cxgate-client";
pub const CLIENT_SECRET: &str = "cxgate-secret";
pub const REDIRECT_URI: &str = "http://127.0.0.1/callback";
pub const AGENT: &str = "tenant1\\agent1";
pub const AGENT_PASSWORD: &str = "agent1-password";
pub const SUPERVISOR: &str = "tenant1\\supervisor1";
pub const SUPERVISOR_PASSWORD: &str = "supervisor1-password";

/// A running mock with the default seed and an HTTP client that never follows redirects.
pub struct Harness {
    pub server: MockServer,
    pub http: reqwest::Client,
}

pub fn basic(name: &str, secret: &str) -> String {
    use base64::Engine;
    let raw = format!("{name}:{secret}");
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(raw)
    )
}

/// `application/x-www-form-urlencoded` of `pairs`.
pub fn form_body(pairs: &[(&str, &str)]) -> String {
    let mut serializer = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        serializer.append_pair(k, v);
    }
    serializer.finish()
}

/// The query pairs of a URL (or the fragment pairs when `fragment`).
pub fn url_pairs(location: &str, fragment: bool) -> HashMap<String, String> {
    let url = url::Url::parse(location).unwrap();
    let raw = if fragment {
        url.fragment().unwrap_or("").to_owned()
    } else {
        url.query().unwrap_or("").to_owned()
    };
    url::form_urlencoded::parse(raw.as_bytes())
        .into_owned()
        .collect()
}

pub fn location(response: &Response) -> String {
    response.headers()["location"].to_str().unwrap().to_owned()
}

impl Harness {
    pub async fn start() -> Harness {
        Self::start_with(MockConfig::default_seed()).await
    }

    pub async fn start_with(config: MockConfig) -> Harness {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let server = MockServer::start(config, "127.0.0.1:0".parse().unwrap())
            .await
            .unwrap();
        let http = reqwest::Client::builder()
            .redirect(Policy::none())
            .build()
            .unwrap();
        Harness { server, http }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.server.base_url())
    }

    /// A request without any credentials.
    pub fn bare(&self, method: Method, path: &str) -> RequestBuilder {
        self.http.request(method, self.url(path))
    }

    /// A request carrying the API key.
    pub fn keyed(&self, method: Method, path: &str) -> RequestBuilder {
        self.bare(method, path).header("x-api-key", API_KEY)
    }

    /// POST /oauth/token with Basic client credentials and `pairs` as the form.
    pub async fn token_request(&self, pairs: &[(&str, &str)]) -> Response {
        self.keyed(Method::POST, "/auth/v3/oauth/token")
            .header(AUTHORIZATION, basic(CLIENT_ID, CLIENT_SECRET))
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(form_body(pairs))
            .send()
            .await
            .unwrap()
    }

    /// A successful password grant's body.
    pub async fn password_token(&self, username: &str, password: &str) -> Value {
        let response = self
            .token_request(&[
                ("grant_type", "password"),
                ("username", username),
                ("password", password),
                ("scope", "*"),
            ])
            .await;
        assert_eq!(response.status(), 200);
        response.json().await.unwrap()
    }

    /// A successful authorization code obtained with Basic user credentials.
    pub async fn authorization_code(&self) -> String {
        let response = self
            .keyed(Method::GET, "/auth/v3/oauth/authorize")
            .query(&[
                ("response_type", "code"),
                ("client_id", CLIENT_ID),
                ("redirect_uri", REDIRECT_URI),
            ])
            .header(AUTHORIZATION, basic(AGENT, AGENT_PASSWORD))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 302);
        url_pairs(&location(&response), false)["code"].clone()
    }
}

pub fn access_token(body: &Value) -> String {
    body["access_token"].as_str().unwrap().to_owned()
}

/// A request under construction: see [`Harness::call`].
pub struct Call {
    builder: RequestBuilder,
}

/// What came back: status, headers, the body as text and (when it parses) as JSON
/// (`Value::Null` otherwise).
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub headers: HeaderMap,
    pub text: String,
    pub json: Value,
}

impl Answer {
    /// The first value of header `name`, or "".
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }
}

impl Call {
    /// Adds the seed's API key.
    pub fn key(self) -> Call {
        self.header("x-api-key", API_KEY)
    }

    /// Adds `Authorization: Bearer <token>`.
    pub fn bearer(self, token: &str) -> Call {
        self.header(AUTHORIZATION.as_str(), &format!("Bearer {token}"))
    }

    /// Adds a header.
    pub fn header(self, name: &str, value: &str) -> Call {
        Call {
            builder: self.builder.header(name, value),
        }
    }

    /// A JSON body.
    pub fn json(self, body: &Value) -> Call {
        self.raw(body.to_string().into_bytes(), "application/json")
    }

    /// A urlencoded form body.
    pub fn form(self, pairs: &[(&str, &str)]) -> Call {
        self.raw(
            form_body(pairs).into_bytes(),
            "application/x-www-form-urlencoded",
        )
    }

    /// Raw body bytes with a content type.
    pub fn raw(self, body: Vec<u8>, content_type: &str) -> Call {
        Call {
            builder: self.builder.header(CONTENT_TYPE, content_type).body(body),
        }
    }

    /// Query pairs.
    pub fn query(self, pairs: &[(&str, &str)]) -> Call {
        Call {
            builder: self.builder.query(pairs),
        }
    }

    /// Sends it and reads the whole answer.
    pub async fn send(self) -> Answer {
        let response = self.builder.send().await.unwrap();
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let text = response.text().await.unwrap();
        let json = serde_json::from_str(&text).unwrap_or(Value::Null);
        Answer {
            status,
            headers,
            text,
            json,
        }
    }
}

impl Harness {
    /// A request to `path` with no credentials; add them with [`Call::key`] and
    /// [`Call::bearer`].
    pub fn call(&self, method: Method, path: &str) -> Call {
        Call {
            builder: self.bare(method, path),
        }
    }

    /// A request to `path` as a signed-in caller: the API key, and `token` as bearer.
    pub fn authorized(&self, method: Method, path: &str, token: &str) -> Call {
        self.call(method, path).key().bearer(token)
    }

    /// `POST /auth/v3/change-password` with `request` as `token`'s user.
    pub async fn change_password(&self, token: &str, request: &Value) -> Answer {
        self.authorized(Method::POST, "/auth/v3/change-password", token)
            .json(request)
            .send()
            .await
    }

    /// A signed-in agent's access token (password grant).
    pub async fn agent_token(&self) -> String {
        access_token(&self.password_token(AGENT, AGENT_PASSWORD).await)
    }

    /// A signed-in supervisor's access token (password grant).
    pub async fn supervisor_token(&self) -> String {
        access_token(&self.password_token(SUPERVISOR, SUPERVISOR_PASSWORD).await)
    }
}

// statistics/cometd helpers
impl Harness {
    /// A mock started with `config` and a signed-in agent's access token.
    pub async fn with_agent(config: MockConfig) -> (Harness, String) {
        let mock = Harness::start_with(config).await;
        let token = mock.agent_token().await;
        (mock, token)
    }

    /// A mock on the default seed and a signed-in agent's access token.
    pub async fn signed_in() -> (Harness, String) {
        Harness::with_agent(MockConfig::default_seed()).await
    }
}
