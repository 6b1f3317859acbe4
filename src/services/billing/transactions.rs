//! An account's transaction history: its ledger, newest first.

use entity::{invoice, ledger_entry};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::services::{
    Caller, Deps, ServiceError, ServiceResult,
    pagination::{NewestFirst, Page, PageRequest},
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
    let keyset = NewestFirst::new(CURSOR, request)?;
    let mut list = ledger_entry::Entity::find().filter(ledger_entry::Column::AccountId.eq(caller.account_id));
    if let Some(kinds) = kinds {
        list = list.filter(ledger_entry::Column::Kind.is_in(kinds.iter().copied()));
    }
    let total_count = keyset.total(list.clone(), &deps.db).await?;
    let rows =
        keyset.rows(list, ledger_entry::Column::Id)?.find_also_related(invoice::Entity).all(&deps.db).await?;
    Ok(keyset.page(rows, total_count, |(entry, _)| entry.id))
}

/// One entry of the caller's ledger, with its invoice if it has one.
pub async fn get(
    deps: &Deps,
    caller: &Caller,
    entry_id: i64,
) -> ServiceResult<(ledger_entry::Model, Option<invoice::Model>)> {
    ledger_entry::Entity::find_by_id(entry_id)
        .filter(ledger_entry::Column::AccountId.eq(caller.account_id))
        .find_also_related(invoice::Entity)
        .one(&deps.db)
        .await?
        .ok_or(ServiceError::NotFound)
}
