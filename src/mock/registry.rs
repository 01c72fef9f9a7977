//! Every API family of the mock, in mount order: adding a family is one line here.

use std::sync::Arc;

use super::api::Api;
use super::config::MockConfig;
use super::error::MockError;
use super::kernel::Kernel;

/// The families the app serves, built on `kernel`, each from its own section of `config`
/// (a new family reads its section with `config.section("name")?`).
pub fn apis(kernel: &Kernel, config: &MockConfig) -> Result<Vec<Arc<dyn Api>>, MockError> {
    Ok(vec![
        Arc::new(super::auth::Auth::new(kernel)),
        Arc::new(super::statistics::Statistics::new(
            kernel,
            &config.statistics,
        )),
        Arc::new(super::messaging::Messaging::new(
            kernel,
            &config.messaging,
            &config.interactions,
        )),
        Arc::new(super::openmedia::Openmedia::new(kernel, &config.openmedia)),
        Arc::new(super::secure_email::SecureEmail::new(kernel)),
    ])
}
