//! An account's transaction history: its ledger, newest first.

use entity::{invoice, ledger_entry};
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::services::{
    Caller, Deps, ServiceError, ServiceResult,
    pagination::{self, Page, PageRequest},
};

const CURSOR: &str = "transaction";

/// A page of the caller's ledger, optionally only some kinds, each entry with its invoice if it has
/// one (joined: one statement). Keyset on the entry id: entries are appended in the order they happen.
pub async fn page(
    deps: &Deps,
    caller: &Caller,
    request: PageRequest<'_>,
    kinds: Option<&[ledger_entry::Kind]>,
) -> ServiceResult<Page<(ledger_entry::Model, Option<invoice::Model>)>> {
    let limit = pagination::limit(request.first)?;
    let mut scope = Condition::all().add(ledger_entry::Column::AccountId.eq(caller.account_id));
    if let Some(kinds) = kinds {
        scope = scope.add(ledger_entry::Column::Kind.is_in(kinds.iter().copied()));
    }
    let total_count =
        pagination::total(&request, ledger_entry::Entity::find().filter(scope.clone()), &deps.db).await?;
    let mut query = ledger_entry::Entity::find().filter(scope);
    if let Some(after) = request.after {
        let id: i64 = pagination::decode(CURSOR, after)?
            .parse()
            .map_err(|_| ServiceError::BadInput("`after` is not a cursor of this list".into()))?;
        query = query.filter(ledger_entry::Column::Id.lt(id));
    }
    let rows = query
        .order_by_desc(ledger_entry::Column::Id)
        .limit(limit + 1)
        .find_also_related(invoice::Entity)
        .all(&deps.db)
        .await?;
    Ok(pagination::page(rows, limit, total_count, |(entry, _)| {
        pagination::encode(CURSOR, &entry.id.to_string())
    }))
}
