//! Relay connections: every list of the API is one, built from a service's keyset page.

use async_graphql::{
    OutputType, SimpleObject,
    connection::{Connection, Edge, EmptyFields},
};

use crate::services::pagination::Page;

#[derive(SimpleObject)]
pub struct TotalCount {
    /// How many items the whole list holds (with its filters), not just this page.
    pub total_count: u64,
}

/// A list of `N` with cursors, `pageInfo` and `totalCount`.
pub type PagedList<N> = Connection<String, N, TotalCount, EmptyFields>;

/// A service page as a Relay connection.
pub fn from_page<T, N: OutputType>(page: Page<T>, node: impl Fn(T) -> N) -> PagedList<N> {
    let mut connection = Connection::with_additional_fields(
        false,
        page.has_next_page,
        TotalCount { total_count: page.total_count },
    );
    connection.edges.extend(page.items.into_iter().map(|(cursor, item)| Edge::new(cursor, node(item))));
    connection
}
