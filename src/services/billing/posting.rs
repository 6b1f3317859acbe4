//! Posting to an account as the carrier's billing engine does: an invoice or a credit, appended to
//! the ledger with the billing notifications and the activity entry it causes, in one transaction.
//! (The Partner API calls these; demo data is written without notifying anyone.)

use chrono::{DateTime, Utc};
use entity::{account, invoice, ledger_entry};
use sea_orm::{DatabaseTransaction, EntityTrait};

use crate::{
    domain::money::Money,
    i18n::Text,
    services::{
        Deps, ServiceError, ServiceResult,
        activity::{self, Action},
        notifications::{self, Except},
    },
};

use super::{
    issue::{self, NewInvoice},
    ledger::{self, NewEntry},
};

/// Issues an invoice to the account; `actor` is null for the carrier's systems.
pub async fn post_invoice(
    deps: &Deps,
    account_id: i64,
    actor: Option<i64>,
    new: NewInvoice,
) -> ServiceResult<invoice::Model> {
    let txn = deps.begin().await?;
    let invoice = post_invoice_in(deps, &txn, account_id, actor, new).await?;
    txn.commit().await?;
    deps.outbox.wake();
    Ok(invoice)
}

/// `post_invoice` in the caller's transaction (which wakes the outbox once it commits).
pub async fn post_invoice_in(
    deps: &Deps,
    txn: &DatabaseTransaction,
    account_id: i64,
    actor: Option<i64>,
    new: NewInvoice,
) -> ServiceResult<invoice::Model> {
    let (invoice, entry) = issue::issue_with_entry(&deps.updates, txn, account_id, new).await?;
    notifications::posted(deps, txn, &entry, false, Except::default()).await?;
    let total = Money::new(invoice.total_minor, invoice.currency).to_decimal();
    let summary = format!(
        "Invoice {} posted: {total} {}, due {}",
        invoice.number,
        invoice.currency.code(),
        invoice.due_on
    );
    activity::record(txn, account_id, actor, Action::InvoicePosted, summary, deps.now()).await?;
    Ok(invoice)
}

/// Credits the account `amount_minor` (positive: what it no longer owes).
pub async fn post_credit(
    deps: &Deps,
    account_id: i64,
    actor: Option<i64>,
    amount_minor: i64,
    description: &str,
    occurred_at: DateTime<Utc>,
) -> ServiceResult<ledger_entry::Model> {
    let txn = deps.begin().await?;
    let entry = post_credit_in(deps, &txn, account_id, actor, amount_minor, description, occurred_at).await?;
    txn.commit().await?;
    deps.outbox.wake();
    Ok(entry)
}

/// `post_credit` in the caller's transaction (which wakes the outbox once it commits).
pub async fn post_credit_in(
    deps: &Deps,
    txn: &DatabaseTransaction,
    account_id: i64,
    actor: Option<i64>,
    amount_minor: i64,
    description: &str,
    occurred_at: DateTime<Utc>,
) -> ServiceResult<ledger_entry::Model> {
    // Read in the transaction: SQLite has one connection, which the transaction holds.
    let currency =
        account::Entity::find_by_id(account_id).one(txn).await?.ok_or(ServiceError::NotFound)?.currency;
    let entry = ledger::append(
        &deps.updates,
        txn,
        NewEntry {
            account_id,
            kind: ledger_entry::Kind::Credit,
            amount_minor: -amount_minor,
            currency,
            // The billing engine's own words.
            description: Text::verbatim(description),
            invoice_id: None,
            payment_id: None,
            occurred_at,
        },
    )
    .await?;
    notifications::posted(deps, txn, &entry, false, Except::default()).await?;
    let amount = Money::new(amount_minor, currency).to_decimal();
    let summary = format!("Credit posted: {amount} {} ({description})", currency.code());
    activity::record(txn, account_id, actor, Action::CreditPosted, summary, deps.now()).await?;
    Ok(entry)
}
