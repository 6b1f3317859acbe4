//! The account ledger: append-only, and appended one writer at a time per account so that every
//! `balance_after` is the exact running sum (SECURITY.md rules 9–10).

use chrono::{DateTime, Utc};
use entity::{account, ledger_entry};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    Set,
};

use crate::{
    i18n::Text,
    services::{ServiceError, ServiceResult},
    updates::{Update, Updates},
};

pub struct NewEntry {
    pub account_id: i64,
    pub kind: ledger_entry::Kind,
    /// Signed by its effect on what the customer owes.
    pub amount_minor: i64,
    pub currency: entity::Currency,
    /// Written once, in the account's language, as the entry's statement line.
    pub description: Text,
    pub invoice_id: Option<i64>,
    pub payment_id: Option<i64>,
    pub occurred_at: DateTime<Utc>,
}

/// Appends an entry inside the caller's transaction. The account row is locked first
/// (`SELECT … FOR UPDATE` on PostgreSQL; SQLite has a single writer), so concurrent appends to
/// one account queue up behind each other and each reads the balance the previous one left. The
/// account's subscribers hear of it once the transaction commits.
pub async fn append(
    updates: &Updates,
    txn: &DatabaseTransaction,
    entry: NewEntry,
) -> ServiceResult<ledger_entry::Model> {
    let account = account::Entity::find_by_id(entry.account_id)
        .lock_exclusive()
        .one(txn)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let previous = ledger_entry::Entity::find()
        .filter(ledger_entry::Column::AccountId.eq(entry.account_id))
        .order_by_desc(ledger_entry::Column::Id)
        .one(txn)
        .await?
        .map_or(0, |last| last.balance_after_minor);
    let balance_after = previous.checked_add(entry.amount_minor).ok_or_else(|| {
        ServiceError::Inconsistent(format!("account {}'s balance overflows", entry.account_id))
    })?;
    updates.publish(txn, Update::Account { account_id: entry.account_id }).await?;
    Ok(ledger_entry::ActiveModel {
        account_id: Set(entry.account_id),
        kind: Set(entry.kind),
        amount_minor: Set(entry.amount_minor),
        balance_after_minor: Set(balance_after),
        currency: Set(entry.currency),
        description: Set(entry.description.render(account.locale)),
        invoice_id: Set(entry.invoice_id),
        payment_id: Set(entry.payment_id),
        occurred_at: Set(entry.occurred_at),
        ..Default::default()
    }
    .insert(txn)
    .await?)
}
