//! What `verify` and `load` share to set a run up: the embedded mock as a target (on
//! the caller's runtime, in a thread of its own, or as a child process), the probe of a
//! target's control plane, and the set-up errors both commands report.

use crate::client::{HttpClient, HttpError, RequestSpec, TargetConfig, TargetError, TargetKind};
use crate::contract::ContractError;
use crate::mock::{MockConfig, MockServer};
use std::net::SocketAddr;
use std::time::{Duration, Instant};

/// Why a run could not be set up (exit code 2), common to `verify` and `load`: a
/// mistake in what it was given, or something it needs that did not start.
#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    /// The contract files (features, schemas, catalog) are broken.
    #[error(transparent)]
    Contract(#[from] ContractError),
    /// `--target` or the profile it names is wrong.
    #[error(transparent)]
    Target(#[from] TargetError),
    /// Another command-line mistake (a bad threshold, `--users 0`, ...).
    #[error("{0}")]
    Usage(String),
    /// The embedded mock, the webhook receiver or the run's channel did not start.
    #[error(transparent)]
    Start(#[from] StartError),
}

/// `From` every error a [`SetupError`] wraps, through it, for the error type of a
/// command that has a `Setup(SetupError)` variant, so `?` works on them all.
macro_rules! from_setup_errors {
    ($command:ident) => {
        impl From<crate::contract::ContractError> for $command {
            fn from(e: crate::contract::ContractError) -> $command {
                $command::Setup(e.into())
            }
        }

        impl From<crate::client::TargetError> for $command {
            fn from(e: crate::client::TargetError) -> $command {
                $command::Setup(e.into())
            }
        }

        impl From<crate::harness::StartError> for $command {
            fn from(e: crate::harness::StartError) -> $command {
                $command::Setup(e.into())
            }
        }
    };
}
pub(crate) use from_setup_errors;

/// Something a run needs did not start (exit code 2).
#[derive(Debug, thiserror::Error)]
#[error("cannot start {what}: {source}")]
pub struct StartError {
    /// What did not start, e.g. "the embedded mock".
    pub what: &'static str,
    /// Why.
    #[source]
    pub source: Box<dyn std::error::Error + Send + Sync>,
}

impl StartError {
    /// `what` did not start because of `source`.
    pub fn new(
        what: &'static str,
        source: impl Into<Box<dyn std::error::Error + Send + Sync>>,
    ) -> StartError {
        StartError {
            what,
            source: source.into(),
        }
    }
}

/// Nothing of the mock's seed goes to a real deployment: unless the target is the
/// embedded mock or answers the cxgate control plane (`cxgate mock`), every credential
/// variable must be set. Checked before any request carries a credential.
pub fn require_credentials(target: &TargetConfig, control_plane: bool) -> Result<(), SetupError> {
    if target.kind == TargetKind::EmbeddedMock || control_plane || target.unset.is_empty() {
        return Ok(());
    }
    let missing: Vec<String> = target
        .unset
        .iter()
        .map(|u| format!("{} ([target.env] {})", u.variable, u.key))
        .collect();
    Err(SetupError::Usage(format!(
        "{} is not a cxgate mock, and these variables are not set: {}. Set them (a profile's \
         [target.env] can name other variables); the mock's seed values are never sent to \
         another target",
        target.base_url,
        missing.join(", ")
    )))
}

/// Where the embedded mock runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    /// A task of the caller's tokio runtime.
    Runtime,
    /// A runtime of its own, on a thread of its own, in this process.
    Thread,
    /// A child process (`cxgate mock`).
    Process,
}

/// The embedded mock, wherever it runs; stopped by [`EmbeddedMock::shutdown`] or on drop.
#[derive(Debug)]
pub struct EmbeddedMock {
    base_url: String,
    running: Running,
}

#[derive(Debug)]
enum Running {
    Runtime(Option<MockServer>),
    Thread {
        stop: Option<tokio::sync::oneshot::Sender<()>>,
        thread: Option<std::thread::JoinHandle<()>>,
    },
    Process(std::process::Child),
}

const WHAT: &str = "the embedded mock";

impl EmbeddedMock {
    /// Starts the mock with `config` on an ephemeral 127.0.0.1 port, placed as asked.
    pub async fn start(
        placement: Placement,
        config: MockConfig,
    ) -> Result<EmbeddedMock, StartError> {
        match placement {
            Placement::Runtime => {
                let server = MockServer::start(config, loopback())
                    .await
                    .map_err(|e| StartError::new(WHAT, e))?;
                Ok(EmbeddedMock {
                    base_url: server.base_url(),
                    running: Running::Runtime(Some(server)),
                })
            }
            Placement::Thread => start_thread(config).await,
            Placement::Process => start_process(&config).await,
        }
    }

    /// Starts the mock when `target` is the embedded mock, and points `target` at it.
    pub async fn start_for(
        target: &mut TargetConfig,
        placement: Placement,
        config: MockConfig,
    ) -> Result<Option<EmbeddedMock>, StartError> {
        if target.kind != TargetKind::EmbeddedMock {
            return Ok(None);
        }
        let mock = EmbeddedMock::start(placement, config).await?;
        target.base_url = mock.base_url.clone();
        Ok(Some(mock))
    }

    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Stops the mock and waits for it (in-flight requests finish on the caller's runtime).
    pub async fn shutdown(mut self) {
        if let Running::Runtime(server) = &mut self.running {
            if let Some(server) = server.take() {
                server.shutdown().await;
            }
        }
    }
}

impl Drop for EmbeddedMock {
    fn drop(&mut self) {
        match &mut self.running {
            Running::Runtime(_) => {}
            Running::Thread { stop, thread } => {
                if let Some(stop) = stop.take() {
                    let _ = stop.send(());
                }
                if let Some(thread) = thread.take() {
                    let _ = thread.join();
                }
            }
            Running::Process(child) => {
                let _ = child.kill();
                let _ = child.wait();
            }
        }
    }
}

fn loopback() -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], 0))
}

async fn start_thread(config: MockConfig) -> Result<EmbeddedMock, StartError> {
    let (addr_tx, addr_rx) = tokio::sync::oneshot::channel::<Result<String, String>>();
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let thread = std::thread::Builder::new()
        .name("cxgate-mock".into())
        .spawn(move || {
            let runtime = match tokio::runtime::Builder::new_multi_thread()
                .worker_threads(1)
                .enable_all()
                .build()
            {
                Ok(rt) => rt,
                Err(e) => {
                    let _ = addr_tx.send(Err(e.to_string()));
                    return;
                }
            };
            runtime.block_on(async move {
                match MockServer::start(config, loopback()).await {
                    Ok(server) => {
                        let _ = addr_tx.send(Ok(server.base_url()));
                        let _ = stop_rx.await;
                        server.shutdown().await;
                    }
                    Err(e) => {
                        let _ = addr_tx.send(Err(e.to_string()));
                    }
                }
            });
        })
        .map_err(|e| StartError::new("the mock thread", e))?;
    let base_url = addr_rx
        .await
        .map_err(|e| StartError::new(WHAT, e))?
        .map_err(|e| StartError::new(WHAT, e))?;
    Ok(EmbeddedMock {
        base_url,
        running: Running::Thread {
            stop: Some(stop_tx),
            thread: Some(thread),
        },
    })
}

async fn start_process(config: &MockConfig) -> Result<EmbeddedMock, StartError> {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map_err(|e| StartError::new(WHAT, e))?
        .port();
    let exe = std::env::current_exe().map_err(|e| StartError::new(WHAT, e))?;
    let child = std::process::Command::new(exe)
        .args(["mock", "--listen", &format!("127.0.0.1:{port}")])
        .args([
            "--token-lifetime",
            &config.auth.token_lifetime_secs.to_string(),
        ])
        .stdout(std::process::Stdio::null())
        .spawn()
        .map_err(|e| StartError::new("the mock process", e))?;
    let mock = EmbeddedMock {
        base_url: format!("http://127.0.0.1:{port}"),
        running: Running::Process(child),
    };
    let deadline = Instant::now() + Duration::from_secs(10);
    while !probe_control_plane(&mock.base_url).await {
        if Instant::now() > deadline {
            return Err(StartError::new(
                "the mock process",
                "no answer on /__cxgate/health within 10 s",
            ));
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Ok(mock)
}

/// True when the target answers `GET /__cxgate/health` as the cxgate mock.
pub async fn probe_control_plane(base_url: &str) -> bool {
    let Ok(client) = HttpClient::new(base_url, Duration::from_secs(3)) else {
        return false;
    };
    client
        .send(&health_request())
        .await
        .is_ok_and(|ex| is_control_plane(&ex))
}

/// Before a run: every host of the target answers (any HTTP status will do), and whether
/// its base URL answers the cxgate control plane. A host that does not answer at all
/// (refused, unresolvable, no TLS handshake, no answer within `timeout`) is the error,
/// in one line.
pub async fn preflight(target: &TargetConfig, timeout: Duration) -> Result<bool, String> {
    let mut bases = vec![target.base_url.as_str()];
    for base in target.urls.values() {
        if !bases.contains(&base.as_str()) {
            bases.push(base);
        }
    }
    let mut control_plane = false;
    for (i, base) in bases.into_iter().enumerate() {
        let client = HttpClient::new(base, timeout).map_err(|e| format!("{base}: {e}"))?;
        match client.send(&health_request()).await {
            Ok(exchange) => control_plane |= i == 0 && is_control_plane(&exchange),
            Err(e @ (HttpError::Connect { .. } | HttpError::Timeout { .. })) => {
                return Err(format!("{base} cannot be reached ({e})"));
            }
            // It answered, with something this probe does not read.
            Err(_) => {}
        }
    }
    Ok(control_plane)
}

fn health_request() -> RequestSpec {
    RequestSpec {
        method: "GET".into(),
        path: "/__cxgate/health".into(),
        ..RequestSpec::default()
    }
}

fn is_control_plane(exchange: &crate::client::Exchange) -> bool {
    exchange.status == 200
        && exchange.json().ok().is_some_and(|v| {
            v.get("service").and_then(serde_json::Value::as_str) == Some("cxgate-mock")
        })
}
