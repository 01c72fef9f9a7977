//! A running mock on a local socket.

use std::net::SocketAddr;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use super::config::MockConfig;
use super::error::MockError;
use super::router;

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
