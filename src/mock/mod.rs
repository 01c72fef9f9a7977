//! The mock deployment: hand-written Authentication (`/auth/v3`) and Statistics
//! (`/statistics/v3`, with its CometD server) APIs, the Third-Party Messaging
//! API (`/nexus/v3`) with its outgoing webhooks, and their control plane
//! (`/__cxgate`), served from seed data. Never reads `schemas/`.
//!
//! ```no_run
//! # async fn demo() -> Result<(), cxgate::mock::MockError> {
//! use cxgate::mock::{MockConfig, MockServer};
//! let server = MockServer::start(MockConfig::default_seed(), "127.0.0.1:0".parse().unwrap()).await?;
//! println!("token endpoint: {}/auth/v3/oauth/token", server.base_url());
//! server.shutdown().await;
//! # Ok(()) }
//! ```

// Handlers build their refusals as `Response` values and return them as the
// `Err` of small helpers; boxing them would only add noise on cold paths.
#![allow(clippy::result_large_err)]

use axum::Router;
use std::net::SocketAddr;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

mod api;
mod app;
mod auth;
mod cometd;
pub mod config;
mod control;
mod error;
mod kernel;
mod messaging;
mod openmedia;
mod registry;
mod secure_email;
mod statistics;

#[cfg(test)]
mod tests;

pub use config::MockConfig;
pub use error::MockError;

/// The whole app, for benches and in-process use: every family of the registry
/// behind the `x-api-key` gate, the `/__cxgate` control plane, JSON 404 and 405
/// answers. Inside a tokio runtime this also starts the statistics ticker
/// (otherwise the first statistics request starts it); it stops when the app is
/// dropped.
/// A family whose seed section does not parse is a [`MockError`].
pub fn router(config: MockConfig) -> Result<Router, MockError> {
    app::build(config)
}

/// A running mock on a local socket, served by a task of the current runtime.
#[derive(Debug)]
pub struct MockServer {
    addr: SocketAddr,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<std::io::Result<()>>>,
}

impl MockServer {
    /// Binds `listen` (e.g. `127.0.0.1:0`) and serves on the current tokio
    /// runtime (`tokio::spawn`).
    pub async fn start(config: MockConfig, listen: SocketAddr) -> Result<MockServer, MockError> {
        let listener = TcpListener::bind(listen)
            .await
            .map_err(|source| MockError::Bind {
                addr: listen,
                source,
            })?;
        let addr = listener
            .local_addr()
            .map_err(|source| MockError::LocalAddr {
                addr: listen,
                source,
            })?;
        let (shutdown, signal) = oneshot::channel::<()>();
        let app = router(config)?;
        let task = tokio::spawn(async move {
            axum::serve(listener, app)
                .with_graceful_shutdown(async move {
                    // A dropped sender also means "stop".
                    let _ = signal.await;
                })
                .await
        });
        tracing::info!(%addr, "mock deployment listening");
        Ok(MockServer {
            addr,
            shutdown: Some(shutdown),
            task: Some(task),
        })
    }

    /// The bound address (with the real port when `:0` was asked for).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://IP:PORT`, without a trailing slash.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops accepting, lets in-flight requests finish, and awaits the task.
    pub async fn shutdown(mut self) {
        if let Some(sender) = self.shutdown.take() {
            let _ = sender.send(());
        }
        if let Some(task) = self.task.take() {
            match task.await {
                Ok(Ok(())) => tracing::info!(addr = %self.addr, "mock deployment stopped"),
                Ok(Err(e)) => {
                    tracing::warn!(addr = %self.addr, error = %e, "mock deployment stopped with an I/O error")
                }
                Err(e) => {
                    tracing::warn!(addr = %self.addr, error = %e, "mock deployment task failed")
                }
            }
        }
    }
}

impl Drop for MockServer {
    /// A server dropped without [`MockServer::shutdown`] is still told to stop
    /// (without waiting for it).
    fn drop(&mut self) {
        if let Some(sender) = self.shutdown.take() {
            let _ = sender.send(());
        }
    }
}
