//! The whole app, assembled from the family list (`super::apis`): each family's mounts behind the
//! `x-api-key` gate with their own 404/405, the `/__cxgate` control plane with every
//! family's control routes, and JSON 404/405 for paths that belong to no API.

use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware;
use axum::response::Response;
use axum::{Extension, Router};

use super::config::MockConfig;
use super::control::{self, Apis, CONTROL_PREFIX};
use super::error::MockError;
use super::kernel::envelope::Envelope;
use super::kernel::fallback::{self, is_under, with_fallback};
use super::kernel::gate::behind_gate;
use super::kernel::Kernel;

/// Builds the app for `config`. Inside a tokio runtime this also starts the statistics
/// ticker (otherwise the first statistics request starts it); it stops when the app is
/// dropped.
/// A family whose seed section does not parse is a [`MockError`].
pub fn build(config: MockConfig) -> Result<Router, MockError> {
    let kernel = Kernel::new(config.identity());
    let apis: Apis = super::apis(&kernel, &config)?.into();
    let mut app = Router::new();
    let mut control_routes = control::router(kernel.state.clone());
    for api in apis.iter() {
        tracing::debug!(api = api.name(), "mounting");
        for mount in api.mounts() {
            let routes = with_fallback(mount.routes, mount.envelope);
            let routes = behind_gate(routes, kernel.state.clone(), mount.exempt);
            app = app.nest(mount.prefix, routes);
        }
        if let Some(routes) = api.control() {
            control_routes = control_routes.merge(routes);
        }
    }
    let control_routes = control_routes
        .fallback(|request: Request| async move {
            let path = fallback::full_path(&request);
            Envelope::Plain.error(
                StatusCode::NOT_FOUND,
                "",
                format!("not found: {path}"),
                Some("no such control plane endpoint"),
            )
        })
        .layer(Extension(apis));
    Ok(app
        .nest(CONTROL_PREFIX, control_routes)
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(
            Envelope::Plain,
            fallback::method_not_allowed,
        )))
}

/// A path under no mount: the mock's plain 404.
async fn not_found(request: Request) -> Response {
    let path = request.uri().path().to_owned();
    let detail = if is_under(&path, CONTROL_PREFIX) {
        "no such control plane endpoint"
    } else {
        "no such mock endpoint"
    };
    Envelope::Plain.error(
        StatusCode::NOT_FOUND,
        "",
        format!("not found: {path}"),
        Some(detail),
    )
}
