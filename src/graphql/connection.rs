//! Relay connections: every list of the API is one, built from a service's keyset page.

use async_graphql::{
    Context, Object, OutputType,
    connection::{Connection, Edge, EmptyFields},
};

use crate::services::{
    ServiceError,
    pagination::{MAX_PAGE_SIZE, Page, PageRequest},
};

pub struct TotalCount(Option<u64>);

#[Object]
impl TotalCount {
    /// How many items the whole list holds (with its filters), not just this page.
    async fn total_count(&self) -> Result<u64, ServiceError> {
        // Counted whenever the query selects this field (see `request`).
        self.0.ok_or_else(|| ServiceError::Inconsistent("a list's total was selected but not counted".into()))
    }
}

/// The page a connection field asks for; the whole list is counted only if `totalCount` is selected.
pub fn request<'a>(ctx: &Context<'_>, first: i32, after: Option<&'a str>) -> PageRequest<'a> {
    PageRequest { first, after, count: ctx.look_ahead().field("totalCount").exists() }
}

/// What a list field costs toward `MAX_COMPLEXITY`: what is selected of it, once per item it may
/// answer (`first`, capped as the services cap it; at least one). Without this, 140 aliases of a
/// page of 100 cost as little as 140 single fields.
pub fn cost(first: i32, child_complexity: usize) -> usize {
    let items = u64::try_from(first).unwrap_or(1).clamp(1, MAX_PAGE_SIZE);
    usize::try_from(items).unwrap_or(1).saturating_mul(child_complexity)
}

/// A list of `N` with cursors, `pageInfo` and `totalCount`.
pub type PagedList<N> = Connection<String, N, TotalCount, EmptyFields>;

/// A service page as a Relay connection.
pub fn from_page<T, N: OutputType>(page: Page<T>, node: impl Fn(T) -> N) -> PagedList<N> {
    let mut connection =
        Connection::with_additional_fields(false, page.has_next_page, TotalCount(page.total_count));
    connection.edges.extend(page.items.into_iter().map(|(cursor, item)| Edge::new(cursor, node(item))));
    connection
}
