//! The GraphQL API: one module per domain, merged into one schema. Resolvers are thin: they check
//! who asks (`context`), call a service, and map the result into API types.

mod account;
mod activity;
mod auth;
mod connection;
pub mod context;
mod document_cache;
mod document_limits;
mod errors;
mod ids;
mod invoices;
pub mod live;
pub mod loaders;
mod money;
mod node;
mod passkeys;
mod payload;
mod payments;
pub mod persisted;
mod profile;
mod query_cost;
mod scalars;
mod sessions;
mod transactions;
mod two_factor;
mod user_error;
mod users;

use async_graphql::{MergedObject, Schema, SchemaBuilder};

use crate::{i18n::Locale, services::Deps};

pub use context::RequestContext;

/// What you may read: the logged-in user and their account's objects. Everything but `viewer` needs a
/// session (`Authorization: Bearer TOKEN`) and answers UNAUTHENTICATED without one.
#[derive(MergedObject, Default)]
pub struct Query(
    auth::AuthQuery,
    account::AccountQuery,
    invoices::InvoiceQuery,
    payments::PaymentQuery,
    node::NodeQuery,
);

/// What changes something. A mutation's expected failures come back in its payload's `userErrors`;
/// a refused request (UNAUTHENTICATED, FORBIDDEN, NOT_FOUND…) is a GraphQL error with `extensions.code`.
#[derive(MergedObject, Default)]
pub struct Mutation(
    auth::AuthMutation,
    users::UsersMutation,
    users::TeamMutation,
    profile::ProfileMutation,
    payments::PaymentMutation,
    two_factor::TwoFactorMutation,
    sessions::SessionMutation,
    passkeys::PasskeyMutation,
);

pub type AppSchema = Schema<Query, Mutation, live::Subscription>;

/// The schema's shape and limits, without runtime data: shared by the server and `export-schema`.
pub fn schema_builder() -> SchemaBuilder<Query, Mutation, live::Subscription> {
    // The depth of selections is limited by `document_limits`, which lets introspection's type chain
    // through (async-graphql's own limit refuses GraphiQL's introspection query).
    Schema::build(Query::default(), Mutation::default(), live::Subscription)
        .limit_directives(10)
        // async-graphql's `Connection` has no description of its own to take a doc comment.
        .override_output_type_description::<connection::PagedList<transactions::Transaction>>(
            "A page of the account's transactions, newest first (Relay's connection).",
        )
        .override_output_type_description::<connection::PagedList<invoices::Invoice>>(
            "A page of the account's invoices, newest first (Relay's connection).",
        )
        .override_output_type_description::<connection::PagedList<payments::Payment>>(
            "A page of the account's payments, newest first (Relay's connection).",
        )
        .override_output_type_description::<connection::PagedList<activity::ActivityEntry>>(
            "A page of the account's activity, newest first (Relay's connection).",
        )
}

pub fn build_schema(deps: Deps, production: bool, persisted: persisted::PersistedOperations) -> AppSchema {
    // What an operation costs is priced by `query_cost` (in the document cache's extension), from
    // the lists the schema itself has.
    let pages = query_cost::Pages::of_schema(&sdl());
    let mut builder = schema_builder()
        .data(deps)
        .extension(persisted)
        .extension(errors::SubscriptionMessages)
        .extension(document_cache::DocumentCache::new(pages));
    if production {
        builder = builder.disable_introspection().disable_suggestions();
    }
    builder.finish()
}

/// Runs one request; every error of the answer carries its contract code and a message in
/// `locale`. `request_id` is the log's, given to the client as an internal error's correlation id.
pub async fn execute(
    schema: &AppSchema,
    request: async_graphql::Request,
    request_id: &str,
    locale: Locale,
) -> async_graphql::Response {
    let operation = crate::metrics::operation_label(request.operation_name.as_deref(), &request.query);
    let started = std::time::Instant::now();
    let mut response = schema.execute(request).await;
    errors::propagate_null_to_root(&mut response);
    errors::to_contract(&mut response, request_id, locale);
    // The outcome: `ok`, or the first error's contract code.
    let outcome = response
        .errors
        .first()
        .and_then(|error| error.extensions.as_ref())
        .and_then(|extensions| extensions.get("code"))
        .map_or_else(
            || if response.errors.is_empty() { "ok".to_string() } else { "error".to_string() },
            |code| code.to_string().trim_matches('"').to_string(),
        );
    metrics::histogram!("graphql_request_duration_seconds", "operation" => operation, "outcome" => outcome)
        .record(started.elapsed().as_secs_f64());
    response
}

/// The SDL that `schema.graphql` must equal, with each scalar's `@specifiedBy`.
pub fn sdl() -> String {
    schema_builder().finish().sdl_with_options(async_graphql::SDLExportOptions::new().include_specified_by())
}
