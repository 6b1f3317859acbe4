//! Relay-style pages over keyset pagination: a page is "the next `first` rows after this key",
//! never an OFFSET, so page 500 costs what page 1 costs. Cursors are opaque to clients.

use crate::i18n::Text;
use sea_orm::{
    ColumnTrait, DatabaseConnection, DbErr, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Select,
};

use super::{ServiceError, ServiceResult};
use crate::domain::opaque;

/// Page sizes are capped here, whatever the client asks.
pub const MAX_PAGE_SIZE: u64 = 100;

/// What a client asks of a list: up to `first` items after a cursor, and whether to count the whole
/// list (a second statement, so only when the count is shown).
#[derive(Clone, Copy, Debug)]
pub struct PageRequest<'a> {
    pub first: i32,
    pub after: Option<&'a str>,
    pub count: bool,
}

pub struct Page<T> {
    pub items: Vec<(String, T)>,
    pub has_next_page: bool,
    /// Counted when the request asked for it.
    pub total_count: Option<u64>,
}

/// The number of rows to fetch: `first` capped, plus one to learn whether there is a next page.
pub fn limit(first: i32) -> Result<u64, ServiceError> {
    let first = u64::try_from(first).map_err(|_| ServiceError::BadInput(Text::new("first-negative")))?;
    Ok(first.min(MAX_PAGE_SIZE))
}

/// How many items `list` holds, when the request asks for it.
pub async fn total<E>(
    request: &PageRequest<'_>,
    list: Select<E>,
    db: &DatabaseConnection,
) -> Result<Option<u64>, DbErr>
where
    E: EntityTrait,
    E::Model: Sync,
{
    if !request.count {
        return Ok(None);
    }
    Ok(Some(list.count(db).await?))
}

/// Turns `limit + 1` fetched rows into a page.
pub fn page<T>(
    mut rows: Vec<T>,
    limit: u64,
    total_count: Option<u64>,
    cursor: impl Fn(&T) -> String,
) -> Page<T> {
    let has_next_page = rows.len() as u64 > limit;
    rows.truncate(limit as usize);
    Page { items: rows.into_iter().map(|row| (cursor(&row), row)).collect(), has_next_page, total_count }
}

/// A cursor: the key of the last row a page holds, opaque to clients (`domain::opaque`). Lists
/// name their cursors in lowercase (`payment`), the API's ids by their type (`Payment`), so that a
/// cursor is never taken for an id, nor one list's cursor for another's.
pub fn encode(kind: &str, key: &str) -> String {
    opaque::encode(kind, key)
}

/// The key inside a cursor made by `encode(kind, …)`.
pub fn decode(kind: &str, cursor: &str) -> Result<String, ServiceError> {
    opaque::decode(kind, cursor).ok_or_else(not_a_cursor)
}

/// A list read newest first by its id, a page at a time (payments, the ledger, the activity): the
/// keyset is the id alone, since rows are appended in the order they happen.
pub struct NewestFirst<'a> {
    kind: &'static str,
    request: PageRequest<'a>,
    limit: u64,
}

impl<'a> NewestFirst<'a> {
    /// `kind` names the list in its cursors, so that one list's cursor is refused by another.
    pub fn new(kind: &'static str, request: PageRequest<'a>) -> ServiceResult<Self> {
        Ok(Self { kind, request, limit: limit(request.first)? })
    }

    /// How many items `list` holds, when the request asks for it.
    pub async fn total<E>(&self, list: Select<E>, db: &DatabaseConnection) -> ServiceResult<Option<u64>>
    where
        E: EntityTrait,
        E::Model: Sync,
    {
        Ok(total(&self.request, list, db).await?)
    }

    /// `list` narrowed to this page: the rows older than the cursor's, newest first, one more than
    /// the page holds (to learn whether there is a next page).
    pub fn rows<E: EntityTrait>(&self, list: Select<E>, id: E::Column) -> ServiceResult<Select<E>> {
        let mut list = list;
        if let Some(after) = self.request.after {
            let after: i64 = decode(self.kind, after)?.parse().map_err(|_| not_a_cursor())?;
            list = list.filter(id.lt(after));
        }
        Ok(list.order_by_desc(id).limit(self.limit + 1))
    }

    /// The fetched rows as the page, each with its cursor.
    pub fn page<T>(&self, rows: Vec<T>, total_count: Option<u64>, id_of: impl Fn(&T) -> i64) -> Page<T> {
        page(rows, self.limit, total_count, |row| encode(self.kind, &id_of(row).to_string()))
    }
}

fn not_a_cursor() -> ServiceError {
    ServiceError::BadInput(Text::new("not-a-cursor"))
}
