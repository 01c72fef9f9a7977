//! The mock deployment: every API family of the reference that cxgate serves, and the
//! control plane (`/__cxgate`), served from seed data. Never reads `schemas/`.
//!
//! This file is also the list of families: a new family is its `mod` line, its entry
//! in [`apis`] and, when it has a seed table of its own, its entry in [`SEED_SECTIONS`].
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

use std::sync::Arc;

use axum::Router;

mod api;
mod app;
pub mod config;
mod control;
mod error;
mod kernel;
mod server;

#[cfg(test)]
mod tests;

// The API families, in mount order.
mod auth;
mod cometd;
mod messaging;
mod openmedia;
mod secure_email;
mod statistics;
mod udm;

pub use config::MockConfig;
pub use error::MockError;
pub use server::MockServer;

use api::Api;
use config::SeedSection;
use kernel::Kernel;

/// The families the app serves, built on `kernel`, each from its own part of `config`
/// (a family with a table of its own reads it with `config.section::<T>()?`).
fn apis(kernel: &Kernel, config: &MockConfig) -> Result<Vec<Arc<dyn Api>>, MockError> {
    let messaging = messaging::Messaging::new(kernel, &config.messaging, &config.interactions);
    // A secure email starts an email interaction, which the Interactions Webhook reports.
    let events = messaging::InteractionEvents::of(messaging.hub());
    Ok(vec![
        Arc::new(auth::Auth::new(kernel)),
        Arc::new(statistics::Statistics::new(kernel, &config.statistics)),
        Arc::new(messaging),
        Arc::new(openmedia::Openmedia::new(kernel, &config.openmedia)),
        Arc::new(secure_email::SecureEmail::new(kernel, events)),
        Arc::new(udm::Udm::new(
            kernel,
            config.section::<udm::seed::UdmSeed>()?,
        )),
    ])
}

/// The seed tables that families read with [`MockConfig::section`]: a seed naming any
/// other table is refused when it is read, and each is checked there too.
const SEED_SECTIONS: &[SeedSection] = &[SeedSection::of::<udm::seed::UdmSeed>()];

/// The whole app, for benches and in-process use: every family of [`apis`] behind the
/// `x-api-key` gate, the `/__cxgate` control plane, JSON 404 and 405 answers. Inside a
/// tokio runtime this also starts the statistics ticker (otherwise the first
/// statistics request starts it); it stops when the app is dropped.
/// A family whose seed section does not parse is a [`MockError`].
pub fn router(config: MockConfig) -> Result<Router, MockError> {
    app::build(config)
}
