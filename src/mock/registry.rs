//! Every API family of the mock, in mount order: adding a family is one line here.

use std::sync::Arc;

use super::api::Api;
use super::kernel::Kernel;

/// The families the app serves, built on `kernel`.
pub fn apis(kernel: &Kernel) -> Vec<Arc<dyn Api>> {
    vec![
        Arc::new(super::auth::Auth::new(kernel)),
        Arc::new(super::statistics::Statistics::new(kernel)),
        Arc::new(super::messaging::Messaging::new(kernel)),
        Arc::new(super::openmedia::Openmedia::new(kernel)),
        Arc::new(super::secure_email::SecureEmail::new(kernel)),
    ]
}
