//! What an API family hands to the app: the mounts it answers under, its control-plane
//! routes and its reset; most are a [`Family`], served with their hub. Versions are
//! data: a family with several base paths returns one [`Mount`] per base path, each with
//! the same routes (or a table of what differs).

use std::sync::Arc;

use axum::{Extension, Router};

use super::kernel::envelope::Envelope;
use super::kernel::gate::Exempt;
use super::kernel::identity::MockState;
use super::kernel::Kernel;

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

impl Mount {
    /// A mount whose every request needs the API key.
    pub fn new(prefix: &'static str, routes: Router, envelope: Envelope) -> Mount {
        Mount {
            prefix,
            routes,
            envelope,
            exempt: &[],
        }
    }
}

/// `routes` with the identity store as their state and the family's `hub` (its store)
/// as an extension: what a family's mounts and control routes are served with.
pub fn serve<H: Send + Sync + 'static>(
    routes: Router<Arc<MockState>>,
    state: &Arc<MockState>,
    hub: &Arc<H>,
) -> Router {
    routes
        .layer(Extension(hub.clone()))
        .with_state(state.clone())
}

/// A family whose mounts and control routes are all served with one `hub` (its store)
/// and the identity store ([`serve`]), and whose reset is the hub's: every family but
/// the Authentication one, which has no hub of its own.
pub struct Family<H> {
    name: &'static str,
    state: Arc<MockState>,
    hub: Arc<H>,
    reset: fn(&H),
    mounts: Vec<(&'static str, Router<Arc<MockState>>, Envelope)>,
    control: Option<Router<Arc<MockState>>>,
}

impl<H: Send + Sync + 'static> Family<H> {
    /// Family `name` on `kernel` with `hub`, which `reset` takes back to the seed; it
    /// answers nowhere until mounted.
    pub fn of(name: &'static str, kernel: &Kernel, hub: Arc<H>, reset: fn(&H)) -> Family<H> {
        Family {
            name,
            state: kernel.state.clone(),
            hub,
            reset,
            mounts: Vec::new(),
            control: None,
        }
    }

    /// Also answers `routes` under `prefix`, with 404/405 in `envelope`.
    pub fn mount(
        mut self,
        prefix: &'static str,
        routes: Router<Arc<MockState>>,
        envelope: Envelope,
    ) -> Family<H> {
        self.mounts.push((prefix, routes, envelope));
        self
    }

    /// Also answers under every surface's prefix, with the routes that `routes` builds
    /// from the surface's row, 404/405 in `envelope`.
    pub fn mount_each<T: Sync>(
        self,
        surfaces: &'static [Surface<T>],
        envelope: Envelope,
        routes: impl Fn(&'static T) -> Router<Arc<MockState>>,
    ) -> Family<H> {
        surfaces.iter().fold(self, |family, surface| {
            family.mount(surface.prefix, routes(&surface.differs), envelope)
        })
    }

    /// Its state, for a family that tells it of events of its own.
    pub fn hub(&self) -> &Arc<H> {
        &self.hub
    }

    /// Its routes under `/__cxgate`.
    pub fn control(mut self, routes: Router<Arc<MockState>>) -> Family<H> {
        self.control = Some(routes);
        self
    }
}

impl<H: Send + Sync + 'static> Api for Family<H> {
    fn name(&self) -> &'static str {
        self.name
    }

    fn mounts(&self) -> Vec<Mount> {
        self.mounts
            .iter()
            .map(|(prefix, routes, envelope)| {
                Mount::new(
                    prefix,
                    serve(routes.clone(), &self.state, &self.hub),
                    *envelope,
                )
            })
            .collect()
    }

    fn control(&self) -> Option<Router> {
        self.control
            .clone()
            .map(|routes| serve(routes, &self.state, &self.hub))
    }

    fn reset(&self) {
        (self.reset)(&self.hub);
    }
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

/// One base path of a family served under several (its versions), with the family's
/// row of the table of what differs there. The UDM family, for example, is one
/// implementation on five base paths; its `T` says which operation groups and which
/// model variants a base path has.
#[derive(Debug)]
pub struct Surface<T: 'static> {
    /// The base path, e.g. `/udm/v10`.
    pub prefix: &'static str,
    /// What differs under this base path.
    pub differs: T,
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::super::kernel::seed::IdentitySeed;
    use super::*;
    use axum::body::Body;
    use axum::http::Request;
    use axum::routing::get;
    use tower::ServiceExt as _;

    struct Differs {
        model: &'static str,
    }

    static SURFACES: [Surface<Differs>; 2] = [
        Surface {
            prefix: "/api/v2",
            differs: Differs { model: "new" },
        },
        Surface {
            prefix: "/api/v1",
            differs: Differs { model: "old" },
        },
    ];

    #[tokio::test]
    async fn each_surface_serves_the_same_routes_with_its_own_row() {
        let kernel = Kernel::new(IdentitySeed::default_seed());
        let family = Family::of("test", &kernel, Arc::new(()), |_| {}).mount_each(
            &SURFACES,
            Envelope::Status,
            |differs| {
                let model = differs.model;
                Router::new().route("/version", get(move || async move { model }))
            },
        );
        let mounts = family.mounts();
        assert_eq!(mounts.len(), 2);
        let mut app = Router::new();
        for mount in mounts {
            app = app.nest(mount.prefix, mount.routes);
        }
        for (path, want) in [("/api/v1/version", "old"), ("/api/v2/version", "new")] {
            let response = app
                .clone()
                .oneshot(Request::get(path).body(Body::empty()).unwrap())
                .await
                .unwrap();
            let body = axum::body::to_bytes(response.into_body(), 64)
                .await
                .unwrap();
            assert_eq!(&body[..], want.as_bytes(), "{path}");
        }
    }
}
