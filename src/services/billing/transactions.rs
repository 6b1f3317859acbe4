//! An account's transaction history: its ledger, newest first.

use entity::ledger_entry;
use sea_orm::{ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::services::{
    Caller, Deps, ServiceError, ServiceResult,
    pagination::{self, Page},
};

const CURSOR: &str = "transaction";

/// A page of the caller's ledger, optionally only some kinds. Keyset on the entry id: entries are
/// appended in the order they happen.
pub async fn page(
    deps: &Deps,
    caller: &Caller,
    first: i32,
    after: Option<&str>,
    kinds: Option<&[ledger_entry::Kind]>,
) -> ServiceResult<Page<ledger_entry::Model>> {
    let limit = pagination::limit(first)?;
    let mut scope = Condition::all().add(ledger_entry::Column::AccountId.eq(caller.account_id));
    if let Some(kinds) = kinds {
        scope = scope.add(ledger_entry::Column::Kind.is_in(kinds.iter().copied()));
    }
    let total_count = ledger_entry::Entity::find().filter(scope.clone()).count(&deps.db).await?;
    let mut query = ledger_entry::Entity::find().filter(scope);
    if let Some(after) = after {
        let id: i64 = pagination::decode(CURSOR, after)?
            .parse()
            .map_err(|_| ServiceError::BadInput("`after` is not a cursor of this list".into()))?;
        query = query.filter(ledger_entry::Column::Id.lt(id));
    }
    let rows = query.order_by_desc(ledger_entry::Column::Id).limit(limit + 1).all(&deps.db).await?;
    Ok(pagination::page(rows, limit, total_count, |row| pagination::encode(CURSOR, &row.id.to_string())))
}
