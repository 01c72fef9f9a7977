//! What an API family hands to the app: the mounts it answers under, its control-plane
//! routes and its reset. Versions are data: a family with several base paths returns one
//! [`Mount`] per base path, each with the same routes (or a table of what differs).

use axum::Router;

use super::kernel::envelope::Envelope;
use super::kernel::gate::Exempt;

/// Routes answered under one base path, e.g. `/statistics/v3`.
pub struct Mount {
    /// The base path, e.g. `/udm/v10`.
    pub prefix: &'static str,
    /// The routes below it, their state and extensions already applied.
    pub routes: Router,
    /// The shape of the 404/405 answers under this prefix.
    pub envelope: Envelope,
    /// Requests that pass the `x-api-key` gate without a key.
    pub exempt: Exempt,
}

/// One API family of the mock deployment.
pub trait Api: Send + Sync {
    /// A short name (`statistics`): for logs and the control plane.
    fn name(&self) -> &'static str;
    /// Where it answers.
    fn mounts(&self) -> Vec<Mount>;
    /// Its routes under `/__cxgate` (merged there, so they name their own sub-path).
    fn control(&self) -> Option<Router> {
        None
    }
    /// Back to the seed (`POST /__cxgate/reset`).
    fn reset(&self);
}
