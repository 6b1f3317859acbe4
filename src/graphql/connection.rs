//! Relay connections: every list of the API is one, built from a service's keyset page.

use async_graphql::{
    Context, Object, OutputType,
    connection::{Connection, Edge, EmptyFields},
};

use crate::services::{
    ServiceError,
    pagination::{Page, PageRequest},
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

/// A list of `N` with cursors, `pageInfo` and `totalCount`.
pub type PagedList<N> = Connection<String, N, TotalCount, EmptyFields>;

/// A service page as a Relay connection.
pub fn from_page<T, N: OutputType>(page: Page<T>, node: impl Fn(T) -> N) -> PagedList<N> {
    let mut connection =
        Connection::with_additional_fields(false, page.has_next_page, TotalCount(page.total_count));
    connection.edges.extend(page.items.into_iter().map(|(cursor, item)| Edge::new(cursor, node(item))));
    connection
}
