//! The HTTP surface: the GraphQL endpoint, health, and the middleware every route shares.

mod downloads;
mod graphql;
mod health;
mod request_id;

use poem::{Endpoint, EndpointExt, Route, get, middleware::CatchPanic};

use crate::{graphql::AppSchema, state::AppState};

pub use request_id::{RequestId, StatementCounter};

pub fn routes(state: AppState, schema: AppSchema) -> impl Endpoint {
    Route::new()
        .at("/graphql", get(graphql::playground).post(graphql::execute))
        .at("/healthz", get(health::check))
        .at("/downloads/:payload/:signature", get(downloads::fetch))
        .with(CatchPanic::new())
        .data(schema)
        .data(state)
        .around(request_id::trace)
}
