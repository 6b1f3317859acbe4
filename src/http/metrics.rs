//! `GET /metrics`: Prometheus' text format (see `crate::metrics`).

use poem::{Endpoint, EndpointExt, Response, Route, get, handler, web::Data};

use crate::services::Deps;

#[handler]
pub async fn scrape(Data(deps): Data<&Deps>) -> Response {
    let body = crate::metrics::render(deps).await;
    Response::builder().content_type("text/plain; version=0.0.4").body(body)
}

/// The endpoint served on `METRICS_ADDR`, apart from the API.
pub fn routes(deps: Deps) -> impl Endpoint {
    Route::new().at("/metrics", get(scrape)).data(deps)
}
