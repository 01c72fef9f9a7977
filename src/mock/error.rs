//! The one error type of the mock layer: configuration and start-up failures.

use std::net::SocketAddr;
use std::path::PathBuf;

/// Everything that can go wrong before the mock serves its first request.
///
/// Request-time problems are never errors of this type: they are HTTP answers
/// shaped the way the reference documents them.
#[derive(Debug, thiserror::Error)]
pub enum MockError {
    /// The configuration file could not be read from disk.
    #[error("cannot read mock config {path}: {source}; check the path given to `--config`")]
    ReadConfig {
        /// The file that was asked for.
        path: PathBuf,
        /// The underlying I/O error.
        #[source]
        source: std::io::Error,
    },

    /// The configuration is not valid TOML, or a table has a missing, mistyped
    /// or unknown field. `message` carries the TOML parser's line and column.
    #[error("mock config {origin} is not valid: {message}")]
    ParseConfig {
        /// Where the text came from: a file path, or `<string>`.
        origin: String,
        /// What the parser objected to, with its location.
        message: String,
    },

    /// The configuration parses but contradicts itself: a duplicate user,
    /// client or tenant, a user of an undeclared tenant, an empty secret,
    /// a redirect URI that is not absolute, and so on.
    #[error("mock config {origin} is inconsistent: {message}")]
    InvalidConfig {
        /// Where the text came from: a file path, or `<string>`.
        origin: String,
        /// Which entry is wrong and how to fix it.
        message: String,
    },

    /// The listening socket could not be bound.
    #[error("mock cannot listen on {addr}: {source}; pick another address or port")]
    Bind {
        /// The address that was asked for.
        addr: SocketAddr,
        /// The underlying I/O error.
        #[source]
        source: std::io::Error,
    },

    /// The socket was bound but its local address could not be read back.
    #[error("mock bound {addr} but cannot read its local address: {source}")]
    LocalAddr {
        /// The address that was asked for.
        addr: SocketAddr,
        /// The underlying I/O error.
        #[source]
        source: std::io::Error,
    },
}
