//! The upper limit of the stack: an axum handler that answers every request with a fixed
//! token body, for `wrk` to measure beside the mock's real token endpoint.
//!
//! `cargo run --release --example static_token -- 127.0.0.1:8091`

use axum::http::header;
use axum::response::IntoResponse;
use axum::Router;

const BODY: &str = r#"{"access_token":"1234abcd-5569-4fa9-bfad-12345678abcd","expires_in":43199,"refresh_token":"456789ef-3dce-4c82-bc1f-987654324e87","scope":"*","token_type":"bearer"}"#;

async fn token() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], BODY)
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let listen = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:8091".into());
    let listener = tokio::net::TcpListener::bind(&listen).await?;
    println!("static token handler on http://{listen}");
    axum::serve(listener, Router::new().fallback(token)).await
}
