//! The GraphQL API: one module per domain, merged into one schema. Resolvers are thin: they check
//! who asks (`context`), call a service, and map the result into API types.

mod account;
mod auth;
mod connection;
pub mod context;
mod errors;
mod ids;
mod invoices;
pub mod loaders;
mod money;
mod payments;
mod profile;
mod scalars;
mod transactions;
mod user_error;
mod users;

use async_graphql::{EmptySubscription, MergedObject, Schema, SchemaBuilder};

use crate::state::AppState;

pub use context::RequestContext;

/// Deep enough for every frontend operation (the deepest nests 6 levels), far from abusive.
pub const MAX_DEPTH: usize = 12;
/// Every field costs 1, aliases included; 100 aliased `login { token }` fields cost 200.
pub const MAX_COMPLEXITY: usize = 1_000;

#[derive(MergedObject, Default)]
pub struct Query(auth::AuthQuery, account::AccountQuery, invoices::InvoiceQuery);

#[derive(MergedObject, Default)]
pub struct Mutation(auth::AuthMutation, users::UsersMutation, profile::ProfileMutation);

pub type AppSchema = Schema<Query, Mutation, EmptySubscription>;

/// The schema's shape and limits, without runtime data: shared by the server and `export-schema`.
pub fn schema_builder() -> SchemaBuilder<Query, Mutation, EmptySubscription> {
    Schema::build(Query::default(), Mutation::default(), EmptySubscription)
        .limit_depth(MAX_DEPTH)
        .limit_complexity(MAX_COMPLEXITY)
        .limit_directives(10)
}

pub fn build_schema(state: AppState) -> AppSchema {
    let production = state.settings.is_production();
    let mut builder = schema_builder().data(state);
    if production {
        builder = builder.disable_introspection().disable_suggestions();
    }
    builder.finish()
}

/// The SDL that `schema.graphql` must equal.
pub fn sdl() -> String {
    schema_builder().finish().sdl()
}
