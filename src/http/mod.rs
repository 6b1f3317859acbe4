//! The HTTP surface: the GraphQL endpoint, health, and the middleware every route shares.

mod client_address;
mod compression;
mod cors;
mod downloads;
mod graphiql;
mod graphql;
mod health;
mod language;
pub mod metrics;
mod mock_gateway;
pub mod partner;
pub mod portal;
mod request_id;
mod subscriptions;
mod webhooks;

use std::sync::Arc;

use poem::{Endpoint, EndpointExt, Route, get, middleware::CatchPanic, post, put};

use crate::{config::Settings, graphql::AppSchema, services::Deps};

pub use request_id::{RequestId, StatementCounter};

/// Handlers read the services' `Deps` and, for how the process runs (production or not, trusted
/// proxies), the `Settings`.
/// `closing` turns true when the server starts shutting down.
pub fn routes(
    deps: Deps,
    settings: Arc<Settings>,
    schema: AppSchema,
    closing: tokio::sync::watch::Receiver<bool>,
) -> impl Endpoint {
    // `/metrics` beside the API in development only, unless `METRICS_ADDR` gives it its own place.
    let metrics_here = settings.metrics_addr.is_none() && !settings.is_production();
    let route = if metrics_here { Route::new().at("/metrics", get(metrics::scrape)) } else { Route::new() };
    let route = portal::ROUTES
        .iter()
        .filter(|path| **path != "/")
        .fold(route, |route, path| route.at(*path, get(portal::page).around(compression::negotiated)));
    route
        .at(
            "/graphql",
            cors::guard(get(graphql::get).post(graphql::execute), &settings).around(compression::negotiated),
        )
        .at("/graphql/assets/:name", get(graphiql::asset).around(compression::negotiated))
        .at("/healthz", get(health::check))
        .at("/downloads/:payload/:signature", get(downloads::fetch).around(compression::negotiated))
        .at("/webhooks/:gateway", post(webhooks::receive))
        .at("/partner/v1/openapi.json", get(partner::openapi_json))
        .at("/partner/v1/accounts/:number", put(partner::put_account))
        .at("/partner/v1/accounts/:number/invoices/:invoice", put(partner::put_invoice))
        .at("/partner/v1/accounts/:number/credits/:credit", put(partner::put_credit))
        .at("/partner/v1/accounts/:number/users", post(partner::post_user))
        .at("/mock-gateway/3ds/:client_secret", post(mock_gateway::answer_challenge))
        .at("/assets/:name", get(portal::asset).around(compression::negotiated))
        .at("/*path", portal::fallback.around(compression::negotiated))
        .with(CatchPanic::new())
        .data(subscriptions::Limits::of(&settings, closing))
        .data(schema)
        .data(deps)
        .data(settings)
        .around(request_id::trace)
}
