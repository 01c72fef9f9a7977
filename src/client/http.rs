//! HTTP exchanges with a target: no redirects followed, a per-request timeout, a cap on
//! the body size, and errors that say what went wrong.

use std::time::{Duration, Instant};

/// The largest response body a step reads; more is a failure, not a hang or an OOM.
pub const MAX_BODY_BYTES: usize = 2 * 1024 * 1024;

/// A request to send.
#[derive(Debug, Clone, Default)]
pub struct RequestSpec {
    pub method: String,
    /// Path (and query) relative to the target's base URL, starting with `/`.
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub query: Vec<(String, String)>,
    pub body: Option<Vec<u8>>,
}

/// A request and the response it got.
#[derive(Debug, Clone)]
pub struct Exchange {
    pub method: String,
    pub path: String,
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub elapsed: Duration,
}

impl Exchange {
    /// `GET /auth/v3/userinfo -> 401`, for failure messages.
    pub fn describe(&self) -> String {
        format!("{} {} -> {}", self.method, self.path, self.status)
    }

    /// First value of a header (name case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body as UTF-8 text, or why it is not.
    pub fn text(&self) -> Result<&str, String> {
        std::str::from_utf8(&self.body).map_err(|e| {
            format!(
                "{}: body is not valid UTF-8 ({e}); first bytes: {:?}",
                self.describe(),
                &self.body[..self.body.len().min(32)]
            )
        })
    }

    /// The body parsed as JSON, or a reason naming the content type and a body excerpt.
    pub fn json(&self) -> Result<serde_json::Value, String> {
        let content_type = self.header("content-type").unwrap_or("(none)");
        let text = self.text()?;
        if text.trim().is_empty() {
            return Err(format!(
                "{}: expected a JSON body, got an empty body (content-type {content_type})",
                self.describe()
            ));
        }
        let value = serde_json::from_str(text).map_err(|e| {
            let kind = if e.is_eof() { "truncated JSON" } else { "not JSON" };
            format!(
                "{}: expected a JSON body, got {kind} ({e}); content-type {content_type}; body starts: {}",
                self.describe(),
                excerpt(text, 120)
            )
        })?;
        if !content_type.to_ascii_lowercase().contains("json") {
            return Err(format!(
                "{}: body is JSON but content-type is {content_type}, expected application/json",
                self.describe()
            ));
        }
        Ok(value)
    }
}

/// Shortens text for a message.
pub fn excerpt(text: &str, max: usize) -> String {
    let mut out: String = text.chars().take(max).collect();
    if text.chars().count() > max {
        out.push('…');
    }
    out.replace('\n', "\\n")
}

/// Why a request got no usable response.
#[derive(Debug, thiserror::Error)]
pub enum HttpError {
    /// Nothing listens there, or the connection was refused.
    #[error("{method} {url}: cannot connect: {reason}")]
    Connect {
        method: String,
        url: String,
        reason: String,
    },
    /// No complete answer within the timeout.
    #[error("{method} {url}: no answer within {timeout:?} (per-request timeout, --timeout)")]
    Timeout {
        method: String,
        url: String,
        timeout: Duration,
    },
    /// The connection broke while the body was being read.
    #[error("{method} {url}: connection broke while reading the response: {reason}")]
    Broken {
        method: String,
        url: String,
        reason: String,
    },
    /// The body exceeds [`MAX_BODY_BYTES`].
    #[error("{method} {url}: response body larger than {limit} bytes; refusing to read it all")]
    TooLarge {
        method: String,
        url: String,
        limit: usize,
    },
    /// The request could not be built (bad header, bad URL).
    #[error("{method} {url}: cannot build the request: {reason}")]
    Build {
        method: String,
        url: String,
        reason: String,
    },
}

/// A client bound to one target: its base URL, and the other base URLs of API families
/// served elsewhere (a profile's `[target.urls]`).
#[derive(Debug, Clone)]
pub struct HttpClient {
    base_url: String,
    timeout: Duration,
    inner: reqwest::Client,
    /// (first path segment, base URL, its client) for the families served elsewhere.
    routes: std::sync::Arc<Vec<(String, String, reqwest::Client)>>,
}

/// Installs the TLS crypto provider once per process (rustls with ring).
fn ensure_crypto_provider() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
}

/// How requests reach a target that is not on this machine: a proxy and extra trusted
/// certificates, from the command line (`--proxy`, `--ca-cert`) or the environment
/// (`HTTPS_PROXY`/`HTTP_PROXY`/`NO_PROXY`, `SSL_CERT_FILE`). Loopback addresses never go
/// through a proxy, so the embedded mock and local receivers always answer directly.
#[derive(Debug, Clone, Default)]
pub struct Transport {
    proxy: Option<reqwest::Proxy>,
    roots: Vec<reqwest::Certificate>,
    /// `--max-rps`: the request budget of the whole process.
    budget: Option<std::sync::Arc<governor::DefaultDirectRateLimiter>>,
}

static TRANSPORT: std::sync::OnceLock<Transport> = std::sync::OnceLock::new();

impl Transport {
    /// The proxy `proxy` (or none: the environment's) and the certificates of the PEM
    /// bundle `ca_cert` (or of `SSL_CERT_FILE` when `ca_cert` is `None` and
    /// `ssl_cert_file` is set). The error names the flag or variable and the file.
    pub fn new(
        proxy: Option<&str>,
        ca_cert: Option<&std::path::Path>,
        ssl_cert_file: Option<String>,
    ) -> Result<Transport, String> {
        let proxy = match proxy {
            None => None,
            Some(url) => Some(
                reqwest::Proxy::all(url)
                    .map_err(|e| format!("--proxy {url:?}: not a proxy URL: {e}"))?
                    .no_proxy(reqwest::NoProxy::from_env()),
            ),
        };
        let (origin, file) = match (ca_cert, ssl_cert_file.filter(|f| !f.is_empty())) {
            (Some(path), _) => ("--ca-cert", Some(path.to_path_buf())),
            (None, Some(env)) => ("SSL_CERT_FILE", Some(std::path::PathBuf::from(env))),
            (None, None) => ("", None),
        };
        let mut roots = Vec::new();
        if let Some(file) = file {
            let shown = file.display();
            let pem = std::fs::read(&file)
                .map_err(|e| format!("{origin} {shown}: cannot read it: {e}"))?;
            roots = reqwest::Certificate::from_pem_bundle(&pem)
                .map_err(|e| format!("{origin} {shown}: not a PEM certificate bundle: {e}"))?;
            if roots.is_empty() {
                return Err(format!(
                    "{origin} {shown}: holds no PEM certificate (-----BEGIN CERTIFICATE-----)"
                ));
            }
        }
        Ok(Transport {
            proxy,
            roots,
            budget: None,
        })
    }

    /// At most `rps` requests a second from this process, every client together.
    pub fn max_rps(mut self, rps: std::num::NonZeroU32) -> Transport {
        let quota = governor::Quota::per_second(rps);
        self.budget = Some(std::sync::Arc::new(governor::RateLimiter::direct(quota)));
        self
    }

    /// Makes `self` the transport of every client this process builds from now on. Set
    /// once, by the command line, before any request; later calls are ignored.
    pub fn install(self) {
        let _ = TRANSPORT.set(self);
    }
}

/// `http://127.0.0.1:…`, `http://[::1]:…`, `http://localhost:…`.
pub fn is_loopback(base_url: &str) -> bool {
    let Ok(url) = url::Url::parse(base_url) else {
        return false;
    };
    match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

/// How many times a 429 is waited out before its answer stands.
pub const RETRIES_ON_429: u32 = 3;

/// The longest wait for one `Retry-After`; a longer one is cut to this.
pub const MAX_RETRY_WAIT: Duration = Duration::from_secs(30);

/// Requests that may be sent twice: the idempotent methods, and token grants (which
/// only issue a new token).
fn may_repeat(spec: &RequestSpec) -> bool {
    let method = spec.method.to_ascii_uppercase();
    matches!(
        method.as_str(),
        "GET" | "HEAD" | "OPTIONS" | "PUT" | "DELETE"
    ) || (method == "POST"
        && spec
            .path
            .split('?')
            .next()
            .unwrap_or("")
            .ends_with("/oauth/token"))
}

/// The wait an answer's `Retry-After` asks for, in seconds or as an HTTP date (a date in
/// the past is no wait); `None` when it is absent or unreadable.
pub fn asked_retry_after(exchange: &Exchange) -> Option<Duration> {
    exchange.header("retry-after").and_then(|value| {
        let value = value.trim();
        match value.parse::<u64>() {
            Ok(secs) => Some(Duration::from_secs(secs)),
            Err(_) => httpdate::parse_http_date(value).ok().map(|at| {
                at.duration_since(std::time::SystemTime::now())
                    .unwrap_or_default()
            }),
        }
    })
}

/// The wait a 429 asks for: [`asked_retry_after`], 1 s when it is absent or
/// unreadable, never more than [`MAX_RETRY_WAIT`].
fn retry_after(exchange: &Exchange) -> Duration {
    asked_retry_after(exchange)
        .unwrap_or(Duration::from_secs(1))
        .min(MAX_RETRY_WAIT)
}

impl HttpClient {
    /// A client for `base_url` with a per-request `timeout`; redirects are not followed.
    /// It uses the installed [`Transport`]; a loopback `base_url` is never proxied.
    pub fn new(base_url: &str, timeout: Duration) -> Result<HttpClient, String> {
        Ok(HttpClient {
            base_url: base_url.trim_end_matches('/').to_string(),
            timeout,
            inner: Self::build(base_url, timeout)?,
            routes: std::sync::Arc::new(Vec::new()),
        })
    }

    /// A client for `target`: requests go to the base URL of their API family.
    pub fn for_target(
        target: &super::TargetConfig,
        timeout: Duration,
    ) -> Result<HttpClient, String> {
        let mut client = HttpClient::new(&target.base_url, timeout)?;
        let mut routes = Vec::new();
        for (segment, base) in &target.urls {
            routes.push((segment.clone(), base.clone(), Self::build(base, timeout)?));
        }
        client.routes = std::sync::Arc::new(routes);
        Ok(client)
    }

    fn build(base_url: &str, timeout: Duration) -> Result<reqwest::Client, String> {
        ensure_crypto_provider();
        let transport = TRANSPORT.get();
        let mut builder = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(timeout)
            .connect_timeout(timeout)
            .cookie_store(true);
        builder = match transport.and_then(|t| t.proxy.clone()) {
            _ if is_loopback(base_url) => builder.no_proxy(),
            Some(proxy) => builder.proxy(proxy),
            None => builder,
        };
        if let Some(transport) = transport.filter(|t| !t.roots.is_empty()) {
            builder = builder.tls_certs_merge(transport.roots.iter().cloned());
        }
        builder
            .build()
            .map_err(|e| format!("cannot build the HTTP client: {e}"))
    }

    /// The base URL and the client for `path`.
    fn route(&self, path: &str) -> (&str, &reqwest::Client) {
        let segment = path
            .trim_start_matches('/')
            .split(['/', '?'])
            .next()
            .unwrap_or("");
        self.routes.iter().find(|(s, _, _)| s == segment).map_or(
            (self.base_url.as_str(), &self.inner),
            |(_, base, client)| (base.as_str(), client),
        )
    }

    /// The URL `path` is sent to.
    fn url_of(&self, path: &str) -> String {
        format!("{}{path}", self.route(path).0)
    }

    /// The underlying client; clones share its connection pool and cookie store.
    pub fn reqwest(&self) -> reqwest::Client {
        self.inner.clone()
    }

    /// The base URL requests are sent to.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Sends the request and reads the whole response, within the limits and the
    /// installed request budget. A 429 to an idempotent request or a token grant is sent
    /// again after its `Retry-After` (at most [`RETRIES_ON_429`] times, waiting at most
    /// [`MAX_RETRY_WAIT`] each time); what is returned is the last answer.
    pub async fn send(&self, spec: &RequestSpec) -> Result<Exchange, HttpError> {
        let mut retries = 0;
        loop {
            let exchange = self.send_unretried(spec).await?;
            if exchange.status != 429 || retries == RETRIES_ON_429 || !may_repeat(spec) {
                return Ok(exchange);
            }
            retries += 1;
            tokio::time::sleep(retry_after(&exchange)).await;
        }
    }

    /// Sends the request once, within the limits and the installed request budget, and
    /// traces it: a 429 is returned as it is, for a caller that waits it out itself.
    pub async fn send_unretried(&self, spec: &RequestSpec) -> Result<Exchange, HttpError> {
        if let Some(budget) = TRANSPORT.get().and_then(|t| t.budget.clone()) {
            budget.until_ready().await;
        }
        let started = Instant::now();
        let outcome = self.send_once(spec).await;
        super::trace::exchange(spec, &self.url_of(&spec.path), &outcome, started.elapsed());
        outcome
    }

    async fn send_once(&self, spec: &RequestSpec) -> Result<Exchange, HttpError> {
        let (base, client) = self.route(&spec.path);
        let url = format!("{base}{}", spec.path);
        let method_name = spec.method.to_ascii_uppercase();
        let err_build = |reason: String| HttpError::Build {
            method: method_name.clone(),
            url: url.clone(),
            reason,
        };
        let method = reqwest::Method::from_bytes(method_name.as_bytes())
            .map_err(|e| err_build(e.to_string()))?;
        let mut builder = client.request(method, &url);
        if !spec.query.is_empty() {
            builder = builder.query(&spec.query);
        }
        for (name, value) in &spec.headers {
            builder = builder.header(name.as_str(), value.as_str());
        }
        if let Some(body) = &spec.body {
            builder = builder.body(body.clone());
        }
        let request = builder.build().map_err(|e| err_build(e.to_string()))?;
        let shown_path = match request.url().query() {
            Some(q) => format!("{}?{q}", request.url().path()),
            None => request.url().path().to_string(),
        };
        let started = Instant::now();
        let classify = |e: reqwest::Error, reading: bool| {
            if e.is_timeout() {
                HttpError::Timeout {
                    method: method_name.clone(),
                    url: url.clone(),
                    timeout: self.timeout,
                }
            } else if e.is_connect() {
                HttpError::Connect {
                    method: method_name.clone(),
                    url: url.clone(),
                    reason: error_chain(&e),
                }
            } else if reading {
                HttpError::Broken {
                    method: method_name.clone(),
                    url: url.clone(),
                    reason: error_chain(&e),
                }
            } else {
                HttpError::Connect {
                    method: method_name.clone(),
                    url: url.clone(),
                    reason: error_chain(&e),
                }
            }
        };
        let mut response = client
            .execute(request)
            .await
            .map_err(|e| classify(e, false))?;
        let status = response.status().as_u16();
        let headers = response
            .headers()
            .iter()
            .map(|(n, v)| {
                (
                    n.as_str().to_string(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        if response
            .content_length()
            .is_some_and(|n| n > MAX_BODY_BYTES as u64)
        {
            return Err(HttpError::TooLarge {
                method: method_name.clone(),
                url: url.clone(),
                limit: MAX_BODY_BYTES,
            });
        }
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|e| classify(e, true))? {
            if body.len() + chunk.len() > MAX_BODY_BYTES {
                return Err(HttpError::TooLarge {
                    method: method_name.clone(),
                    url: url.clone(),
                    limit: MAX_BODY_BYTES,
                });
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Exchange {
            method: method_name.clone(),
            path: shown_path,
            status,
            headers,
            body,
            elapsed: started.elapsed(),
        })
    }
}

/// The error and its causes on one line.
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}
