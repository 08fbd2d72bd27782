//! nsqd's HTTP API.

use super::Nsqd;
use axum::routing::get;
use axum::Router;
use std::sync::Arc;
use tokio::net::TcpListener;

pub fn router(nsqd: Arc<Nsqd>) -> Router {
    Router::new()
        .route("/ping", get(|| async { "OK" }))
        .with_state(nsqd)
}

pub async fn serve(nsqd: Arc<Nsqd>, listener: TcpListener) {
    let _ = axum::serve(listener, router(nsqd)).await;
}
